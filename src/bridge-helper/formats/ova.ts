// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine appliance OVA (ovirt-formats.md 2.2): a gzip tar with
 * images/<img>/<vol> (the disk, qcow2), its .meta and master/vms/<tpl>/<tpl>.ovf,
 * in no guaranteed order. It is read in ONE pass: the sha1 of the file, the OVF,
 * and (when asked) the disk extracted, so a multi-GiB appliance is read once.
 * Since the disk may come before the OVF that names it, every image member is
 * kept until the OVF is known.
 */

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";

import tar from "tar-stream";

import { parseOvf, type OvfFacts } from "./ovf";

export type DiskFormat = "qcow2" | "raw";

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
    problems: string[];
}

export interface ReadOvaOptions {
    expectedSha1?: string;
    /** a directory to extract the disk into */
    extractDiskTo?: string;
    onProgress?: (doneBytes: number, totalBytes: number) => void;
}

const MAX_OVF_BYTES = 4 << 20;
const QCOW2_MAGIC = 0x514649fb;

interface Candidate {
    member: string;
    sizeBytes: number;
    head: Buffer;
    file: string | null;
}

function describeHead(candidate: Candidate): { format: DiskFormat; virtualSize: number } {
    if (candidate.head.length >= 32 && candidate.head.readUInt32BE(0) === QCOW2_MAGIC)
        return { format: "qcow2", virtualSize: Number(candidate.head.readBigUInt64BE(24)) };
    return { format: "raw", virtualSize: candidate.sizeBytes };
}

/** Why a tar member must not be trusted (absolute, climbing with .., a link or a device), or null. */
export function unsafeMember(name: string, type: string | null | undefined): string | null {
    if (name.startsWith("/"))
        return `${name} (an absolute path)`;
    if (name.split("/").includes(".."))
        return `${name} (a path with ..)`;
    if (type !== "file" && type !== "directory" && type !== "pax-header" && type !== "pax-global-header" &&
            type !== "gnu-long-path" && type !== "gnu-long-link-path")
        return `${name} (a ${type ?? "special"} entry)`;
    return null;
}

export async function readOva(file: string, options: ReadOvaOptions = {}): Promise<OvaReport> {
    const problems: string[] = [];
    const total = fs.statSync(file).size;
    const hash = createHash("sha1");
    let done = 0;
    let ovfText: string | null = null;
    let ovfMember: string | null = null;
    const candidates: Candidate[] = [];

    const extract = tar.extract();
    extract.on("entry", (header, stream, next) => {
        const name = header.name.replace(/^\.\//, "");
        const finish = (err?: unknown) => (err ? extract.destroy(err as Error) : next());
        const unsafe = unsafeMember(header.name, header.type);
        if (unsafe) {
            problems.push(`The OVA has a member that could write outside its place: ${unsafe}`);
            stream.on("end", () => finish()).resume();
            return;
        }
        if (header.type === "file" && name.startsWith("master") && name.endsWith(".ovf") && ovfText === null) {
            const chunks: Buffer[] = [];
            let size = 0;
            stream.on("data", (data: unknown) => {
                const chunk = data as Buffer;
                size += chunk.length;
                if (size <= MAX_OVF_BYTES)
                    chunks.push(chunk);
            });
            stream.on("end", () => {
                ovfMember = name;
                ovfText = size <= MAX_OVF_BYTES ? Buffer.concat(chunks).toString("utf8") : null;
                if (ovfText === null)
                    problems.push(`${name} is larger than ${MAX_OVF_BYTES} bytes`);
                finish();
            });
            stream.on("error", finish);
        } else if (header.type === "file" && name.startsWith("images/") && !name.endsWith(".meta")) {
            const candidate: Candidate = { member: name, sizeBytes: header.size ?? 0, head: Buffer.alloc(0), file: null };
            candidates.push(candidate);
            let out: fs.WriteStream | null = null;
            if (options.extractDiskTo) {
                candidate.file = path.join(options.extractDiskTo, `ova-disk-${candidates.length}`);
                out = fs.createWriteStream(candidate.file, { mode: 0o600 });
            }
            stream.on("data", (data: unknown) => {
                const chunk = data as Buffer;
                if (candidate.head.length < 512)
                    candidate.head = Buffer.concat([candidate.head, chunk.subarray(0, 512 - candidate.head.length)]);
            });
            if (out)
                pipeline(stream, out).then(() => finish(), finish);
            else
                stream.on("end", () => finish()).on("error", finish).resume();
        } else {
            stream.on("end", () => finish()).on("error", finish).resume();
        }
    });

    const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    source.on("data", chunk => {
        hash.update(chunk);
        done += chunk.length;
        options.onProgress?.(done, total);
    });
    try {
        await pipeline(source, zlib.createGunzip(), extract);
    } catch (err) {
        const message = (err as Error).message;
        problems.push(/incorrect header check|unexpected end/i.test(message)
            ? `${file} is not a gzip-compressed tar (the OVA format hosted-engine-setup reads): ${message}`
            : `${file} could not be read as an OVA: ${message}`);
    }

    const sha1 = hash.digest("hex");
    const expected = options.expectedSha1?.toLowerCase();
    const sha1Matches = expected === undefined ? null : expected === sha1;
    if (sha1Matches === false)
        problems.push(`The OVA's sha1 is ${sha1}, not the expected ${expected}: the file is damaged or not the one expected`);

    let ovf: OvfFacts | null = null;
    if (ovfText === null) {
        if (problems.length === 0)
            problems.push("The OVA has no master/.../*.ovf descriptor");
    } else {
        try {
            ovf = parseOvf(ovfText, `${file}: ${ovfMember}`);
        } catch (err) {
            problems.push((err as Error).message);
        }
    }

    let disk: OvaDisk | null = null;
    const chosen = ovf ? candidates.find(c => c.member === ovf.diskMember) : undefined;
    for (const candidate of candidates) {
        if (candidate !== chosen && candidate.file)
            fs.rmSync(candidate.file, { force: true });
    }
    if (ovf && !chosen) {
        problems.push(`The OVF names the disk ${ovf.diskMember}, which the OVA does not contain`);
    } else if (ovf && chosen) {
        const { format, virtualSize } = describeHead(chosen);
        disk = { member: chosen.member, sizeBytes: chosen.sizeBytes, format, virtualSize, extractedTo: chosen.file };
        if ((ovf.volumeFormat === "COW") !== (format === "qcow2"))
            problems.push(`The OVF says the disk is ${ovf.volumeFormat || "of no format"}, but ${chosen.member} is ${format}`);
        if (ovf.virtualSize !== null && ovf.virtualSize !== virtualSize)
            problems.push(`The OVF says the disk has ${ovf.virtualSize} bytes, but ${chosen.member} has ${virtualSize}`);
        if (Math.ceil(virtualSize / 1024 ** 3) > ovf.diskSizeGiB)
            problems.push(`The disk's virtual size (${virtualSize} bytes) is larger than the OVF's ${ovf.diskSizeGiB} GiB`);
    }
    return { path: file, sizeBytes: total, bytesRead: done, sha1, sha1Matches, ovfMember, ovf, disk, problems };
}
