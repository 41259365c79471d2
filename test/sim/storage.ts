// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The hosted-engine storage domain on disk, in vdsm's file-domain layout
 * (ovirt-formats.md section 6.1):
 *   <root>/rhev/data-center/mnt/<server>:<_export_path>/<sdUUID>/
 *       dom_md/{metadata,ids,leases,inbox,outbox}
 *       images/<imgUUID>/<volUUID>{,.meta,.lease}
 *       ha_agent/hosted-engine.{metadata,lockspace} -> volumes
 * The files are the source of truth for volumes: vdsm verbs read them, the
 * engine's disk creation writes them.
 */

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { SimLayout } from "./layout";
import { BLANK_UUID, type SimStorage } from "./world";

export const SECTOR = 512;
const META_LIMIT = 512;
const DESCRIPTION_LIMIT = 210;

/** vdsm's transformPath: "_" becomes "__", then "/" becomes "_". */
export function transformPath(remotePath: string): string {
    return remotePath.replace(/_/g, "__").replace(/\//g, "_");
}

export function mountDir(layout: SimLayout, storage: SimStorage): string {
    return path.join(layout.root, "rhev/data-center/mnt", transformPath(storage.remotePath));
}

/** The domain on the NFS server's side, where nothing squashes root: for the sim's own tools and tests that look. */
export function exportDomainDir(layout: SimLayout, storage: SimStorage): string {
    return path.join(layout.exportDir, storage.sdUUID);
}

export function domainDir(layout: SimLayout, storage: SimStorage): string {
    return path.join(mountDir(layout, storage), storage.sdUUID);
}

export function volumePath(domain: string, imgUUID: string, volUUID: string): string {
    return path.join(domain, "images", imgUUID, volUUID);
}

export type VolumeFormat = "RAW" | "COW";
export type VolumeType = "PREALLOCATED" | "SPARSE";

export type VolumeMeta = Record<string, string>;

/** A .meta block: KEY=value lines sorted by key, then EOF; at most 512 bytes. */
export function formatVolumeMeta(meta: VolumeMeta): string {
    const text = Object.keys(meta).sort().map(k => `${k}=${meta[k]}\n`).join("") + "EOF\n";
    if (Buffer.byteLength(text) > META_LIMIT)
        throw new Error(`volume metadata is ${Buffer.byteLength(text)} bytes, over vdsm's ${META_LIMIT}`);
    return text;
}

export function parseVolumeMeta(text: string): VolumeMeta {
    const meta: VolumeMeta = {};
    for (const line of text.split("\n")) {
        if (line === "EOF")
            break;
        const eq = line.indexOf("=");
        if (eq > 0)
            meta[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return meta;
}

/** The DESCRIPTION the engine writes for its disks: compact JSON with sorted keys. */
export function engineDiskDescription(alias: string, description: string): string {
    return JSON.stringify({ DiskAlias: alias, DiskDescription: description });
}

/** dom_md/metadata: sorted KEY=VALUE lines and a _SHA_CKSUM over them. */
export function formatDomainMetadata(values: Record<string, string>): string {
    const lines = Object.keys(values).sort().map(k => `${k}=${values[k]}`);
    const checksum = createHash("sha1").update(lines.join("")).digest("hex");
    return lines.map(l => l + "\n").join("") + `_SHA_CKSUM=${checksum}\n`;
}

export function createDomain(layout: SimLayout, storage: SimStorage): string {
    const domain = domainDir(layout, storage);
    const mdDir = path.join(domain, "dom_md");
    fs.mkdirSync(mdDir, { recursive: true });
    fs.mkdirSync(path.join(domain, "images"), { recursive: true });
    fs.mkdirSync(path.join(domain, "ha_agent"), { recursive: true });
    fs.writeFileSync(path.join(mdDir, "metadata"), formatDomainMetadata({
        CLASS: "Data",
        DESCRIPTION: "hosted_storage",
        IOOPTIMEOUTSEC: "10",
        LEASERETRIES: "3",
        LEASETIMESEC: "60",
        LOCKPOLICY: "",
        LOCKRENEWALINTERVALSEC: "5",
        POOL_UUID: storage.spUUID,
        REMOTE_PATH: storage.remotePath,
        ROLE: "Regular",
        SDUUID: storage.sdUUID,
        TYPE: "NFS",
        VERSION: "3",
    }));
    for (const [name, size] of [["ids", 1 << 20], ["leases", 2 << 20], ["inbox", 1 << 20], ["outbox", 1 << 20]] as const) {
        const file = path.join(mdDir, name);
        fs.writeFileSync(file, "");
        fs.truncateSync(file, size);
    }
    return domain;
}

export interface NewVolume {
    imgUUID: string;
    volUUID: string;
    sizeBytes: number;
    format: VolumeFormat;
    type: VolumeType;
    description: string;
    /** "2" for engine- and setup-created volumes in 4.0; HEVD, HESD, HEMD, HECI, OVFS are older names */
    diskType?: string;
    legality?: "LEGAL" | "ILLEGAL";
}

/** Creates the data file (sparse, of the given size), its .meta and its .lease. */
export function createVolume(domain: string, sdUUID: string, volume: NewVolume): string {
    if (Buffer.byteLength(volume.description) > DESCRIPTION_LIMIT)
        throw new Error(`volume description is over vdsm's ${DESCRIPTION_LIMIT} bytes`);
    const file = volumePath(domain, volume.imgUUID, volume.volUUID);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "", { mode: 0o660 });
    fs.truncateSync(file, volume.sizeBytes);
    writeVolumeMeta(file, {
        CTIME: String(Math.floor(Date.now() / 1000)),
        DESCRIPTION: volume.description,
        DISKTYPE: volume.diskType ?? "2",
        DOMAIN: sdUUID,
        FORMAT: volume.format,
        IMAGE: volume.imgUUID,
        LEGALITY: volume.legality ?? "LEGAL",
        MTIME: "0",
        POOL_UUID: "",
        PUUID: BLANK_UUID,
        SIZE: String(Math.ceil(volume.sizeBytes / SECTOR)),
        TYPE: volume.type,
        VOLTYPE: "LEAF",
    });
    fs.writeFileSync(`${file}.lease`, "");
    fs.truncateSync(`${file}.lease`, 1 << 20);
    return file;
}

export function writeVolumeMeta(volumeFile: string, meta: VolumeMeta): void {
    fs.writeFileSync(`${volumeFile}.meta`, formatVolumeMeta(meta));
}

export function readVolumeMeta(volumeFile: string): VolumeMeta {
    return parseVolumeMeta(fs.readFileSync(`${volumeFile}.meta`, "utf8"));
}

export function listImages(domain: string): string[] {
    const dir = path.join(domain, "images");
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter(n => !n.startsWith(".")).sort() : [];
}

export function listVolumes(domain: string, imgUUID: string): string[] {
    const dir = path.join(domain, "images", imgUUID);
    if (!fs.existsSync(dir))
        return [];
    return fs.readdirSync(dir).filter(n => !n.includes(".")).sort();
}

export interface VolumeInfo {
    imgUUID: string;
    volUUID: string;
    path: string;
    meta: VolumeMeta;
    /** the file's size */
    apparentSize: number;
    /** bytes allocated on disk */
    trueSize: number;
    /** the volume's capacity from SIZE (sectors) */
    capacity: number;
}

export function volumeInfo(domain: string, imgUUID: string, volUUID: string): VolumeInfo {
    const file = volumePath(domain, imgUUID, volUUID);
    const stat = fs.statSync(file);
    const meta = readVolumeMeta(file);
    return {
        imgUUID,
        volUUID,
        path: file,
        meta,
        apparentSize: stat.size,
        trueSize: stat.blocks * 512,
        capacity: Number(meta.SIZE) * SECTOR,
    };
}

export function allVolumes(domain: string): VolumeInfo[] {
    return listImages(domain).flatMap(img => listVolumes(domain, img).map(vol => volumeInfo(domain, img, vol)));
}

/** Grows a volume to newSize bytes (never shrinks), as Volume.extendSize does for file domains. */
export function extendVolume(domain: string, imgUUID: string, volUUID: string, newSize: number): void {
    const file = volumePath(domain, imgUUID, volUUID);
    const meta = readVolumeMeta(file);
    const current = Number(meta.SIZE) * SECTOR;
    if (newSize <= current)
        return;
    if (fs.statSync(file).size < newSize)
        fs.truncateSync(file, newSize);
    writeVolumeMeta(file, { ...meta, SIZE: String(Math.ceil(newSize / SECTOR)) });
}

export function removeImage(domain: string, imgUUID: string): void {
    fs.rmSync(path.join(domain, "images", imgUUID), { recursive: true, force: true });
}

/** What the domain's volumes take: preallocated volumes their capacity, sparse ones what they hold. */
export function usedBytes(domain: string): number {
    return allVolumes(domain).reduce((sum, v) => sum + (v.meta.TYPE === "PREALLOCATED" ? Math.max(v.capacity, v.apparentSize) : v.trueSize), 0);
}
