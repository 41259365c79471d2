// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * A file a user named (issue 14): the engine backup, an OVA, an appliance
 * .conf, vm.conf. The helper runs as root and the path comes from the page, so
 * the file is opened ONCE, without following a symbolic link in its last
 * component and without blocking on a named pipe, and everything after reads
 * through that one descriptor: what was checked is what is used, whatever the
 * file's owner renames or rewrites meanwhile. Only a regular file within the
 * caller's size limit is accepted, and it is read in bounded amounts. Errors
 * name the path and the problem, never what the file holds.
 *
 * A symbolic link among the parent directories is followed (the user may
 * reach the file that way); what matters is that one descriptor is read.
 */

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { openRegularFile, RegularFileRefused } from "../regular-file";

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/** How large each kind of user file may be. */
export const USER_FILE_LIMITS = {
    backup: 64 * GIB,
    ova: 16 * GIB,
    applianceConf: 64 * KIB,
    vmConf: 1 * MIB,
    stdin: 1 * MIB,
} as const;

const CHUNK = 1 * MIB;

/** A size limit as a sentence shows it: "64 GiB", "64 KiB". */
export function sizeLimit(bytes: number): string {
    for (const [unit, size] of [["GiB", GIB], ["MiB", MIB], ["KiB", KIB]] as const) {
        if (bytes >= size && bytes % size === 0)
            return `${bytes / size} ${unit}`;
    }
    return `${bytes} bytes`;
}

/** Whether `value` holds a control character (below 0x20, or DEL); `except` lists those allowed, e.g. "\t". */
export function hasControlCharacter(value: string, except = ""): boolean {
    for (const c of value) {
        const code = c.charCodeAt(0);
        if ((code < 0x20 || code === 0x7f) && !except.includes(c))
            return true;
    }
    return false;
}

/** Why a path a user gave cannot even be tried: relative, or with characters no file name here should carry. */
export function userPathProblem(name: string): "relative" | "characters" | null {
    if (/[\0\n\r]/.test(name))
        return "characters";
    if (!path.isAbsolute(name))
        return "relative";
    return null;
}

/* What a refusal of a user's file says: the path and the problem, never the contents. */
function refusal(name: string, refused: RegularFileRefused, limit: number): HelperError {
    switch (refused.problem) {
    case "missing":
    case "not-a-directory":
        return new HelperError("usage", name, text("verbs.not-a-file", { path: name }));
    case "symlink":
        return new HelperError("format-invalid", name, text("user-file.symlink", { path: name }));
    case "directory":
        return new HelperError("format-invalid", name, text("user-file.directory", { path: name }));
    case "fifo":
        return new HelperError("format-invalid", name, text("user-file.fifo", { path: name }));
    case "device":
        return new HelperError("format-invalid", name, text("user-file.device", { path: name }));
    case "special":
        return new HelperError("format-invalid", name, text("user-file.special", { path: name }));
    case "too-large":
        return new HelperError("format-invalid", name, text("user-file.too-large", { path: name, limit: sizeLimit(limit) }));
    case "unreadable":
        return new HelperError("format-invalid", name, text("user-file.unreadable", { path: name, reason: refused.errno ?? "error" }));
    }
}

export class UserFile {
    private closed = false;

    private constructor(
        /** the path as the user named it: what every message says */
        readonly name: string,
        readonly fd: number,
        /** the size when opened: no more than this is ever read */
        readonly size: number,
    ) {}

    /**
     * Opens `hostFile` (the host's path of `name`) once: a regular file of at
     * most `limit` bytes, or a HelperError saying what it is instead.
     */
    static open(name: string, hostFile: string, limit: number): UserFile {
        const problem = userPathProblem(name);
        if (problem === "characters")
            throw new HelperError("usage", JSON.stringify(name), text("user-file.characters", { path: JSON.stringify(name) }));
        if (problem === "relative")
            throw new HelperError("usage", name, text("user-file.relative", { path: name }));
        try {
            const { fd, size } = openRegularFile(hostFile, limit);
            return new UserFile(name, fd, size);
        } catch (err) {
            throw err instanceof RegularFileRefused ? refusal(name, err, limit) : err;
        }
    }

    /** Reads up to `length` bytes at `position`; a read error names the file. */
    read(buffer: Buffer, position: number, length = buffer.length): number {
        try {
            return fs.readSync(this.fd, buffer, 0, Math.min(length, buffer.length), position);
        } catch (err) {
            throw new HelperError("format-invalid", this.name, text("user-file.read-failed", { path: this.name, reason: (err as NodeJS.ErrnoException).code ?? "error" }));
        }
    }

    /** The first `length` bytes (fewer when the file is shorter). */
    head(length: number): Buffer {
        const buffer = Buffer.alloc(Math.min(length, this.size));
        const n = buffer.length > 0 ? this.read(buffer, 0) : 0;
        return buffer.subarray(0, n);
    }

    /** The whole file (at most its size when opened, which the limit bounds), as UTF-8. */
    readText(): string {
        return this.head(this.size).toString("utf8");
    }

    /** The file's bytes in chunks of at most 1 MiB, up to its size when opened. */
    stream(): Readable {
        let position = 0;
        const readable: Readable = new Readable({
            highWaterMark: CHUNK,
            read: () => {
                if (position >= this.size) {
                    readable.push(null);
                    return;
                }
                try {
                    const buffer = Buffer.alloc(Math.min(CHUNK, this.size - position));
                    const n = this.read(buffer, position);
                    position += n;
                    readable.push(n > 0 ? buffer.subarray(0, n) : null);
                } catch (err) {
                    readable.destroy(err as Error);
                }
            },
        });
        return readable;
    }

    /**
     * Copies the file into `target`, a new file only root can read (0600; it
     * must not exist), through the one descriptor; the copy's MD5.
     */
    copyTo(target: string): { md5: string; bytes: number } {
        const hash = createHash("md5");
        let out: number;
        try {
            out = fs.openSync(target, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
        } catch (err) {
            throw new HelperError("command-failed", target, text("user-file.copy-failed", { path: this.name, target, reason: (err as NodeJS.ErrnoException).code ?? "error" }));
        }
        const buffer = Buffer.alloc(CHUNK);
        let position = 0;
        try {
            while (position < this.size) {
                const n = this.read(buffer, position, Math.min(CHUNK, this.size - position));
                if (n === 0)
                    break;
                fs.writeSync(out, buffer, 0, n);
                hash.update(buffer.subarray(0, n));
                position += n;
            }
        } catch (err) {
            if (err instanceof HelperError)
                throw err;
            throw new HelperError("command-failed", target, text("user-file.copy-failed", { path: this.name, target, reason: (err as NodeJS.ErrnoException).code ?? "error" }));
        } finally {
            fs.closeSync(out);
        }
        return { md5: hash.digest("hex"), bytes: position };
    }

    close(): void {
        if (!this.closed)
            fs.closeSync(this.fd);
        this.closed = true;
    }
}

/** Opens a user's file, hands it to `use` and closes it whatever happens. */
export async function withUserFile<T>(name: string, hostFile: string, limit: number, reader: (file: UserFile) => Promise<T> | T): Promise<T> {
    const file = UserFile.open(name, hostFile, limit);
    try {
        return await reader(file);
    } finally {
        file.close();
    }
}
