// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `backups`: every backup disk on the hosted-engine storage domain, newest
 * first, with what an administrator needs to choose one: when it was made,
 * its size, which job made and verified it, and (when asked, with the admin
 * password) whether the running engine knows the disk.
 */

import type { BackupDisk, BackupsReport } from "../api";
import type { HelperConfig } from "../config";
import { EngineApi } from "../engine-api";
import { HelperError } from "../errors";
import type { StepEvent } from "../jobs/events";
import { JobStore } from "../jobs/store";
import { BACKUP_PREFIX, engineStorage, findBackupVolumes, readHostedEngineConf, type BackupVolume } from "../storage";
import { VdsmClient } from "../vdsm";

export interface BackupRecord {
    job: string;
    verified: boolean;
    digest: string | null;
}

/** What the job journals say about each backup disk, by image UUID. */
export function backupRecords(store: JobStore): Map<string, BackupRecord> {
    const records = new Map<string, BackupRecord>();
    for (const id of store.ids()) {
        let record: BackupRecord | null = null;
        for (const event of store.events(id)) {
            if (event.type !== "step" || event.state !== "done")
                continue;
            const facts = (event as StepEvent & { facts?: Record<string, unknown> }).facts ?? {};
            if (event.id === "create-backup-disk" && typeof facts.backupImgUUID === "string") {
                record = { job: id, verified: false, digest: null };
                records.set(facts.backupImgUUID, record);
            }
            if (record && event.id === "copy-to-backup")
                record.verified = true;
            if (record && event.id === "digest-backup-disk" && typeof facts.backupDigest === "string")
                record.digest = facts.backupDigest;
        }
    }
    return records;
}

/** "hosted-engine-backup-20261125101500" -> its local time, for volumes without a CTIME. */
export function labelTime(label: string): Date | null {
    const m = /^hosted-engine-backup-(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(label);
    if (!m)
        return null;
    const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    return Number.isNaN(date.getTime()) ? null : date;
}

export function engineUrlOf(config: HelperConfig): string {
    return config.engineUrl ?? `https://${readHostedEngineConf(config).fqdn}/ovirt-engine`;
}

/** Logs in to the engine as admin@internal, refusing when it is not up. */
export async function engineLogin(config: HelperConfig, adminPassword: string): Promise<EngineApi> {
    const url = engineUrlOf(config);
    const ca = await EngineApi.fetchCa(url);
    const api = new EngineApi(url, ca.pem, adminPassword, 3);
    const health = await api.health();
    if (!health.up)
        throw new HelperError("refused", "engine health", `The engine at ${url} is not up (${health.body || "no answer"})`);
    return api;
}

function toBackupDisk(volume: BackupVolume, sdUUID: string, record: BackupRecord | undefined, known: boolean | null): BackupDisk {
    const created = volume.ctime !== null ? new Date(volume.ctime * 1000) : labelTime(volume.label);
    return {
        label: volume.label,
        created: created ? created.toISOString() : null,
        virtualSize: volume.capacity,
        allocatedSize: volume.trueSize,
        sdUUID,
        imgUUID: volume.imgUUID,
        volUUID: volume.volUUID,
        knownToEngine: known,
        job: record?.job ?? null,
        digest: record?.digest ?? null,
        verified: record?.verified ?? false,
    };
}

export async function listBackups(config: HelperConfig, adminPassword: string | null): Promise<BackupsReport> {
    const vdsm = await VdsmClient.connect(config);
    let volumes: BackupVolume[];
    let engine;
    try {
        engine = await engineStorage(config, vdsm);
        volumes = await findBackupVolumes(vdsm, engine.sdUUID);
    } finally {
        vdsm.close();
    }
    const known = new Map<string, boolean>();
    let engineNote: string | null = adminPassword === null ? "The engine was not asked (no admin password given)." : null;
    if (adminPassword !== null) {
        try {
            const api = await engineLogin(config, adminPassword);
            for (const volume of volumes)
                known.set(volume.imgUUID, (await api.disk(volume.imgUUID))?.status === "ok");
        } catch (err) {
            if (err instanceof HelperError && err.code === "refused" && err.what === "engine admin password")
                throw err;
            engineNote = `The engine could not be asked: ${(err as Error).message}`;
            known.clear();
        }
    }
    const records = backupRecords(new JobStore(config.stateDir));
    const backups = volumes
            .filter(v => v.label.startsWith(BACKUP_PREFIX))
            .map(v => toBackupDisk(v, engine.sdUUID, records.get(v.imgUUID), known.has(v.imgUUID) ? known.get(v.imgUUID) ?? null : null))
            .sort((a, b) => (b.created ?? "").localeCompare(a.created ?? "") || b.label.localeCompare(a.label));
    return {
        backups,
        engineDisk: { imgUUID: engine.imgUUID, volUUID: engine.volUUID, capacity: engine.capacity },
        engineNote,
    };
}
