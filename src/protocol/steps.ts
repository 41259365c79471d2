// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The steps of each job kind, in order: whether a step changes the engine VM,
 * its disk or the storage (destructive), which facts it records for later
 * steps, which it needs, and which of its facts name work files that must
 * still exist when a resumed job goes on. The helper implements exactly these
 * steps; the page lists them before a job starts and folds a job's events by them.
 */

import { N_ } from "./messages/marker";

/** What the upgrade's steps learn, journaled with each step's "done". */
export interface UpgradeFacts {
    /** the appliance disk extracted from the OVA, in the job's work directory */
    applianceDisk: string;
    applianceFormat: "qcow2" | "raw";
    ovaBytesRead: number;
    /** the cloud-init seed ISO, in the job's work directory */
    seedIso: string;
    backupImgUUID: string;
    backupVolUUID: string;
    backupLabel: string;
    /** ms since the epoch: when the engine VM was asked to shut down */
    engineDownSince: number;
    /** where the backup disk was when its copy was verified; a record only: vdsm may have torn that path down since */
    backupPath: string;
    bytesCopied: number;
    /** ms since the epoch: when the new engine first answered its health check */
    engineUpAt: number;
    /** sha256 of the backup disk, recorded after the engine is back */
    backupDigest: string;
}

export interface RollbackFacts {
    /** where the backup disk was when it was checked; a record only, as in UpgradeFacts */
    backupPath: string;
    bytesCopied: number;
}

export interface StepSpec<Facts> {
    id: string;
    title: string;
    destructive: boolean;
    produces: readonly (keyof Facts)[];
    needs: readonly (keyof Facts)[];
    /** produced facts that name files in the job's work directory */
    workFiles?: readonly (keyof Facts)[];
}

export const UPGRADE_STEPS = [
    { id: "extract-appliance", title: N_("Read the appliance (sha1, OVF, disk)"), destructive: false,
        produces: ["applianceDisk", "applianceFormat", "ovaBytesRead"], needs: [], workFiles: ["applianceDisk"] },
    { id: "build-seed", title: N_("Build the cloud-init seed"), destructive: false,
        produces: ["seedIso"], needs: [], workFiles: ["seedIso"] },
    { id: "create-backup-disk", title: N_("Create the backup disk"), destructive: false,
        produces: ["backupImgUUID", "backupVolUUID", "backupLabel"], needs: [] },
    { id: "shutdown-engine-vm", title: N_("Shut down the engine VM"), destructive: true,
        produces: ["engineDownSince"], needs: [] },
    { id: "copy-to-backup", title: N_("Copy the engine disk to the backup disk and verify it"), destructive: false,
        produces: ["backupPath", "bytesCopied"], needs: ["backupImgUUID", "backupVolUUID"] },
    { id: "extend-engine-disk", title: N_("Grow the engine disk to the appliance's size"), destructive: true,
        produces: [], needs: [] },
    { id: "write-appliance", title: N_("Write the appliance onto the engine disk"), destructive: true,
        produces: [], needs: ["applianceDisk", "applianceFormat"] },
    { id: "inject-backup", title: N_("Put the engine backup into the appliance"), destructive: true,
        produces: [], needs: [] },
    { id: "boot-appliance", title: N_("Start the new engine VM"), destructive: true,
        produces: [], needs: ["seedIso"] },
    { id: "engine-setup", title: N_("Restore the backup and set up the 4.0 engine"), destructive: true,
        produces: [], needs: [] },
    { id: "engine-health", title: N_("Wait for the engine to be healthy"), destructive: false,
        produces: ["engineUpAt"], needs: [] },
    { id: "register-backup-disk", title: N_("Register the backup disk in the new engine"), destructive: false,
        produces: [], needs: ["backupImgUUID"] },
    { id: "digest-backup-disk", title: N_("Record the backup disk's digest"), destructive: false,
        produces: ["backupDigest"], needs: ["backupImgUUID", "backupVolUUID"] },
    { id: "shutdown-new-engine-vm", title: N_("Shut down the new engine VM for the HA agents to take over"), destructive: false,
        produces: [], needs: [] },
] as const satisfies readonly StepSpec<UpgradeFacts>[];

export const ROLLBACK_STEPS = [
    { id: "check-engine-down", title: N_("Check that the engine VM is down everywhere"), destructive: false,
        produces: [], needs: [] },
    { id: "check-backup", title: N_("Check the backup disk"), destructive: false,
        produces: ["backupPath"], needs: [] },
    { id: "restore-disk", title: N_("Copy the backup over the engine disk"), destructive: true,
        produces: ["bytesCopied"], needs: [] },
    { id: "verify-restore", title: N_("Verify the engine disk against the backup"), destructive: false,
        produces: [], needs: [] },
] as const satisfies readonly StepSpec<RollbackFacts>[];

export type UpgradeStepId = typeof UPGRADE_STEPS[number]["id"];
export type RollbackStepId = typeof ROLLBACK_STEPS[number]["id"];
export type StepId = UpgradeStepId | RollbackStepId;

/** The facts a step of `Steps` returns: exactly those its spec says it produces. */
export type ProducedBy<Steps extends readonly StepSpec<Facts>[], Facts, Id extends Steps[number]["id"]> =
    Pick<Facts, Extract<Extract<Steps[number], { id: Id }>["produces"][number], keyof Facts>>;

export const JOB_KINDS = {
    upgrade: UPGRADE_STEPS,
    rollback: ROLLBACK_STEPS,
} as const;

export type JobKindName = keyof typeof JOB_KINDS;

/** The step that takes the engine down and the one that sees the new engine healthy: the downtime clock. */
export const ENGINE_DOWN_STEP: UpgradeStepId = "shutdown-engine-vm";
export const ENGINE_UP_STEP: UpgradeStepId = "engine-health";

const ALL_STEPS: readonly { id: string; title: string }[] = [...UPGRADE_STEPS, ...ROLLBACK_STEPS];

/** The English title template of a step id, or null for an id no job kind has. */
export function stepTitleTemplate(id: string): string | null {
    return ALL_STEPS.find(s => s.id === id)?.title ?? null;
}
