// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The conditions of a rollback (ovirt-upgrade-flow.md section 4), checked
 * before anything is written: global maintenance, the engine VM down on every
 * host (a running VM would write over the restored disk, or keep the old one
 * open), the backup disk on the storage domain, and an engine disk at least as
 * large as the backup (its capacity against the backup's size: bz1397810).
 */

import { CHECK_TITLES, type Check, type CheckId, type CheckState } from "../../protocol/checks";
import type { RollbackPlan } from "../../protocol/plans";
import { text, type Text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { errorText } from "../errors";
import { engineDisk, type EngineDisk } from "../host/engine-disk";
import { readVmStatus } from "../host/ha-command";
import { findBackupVolumes, type BackupVolume } from "../host/storage-domain";
import { withVdsm } from "../host/vdsm-session";

export interface RollbackSurvey {
    vmId: string;
    sdUUID: string;
    /** the engine disk; prepared again by each step that writes or reads it */
    engine: { imgUUID: string; volUUID: string; capacity: number };
    backup: BackupVolume;
}

export interface RollbackChecks {
    ok: boolean;
    checks: Check[];
    survey: RollbackSurvey | null;
}

const GiB = 1024 ** 3;
const gib = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;

const check = (id: CheckId, state: CheckState, detail: Text): Check => ({ id, title: CHECK_TITLES[id], state, detail });

/** Hosts where ovirt-ha sees the engine VM up, with live data, as "1 (host1.example.com)". */
export async function engineVmUpOn(config: HelperConfig): Promise<{ globalMaintenance: boolean; upOn: string[] }> {
    const status = await readVmStatus(config);
    const upOn = status.hosts.filter(h => h.liveData && h.engineStatus.vm === "up").map(h => `${h.id} (${h.hostname})`);
    return { globalMaintenance: status.globalMaintenance, upOn };
}

async function haChecks(config: HelperConfig): Promise<Check[]> {
    try {
        const { globalMaintenance, upOn } = await engineVmUpOn(config);
        return [
            check("global-maintenance", globalMaintenance ? "pass" : "fail",
                  text(globalMaintenance ? "rollback.check.maintenance" : "rollback.check.no-maintenance")),
            check("engine-vm-down", upOn.length === 0 ? "pass" : "fail",
                  upOn.length === 0 ? text("rollback.check.vm-down") : text("rollback.check.vm-up", { hosts: upOn.join(", ") })),
        ];
    } catch (err) {
        return [check("global-maintenance", "fail", text("ha.cannot-read", { reason: errorText(err) }))];
    }
}

/* The backup disk against the engine disk; the survey when the backup can be restored. */
function backupChecks(plan: RollbackPlan, engine: EngineDisk, backup: BackupVolume | undefined): { checks: Check[]; survey: RollbackSurvey | null } {
    if (plan.backup === engine.imgUUID)
        return { checks: [check("backup-disk", "fail", text("rollback.check.backup-is-engine-disk", { backup: plan.backup }))], survey: null };
    if (!backup) {
        return { checks: [check("backup-disk", "fail", text("rollback.check.backup-missing", { backup: plan.backup, sd: engine.sdUUID }))],
            survey: null };
    }
    const needed = Math.max(backup.capacity, backup.apparentSize);
    const fits = engine.capacity >= needed;
    const sizes = { engine: gib(engine.capacity), backup: gib(needed) };
    return {
        checks: [
            check("backup-disk", "pass", text("rollback.check.backup-found", { label: backup.label, size: gib(backup.capacity) })),
            check("disk-size", fits ? "pass" : "fail", text(fits ? "rollback.check.size-fits" : "rollback.check.size-too-small", sizes)),
        ],
        survey: {
            vmId: engine.vmId,
            sdUUID: engine.sdUUID,
            engine: { imgUUID: engine.imgUUID, volUUID: engine.volUUID, capacity: engine.capacity },
            backup,
        },
    };
}

async function vdsmChecks(config: HelperConfig, plan: RollbackPlan): Promise<{ checks: Check[]; survey: RollbackSurvey | null }> {
    try {
        return await withVdsm(config, async vdsm => {
            const engine = await engineDisk(config, vdsm);
            const here = await vdsm.vmStatus(engine.vmId);
            const checks = here !== null && here !== "Down" ? [check("engine-vm-here", "fail", text("rollback.check.vm-here", { status: here }))] : [];
            const backup = (await findBackupVolumes(vdsm, engine.sdUUID)).find(b => b.imgUUID === plan.backup);
            const found = backupChecks(plan, engine, backup);
            return { checks: [...checks, ...found.checks], survey: found.survey };
        });
    } catch (err) {
        return { checks: [check("vdsm", "fail", text("vdsm.cannot-ask", { reason: errorText(err) }))], survey: null };
    }
}

export async function rollbackChecks(config: HelperConfig, plan: RollbackPlan): Promise<RollbackChecks> {
    const checks = await haChecks(config);
    const fromVdsm = await vdsmChecks(config, plan);
    checks.push(...fromVdsm.checks);
    const ok = checks.every(c => c.state !== "fail");
    return { ok, checks, survey: ok ? fromVdsm.survey : null };
}
