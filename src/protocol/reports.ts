// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The JSON documents the helper's verbs print, as both sides of the spawn
 * boundary see them. Problems and findings are Texts, never English only.
 */

import type { Text } from "./text";

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
    problems: Text[];
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
    engineNote: Text | null;
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
    vdsmError: Text | null;
}

export type RootSshAccess = "yes" | "no" | "without-password";

export type DiskFormat = "qcow2" | "raw";

/** What an appliance's OVF says about the VM and its disk. */
export interface OvfFacts {
    /** tar member of the disk: images/<fileRef> */
    diskMember: string;
    fileRef: string;
    /** ovf:size of the Disk: whole GiB the engine disk must have */
    diskSizeGiB: number;
    /** ovf:size of the referenced File: the disk's virtual size in bytes, when given */
    virtualSize: number | null;
    /** "COW" (qcow2) or "RAW", from ovf:volume-format */
    volumeFormat: string;
    diskAlias: string | null;
    cpus: number | null;
    memoryMiB: number | null;
}

export interface OvaDisk {
    member: string;
    /** bytes in the tar */
    sizeBytes: number;
    format: DiskFormat;
    /** the disk's virtual size: from the qcow2 header, or the raw file's size */
    virtualSize: number;
    /** where it was extracted, when it was */
    extractedTo: string | null;
}

/** `inspect-ova`: an appliance OVA read once. */
export interface OvaReport {
    path: string;
    sizeBytes: number;
    /** bytes read from the file: the OVA is read once, so this equals sizeBytes */
    bytesRead: number;
    sha1: string;
    /** null when no expected sha1 was given */
    sha1Matches: boolean | null;
    ovfMember: string | null;
    ovf: OvfFacts | null;
    disk: OvaDisk | null;
    /** why the OVA cannot be used; empty when it can */
    problems: Text[];
}

/** `inspect-ova --progress` prints these before its report. */
export interface ReadProgress {
    type: "progress";
    done: number;
    total: number;
}

export type Compression = "gzip" | "xz" | "bzip2" | "none";

/** `validate-backup`: an engine-backup archive's facts and problems. */
export interface BackupReport {
    path: string;
    sizeBytes: number;
    compression: Compression | null;
    /** ./version, e.g. "3.6.7.5" */
    version: string | null;
    /** major.minor of the version, e.g. "3.6" */
    majorMinor: string | null;
    /** ./os_version, e.g. "centos6"; null in backups before 3.6.7 */
    osVersion: string | null;
    dwh: boolean;
    reports: boolean;
    /** names of the Authz extensions in ./files (etc/ovirt-engine/extensions.d/*.properties) */
    authzExtensions: string[];
    members: string[];
    /** why the archive cannot be restored; empty when it can */
    problems: Text[];
}

/** `engine-login`: the admin password was accepted by this engine. */
export interface EngineLoginResult {
    engineUrl: string;
    engineVersion: string;
    ca: { subject: string; sha256Fingerprint: string };
}

/** `cancel`. */
export interface CancelResult {
    cancelled: true;
    message: Text;
}

/** `resume` and `discard`. */
export interface JobRef {
    job: string;
}
