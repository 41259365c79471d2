// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";

import type { BackupDisk, BackupsReport, DeleteBackupResult } from "../../protocol";
import { AskEngineModal } from "./ask-engine-modal";
import { DeleteBackupModal } from "./delete-backup-modal";
import { RestoreModal } from "./restore-modal";

export type Dialog = { kind: "restore" | "delete"; backup: BackupDisk } | { kind: "ask-engine" } | null;

/* The Rollback tab's open dialog, if any: restore or delete a backup disk, or ask the engine about them. */
export const RollbackDialog = ({ dialog, verifiedCount, onClose, onStarted, onDeleted, onReport }: {
    dialog: Dialog;
    /** how many backup disks are verified: deleting the last one warns */
    verifiedCount: number;
    onClose: () => void;
    onStarted: (job: string) => void;
    onDeleted: (result: DeleteBackupResult) => void;
    onReport: (report: BackupsReport) => void;
}) => {
    if (dialog?.kind === "restore")
        return <RestoreModal backup={dialog.backup} onClose={onClose} onStarted={onStarted} />;
    if (dialog?.kind === "delete") {
        return <DeleteBackupModal backup={dialog.backup} lastVerified={dialog.backup.verified && verifiedCount === 1}
                                  onClose={onClose} onDeleted={onDeleted} />;
    }
    if (dialog?.kind === "ask-engine")
        return <AskEngineModal onClose={onClose} onReport={onReport} />;
    return null;
};
