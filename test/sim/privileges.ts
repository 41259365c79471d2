// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Who owns what on the simulated host, and the daemon's drop to vdsm. On a
 * real host vdsm and ovirt-ha-agent/-broker run as vdsm:kvm (vdsm.spec,
 * ovirt-hosted-engine-ha's systemd units: User=vdsm Group=kvm), vdsm is also
 * in the qemu group (vdsm.spec usermod -a -G qemu,sanlock vdsm), and their run
 * directories are theirs. The sim daemon plays them, so it runs as vdsm too:
 * whatever it writes on the storage domain or under /var/run is written with
 * vdsm's rights, and nothing it does succeeds only because it is root.
 */

import fs from "node:fs";
import path from "node:path";

import { hostIds } from "./host-ids";
import type { SimLayout } from "./layout";

function chownTree(target: string, uid: number, gid: number): void {
    if (!fs.existsSync(target))
        return;
    fs.lchownSync(target, uid, gid);
    if (fs.lstatSync(target).isDirectory()) {
        for (const entry of fs.readdirSync(target))
            chownTree(path.join(target, entry), uid, gid);
    }
}

/** Every directory above `dir` must let vdsm and qemu pass, as / to /rhev does on a host. */
export function checkReachable(dir: string): void {
    for (let at = path.dirname(path.resolve(dir)); ; at = path.dirname(at)) {
        if ((fs.statSync(at).mode & 0o001) === 0)
            throw new Error(`${at} does not let other users pass (mode ${(fs.statSync(at).mode & 0o777).toString(8)}); ` +
                            "the sim's vdsm and qemu must reach the host below it: chmod o+x it or put the sim elsewhere");
        if (at === path.dirname(at))
            return;
    }
}

/**
 * Gives vdsm what vdsm and the HA services own on a host: their run
 * directories, the broker socket's directory, the sim's own state and log
 * (the daemon keeps them), and vdsm's key (vdsm:kvm 0440, vdsm.spec).
 */
export function giveVdsmItsFiles(layout: SimLayout, vdsmKeyFile: string): void {
    const { vdsm, kvm } = hostIds();
    fs.chmodSync(layout.dir, 0o755);
    for (const dir of [layout.run, layout.logDir, path.dirname(layout.stateFile), layout.socketDir, layout.channelsDir,
        path.join(layout.root, "var/run/vdsm"), path.join(layout.root, "var/run/ovirt-hosted-engine-ha")]) {
        fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
        chownTree(dir, vdsm, kvm);
    }
    // vdsm.spec: /etc/pki/vdsm/keys is vdsm:kvm, vdsmkey.pem vdsm:kvm 0440
    fs.chownSync(path.dirname(vdsmKeyFile), vdsm, kvm);
    fs.chmodSync(path.dirname(vdsmKeyFile), 0o755);
    fs.chownSync(vdsmKeyFile, vdsm, kvm);
    fs.chmodSync(vdsmKeyFile, 0o440);
    // the engine VM's PKI: the daemon plays that machine's web server too
    chownTree(layout.pki, vdsm, kvm);
}

/** The storage domain as vdsm created it: vdsm:kvm, volumes 0660 (vdsm's fileVolume), directories 0755. */
export function giveVdsmTheDomain(domain: string): void {
    const { vdsm, kvm } = hostIds();
    chownTree(domain, vdsm, kvm);
    const walk = (at: string) => {
        for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
            const full = path.join(at, entry.name);
            if (entry.isDirectory()) {
                fs.chmodSync(full, 0o755);
                walk(full);
            } else if (entry.isFile()) {
                fs.chmodSync(full, 0o660);
            }
        }
    };
    fs.chmodSync(domain, 0o755);
    walk(domain);
}

/** Becomes vdsm:kvm with vdsm's groups, for good: no way back to root. */
export function dropToVdsm(): void {
    const { vdsm, kvm, qemuGroup } = hostIds();
    process.setgroups?.([kvm, qemuGroup]);
    process.setgid?.(kvm);
    process.setuid?.(vdsm);
}
