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

import type { DiskFormat, OvaDisk, OvaReport, OvfFacts } from "../../protocol/reports";
import type { MessageCode } from "../../protocol/messages";
import { text, type Text } from "../../protocol/text";
import { errorText } from "../errors";
import type { UserFile } from "../host/user-file";
import { parseOvf } from "./ovf";
import { hasQcowMagic, QCOW2_HEAD_BYTES, readQcow2Header, type Qcow2Problem } from "./qcow2";

export interface ReadOvaOptions {
    expectedSha1?: string;
    /** a directory to extract the disk into */
    extractDiskTo?: string;
    onProgress?: (doneBytes: number, totalBytes: number) => void;
}

const MAX_OVF_BYTES = 4 << 20;

interface Candidate {
    member: string;
    sizeBytes: number;
    head: Buffer;
    file: string | null;
}

/** What the one pass over the tar found. */
interface Members {
    ovfText: string | null;
    ovfMember: string | null;
    candidates: Candidate[];
    problems: Text[];
}

const QCOW2_PROBLEMS: Record<Qcow2Problem, MessageCode> = {
    truncated: "ova.qcow2-truncated",
    version: "ova.qcow2-version",
    "cluster-bits": "ova.qcow2-cluster-bits",
    size: "ova.qcow2-size",
    "backing-file": "ova.qcow2-backing-file",
    "data-file": "ova.qcow2-data-file",
    encrypted: "ova.qcow2-encrypted",
    corrupt: "ova.qcow2-corrupt",
    features: "ova.qcow2-features",
    extensions: "ova.qcow2-extensions",
};

/*
 * qcow2 or raw, by the member's first bytes, and what in a qcow2 header makes it
 * unfit for qemu-img (a backing or data file it would read from the host, ...).
 */
function describeHead(candidate: Candidate): { format: DiskFormat; virtualSize: number; problems: Text[] } {
    if (!hasQcowMagic(candidate.head))
        return { format: "raw", virtualSize: candidate.sizeBytes, problems: [] };
    const header = readQcow2Header(candidate.head, candidate.sizeBytes <= candidate.head.length);
    const problems = header.problems.map(p => text(QCOW2_PROBLEMS[p], { member: candidate.member, version: header.version }));
    return { format: "qcow2", virtualSize: header.virtualSize, problems };
}

/** Why a tar member must not be trusted (absolute, climbing with .., a link or a device), or null. */
export function unsafeMember(name: string, type: string | null | undefined): Text | null {
    if (name.startsWith("/"))
        return text("archive.member-absolute", { name });
    if (name.split("/").includes(".."))
        return text("archive.member-climbs", { name });
    if (type !== "file" && type !== "directory" && type !== "pax-header" && type !== "pax-global-header" &&
            type !== "gnu-long-path" && type !== "gnu-long-link-path")
        return text("archive.member-special", { name, type: type ?? "special" });
    return null;
}

type Finish = (err?: unknown) => void;
type EntryStream = tar.ExtractEvents["entry"][1];

/* The OVF is kept in memory, up to MAX_OVF_BYTES. */
function keepOvf(stream: EntryStream, name: string, found: Members, finish: Finish): void {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (data: unknown) => {
        const chunk = data as Buffer;
        size += chunk.length;
        if (size <= MAX_OVF_BYTES)
            chunks.push(chunk);
    });
    stream.on("end", () => {
        found.ovfMember = name;
        found.ovfText = size <= MAX_OVF_BYTES ? Buffer.concat(chunks).toString("utf8") : null;
        if (found.ovfText === null)
            found.problems.push(text("ova.ovf-too-large", { member: name, limit: MAX_OVF_BYTES }));
        finish();
    });
    stream.on("error", finish);
}

/* An image member: its head is kept to tell qcow2 from raw, the whole of it extracted when asked. */
function keepCandidate(stream: EntryStream, candidate: Candidate, finish: Finish): void {
    const out = candidate.file ? fs.createWriteStream(candidate.file, { mode: 0o600 }) : null;
    stream.on("data", (data: unknown) => {
        const chunk = data as Buffer;
        if (candidate.head.length < QCOW2_HEAD_BYTES)
            candidate.head = Buffer.concat([candidate.head, chunk.subarray(0, QCOW2_HEAD_BYTES - candidate.head.length)]);
    });
    if (out)
        pipeline(stream, out).then(() => finish(), finish);
    else
        stream.on("end", () => finish()).on("error", finish).resume();
}

