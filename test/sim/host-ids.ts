// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The identities a real EL7 oVirt host runs its services as (el7-host.md):
 * vdsm as vdsm:kvm (uid 36, gid 36 on EL7: vdsm.spec's useradd), qemu as
 * qemu:qemu (uid 107) with the supplementary group kvm, which is how qemu
 * opens vdsm:kvm 0660 volumes (libvirt's qemu.conf user/group, vdsm's
 * configurator sets group kvm for qemu). test/host-users.sh makes them on our
 * machines (make deps); the numbers may differ here, so the sim looks them up by name.
 */

import fs from "node:fs";

export interface HostIds {
    vdsm: number;
    qemu: number;
    kvm: number;
    qemuGroup: number;
}

function lookup(file: string, name: string, field: number): number | null {
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const parts = line.split(":");
        if (parts[0] === name && parts.length > field)
            return Number(parts[field]);
    }
    return null;
}

let cached: HostIds | null = null;

/** The host's vdsm, qemu and kvm ids; throws, naming what to run, when one is missing. */
export function hostIds(): HostIds {
    if (cached)
        return cached;
    const found = {
        vdsm: lookup("/etc/passwd", "vdsm", 2),
        qemu: lookup("/etc/passwd", "qemu", 2),
        kvm: lookup("/etc/group", "kvm", 2),
        qemuGroup: lookup("/etc/group", "qemu", 2),
    };
    const missing = Object.entries(found).filter(([, id]) => id === null || !Number.isInteger(id)).map(([name]) => name);
    if (missing.length > 0)
        throw new Error(`the sim needs the host identities ${missing.join(", ")}: run "make deps" (make check and make demo do), which creates them`);
    cached = found as HostIds;
    return cached;
}

/** The arguments of util-linux setpriv that run a command as `user` with its groups, as a service would be started. */
export function setprivAs(user: "vdsm" | "qemu"): string[] {
    return ["setpriv", `--reuid=${user}`, `--regid=${user === "vdsm" ? "kvm" : "qemu"}`, "--init-groups", "--"];
}
