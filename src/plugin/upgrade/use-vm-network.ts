// SPDX-License-Identifier: LGPL-2.1-or-later

import { useEffect, useState } from "react";

import { asHelperFailure, call, type HelperFailure } from "../lib/helper-client";
import type { UpgradeFindings, UpgradeForm } from "./upgrade-form";

/*
 * The engine VM's network and identity from the deploy's answers, read once
 * into the findings. The deploy's /etc/hosts choice becomes the checkbox's
 * starting value, as the original honoured it.
 */
export function useVmNetwork(findings: UpgradeFindings,
                             onForm: (change: Partial<UpgradeForm>) => void,
                             onFindings: (change: Partial<UpgradeFindings>) => void): HelperFailure | null {
    const [error, setError] = useState<HelperFailure | null>(null);
    const read = findings.vmNetwork !== null;

    useEffect(() => {
        if (read)
            return;
        call("vm-network", {}).then(report => {
            onFindings({ vmNetwork: report });
            if (report.etcHosts === true)
                onForm({ addHostToEtcHosts: true });
        }, err => setError(asHelperFailure(err)));
    }, [read, onForm, onFindings]);

    return error;
}
