// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The rollback job: check again that the engine VM is down, check that the
 * backup disk still holds what its upgrade verified, copy it over the engine
 * disk, zero what lies beyond it (the upgrade may have grown the volume; a
 * volume never shrinks), and verify the result. The original copied without
 * any check of the result.
 */

import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import type { Facts, JobKind, Step, StepContext } from "../jobs/runner";
import { JobStore } from "../jobs/store";
import { convert, sameContent, zeroRange } from "../qemu-img";
import { volumeDigest } from "../storage";
import { BLANK_UUID, VdsmClient } from "../vdsm";
import { backupRecords } from "../verbs/backups";
import { engineVmUpOn, type RollbackSurvey } from "./checks";
import type { RollbackPlan } from "./plan";

export interface RollbackJobPlan {
    plan: RollbackPlan;
    survey: RollbackSurvey;
}

type Ctx = StepContext<RollbackJobPlan, Record<string, never>>;

export function rollbackSteps(config: HelperConfig): Step<RollbackJobPlan, Record<string, never>>[] {
    const s = (ctx: Ctx) => ctx.plan.survey;
    return [
        {
            id: "check-engine-down",
            title: "Check that the engine VM is down everywhere",
            destructive: false,
            apply: async ctx => {
                const { globalMaintenance, upOn } = await engineVmUpOn(config);
                if (!globalMaintenance)
                    throw new HelperError("refused", "global maintenance", "The cluster left global maintenance: the HA agents could start the engine VM during the restore");
                if (upOn.length > 0)
                    throw new HelperError("refused", "engine VM", `The engine VM seems up on host ${upOn.join(", ")}: power it off before restoring`);
                const vdsm = await VdsmClient.connect(config);
                try {
                    const here = await vdsm.vmStatus(s(ctx).vmId);
                    if (here !== null && here !== "Down")
                        throw new HelperError("refused", "engine VM", `vdsm runs the engine VM on this host (${here}): power it off before restoring`);
                } finally {
                    vdsm.close();
                }
            },
        },
        {
            id: "check-backup",
            title: "Check the backup disk",
            destructive: false,
            apply: async ctx => {
                const vdsm = await VdsmClient.connect(config);
                let backupPath: string;
                try {
                    const b = s(ctx).backup;
                    backupPath = (await vdsm.prepareImage(s(ctx).sdUUID, BLANK_UUID, b.imgUUID, b.volUUID)).path;
                } finally {
                    vdsm.close();
                }
                const record = backupRecords(new JobStore(config.stateDir)).get(s(ctx).backup.imgUUID);
                if (record?.digest) {
                    ctx.log("info", `Checking ${s(ctx).backup.label} against the digest job ${record.job} recorded`);
                    const digest = await volumeDigest(config, backupPath);
                    if (digest !== record.digest)
                        throw new HelperError("refused", s(ctx).backup.label,
                                              `The backup disk ${s(ctx).backup.label} changed since job ${record.job} verified it (sha256 ${digest}, recorded ${record.digest}); it is not restored`);
                } else {
                    ctx.log("warning", `No job recorded a digest of ${s(ctx).backup.label}: its content is restored as it is`);
                }
                return { backupPath };
            },
        },
        {
            id: "restore-disk",
            title: "Copy the backup over the engine disk",
            destructive: true,
            apply: async ctx => {
                const total = s(ctx).backup.capacity;
                ctx.log("info", `Restoring ${s(ctx).backup.label} onto the engine VM disk ${s(ctx).engine.imgUUID}`);
                await convert(config, String(ctx.facts.backupPath), s(ctx).engine.path, {
                    sourceFormat: "raw", targetFormat: "raw", existingTarget: true,
                    onProgress: fraction => ctx.progress(Math.round(fraction * total), total),
                });
                // what the upgrade added beyond the old disk's end would otherwise remain
                await zeroRange(config, s(ctx).engine.path, total, s(ctx).engine.capacity - total);
                return { bytesCopied: total };
            },
        },
        {
            id: "verify-restore",
            title: "Verify the engine disk against the backup",
            destructive: false,
            apply: async ctx => {
                if (!await sameContent(config, String(ctx.facts.backupPath), s(ctx).engine.path))
                    throw new HelperError("command-failed", "restore verification",
                                          `The engine disk does not hold the bytes of ${s(ctx).backup.label} after the copy`);
                ctx.log("info", "The engine disk holds exactly the backup's content");
            },
        },
    ];
}

export function rollbackKind(config: HelperConfig): JobKind<RollbackJobPlan, Record<string, never>> {
    return {
        kind: "rollback",
        steps: () => rollbackSteps(config),
        succeeded: (facts: Facts) => ({
            message: "Hosted Engine successfully rolled back",
            next: [
                "Leave global maintenance to let the HA agents start the engine VM from the restored disk.",
                "The engine VM's SSH host keys are the old engine's again: update known_hosts on your clients.",
                "Anything done in the engine after the backup was taken is lost.",
            ],
            figures: typeof facts.bytesCopied === "number" ? { bytesCopied: facts.bytesCopied } : {},
        }),
        failed: (step, err, _facts, destructiveStarted) => ({
            message: destructiveStarted ? `Hosted Engine rollback failed at "${step.title}": ${err.message}`
                : `Hosted Engine rollback failed before anything was changed: ${err.message}`,
            next: destructiveStarted
                ? ["The engine disk is partly overwritten: do not start the engine VM.",
                    "The backup disk is unchanged: resume this job or start the restore again once the cause is fixed."]
                : ["Nothing was changed: the engine disk and the backup disk are as they were. Fix the cause and restore again."],
            figures: {},
        }),
    };
}
