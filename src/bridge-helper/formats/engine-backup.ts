// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * engine-backup archives (ovirt-formats.md section 1; the checks of
 * ovirt-upgrade-flow.md step 4), read in one streaming pass: members listed,
 * every regular member's MD5 computed as it goes by, the small members and the
 * nested ./files archive kept. Then: the required members, the md5sum list, the
 * version, DWH and Reports, and the AAA Authz extensions inside ./files.
 *
 * The archive is hostile until proven otherwise (issue 14): it is read through
 * the one descriptor the caller opened, every member is kept only up to a
 * small bound (./version 256 bytes) and ./files is streamed, not held; member
 * names must be short printable UTF-8; and no problem quotes what a member
 * holds: it names the member, the line and what is wrong.
 */

import { createHash } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";

import { parse as parseProperties } from "dot-properties";
import tar from "tar-stream";

import type { BackupReport, Compression } from "../../protocol/reports";
import { text, type Param, type Text } from "../../protocol/text";
import { HelperError } from "../errors";
import { hasControlCharacter, type UserFile } from "../host/user-file";
import { streamOutput } from "../process";
import { unsafeMember } from "./ova";

export interface BackupToolPaths {
    xz: string;
    bzip2: string;
}

const REQUIRED = ["files", "version", "md5sum", "db/engine_backup.db", "config"];
/* what is kept of the small members, in bytes: enough for what they hold, never a whole hostile file */
const KEEP_LIMITS = new Map([["version", 256], ["os_version", 256], ["md5sum", 1 << 20], ["config", 1 << 20]]);
const MAX_MEMBERS = 100_000;
const MAX_NAME = 1024;
const MAX_PROPERTIES = 64 << 10;
const MAX_PROPERTIES_TOTAL = 16 << 20;
const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+(\.[0-9]+)?(-[0-9A-Za-z._]+)?$/;
const AUTHZ = "org.ovirt.engine.api.extensions.aaa.Authz";

/** How an archive is compressed, by its first 512 bytes; null: not a tar this reads. */
export function backupCompression(head: Buffer): Compression | null {
    return compressionOf(head);
}

function compressionOf(head: Buffer): Compression | null {
    if (head[0] === 0x1f && head[1] === 0x8b)
        return "gzip";
    if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])))
        return "xz";
    if (head.subarray(0, 3).toString("latin1") === "BZh")
        return "bzip2";
    if (head.length >= 262 && head.subarray(257, 262).toString("latin1") === "ustar")
        return "none";
    return null;
}

/** A stream of archive bytes, decompressed: gzip in-process, xz and bzip2 by their commands reading it on stdin. */
function decompressor(compression: Compression, tools: BackupToolPaths, raw: Readable): { stream: Readable; done: Promise<void> } {
    if (compression === "gzip") {
        const gunzip = zlib.createGunzip();
        raw.on("error", err => gunzip.destroy(err));
        return { stream: raw.pipe(gunzip), done: Promise.resolve() };
    }
    if (compression === "none")
        return { stream: raw, done: Promise.resolve() };
    const tool = compression === "xz" ? tools.xz : tools.bzip2;
    const { stdout, done } = streamOutput(tool, ["-dc"], raw);
    return { stream: stdout, done };
}

/** Why reading failed: the helper's own Text, or what a decompressor or the tar reader said (never the data). */
function reasonOf(err: unknown): Param {
    if (err instanceof HelperError)
        return err.text;
    const message = err instanceof Error ? err.message : String(err);
    // zlib's and tar-stream's messages say what is wrong with the stream; keep them short and printable
    return message.replace(/[^\x20-\x7e]/g, "?").slice(0, 200);
}

/** A member name fit to be shown and compared: printable UTF-8, not too long. */
function nameProblem(name: string): boolean {
    return name.length > MAX_NAME || name.includes("\ufffd") || hasControlCharacter(name);
}

interface TarMember {
    name: string;
    md5: string;
    size: number;
    content: Buffer | null;
}

/** Per member: how much of it to keep (0: nothing), or a stream consumer that reads it itself. */
type Keep = (name: string) => number | ((stream: Readable) => Promise<void>);

