// SPDX-License-Identifier: LGPL-2.1-or-later

import { useEffect, useState } from "react";

import type { BackupReport } from "../../protocol";
import { asHelperFailure, callVerdict, HelperFailure } from "../lib/helper-client";
import { isAbsolutePath } from "./upgrade-form";

/* Wait this long after the last key before asking the helper, which reads the whole archive. */
const VALIDATE_DELAY_MS = 600;

export interface BackupValidation {
    checking: boolean;
    error: HelperFailure | null;
}

/* The engine-backup archive at `path`, checked by the helper once typing stops, unless `report` is already its. */
export function useBackupValidation(path: string, report: BackupReport | null,
                                    onReport: (report: BackupReport | null) => void): BackupValidation {
    const [checking, setChecking] = useState(false);
    const [error, setError] = useState<HelperFailure | null>(null);

    useEffect(() => {
        if (!isAbsolutePath(path) || report?.path === path)
            return;
        let current = true;
        const timer = setTimeout(async () => {
            setChecking(true);
            setError(null);
            try {
                // validate-backup exits 1 with its report when the archive is unusable: both are answers
                const checked = await callVerdict("validate-backup", { path });
                if (current)
                    onReport(checked.value);
            } catch (err) {
                if (current) {
                    onReport(null);
                    setError(asHelperFailure(err));
                }
            } finally {
                if (current)
                    setChecking(false);
            }
        }, VALIDATE_DELAY_MS);
        return () => {
            current = false;
            clearTimeout(timer);
        };
    }, [path, report, onReport]);

    return { checking, error };
}
