// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The JSON documents the helper prints. The page imports these types only, so
 * both sides of the spawn boundary agree on field names at compile time.
 */

import type { ErrorReport } from "./errors";

export type MaintenanceMode = "global" | "local" | "none";
export const MAINTENANCE_MODES: readonly MaintenanceMode[] = ["global", "local", "none"];

export interface EngineStatus {
    /** "up", "down", "unknown", "already_locked", ... as ovirt-ha reports it */
    vm: string;
    /** "good", "bad" or "unknown" */
    health: string;
    /** the VM's status as vdsm reports it, e.g. "up", "powering up", "unknown" */
    detail: string;
    /** why the engine is not up and good here; absent when it is */
    reason: string | null;
}

export interface HaHost {
    id: number;
    hostname: string;
    score: number;
    engineStatus: EngineStatus;
    /** false when the host's agent stopped updating its metadata (stale data) */
    liveData: boolean;
    localMaintenance: boolean;
    /** null when the host's metadata block predates the "stopped" field */
    stopped: boolean | null;
    /** the agent's state machine state from "extra", e.g. "GlobalMaintenance" */
    agentState: string | null;
    /** the agent's monotonic timestamp of its last report */
    hostTimestamp: number | null;
}

export interface StatusReport {
    hostedEngineHost: boolean;
    /** path of the hosted-engine.conf that was read (or looked for) */
    configPath: string;
    engineFqdn: string | null;
    hostId: number | null;
    globalMaintenance: boolean | null;
    /** the id of the host whose agent sees the engine VM up, if any */
    engineHostId: number | null;
    engineVmOnThisHost: boolean;
    hosts: HaHost[];
}

export interface SetMaintenanceResult {
    mode: MaintenanceMode;
    status: StatusReport;
}

export interface ApplianceEntry {
    /** the *-appliance.conf this came from, as a host path (what an upgrade plan's appliance.installed takes) */
    conf: string;
    description: string;
    version: string;
    /** the OVA's path on the host */
    path: string;
    sha1sum: string;
    /** whether the OVA file exists */
    installed: boolean;
    sizeBytes: number | null;
}

export interface AppliancesReport {
    appliances: ApplianceEntry[];
    /** snippets that could not be used, and why */
    problems: string[];
}

export interface ErrorOutput {
    error: ErrorReport;
}

/** One backup disk on the hosted-engine storage domain, as `backups` lists it. */
export interface BackupDisk {
    /** the DiskDescription, e.g. "hosted-engine-backup-20261125101500" */
    label: string;
    /** ISO 8601: the volume's creation time, else the time in the label */
    created: string | null;
    virtualSize: number;
    allocatedSize: number;
    sdUUID: string;
    imgUUID: string;
    volUUID: string;
    /** whether the running engine lists the disk; null when the engine was not asked or not up */
    knownToEngine: boolean | null;
    /** the job that made the backup, from the job journals */
    job: string | null;
    /** sha256 of the content verified equal to the old engine disk, from that job's journal */
    digest: string | null;
    /** whether a job copied this disk and verified it against the engine disk */
    verified: boolean;
}

export interface BackupsReport {
    backups: BackupDisk[];
    /** the engine VM's disk, which a rollback overwrites */
    engineDisk: { imgUUID: string; volUUID: string; capacity: number };
    /** why knownToEngine is null, when it is */
    engineNote: string | null;
}

/** What `delete-backup` did. */
export interface DeleteBackupResult {
    deleted: true;
    label: string;
    imgUUID: string;
}

/** What `readiness` reports: the live state an upgrade needs, before anything is asked. */
export interface ReadinessReport {
    globalMaintenance: boolean;
    /** null when vdsm could not be asked */
    engineVmOnThisHost: boolean | null;
    spm: boolean | null;
    /** vdsm's word for this host's role: "SPM", "Free", "Contend" */
    spmStatus: string | null;
    /** the engine disk's capacity: the new disk is never smaller */
    engineDiskBytes: number | null;
    vdsmError: string | null;
}
