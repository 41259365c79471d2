// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * engine-backup archives (ovirt-formats.md section 1; the checks of
 * ovirt-upgrade-flow.md step 4), read in one streaming pass: members listed,
 * every regular member's MD5 computed as it goes by, the small members and the
 * nested ./files archive kept. Then: the required members, the md5sum list, the
 * version, DWH and Reports, and the AAA Authz extensions inside ./files.
 */

import { createHash } from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";

import { parse as parseProperties } from "dot-properties";
import tar from "tar-stream";

import type { BackupReport, Compression } from "../../protocol/reports";
import { text, type Param, type Text } from "../../protocol/text";
import { HelperError } from "../errors";
import { streamOutput } from "../process";
import { unsafeMember } from "./ova";

export interface BackupToolPaths {
    xz: string;
    bzip2: string;
}

const REQUIRED = ["files", "version", "md5sum", "db/engine_backup.db", "config"];
const SMALL = new Set(["version", "os_version", "md5sum", "config"]);
const MAX_FILES_ARCHIVE = 1 << 30;
const AUTHZ = "org.ovirt.engine.api.extensions.aaa.Authz";

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

/** A file or an in-memory archive, decompressed: gzip in-process, xz and bzip2 by their commands. */
function decompressor(compression: Compression, tools: BackupToolPaths, source: { file: string } | { data: Buffer }): { stream: Readable; done: Promise<void> } {
    const raw = () => ("file" in source ? fs.createReadStream(source.file, { highWaterMark: 1 << 20 }) : Readable.from([source.data]));
    if (compression === "gzip")
        return { stream: raw().pipe(zlib.createGunzip()), done: Promise.resolve() };
    if (compression === "none")
        return { stream: raw(), done: Promise.resolve() };
    const tool = compression === "xz" ? tools.xz : tools.bzip2;
    const { stdout, done } = "file" in source ? streamOutput(tool, ["-dc", "--", source.file]) : streamOutput(tool, ["-dc"], source.data);
    return { stream: stdout, done };
}

/** Why reading failed: the helper's own Text, or what a decompressor or the tar reader said. */
function reasonOf(err: unknown): Param {
    return err instanceof HelperError ? err.text : (err as Error).message;
}

interface TarMember {
    name: string;
    md5: string;
    content: Buffer | null;
}

