// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The rollback job: check again that the engine VM is down, check that the
 * backup disk still holds what its upgrade verified, copy it over the engine
 * disk, zero what lies beyond it (the upgrade may have grown the volume; a
 * volume never shrinks), and verify the result. The original copied without
 * any check of the result.
 */

import type { RollbackPlan } from "../../protocol/plans";
import { ROLLBACK_STEPS, type ProducedBy, type RollbackFacts, type RollbackStepId } from "../../protocol/steps";
import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import { prepareVolume } from "../host/engine-disk";
import { volumeDigest } from "../host/storage-domain";
import { withVdsm } from "../host/vdsm-session";
import type { JobKind, Outcome, StepContext } from "../jobs/runner";
import { JobStore } from "../jobs/store";
import { convert, sameContent, zeroRange } from "../qemu-img";
import { backupRecords } from "./backups";
import { engineVmUpOn, type RollbackSurvey } from "./checks";

export interface RollbackJobPlan {
    plan: RollbackPlan;
    survey: RollbackSurvey;
}

/** A rollback reads nothing secret: its resume needs nothing on stdin. */
export type NoSecrets = Record<string, never>;

type Ctx = StepContext<RollbackJobPlan, NoSecrets, RollbackFacts>;
type Steps = { [Id in RollbackStepId]: (ctx: Ctx) => Promise<ProducedBy<typeof ROLLBACK_STEPS, RollbackFacts, Id>> };

/*
 * vdsm tears a prepared image down when a VM using it goes away, and a reboot
 * empties /var/run: each step prepares what it uses, never a path an earlier
 * step (or an earlier run of the job) was given.
 */
function prepared(config: HelperConfig, survey: RollbackSurvey, volume: { imgUUID: string; volUUID: string }): Promise<string> {
    return withVdsm(config, vdsm => prepareVolume(vdsm, survey.sdUUID, volume.imgUUID, volume.volUUID));
}

async function checkEngineDown(config: HelperConfig, ctx: Ctx): Promise<Record<string, never>> {
    const { globalMaintenance, upOn } = await engineVmUpOn(config);
    if (!globalMaintenance)
        throw new HelperError("refused", "global maintenance", text("rollback.left-maintenance"));
    if (upOn.length > 0)
        throw new HelperError("refused", "engine VM", text("rollback.vm-up", { hosts: upOn.join(", ") }));
    const here = await withVdsm(config, vdsm => vdsm.vmStatus(ctx.plan.survey.vmId));
    if (here !== null && here !== "Down")
        throw new HelperError("refused", "engine VM", text("rollback.vm-here", { status: here }));
    return {};
}

async function checkBackup(config: HelperConfig, ctx: Ctx): Promise<Pick<RollbackFacts, "backupPath">> {
    const { backup } = ctx.plan.survey;
    const backupPath = await prepared(config, ctx.plan.survey, backup);
    const record = backupRecords(new JobStore(config.stateDir)).get(backup.imgUUID);
    if (record?.digest) {
        ctx.log("info", `Checking ${backup.label} against the digest job ${record.job} recorded`);
        const digest = await volumeDigest(config, backupPath);
        if (digest !== record.digest) {
            throw new HelperError("refused", backup.label,
                                  text("rollback.backup-changed", { label: backup.label, job: record.job, digest, recorded: record.digest }));
        }
    } else {
        ctx.log("warning", `No job recorded a digest of ${backup.label}: its content is restored as it is`);
    }
    return { backupPath };
}

async function restoreDisk(config: HelperConfig, ctx: Ctx): Promise<Pick<RollbackFacts, "bytesCopied">> {
    const { backup, engine } = ctx.plan.survey;
    const total = backup.capacity;
    const source = await prepared(config, ctx.plan.survey, backup);
    const target = await prepared(config, ctx.plan.survey, engine);
    ctx.log("info", `Restoring ${backup.label} onto the engine VM disk ${engine.imgUUID}`);
    await convert(config, source, target, {
        sourceFormat: "raw", targetFormat: "raw", existingTarget: true,
        onProgress: fraction => ctx.progress(Math.round(fraction * total), total),
    });
    // what the upgrade added beyond the old disk's end would otherwise remain
    await zeroRange(config, target, total, engine.capacity - total);
    return { bytesCopied: total };
}

async function verifyRestore(config: HelperConfig, ctx: Ctx): Promise<Record<string, never>> {
    const { backup, engine } = ctx.plan.survey;
    const source = await prepared(config, ctx.plan.survey, backup);
    const target = await prepared(config, ctx.plan.survey, engine);
    if (!await sameContent(config, source, target))
        throw new HelperError("command-failed", "restore verification", text("rollback.verify-failed", { label: backup.label }));
    ctx.log("info", "The engine disk holds exactly the backup's content");
    return {};
}

export function rollbackSteps(config: HelperConfig): Steps {
    return {
        "check-engine-down": ctx => checkEngineDown(config, ctx),
        "check-backup": ctx => checkBackup(config, ctx),
        "restore-disk": ctx => restoreDisk(config, ctx),
        "verify-restore": ctx => verifyRestore(config, ctx),
    };
}

function succeeded(facts: Partial<RollbackFacts>): Outcome {
    return {
        message: text("rollback.succeeded"),
        next: [text("rollback.succeeded.leave-maintenance"), text("rollback.succeeded.ssh-keys"), text("rollback.succeeded.data-lost")],
        figures: typeof facts.bytesCopied === "number" ? { bytesCopied: facts.bytesCopied } : {},
    };
}

export function rollbackKind(config: HelperConfig): JobKind<RollbackJobPlan, NoSecrets, RollbackFacts> {
    return {
        kind: "rollback",
        specs: ROLLBACK_STEPS,
        apply: rollbackSteps(config),
        succeeded,
        failed: (step, reason, _facts, destructiveStarted) => ({
            message: destructiveStarted ? text("rollback.failed-at", { step: step.title, reason })
                : text("rollback.failed-before", { reason }),
            next: destructiveStarted
                ? [text("rollback.failed.partly-overwritten"), text("rollback.failed.backup-unchanged")]
                : [text("rollback.failed.nothing-changed")],
            figures: {},
        }),
    };
}
