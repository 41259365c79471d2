// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Whether root may run a file the page names: root runs the helper and its
 * interpreter, so only files that only root can change qualify.
 */

import cockpit from "./cockpit";

const _ = cockpit.gettext;

/* Debian's group for /usr/local, which only root-equivalent users are in (Debian policy 9.1.2). */
const ROOT_EQUIVALENT_GROUPS = ["root", "staff"];

/** The file and each directory above it, up to /. */
export function withParents(file: string): string[] {
    const paths = [file];
    for (let dir = file.slice(0, file.lastIndexOf("/")); dir; dir = dir.slice(0, dir.lastIndexOf("/")))
        paths.push(dir);
    return [...paths, "/"];
}

/**
 * Why root should not run `file`, from `stat -c '%u %G %a %F %n'` of it and its
 * parents: owned by someone other than root, writable by a group other than
 * root's, or by anyone; a symbolic link; not a regular file. null when it is safe.
 */
export function unsafeHelperReason(statLines: string): string | null {
    const lines = statLines.trim().split("\n");
    for (const [index, line] of lines.entries()) {
        const [uid, group, mode, ...rest] = line.split(" ");
        const typeAndName = rest.join(" ");
        const type = typeAndName.slice(0, typeAndName.indexOf(" /"));
        const name = typeAndName.slice(type.length + 1);
        const bits = parseInt(mode ?? "", 8);
        if (uid !== "0")
            return cockpit.format(_("$0 is not owned by root"), name);
        if (Number.isNaN(bits) || (bits & 0o002) !== 0 || ((bits & 0o020) !== 0 && !ROOT_EQUIVALENT_GROUPS.includes(group ?? "")))
            return cockpit.format(_("$0 can be changed by users other than root"), name);
        if (type === "symbolic link")
            return cockpit.format(_("$0 is a symbolic link"), name);
        if (index === 0 && type !== "regular file")
            return cockpit.format(_("$0 is not a regular file"), name);
    }
    return null;
}

/** `stat -c '%u %G %a %F %n'` of `paths`, as the logged-in user; null when stat fails (a path is missing). */
export async function statOf(paths: string[]): Promise<string | null> {
    return await cockpit.spawn(["stat", "-c", "%u %G %a %F %n", ...paths], { err: "ignore" }).then(out => out, () => null);
}
