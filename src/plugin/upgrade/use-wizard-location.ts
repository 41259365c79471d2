// SPDX-License-Identifier: LGPL-2.1-or-later

import { useCallback, useEffect, useRef, useState } from "react";

import cockpit from "../lib/cockpit";
import { wizardStepFromPath, WIZARD_STEPS, type WizardStepId } from "./upgrade-form";

export interface WizardLocation {
    /** the step the wizard (re)starts at, an index into WIZARD_STEPS */
    startIndex: number;
    /** changes whenever the wizard must start again at startIndex */
    wizardKey: number;
    reachable: (index: number) => boolean;
    /** the wizard went to another step */
    onStepChange: (step: WizardStepId) => void;
    /** start over at the first step */
    restart: () => void;
}

/*
 * The wizard owns its current step; the location (upgrade/STEP) follows it, and
 * a location changed from outside (back button, a link) restarts the wizard at
 * that step if it can be reached. `firstIncomplete` is the first step that
 * lacks something (-1: none), and no step after it can be reached.
 */
export function useWizardLocation(path: string[], firstIncomplete: number): WizardLocation {
    const reachable = useCallback((index: number) => firstIncomplete === -1 || index <= firstIncomplete, [firstIncomplete]);
    const wanted = WIZARD_STEPS.indexOf(wizardStepFromPath(path));
    const active = useRef<WizardStepId>(WIZARD_STEPS[0]);
    const [wizardKey, setWizardKey] = useState(0);
    const startIndex = reachable(wanted) ? wanted : Math.max(0, firstIncomplete);

    useEffect(() => {
        const step = WIZARD_STEPS[startIndex];
        // a step that cannot be reached yet (a reload, a deep link): the location says where the wizard is
        if (startIndex !== wanted)
            cockpit.location.replace(["upgrade", step]);
        if (step !== active.current) {
            active.current = step;
            setWizardKey(k => k + 1);
        }
    }, [startIndex, wanted]);

    const onStepChange = useCallback((step: WizardStepId) => {
        active.current = step;
        cockpit.location.go(["upgrade", step]);
    }, []);

    const restart = useCallback(() => {
        cockpit.location.go(["upgrade", "readiness"]);
        active.current = "readiness";
        setWizardKey(k => k + 1);
    }, []);

    return { startIndex, wizardKey, reachable, onStepChange, restart };
}
