// SPDX-License-Identifier: LGPL-2.1-or-later

import { useCallback, useEffect, useState } from "react";

import type { BackupsReport } from "../../protocol";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";

export interface BackupsList {
    report: BackupsReport | null;
    error: HelperFailure | null;
    /** read the backup disks again */
    load: () => Promise<void>;
    /** a report read otherwise (the engine was asked about the disks) */
    setReport: (report: BackupsReport) => void;
}

/** The helper's `backups`: the backup disks the upgrades made, read on arrival and when asked. */
export function useBackups(): BackupsList {
    const [report, setReport] = useState<BackupsReport | null>(null);
    const [error, setError] = useState<HelperFailure | null>(null);

    const load = useCallback(async () => {
        try {
            setReport(await call("backups", { adminPassword: null }));
            setError(null);
        } catch (err) {
            setError(asHelperFailure(err));
        }
    }, []);

    useEffect(() => {
        load();
    }, [load]);

    return { report, error, load, setReport };
}
