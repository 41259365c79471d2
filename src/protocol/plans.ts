// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the page sends on stdin to start jobs and log in to the engine. The
 * helper checks every field (its parsers are the trust boundary); these are
 * the shapes both sides agree on. Secrets travel only here, on stdin.
 */

import type { VmNetwork } from "./network";
import type { RootSshAccess } from "./reports";

export type ApplianceChoice =
    | { installed: string }
    | { ova: string; sha1: string | null };

export interface UpgradePlan {
    /** the engine-backup archive on this host */
    backupArchive: string;
    appliance: ApplianceChoice;
    rootSshKey: string | null;
    rootSshAccess: RootSshAccess | null;
    addHostToEtcHosts: boolean;
    /**
     * the engine VM's network where the deploy's answers do not give it (vm-network reports null);
     * where they do, the answers are used and this is not
     */
    vmNetwork: VmNetwork | null;
    /** the engine disk's size after the upgrade; null: the larger of the current disk and the OVF's size */
    diskSizeGiB: number | null;
    /** allow versions other than 3.6 -> 4.0, which the original called highly experimental */
    acceptUnsupportedVersions: boolean;
    /** the downtime the review promised, kept with the job so its result sets the actual beside it */
    estimate?: DowntimeEstimate | null;
}

/** The review's downtime estimate, in its parts. */
export interface DowntimeEstimate {
    /** copying the engine disk to the backup disk and writing the appliance, at bytesPerSecond */
    dataSeconds: number;
    bytesPerSecond: number;
    /** "measured": reading the appliance OVA on this host ran at that rate; "assumed": nothing was measured */
    rateSource: "measured" | "assumed";
    /** the other steps while the engine is down: its shutdown, growing its disk, one libguestfs launch */
    otherSeconds: number;
    /** the new VM's boot, its restore of the engine backup and engine-setup, until the engine answers */
    applianceSeconds: number;
    totalSeconds: number;
}

export interface UpgradeSecrets {
    adminPassword: string;
    rootPassword: string | null;
}

/** The upgrade plan on the wire: the plan and its secrets in one object. */
export type UpgradePlanInput = UpgradePlan & UpgradeSecrets;

export interface RollbackPlan {
    /** the backup disk's image UUID */
    backup: string;
}

export interface DeleteBackupPlan {
    backup: string;
    /** the last verified backup is only deleted when this is set */
    allowLastVerified: boolean;
}

export type DeleteBackupInput = DeleteBackupPlan & { adminPassword: string };

export interface EngineLoginInput {
    adminPassword: string;
}
