// SPDX-License-Identifier: LGPL-2.1-or-later

import { useCallback, useState } from "react";

import type { BackupReport, ChecksReport, ReadinessReport } from "../../protocol";
import { emptyFindings, emptyForm, type UpgradeFindings, type UpgradeForm } from "./upgrade-form";

export interface UpgradeState {
    form: UpgradeForm;
    findings: UpgradeFindings;
    /** the preflight of the review, or of an upgrade the helper refused to start */
    preflight: ChecksReport | null;
    confirmed: boolean;
    onForm: (change: Partial<UpgradeForm>) => void;
    onFindings: (change: Partial<UpgradeFindings>) => void;
    onReadiness: (readiness: ReadinessReport) => void;
    onBackupReport: (backup: BackupReport | null) => void;
    onBackupPath: (backupArchive: string) => void;
    onPreflight: (preflight: ChecksReport | null) => void;
    onConfirmed: (confirmed: boolean) => void;
    /** the preflight of an upgrade that did not start: confirm again after reading it */
    onRefused: (preflight: ChecksReport) => void;
    /** start over: forget what was entered, keep what was read of the host */
    reset: () => void;
}

/*
 * What was entered in the upgrade wizard and what its steps learned, in memory
 * only: the passwords are never stored.
 */
export function useUpgradeState(): UpgradeState {
    const [form, setForm] = useState<UpgradeForm>(emptyForm);
    const [findings, setFindings] = useState<UpgradeFindings>(emptyFindings);
    const [preflight, setPreflight] = useState<ChecksReport | null>(null);
    const [confirmed, setConfirmed] = useState(false);

    const onForm = useCallback((change: Partial<UpgradeForm>) => {
        setForm(f => ({ ...f, ...change }));
        // anything changed after the review invalidates its confirmation
        setConfirmed(false);
    }, []);
    const onFindings = useCallback((change: Partial<UpgradeFindings>) => setFindings(f => ({ ...f, ...change })), []);
    const onReadiness = useCallback((readiness: ReadinessReport) => setFindings(f => ({ ...f, readiness })), []);
    const onBackupReport = useCallback((backup: BackupReport | null) => setFindings(f => ({ ...f, backup })), []);
    const onBackupPath = useCallback((backupArchive: string) => onForm({ backupArchive }), [onForm]);
    const onRefused = useCallback((refused: ChecksReport) => {
        setPreflight(refused);
        setConfirmed(false);
    }, []);
    const reset = useCallback(() => {
        setForm(emptyForm());
        setFindings(f => ({ ...emptyFindings(), readiness: f.readiness, appliances: f.appliances, appliancesProblems: f.appliancesProblems }));
        setPreflight(null);
    }, []);

    return {
        form, findings, preflight, confirmed,
        onForm, onFindings, onReadiness, onBackupReport, onBackupPath,
        onPreflight: setPreflight, onConfirmed: setConfirmed, onRefused, reset,
    };
}
