// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Opening a job's own files (plan.json, journal.jsonl) as root, whatever a
 * crash, a full disk or someone with access to the state directory left in
 * their place: only a regular file is read (a FIFO would block, a symlink may
 * point at /etc/shadow), never through a symlink, and never more than a limit
 * (a journal someone grew to gigabytes would exhaust memory). The errors name
 * the file and the problem, never what the file holds.
 */

import fs from "node:fs";

import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { openRegularFile, RegularFileRefused } from "../regular-file";

/** A plan is a few kilobytes. */
export const PLAN_LIMIT = 1 << 20;
/*
 * A journal holds a few thousand events (steps, progress, the appliance
 * console's lines): a few megabytes at most. Beyond this it is not a journal
 * this helper wrote, and the job is listed as broken instead of read.
 */
export const JOURNAL_LIMIT = 16 << 20;

function fileError(file: string, err: unknown): HelperError {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    if (code === "ENOENT")
        return new HelperError("format-invalid", file, text("job.file-missing", { file }));
    // O_NOFOLLOW on a symlink
    if (code === "ELOOP")
        return new HelperError("format-invalid", file, text("job.file-not-regular", { file }));
    if (code === "ENOTDIR")
        return new HelperError("format-invalid", file, text("job.file-not-directory", { file }));
    return new HelperError("format-invalid", file, text("job.file-unreadable", { file, reason: code }));
}

/** An open job file, known to be a regular file of at most `limit` bytes. */
export function openJobFile(file: string, limit: number): { fd: number; size: number } {
    try {
        return openRegularFile(file, limit);
    } catch (err) {
        if (!(err instanceof RegularFileRefused))
            throw err;
        switch (err.problem) {
        case "missing":
        case "not-a-directory":
        case "unreadable":
            throw fileError(file, { code: err.errno ?? "ENOENT" });
        case "too-large":
            throw new HelperError("format-invalid", file, text("job.file-too-large", { file, limit }));
        default:
            throw new HelperError("format-invalid", file, text("job.file-not-regular", { file }));
        }
    }
}

/** Reads a small job file whole (at most `limit` bytes, even if it grows meanwhile). */
export function readJobFile(file: string, limit: number): Buffer {
    const { fd } = openJobFile(file, limit);
    try {
        const buffer = Buffer.alloc(limit + 1);
        let length = 0;
        for (;;) {
            const n = readChunk(fd, file, buffer, length);
            if (n === 0)
                break;
            length += n;
            if (length > limit)
                throw new HelperError("format-invalid", file, text("job.file-too-large", { file, limit }));
        }
        return buffer.subarray(0, length);
    } finally {
        fs.closeSync(fd);
    }
}

/** One read into `buffer` at `offset`; the error names the file. */
export function readChunk(fd: number, file: string, buffer: Buffer, offset: number, position: number | null = null): number {
    try {
        return fs.readSync(fd, buffer, offset, buffer.length - offset, position);
    } catch (err) {
        throw fileError(file, err);
    }
}

/** A job's directory: a real directory, not a symlink to one elsewhere (whose files root would then read, write and remove). */
export function checkJobDir(dir: string): void {
    let st: fs.Stats;
    try {
        st = fs.lstatSync(dir);
    } catch (err) {
        throw fileError(dir, err);
    }
    if (!st.isDirectory())
        throw new HelperError("format-invalid", dir, text("job.file-not-directory", { file: dir }));
}
