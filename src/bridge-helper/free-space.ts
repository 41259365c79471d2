// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Free space on a file system, as an unprivileged user may use it (statfs
 * f_bavail * f_bsize). fs.statfsSync exists from Node 18.15 only; the helper
 * also runs on Node 16.17 (the newest Node for EL7's glibc 2.17 is 16.20.2),
 * where coreutils' df answers the same question.
 */

import fs from "node:fs";

import { text } from "../protocol/text";
import { HelperError } from "./errors";
import { runChecked } from "./process";

/* coreutils is on every EL7 host, and /usr/bin/df is root's (EL7 merged /bin into /usr/bin) */
export const DF = "/usr/bin/df";

type StatfsSync = (path: string) => { bavail: number | bigint; bsize: number | bigint };

/** Free bytes on `dir`'s file system, by df: the only way on Node 16. */
export async function freeBytesByDf(dir: string): Promise<number> {
    // --output (coreutils 8.21; EL7 has 8.22) prints just the header and the number; "--" so a directory named "-x" is no option
    const { stdout } = await runChecked(DF, ["--output=avail", "-B1", "--", dir], { timeoutMs: 30_000 });
    const lines = stdout.trim().split("\n");
    const value = lines.length === 2 ? lines[1].trim() : "";
    if (!/^\d+$/.test(value))
        throw new HelperError("command-failed", DF, text("program.no-free-space", { dir }));
    return Number(value);
}

/** Free bytes on `dir`'s file system. */
export async function freeBytes(dir: string): Promise<number> {
    const statfsSync = (fs as { statfsSync?: StatfsSync }).statfsSync;
    if (typeof statfsSync !== "function")
        return await freeBytesByDf(dir);
    const stats = statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
}
