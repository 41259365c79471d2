// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Root runs code and reads its settings only from places that only root can
 * change: the file, and every directory on the way to it (and to what its
 * symbolic links point at), owned by root and writable by nobody else. A
 * world-writable directory with the sticky bit (/tmp) is accepted: others may
 * add entries there but not replace root's. A directory writable by its group
 * is accepted when that group is root's or Debian's "staff" (/usr/local; its
 * members are root-equivalent by Debian policy).
 */

import fs from "node:fs";
import path from "node:path";

import type { Text } from "../protocol/text";
import { text } from "../protocol/text";

const ROOT_EQUIVALENT_GROUPS = ["root", "staff"];

let rootEquivalent: Set<number> | null = null;

/* Read once per process: the configuration's every command is checked against it at start-up. */
function rootEquivalentGids(): Set<number> {
    if (rootEquivalent)
        return rootEquivalent;
    const gids = new Set([0]);
    rootEquivalent = gids;
    try {
        for (const line of fs.readFileSync("/etc/group", "utf8").split("\n")) {
            const [name, , gid] = line.split(":");
            if (ROOT_EQUIVALENT_GROUPS.includes(name ?? "") && /^\d+$/.test(gid ?? ""))
                gids.add(Number(gid));
        }
    } catch {
        // no /etc/group: root's group only
    }
    return gids;
}

/* Each path from / down to `file`, `file` last. */
function components(file: string): string[] {
    const parts = path.resolve(file).split("/").filter(Boolean);
    return ["/", ...parts.map((_, i) => "/" + parts.slice(0, i + 1).join("/"))];
}

function problemOf(entry: string, gids: Set<number>): Text | null {
    let st: fs.Stats;
    try {
        st = fs.lstatSync(entry);
    } catch {
        return text("trusted-path.missing", { path: entry });
    }
    if (st.uid !== 0)
        return text("trusted-path.not-root-owned", { path: entry });
    if (st.isSymbolicLink())
        return null; // a link's own mode means nothing; where it points is checked too
    const sticky = st.isDirectory() && (st.mode & 0o1000) !== 0;
    if ((st.mode & 0o002) !== 0 && !sticky)
        return text("trusted-path.writable-by-others", { path: entry });
    if ((st.mode & 0o020) !== 0 && !gids.has(st.gid) && !sticky)
        return text("trusted-path.writable-by-group", { path: entry });
    return null;
}

/**
 * Why root should not run or trust `file`; null when only root can change it.
 * `kind` "file" also wants a regular file at the end (after links).
 */
export function untrustedReason(file: string, kind: "file" | "directory" = "file"): Text | null {
    const gids = rootEquivalentGids();
    for (const entry of components(file)) {
        const problem = problemOf(entry, gids);
        if (problem)
            return problem;
    }
    let real: string;
    try {
        real = fs.realpathSync(file);
    } catch {
        return text("trusted-path.missing", { path: file });
    }
    if (real !== path.resolve(file)) {
        for (const entry of components(real)) {
            const problem = problemOf(entry, gids);
            if (problem)
                return problem;
        }
    }
    const st = fs.statSync(real);
    if (kind === "file" ? !st.isFile() : !st.isDirectory())
        return text(kind === "file" ? "trusted-path.not-a-file" : "trusted-path.not-a-directory", { path: file });
    return null;
}
