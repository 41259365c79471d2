// SPDX-License-Identifier: LGPL-2.1-or-later

import { useState } from "react";

import type { ChecksReport } from "../../protocol";
import { asHelperFailure, callVerdict, HelperFailure } from "../lib/helper-client";
import { estimateDowntime } from "../jobs/downtime";
import { planOf, type UpgradeFindings, type UpgradeForm } from "./upgrade-form";

export interface UpgradeStart {
    starting: boolean;
    error: HelperFailure | null;
    start: () => Promise<void>;
}

/*
 * The helper's `upgrade`: it runs the preflight again and starts the job, or
 * answers with the preflight that stopped it.
 */
export function useUpgradeStart(form: UpgradeForm, findings: UpgradeFindings, onStarted: (job: string) => void,
                                onRefused: (preflight: ChecksReport) => void): UpgradeStart {
    const [starting, setStarting] = useState(false);
    const [error, setError] = useState<HelperFailure | null>(null);

    const start = async () => {
        setStarting(true);
        setError(null);
        try {
            // the review's estimate goes with the job: its result sets the actual beside it
            const estimate = estimateDowntime(findings.readiness?.engineDiskBytes ?? 0, findings.ova?.disk?.virtualSize ?? 0,
                                              findings.ovaBytesPerSecond);
            const verdict = await callVerdict("upgrade", { ...planOf(form), estimate });
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
