// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * How root opens a file whose place someone else may have had a hand in (a
 * user's backup or OVA, a job's journal, the helper's configuration): once,
 * without following a symbolic link in the last component, without blocking
 * on a named pipe, and only as a regular file within a size limit, checked on
 * the open descriptor with fstat so what was checked is what is read. Callers
 * say the problem in their own words (user-file.ts, jobs/job-files.ts,
 * config.ts); the contents are never part of a problem.
 */

import fs from "node:fs";

export type RegularFileProblem =
    | "missing" | "not-a-directory" | "symlink" | "directory" | "fifo" | "device" | "special" | "too-large" | "unreadable";

/** Why a file was not opened as a regular file within its limit; `errno` is the system's code where it had one. */
export class RegularFileRefused extends Error {
    constructor(readonly problem: RegularFileProblem, readonly errno: string | null = null) {
        super(errno ? `${problem} (${errno})` : problem);
        this.name = "RegularFileRefused";
    }
}

function problemOfErrno(code: string | undefined): RegularFileProblem {
    switch (code) {
    case "ENOENT":
        return "missing";
    case "ENOTDIR":
        return "not-a-directory";
    case "ELOOP": // O_NOFOLLOW on a symbolic link
        return "symlink";
    case "ENXIO": // a socket
        return "special";
    default:
        return "unreadable";
    }
}

function problemOfKind(stat: fs.Stats): RegularFileProblem | null {
    if (stat.isFile())
        return null;
    if (stat.isDirectory())
        return "directory";
    if (stat.isFIFO())
        return "fifo";
    if (stat.isCharacterDevice() || stat.isBlockDevice())
        return "device";
    return "special";
}

/** The open descriptor and size of `file`, a regular file of at most `limit` bytes; RegularFileRefused otherwise. */
export function openRegularFile(file: string, limit: number): { fd: number; size: number } {
    let fd: number;
    try {
        // O_NONBLOCK: opening a named pipe must not wait for a writer; O_NOCTTY: a terminal never becomes ours
        fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new RegularFileRefused(problemOfErrno(code), code ?? null);
    }
    try {
        const stat = fs.fstatSync(fd);
        const wrongKind = problemOfKind(stat);
        if (wrongKind)
            throw new RegularFileRefused(wrongKind);
        if (stat.size > limit)
            throw new RegularFileRefused("too-large");
        return { fd, size: stat.size };
    } catch (err) {
        fs.closeSync(fd);
        throw err;
    }
}

/** The first `size` bytes through `fd` (fewer when the file is shorter now): never more than was checked. */
export function readUpTo(fd: number, size: number): Buffer {
    const buffer = Buffer.alloc(size);
    let length = 0;
    while (length < size) {
        const n = fs.readSync(fd, buffer, length, size - length, length);
        if (n === 0)
            break;
        length += n;
    }
    return buffer.subarray(0, length);
}
