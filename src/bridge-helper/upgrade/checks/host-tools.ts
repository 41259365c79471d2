// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The programs the upgrade and the rollback run, each as configured
 * (config.commands): there, a regular executable file, and safe for root to
 * run: owned by root (or by the helper's own user, which is root on a host)
 * and writable by nobody else. A missing one names the EL7 package that
 * ships it. Not every oVirt host has them all: guestfish comes with
 * libguestfs-tools-c, which neither vdsm nor ovirt-hosted-engine-setup
 * requires (ovirt-hosted-engine-setup.spec.in 2.0.0 requires only
 * python-libguestfs; vdsm.spec.in 4.17/4.18 neither).
 */

import fs from "node:fs";

import { text, type Text } from "../../../protocol/text";
import type { CommandPaths, HelperConfig } from "../../config";
import { type CheckList, listOf } from "./check-list";

/*
 * The EL7 package of each program (CentOS 7 and RHEL 7 with the oVirt
 * repositories). qemu-img and qemu-io come with qemu-img-rhev (qemu-kvm.spec
 * %files -n qemu-img%{?pkgsuffix}), the one vdsm 4.17 requires on EL7
 * (vdsm.spec.in v4.17.35: qemu-img-rhev >= 10:2.3.0); CentOS' qemu-img-ev
 * provides it. tar is configured but not run by the helper, so not checked.
 */
export const TOOL_PACKAGES: Readonly<Record<Exclude<keyof CommandPaths, "tar">, string>> = {
    hostedEngine: "ovirt-hosted-engine-setup",
    qemuImg: "qemu-img-rhev",
    qemuIo: "qemu-img-rhev",
    sha256sum: "coreutils",
    dd: "coreutils",
    guestfish: "libguestfs-tools-c",
    genisoimage: "genisoimage",
    xz: "xz",
    bzip2: "bzip2",
    sudo: "sudo",
    rpm: "rpm",
};

/* What is wrong with the program at `file`, or null. */
function problemOf(file: string, pkg: string): Text | null {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch {
        return text("preflight.host-tools.missing", { path: file, package: pkg });
    }
    if (!stat.isFile() || (stat.mode & 0o111) === 0)
        return text("preflight.host-tools.not-executable", { path: file, package: pkg });
    const owners = [0, process.getuid?.() ?? 0];
    if (!owners.includes(stat.uid) || (stat.mode & 0o022) !== 0)
        return text("preflight.host-tools.unsafe", { path: file, package: pkg });
    return null;
}

export function checkHostTools(config: HelperConfig, checks: CheckList): void {
    const problems: Text[] = [];
    const names: string[] = [];
    for (const [key, pkg] of Object.entries(TOOL_PACKAGES)) {
        const file = config.commands[key as keyof typeof TOOL_PACKAGES];
        names.push(file);
        const problem = problemOf(file, pkg);
        if (problem)
            problems.push(problem);
    }
    if (problems.length === 0)
        checks.add("host-tools", "pass", text("preflight.host-tools.pass", { commands: names.join(", ") }));
    else
        checks.add("host-tools", "fail", listOf(problems, "list.sentences"));
}
