// SPDX-License-Identifier: LGPL-2.1-or-later

import { useState } from "react";

import type { ChecksReport } from "../../protocol";
import { asHelperFailure, callVerdict, HelperFailure } from "../lib/helper-client";
import { planOf, type UpgradeForm } from "./upgrade-form";

export interface UpgradeStart {
    starting: boolean;
    error: HelperFailure | null;
    start: () => Promise<void>;
}

/*
 * The helper's `upgrade`: it runs the preflight again and starts the job, or
 * answers with the preflight that stopped it.
 */
export function useUpgradeStart(form: UpgradeForm, onStarted: (job: string) => void,
                                onRefused: (preflight: ChecksReport) => void): UpgradeStart {
    const [starting, setStarting] = useState(false);
    const [error, setError] = useState<HelperFailure | null>(null);

    const start = async () => {
        setStarting(true);
        setError(null);
        try {
            const verdict = await callVerdict("upgrade", planOf(form));
            if (verdict.value.job) {
                // the tab shows the job now and drops this wizard, passwords and all
                onStarted(verdict.value.job);
            } else {
                onRefused(verdict.value.preflight);
            }
        } catch (err) {
            setError(asHelperFailure(err));
        } finally {
            setStarting(false);
        }
    };

    return { starting, error, start };
}
