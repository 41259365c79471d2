// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `delete-backup`: removes a backup disk through the engine, the only party
 * that may delete a disk it knows (deleting the volume behind its back would
 * leave the engine with a disk that does not exist). Never the engine VM's own
 * disk, and never the last verified backup unless the plan says so.
 */

import type { DeleteBackupResult } from "../api";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import type { DeleteBackupPlan } from "../rollback/plan";
import { listBackups, engineLogin } from "./backups";

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export async function deleteBackup(config: HelperConfig, plan: DeleteBackupPlan, adminPassword: string): Promise<DeleteBackupResult> {
    const report = await listBackups(config, null);
    if (plan.backup === report.engineDisk.imgUUID)
        throw new HelperError("refused", plan.backup, `${plan.backup} is the engine VM's own disk; it is never deleted here`);
    const backup = report.backups.find(b => b.imgUUID === plan.backup);
    if (!backup)
        throw new HelperError("refused", plan.backup, `There is no backup disk with image ${plan.backup} on the hosted-engine storage domain`);
    const verified = report.backups.filter(b => b.verified);
    if (backup.verified && verified.length === 1 && !plan.allowLastVerified)
        throw new HelperError("refused", backup.label,
                              `${backup.label} is the last verified backup of the engine disk; it is only deleted when you confirm that explicitly`);

    const api = await engineLogin(config, adminPassword);
    const known = await api.disk(backup.imgUUID);
    if (known === null)
        throw new HelperError("refused", backup.label,
                              `The engine does not know ${backup.label}, so it cannot delete it. Import it first (Storage, the domain's Disk Import tab) or remove the volume with the storage tools`);
    if (known.status === "locked")
        throw new HelperError("refused", backup.label, `${backup.label} is locked in the engine (another operation uses it); try again later`);
    await api.deleteDisk(backup.imgUUID);
    const deadline = Date.now() + config.timeouts.diskCreateSeconds * 1000;
    while (await api.disk(backup.imgUUID) !== null) {
        if (Date.now() > deadline)
            throw new HelperError("command-failed", backup.label, `The engine accepted deleting ${backup.label} but still lists it after ${config.timeouts.diskCreateSeconds} s`);
        await sleep(1000);
    }
    return { deleted: true, label: backup.label, imgUUID: backup.imgUUID };
}
