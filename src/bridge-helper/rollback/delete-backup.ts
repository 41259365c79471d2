// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Removing a backup disk, through the engine: the only party that may delete
 * a disk it knows (deleting the volume behind its back would leave the engine
 * with a disk that does not exist). Never the engine VM's own disk, and never
 * the last verified backup unless the plan says so.
 */

import type { DeleteBackupPlan } from "../../protocol/plans";
import type { DeleteBackupResult } from "../../protocol/reports";
import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import { openHealthyEngine } from "../host/engine-session";
import { listBackups } from "./backups";

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export async function deleteBackup(config: HelperConfig, plan: DeleteBackupPlan, adminPassword: string): Promise<DeleteBackupResult> {
    const report = await listBackups(config, null);
    if (plan.backup === report.engineDisk.imgUUID)
        throw new HelperError("refused", plan.backup, text("backups.delete.engine-disk", { backup: plan.backup }));
    const backup = report.backups.find(b => b.imgUUID === plan.backup);
    if (!backup)
        throw new HelperError("refused", plan.backup, text("backups.delete.missing", { backup: plan.backup }));
    const verified = report.backups.filter(b => b.verified);
    if (backup.verified && verified.length === 1 && !plan.allowLastVerified)
        throw new HelperError("refused", backup.label, text("backups.delete.last-verified", { label: backup.label }));

    const api = await openHealthyEngine(config, adminPassword);
    const known = await api.disk(backup.imgUUID);
    if (known === null)
        throw new HelperError("refused", backup.label, text("backups.delete.unknown-to-engine", { label: backup.label }));
    if (known.status === "locked")
        throw new HelperError("refused", backup.label, text("backups.delete.locked", { label: backup.label }));
    await api.deleteDisk(backup.imgUUID);
    const seconds = config.timeouts.diskCreateSeconds;
    const deadline = Date.now() + seconds * 1000;
    while (await api.disk(backup.imgUUID) !== null) {
        if (Date.now() > deadline)
            throw new HelperError("command-failed", backup.label, text("backups.delete.still-listed", { label: backup.label, seconds }));
        await sleep(1000);
    }
    return { deleted: true, label: backup.label, imgUUID: backup.imgUUID };
}
