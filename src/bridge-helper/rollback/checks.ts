// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The conditions of a rollback (ovirt-upgrade-flow.md section 4), checked
 * before anything is written: global maintenance, the engine VM down on every
 * host (a running VM would write over the restored disk, or keep the old one
 * open), the backup disk on the storage domain, and an engine disk at least as
 * large as the backup (its capacity against the backup's size: bz1397810).
 */

import type { HelperConfig } from "../config";
import { errorMessage } from "../errors";
import { readVmStatus } from "../ha";
import { engineStorage, findBackupVolumes, type BackupVolume } from "../storage";
import { VdsmClient } from "../vdsm";
import type { Check, CheckState } from "../upgrade/preflight";
import type { RollbackPlan } from "./plan";

export interface RollbackSurvey {
    vmId: string;
    sdUUID: string;
    engine: { imgUUID: string; volUUID: string; capacity: number; path: string };
    backup: BackupVolume;
}

export interface RollbackReport {
    ok: boolean;
    checks: Check[];
    survey: RollbackSurvey | null;
}

const GiB = 1024 ** 3;
const gib = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;

/** Hosts where ovirt-ha sees the engine VM up, with live data. */
export async function engineVmUpOn(config: HelperConfig): Promise<{ globalMaintenance: boolean; upOn: string[] }> {
    const status = await readVmStatus(config);
    const upOn = status.hosts.filter(h => h.liveData && h.engineStatus.vm === "up").map(h => `${h.id} (${h.hostname})`);
    return { globalMaintenance: status.globalMaintenance, upOn };
}

export async function rollbackChecks(config: HelperConfig, plan: RollbackPlan): Promise<RollbackReport> {
    const checks: Check[] = [];
    const add = (id: string, title: string, state: CheckState, detail: string) => checks.push({ id, title, state, detail });

    try {
        const { globalMaintenance, upOn } = await engineVmUpOn(config);
        add("global-maintenance", "Global maintenance", globalMaintenance ? "pass" : "fail",
            globalMaintenance ? "The cluster is in global maintenance: the HA agents will not start the engine VM during the restore."
                : "The cluster is not in global maintenance. Enter global maintenance (Status tab) before restoring.");
        add("engine-vm-down", "Engine VM down on every host", upOn.length === 0 ? "pass" : "fail",
            upOn.length === 0 ? "No host runs the engine VM."
                : `The engine VM seems up on host ${upOn.join(", ")}. Power it off there (hosted-engine --vm-poweroff) before restoring.`);
    } catch (err) {
        add("global-maintenance", "Global maintenance", "fail", `The HA status cannot be read: ${errorMessage(err)}. Are ovirt-ha-broker and ovirt-ha-agent running?`);
    }

    let survey: RollbackSurvey | null = null;
    let vdsm: VdsmClient | null = null;
    try {
        vdsm = await VdsmClient.connect(config);
        const engine = await engineStorage(config, vdsm);
        const here = await vdsm.vmStatus(engine.conf.vmId);
        if (here !== null && here !== "Down")
            add("engine-vm-here", "Engine VM on this host", "fail", `vdsm runs the engine VM on this host (${here}). Power it off (hosted-engine --vm-poweroff) before restoring.`);
        const backup = (await findBackupVolumes(vdsm, engine.sdUUID)).find(b => b.imgUUID === plan.backup);
        if (plan.backup === engine.imgUUID) {
            add("backup-disk", "Backup disk", "fail", `${plan.backup} is the engine VM's own disk, not a backup.`);
        } else if (!backup) {
            add("backup-disk", "Backup disk", "fail", `There is no backup disk with image ${plan.backup} on the hosted-engine storage domain ${engine.sdUUID}. Reload the list of backups.`);
        } else {
            add("backup-disk", "Backup disk", "pass", `${backup.label}: ${gib(backup.capacity)}.`);
            const needed = Math.max(backup.capacity, backup.apparentSize);
            add("disk-size", "Engine disk size", engine.capacity >= needed ? "pass" : "fail",
                engine.capacity >= needed ? `The engine disk (${gib(engine.capacity)}) holds the backup (${gib(needed)}).`
                    : `The selected backup (size ${gib(needed)}) doesn't fit the engine VM disk (size ${gib(engine.capacity)}).`);
            survey = {
                vmId: engine.conf.vmId,
                sdUUID: engine.sdUUID,
                engine: { imgUUID: engine.imgUUID, volUUID: engine.volUUID, capacity: engine.capacity, path: engine.path },
                backup,
            };
        }
    } catch (err) {
        add("vdsm", "vdsm", "fail", `vdsm cannot be asked: ${errorMessage(err)}. Is vdsmd running?`);
    } finally {
        vdsm?.close();
    }
    const ok = checks.every(c => c.state !== "fail");
    return { ok, checks, survey: ok ? survey : null };
}
