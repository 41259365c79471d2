// SPDX-License-Identifier: LGPL-2.1-or-later

import { useEffect, useState } from "react";

import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";
import type { UpgradeFindings, UpgradeForm } from "./upgrade-form";

/*
 * The installed appliances, read once into the findings; the first usable one
 * is chosen unless one already is, and without any the choice is an OVA file.
 */
export function useAppliances(form: UpgradeForm, findings: UpgradeFindings,
                              onForm: (change: Partial<UpgradeForm>) => void,
                              onFindings: (change: Partial<UpgradeFindings>) => void): HelperFailure | null {
    const [listError, setListError] = useState<HelperFailure | null>(null);
    const appliances = findings.appliances;
    const installedConf = form.installedConf;

    useEffect(() => {
        if (appliances)
            return;
        call("appliances", {}).then(report => {
            onFindings({ appliances: report.appliances, appliancesProblems: report.problems });
            const usable = report.appliances.find(a => a.installed);
            if (usable && installedConf === null)
                onForm({ installedConf: usable.conf });
            else if (!usable)
                onForm({ applianceSource: "ova" });
        }, err => setListError(asHelperFailure(err)));
    }, [appliances, installedConf, onForm, onFindings]);

    return listError;
}
