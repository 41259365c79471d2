// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The backup disks on the hosted-engine storage domain, newest first, with
 * what an administrator needs to choose one: when it was made, its size,
 * which job made and verified it (from the job journals), and (when asked,
 * with the admin password) whether the running engine knows the disk. The
 * restore and `delete-backup` rely on the same records.
 */

import type { JobEvent } from "../../protocol/events";
import type { BackupDisk, BackupsReport } from "../../protocol/reports";
import { text, type Text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { errorText, HelperError } from "../errors";
import { engineDisk, type EngineDisk } from "../host/engine-disk";
import { openHealthyEngine } from "../host/engine-session";
import { BACKUP_PREFIX, findBackupVolumes, type BackupVolume } from "../host/storage-domain";
import { withVdsm } from "../host/vdsm-session";
import { JobStore } from "../jobs/store";

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
        let events: JobEvent[];
        try {
            events = store.events(id);
        } catch {
            // a broken job (the job listing says what is wrong): the disks it made are listed without their record
            continue;
        }
        for (const event of events) {
            if (event.type !== "step" || event.state !== "done")
                continue;
            const facts = event.facts ?? {};
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

/*
 * Which backup disks the engine lists, and why it could not be asked when it
 * could not. A wrong password is the caller's mistake, not the engine's
 * state: it fails the verb instead of becoming a note.
 */
async function knownToEngine(config: HelperConfig, adminPassword: string | null,
                             volumes: BackupVolume[]): Promise<{ known: Map<string, boolean>; note: Text | null }> {
    const known = new Map<string, boolean>();
    if (adminPassword === null)
        return { known, note: text("backups.engine-not-asked") };
    try {
        const api = await openHealthyEngine(config, adminPassword);
        for (const volume of volumes)
            known.set(volume.imgUUID, (await api.disk(volume.imgUUID))?.status === "ok");
        return { known, note: null };
    } catch (err) {
        if (err instanceof HelperError && err.code === "refused" && err.what === "engine admin password")
            throw err;
        return { known: new Map(), note: text("backups.engine-unavailable", { reason: errorText(err) }) };
    }
}

/** The engine disk and the backup volumes, as vdsm sees them now. */
export async function backupVolumes(config: HelperConfig): Promise<{ engine: EngineDisk; volumes: BackupVolume[] }> {
    return withVdsm(config, async vdsm => {
        const engine = await engineDisk(config, vdsm);
        return { engine, volumes: await findBackupVolumes(vdsm, engine.sdUUID) };
    });
}

export async function listBackups(config: HelperConfig, adminPassword: string | null): Promise<BackupsReport> {
    const { engine, volumes } = await backupVolumes(config);
    const { known, note } = await knownToEngine(config, adminPassword, volumes);
    const records = backupRecords(new JobStore(config.stateDir));
    const backups = volumes
            .filter(v => v.label.startsWith(BACKUP_PREFIX))
            .map(v => toBackupDisk(v, engine.sdUUID, records.get(v.imgUUID), known.get(v.imgUUID) ?? null))
            .sort((a, b) => (b.created ?? "").localeCompare(a.created ?? "") || b.label.localeCompare(a.label));
    return {
        backups,
        engineDisk: { imgUUID: engine.imgUUID, volUUID: engine.volUUID, capacity: engine.capacity },
        engineNote: note,
    };
}
