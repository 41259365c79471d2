// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The host's service identities, by name from /etc/passwd and /etc/group (the
 * real ones: these are this machine's users, whatever the configured root):
 * the disk user and group that own the storage domain's volumes (vdsm:kvm,
 * uid 36 gid 36 on EL7) and the user qemu runs as (qemu:qemu, uid 107). The
 * helper hands files to them the way the original did (ovirt-hosted-engine-setup
 * boot_disk.py: the appliance image to vdsm:kvm 0644; cloud_init.py: the seed
 * ISO to qemu:qemu 0600 in a vdsm:qemu 0710 directory), because on a host with
 * a root-squashed NFS domain nothing that touches the domain runs as root.
 */

import fs from "node:fs";

import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";

export interface Identity {
    uid: number;
    gid: number;
}

export interface HostIdentities {
    /** vdsm:kvm, who reads and writes the storage domain */
    disk: Identity;
    /** qemu's user and group, who opens the VM's drives */
    qemu: Identity;
}

function idOf(file: string, name: string): number {
    let content: string;
    try {
        content = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new HelperError("not-hosted-engine", file, text("identity.unreadable", { file, reason: (err as Error).message }));
    }
    for (const line of content.split("\n")) {
        const fields = line.split(":");
        if (fields[0] === name && fields.length >= 4 && /^[0-9]+$/.test(fields[2]))
            return Number(fields[2]);
    }
    throw new HelperError("not-hosted-engine", name, text("identity.missing", { name, file }));
}

export function hostIdentities(config: HelperConfig): HostIdentities {
    return {
        disk: { uid: idOf("/etc/passwd", config.diskUser), gid: idOf("/etc/group", config.diskGroup) },
        qemu: { uid: idOf("/etc/passwd", config.qemuUser), gid: idOf("/etc/group", config.qemuGroup) },
    };
}

/**
 * A directory other users may pass through but not list (0711): the way down
 * to a file handed to vdsm or qemu. What it holds stays private by the files'
 * own modes.
 */
export function passableDir(dir: string): void {
    fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
    fs.chmodSync(dir, 0o711);
}

/** Gives `file` (or a directory) to `owner` with `mode`; the error names the file and whom it was for. */
export function handOver(file: string, owner: Identity, mode: number): void {
    try {
        fs.chownSync(file, owner.uid, owner.gid);
        fs.chmodSync(file, mode);
    } catch (err) {
        throw new HelperError("command-failed", file,
                              text("handoff.failed", { file, owner: `${owner.uid}:${owner.gid}`, reason: (err as Error).message }));
    }
}