function tarReader(found: Members, extractTo: string | undefined): tar.Extract {
    const extract = tar.extract();
    extract.on("entry", (header, stream, next) => {
        const name = header.name.replace(/^\.\//, "");
        const finish: Finish = err => (err ? extract.destroy(err as Error) : next());
        const unsafe = unsafeMember(header.name, header.type);
        if (unsafe) {
            found.problems.push(text("ova.unsafe-member", { member: unsafe }));
            stream.on("end", () => finish()).resume();
        } else if (header.type === "file" && name.startsWith("master") && name.endsWith(".ovf") && found.ovfText === null) {
            keepOvf(stream, name, found, finish);
        } else if (header.type === "file" && name.startsWith("images/") && !name.endsWith(".meta")) {
            const candidate: Candidate = { member: name, sizeBytes: header.size ?? 0, head: Buffer.alloc(0), file: null };
            found.candidates.push(candidate);
            if (extractTo)
                candidate.file = path.join(extractTo, `ova-disk-${found.candidates.length}`);
            keepCandidate(stream, candidate, finish);
        } else {
            stream.on("end", () => finish()).on("error", finish).resume();
        }
    });
    return extract;
}

/* The disk the OVF names, checked against what the OVF says of it; every other extracted candidate is removed. */
function chooseDisk(ovf: OvfFacts | null, candidates: Candidate[], problems: Text[]): OvaDisk | null {
    const chosen = ovf ? candidates.find(c => c.member === ovf.diskMember) : undefined;
    for (const candidate of candidates) {
        if (candidate !== chosen && candidate.file)
            fs.rmSync(candidate.file, { force: true });
    }
    if (!ovf)
        return null;
    if (!chosen) {
        problems.push(text("ova.disk-missing", { member: ovf.diskMember }));
        return null;
    }
    // an appliance has one disk: another image member is not what hosted-engine-setup made
    for (const other of candidates.filter(c => c !== chosen))
        problems.push(text("ova.extra-image", { member: other.member }));
    const { format, virtualSize, problems: headProblems } = describeHead(chosen);
    problems.push(...headProblems);
    if (headProblems.length > 0) {
        // nothing may hand such a disk to qemu-img: the extracted copy goes too
        if (chosen.file)
            fs.rmSync(chosen.file, { force: true });
        return null;
    }
    const member = chosen.member;
    if ((ovf.volumeFormat === "COW") !== (format === "qcow2")) {
        problems.push(ovf.volumeFormat ? text("ova.format-mismatch", { ovfFormat: ovf.volumeFormat, member, format })
            : text("ova.format-missing", { member, format }));
    }
    if (ovf.virtualSize !== null && ovf.virtualSize !== virtualSize)
        problems.push(text("ova.size-mismatch", { ovfBytes: ovf.virtualSize, member, bytes: virtualSize }));
    if (Math.ceil(virtualSize / 1024 ** 3) > ovf.diskSizeGiB)
        problems.push(text("ova.disk-too-large", { bytes: virtualSize, sizeGiB: ovf.diskSizeGiB }));
    return { member, sizeBytes: chosen.sizeBytes, format, virtualSize, extractedTo: chosen.file };
}

function readOvf(found: Members, file: string): OvfFacts | null {
    if (found.ovfText === null) {
        if (found.problems.length === 0)
            found.problems.push(text("ova.no-ovf"));
        return null;
    }
    try {
        return parseOvf(found.ovfText, `${file}: ${found.ovfMember}`);
    } catch (err) {
        found.problems.push(errorText(err));
        return null;
    }
}

/** Reads the OVA through the descriptor `ova` was opened with (never its path again); the report names `ova.name`. */
export async function readOva(ova: UserFile, options: ReadOvaOptions = {}): Promise<OvaReport> {
    const file = ova.name;
    const found: Members = { ovfText: null, ovfMember: null, candidates: [], problems: [] };
    const problems = found.problems;
    const total = ova.size;
    const hash = createHash("sha1");
    let done = 0;
    const source = ova.stream();
    source.on("data", chunk => {
        hash.update(chunk);
        done += chunk.length;
        options.onProgress?.(done, total);
    });
    try {
        await pipeline(source, zlib.createGunzip(), tarReader(found, options.extractDiskTo));
    } catch (err) {
        const reason = (err as Error).message;
        problems.push(/incorrect header check|unexpected end/i.test(reason)
            ? text("ova.not-gzip", { file, reason }) : text("ova.unreadable", { file, reason }));
    }

    const sha1 = hash.digest("hex");
    const expected = options.expectedSha1?.toLowerCase();
    const sha1Matches = expected === undefined ? null : expected === sha1;
    if (sha1Matches === false)
        problems.push(text("ova.sha1-mismatch", { sha1, expected: expected ?? "" }));

    const ovf = readOvf(found, file);
    const disk = chooseDisk(ovf, found.candidates, problems);
    return { path: file, sizeBytes: total, bytesRead: done, sha1, sha1Matches, ovfMember: found.ovfMember, ovf, disk, problems };
}