/** Reads every member of a (compressed) tar; keeps the content of those `keep` selects. */
async function readTar(source: Readable, keep: (name: string, size: number) => boolean, limit: number): Promise<TarMember[]> {
    const members: TarMember[] = [];
    const extract = tar.extract();
    extract.on("entry", (header, stream, next) => {
        const unsafe = unsafeMember(header.name, header.type);
        if (unsafe) {
            extract.destroy(new HelperError("format-invalid", header.name, text("archive.unsafe-member", { member: unsafe })));
            return;
        }
        const name = header.name.replace(/^\.\//, "").replace(/\/$/, "");
        if (header.type !== "file") {
            members.push({ name, md5: "", content: null });
            stream.on("end", next).resume();
            return;
        }
        const hash = createHash("md5");
        const kept = keep(name, header.size ?? 0) && (header.size ?? 0) <= limit;
        const chunks: Buffer[] = [];
        stream.on("data", (data: unknown) => {
            const chunk = data as Buffer;
            hash.update(chunk);
            if (kept)
                chunks.push(chunk);
        });
        stream.on("end", () => {
            members.push({ name, md5: hash.digest("hex"), content: kept ? Buffer.concat(chunks) : null });
            next();
        });
        stream.on("error", err => extract.destroy(err));
    });
    await pipeline(source, extract);
    return members;
}

/** The Authz extension names among the properties files of a ./files archive. */
function authzExtensionsOf(members: TarMember[]): { names: string[]; problems: Text[] } {
    const names: string[] = [];
    const problems: Text[] = [];
    for (const member of members) {
        if (!member.name.includes("etc/ovirt-engine/extensions.d/") || !member.name.endsWith(".properties") || !member.content)
            continue;
        const properties = parseProperties(member.content.toString("utf8")) as Record<string, string>;
        const name = properties["ovirt.engine.extension.name"];
        const provides = properties["ovirt.engine.extension.provides"];
        if (!name || !provides) {
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
    for (const line of md5sum.split("\n").filter(Boolean)) {
        const match = /^([0-9a-f]{32}) {2}(.+)$/.exec(line);
        const member = match ? byName.get(match[2].replace(/^\.\//, "")) : undefined;
        if (!match)
            problems.push(text("backup.md5sum-line-invalid", { line: line.slice(0, 80) }));
        else if (!member)
            problems.push(text("backup.md5sum-member-missing", { member: match[2] }));
        else if (member.md5 !== match[1])
            problems.push(text("backup.md5-mismatch", { member: member.name }));
    }
}

/* The nested ./files archive: the Authz extensions configured in the engine. */
async function readFilesArchive(files: TarMember, tools: BackupToolPaths, report: BackupReport): Promise<void> {
    if (!files.content) {
        report.problems.push(text("backup.files-too-large", { limit: MAX_FILES_ARCHIVE }));
        return;
    }
    const compression = compressionOf(files.content.subarray(0, 512));
    try {
        if (compression === null)
            throw new HelperError("format-invalid", "./files", text("archive.not-tar"));
        const { stream, done } = decompressor(compression, tools, { data: files.content });
        const [inner] = await Promise.all([readTar(stream, name => name.endsWith(".properties"), 16 << 20), done]);
        const authz = authzExtensionsOf(inner);
        report.authzExtensions = authz.names;
        report.problems.push(...authz.problems);
    } catch (err) {
        report.problems.push(text("backup.files-unreadable", { reason: reasonOf(err) }));
    }
}

function readHead(file: string): Buffer {
    const head = Buffer.alloc(512);
    const fd = fs.openSync(file, "r");
    try {
        fs.readSync(fd, head, 0, head.length, 0);
    } finally {
        fs.closeSync(fd);
    }
    return head;
}

/* What the members say: complete, which version, DWH and Reports, intact. */
function checkMembers(file: string, members: TarMember[], report: BackupReport): Map<string, TarMember> {
    report.members = members.map(m => m.name).filter(n => n !== "" && n !== ".");
    const byName = new Map(members.map(m => [m.name, m]));
    const missing = REQUIRED.filter(name => !byName.has(name));
    if (missing.length > 0)
        report.problems.push(text("backup.incomplete", { file, members: missing.map(m => `./${m}`).join(", ") }));
    report.dwh = byName.has("db/dwh_backup.db");
    report.reports = byName.has("db/reports_backup.db");

    const version = byName.get("version")?.content?.toString("utf8").trim() ?? null;
    report.version = version;
    report.majorMinor = version?.split(".").slice(0, 2).join(".") ?? null;
    if (version !== null && !/^[0-9]+\.[0-9]+\.[0-9]+/.test(version))
        report.problems.push(text("backup.version-invalid", { version }));
    report.osVersion = byName.get("os_version")?.content?.toString("utf8").trim() ?? null;

    const md5sum = byName.get("md5sum")?.content?.toString("utf8");
    if (md5sum !== undefined)
        checkMd5sum(md5sum, byName, report.problems);
    return byName;
}

export async function readEngineBackup(file: string, tools: BackupToolPaths): Promise<BackupReport> {
    const report: BackupReport = {
        path: file, sizeBytes: fs.statSync(file).size, compression: null, version: null, majorMinor: null, osVersion: null,
        dwh: false, reports: false, authzExtensions: [], members: [], problems: [],
    };
    report.compression = compressionOf(readHead(file));
    if (report.compression === null) {
        report.problems.push(text("backup.not-tar", { file }));
        return report;
    }

    let members: TarMember[];
    try {
        const { stream, done } = decompressor(report.compression, tools, { file });
        [members] = await Promise.all([
            readTar(stream, name => SMALL.has(name) || name === "files", MAX_FILES_ARCHIVE),
            done,
        ]);
    } catch (err) {
        report.problems.push(text("backup.unreadable", { file, reason: reasonOf(err) }));
        return report;
    }
    const files = checkMembers(file, members, report).get("files");
    if (files)
        await readFilesArchive(files, tools, report);
    return report;
}