/** Reads every member of a (decompressed) tar; keeps the first bytes of those `keep` selects. */
async function readTar(file: string, source: Readable, keep: Keep): Promise<TarMember[]> {
    const members: TarMember[] = [];
    const extract = tar.extract();
    const fail = (err: Error) => extract.destroy(err);
    extract.on("entry", (header, stream, next) => {
        // destroying the reader destroys this member's stream with the same error: it must not go unhandled (finding 7)
        stream.on("error", () => undefined);
        if (nameProblem(header.name) || members.length >= MAX_MEMBERS) {
            fail(new HelperError("format-invalid", file, text("backup.member-name-invalid", { file, limit: MAX_NAME })));
            return;
        }
        const unsafe = unsafeMember(header.name, header.type);
        if (unsafe) {
            fail(new HelperError("format-invalid", header.name, text("archive.unsafe-member", { member: unsafe })));
            return;
        }
        const name = header.name.replace(/^\.\//, "").replace(/\/$/, "");
        if (header.type !== "file") {
            members.push({ name, md5: "", size: 0, content: null });
            stream.on("end", next).on("error", fail).resume();
            return;
        }
        const hash = createHash("md5");
        const how = keep(name);
        const limit = typeof how === "number" ? how : 0;
        const chunks: Buffer[] = [];
        let size = 0;
        // a member read by a consumer of its own is fed through `tap`, with backpressure, until the consumer is done
        const tap = new PassThrough();
        let feeding = typeof how !== "number";
        let consumed = Promise.resolve();
        if (typeof how !== "number") {
            tap.on("error", () => undefined);
            consumed = how(tap).finally(() => {
                feeding = false;
                stream.resume();
            });
        }
        stream.on("data", (data: unknown) => {
            const chunk = data as Buffer;
            hash.update(chunk);
            if (size < limit)
                chunks.push(chunk.subarray(0, limit - size));
            size += chunk.length;
            if (feeding && !tap.destroyed && !tap.write(chunk)) {
                stream.pause();
                tap.once("drain", () => stream.resume());
            }
        });
        stream.on("error", fail);
        stream.on("end", () => {
            tap.end();
            consumed.then(() => {
                members.push({ name, md5: hash.digest("hex"), size, content: size <= limit ? Buffer.concat(chunks) : null });
                next();
            }, fail);
        });
    });
    await pipeline(source, extract);
    return members;
}

/** The Authz extension names among the properties files of a ./files archive. */
function authzExtensionsOf(members: TarMember[]): { names: string[]; problems: Text[] } {
    const names: string[] = [];
    const problems: Text[] = [];
    for (const member of members) {
        if (!member.name.includes("etc/ovirt-engine/extensions.d/") || !member.name.endsWith(".properties"))
            continue;
        let properties: Record<string, string> = {};
        try {
            if (member.content)
                properties = parseProperties(member.content.toString("utf8")) as Record<string, string>;
        } catch {
            properties = {};
        }
        const name = properties["ovirt.engine.extension.name"];
        const provides = properties["ovirt.engine.extension.provides"];
        if (typeof name !== "string" || typeof provides !== "string" || !name || !provides || nameProblem(name)) {
            problems.push(text("backup.extension-incomplete", { member: member.name }));
            continue;
        }
        if (provides.split(",").map(p => p.trim()).includes(AUTHZ))
            names.push(name);
    }
    return { names: names.sort(), problems };
}

/* ./md5sum lists "<md5>  ./<member>" lines: every one must name a member with that MD5. */
function checkMd5sum(md5sum: string, byName: Map<string, TarMember>, problems: Text[]): void {
    md5sum.split("\n").forEach((line, index) => {
        if (line === "")
            return;
        const match = /^([0-9a-f]{32}) {2}(.+)$/.exec(line);
        if (!match || nameProblem(match[2])) {
            problems.push(text("backup.md5sum-line-number-invalid", { line: index + 1 }));
            return;
        }
        const member = byName.get(match[2].replace(/^\.\//, ""));
        if (!member)
            problems.push(text("backup.md5sum-member-missing", { member: match[2] }));
        else if (member.md5 !== match[1])
            problems.push(text("backup.md5-mismatch", { member: member.name }));
    });
}

/* The nested ./files archive, streamed as it goes by: the Authz extensions configured in the engine. */
function filesReader(tools: BackupToolPaths, report: BackupReport): (stream: Readable) => Promise<void> {
    return async stream => {
        let kept = 0;
        const keep: Keep = name => {
            if (!name.endsWith(".properties") || kept >= MAX_PROPERTIES_TOTAL)
                return 0;
            kept += MAX_PROPERTIES;
            return MAX_PROPERTIES;
        };
        try {
            const head = await firstBytes(stream, 512);
            const compression = compressionOf(head.bytes);
            if (compression === null)
                throw new HelperError("format-invalid", "./files", text("archive.not-tar"));
            const { stream: inner, done } = decompressor(compression, tools, head.rest);
            const [members] = await Promise.all([readTar("./files", inner, keep), done]);
            const authz = authzExtensionsOf(members);
            report.authzExtensions = authz.names;
            report.problems.push(...authz.problems);
        } catch (err) {
            report.problems.push(text("backup.files-unreadable", { reason: reasonOf(err) }));
        }
    };
}

/** The first `length` bytes of a stream, and a stream of all of it again (those bytes first). */
async function firstBytes(stream: Readable, length: number): Promise<{ bytes: Buffer; rest: Readable }> {
    const chunks: Buffer[] = [];
    let size = 0;
    const iterator = stream[Symbol.asyncIterator]();
    while (size < length) {
        const next = await iterator.next() as IteratorResult<Buffer>;
        if (next.done)
            break;
        chunks.push(next.value);
        size += next.value.length;
    }
    const bytes = Buffer.concat(chunks);
    async function* all(): AsyncGenerator<Buffer> {
        yield bytes;
        for (;;) {
            const next = await iterator.next() as IteratorResult<Buffer>;
            if (next.done)
                return;
            yield next.value;
        }
    }
    return { bytes: bytes.subarray(0, length), rest: Readable.from(all(), { objectMode: false }) };
}

/* A small member's text when it is printable and within its bound, else null. */
function smallText(member: TarMember | undefined): string | null {
    if (!member?.content)
        return null;
    const value = member.content.toString("utf8").trim();
    return /^[\x20-\x7e]*$/.test(value) ? value : null;
}

/* What the members say: complete, which version, DWH and Reports, intact. */
function checkMembers(file: string, members: TarMember[], report: BackupReport): void {
    report.members = members.map(m => m.name).filter(n => n !== "" && n !== ".");
    const byName = new Map(members.map(m => [m.name, m]));
    const missing = REQUIRED.filter(name => !byName.has(name));
    if (missing.length > 0)
        report.problems.push(text("backup.incomplete", { file, members: missing.map(m => `./${m}`).join(", ") }));
    report.dwh = byName.has("db/dwh_backup.db");
    report.reports = byName.has("db/reports_backup.db");

    if (byName.has("version")) {
        const version = smallText(byName.get("version"));
        if (version === null || !VERSION.test(version)) {
            report.problems.push(text("backup.version-unreadable", { limit: KEEP_LIMITS.get("version") ?? 0 }));
        } else {
            report.version = version;
            report.majorMinor = version.split(".").slice(0, 2).join(".");
        }
    }
    report.osVersion = smallText(byName.get("os_version"));

    const md5sum = byName.get("md5sum");
    if (md5sum && !md5sum.content)
        report.problems.push(text("backup.md5sum-line-number-invalid", { line: 1 }));
    else if (md5sum?.content)
        checkMd5sum(md5sum.content.toString("utf8"), byName, report.problems);
}

/** Reads an engine-backup archive through the descriptor `source` was opened with; its report names `source.name`. */
export async function readEngineBackup(source: UserFile, tools: BackupToolPaths): Promise<BackupReport> {
    const file = source.name;
    const report: BackupReport = {
        path: file, sizeBytes: source.size, compression: null, version: null, majorMinor: null, osVersion: null,
        dwh: false, reports: false, authzExtensions: [], members: [], problems: [],
    };
    try {
        report.compression = compressionOf(source.head(512));
        if (report.compression === null) {
            report.problems.push(text("backup.not-tar", { file }));
            return report;
        }
        const files = filesReader(tools, report);
        const keep: Keep = name => (name === "files" ? files : KEEP_LIMITS.get(name) ?? 0);
        const { stream, done } = decompressor(report.compression, tools, source.stream());
        let members: TarMember[];
        try {
            [members] = await Promise.all([readTar(file, stream, keep), done]);
        } catch (err) {
            report.problems.push(text("backup.unreadable", { file, reason: reasonOf(err) }));
            return report;
        }
        checkMembers(file, members, report);
    } catch (err) {
        // whatever else went wrong is a problem of this archive, never a stack trace
        report.problems.push(text("backup.parse-failed", { file, reason: reasonOf(err) }));
    }
    return report;
}
