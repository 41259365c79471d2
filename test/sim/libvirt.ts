// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The part of a VM start that is libvirt's, not vdsm's: libvirtd (root) starts
 * qemu as qemu:qemu with the supplementary group kvm (libvirt's qemu.conf as
 * vdsm configures it), and qemu opens the disk read-write and the cdrom
 * read-only as that user. vdsm 4.18 sets dynamic_ownership=0 in qemu.conf
 * (lib/vdsm/tool/configurators/libvirt.py), so libvirt does not chown the
 * files first: their owner and mode are what the host left them with.
 * A file qemu cannot open ends the start: vdsm sees
 * the domain go down and reports libvirt's error as the VM's exit message
 * (vdsm 4.18 virt/vm.py _startUnderlyingVm -> setDownStatus(ERROR, ...)).
 * The sim daemon runs as vdsm and cannot switch users, so like vdsm it asks a
 * root process: a child it forks before dropping its privileges, over IPC.
 * What the guest later reads from the cdrom is the bytes qemu read, handed to
 * the daemon as a copy only vdsm can read.
 */

import { execFile, fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { setprivAs } from "./host-ids";

export interface LaunchRequest {
    disk: string;
    /** the cdrom's path, or "" for an empty drive */
    cdrom: string;
    /** where to put the guest's view of the cdrom (read by the daemon, as vdsm) */
    cdromCopy: string;
    /** who gets the copy */
    owner: { uid: number; gid: number };
}

export interface LaunchResult {
    ok: boolean;
    /** libvirt's error when not ok */
    message: string;
    /** the cdrom as the guest sees it, or "" */
    cdrom: string;
}

export type Launcher = (request: LaunchRequest) => Promise<LaunchResult>;

function asQemu(command: string, args: string[], maxBuffer = 1 << 20): Promise<{ ok: boolean; stdout: Buffer; stderr: string }> {
    const [setpriv, ...prefix] = setprivAs("qemu");
    return new Promise(resolve => {
        execFile(setpriv, [...prefix, command, ...args], { encoding: "buffer", maxBuffer }, (err, stdout, stderr) => {
            resolve({ ok: !err, stdout, stderr: stderr.toString().trim() });
        });
    });
}

/* qemu's own words for a file it cannot open, as libvirt passes them on. */
function qemuRefused(drive: string, file: string, why: string): string {
    const reason = /Permission denied/.test(why) ? "Permission denied" : /No such file/.test(why) ? "No such file or directory" : why;
    return `internal error: qemu unexpectedly closed the monitor: qemu-kvm: -drive file=${file},if=none,id=${drive}: ` +
        `Could not open '${file}': ${reason}`;
}

/** What qemu does at start, run as qemu: open the disk read-write, the cdrom read-only, and read the cdrom for the guest. */
export async function launchAsQemu(request: LaunchRequest): Promise<LaunchResult> {
    const failed = (message: string): LaunchResult => ({ ok: false, message, cdrom: "" });
    // dd opens without truncating and moves no byte: an open for reading, then one for writing
    const read = await asQemu("dd", [`if=${request.disk}`, "of=/dev/null", "bs=512", "count=1", "status=none"]);
    const write = read.ok ? await asQemu("dd", ["if=/dev/null", `of=${request.disk}`, "bs=512", "count=0", "conv=notrunc", "status=none"]) : read;
    if (!write.ok)
        return failed(qemuRefused("drive-virtio-disk0", request.disk, write.stderr));
    if (!request.cdrom)
        return { ok: true, message: "", cdrom: "" };
    const iso = await asQemu("cat", ["--", request.cdrom], 64 << 20);
    if (!iso.ok)
        return failed(qemuRefused("drive-ide0-1-0", request.cdrom, iso.stderr));
    fs.mkdirSync(path.dirname(request.cdromCopy), { recursive: true });
    fs.writeFileSync(request.cdromCopy, iso.stdout, { mode: 0o600 });
    fs.chownSync(request.cdromCopy, request.owner.uid, request.owner.gid);
    return { ok: true, message: "", cdrom: request.cdromCopy };
}

/** Forks the root side (this same bundle with --libvirtd) before the daemon drops its privileges. */
export function startLibvirtd(bundle: string, dir: string): { launch: Launcher; close(): void } {
    const child: ChildProcess = fork(bundle, [dir, "--libvirtd"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const pending = new Map<number, (result: LaunchResult) => void>();
    let next = 1;
    child.on("message", (message: { id: number; result: LaunchResult }) => {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
    });
    return {
        launch: request => new Promise(resolve => {
            const id = next++;
            pending.set(id, resolve);
            child.send({ id, request });
        }),
        close: () => child.kill(),
    };
}

/** The child's loop: launches on request, until the daemon goes away. */
export function serveLibvirtd(): void {
    process.on("message", (message: { id: number; request: LaunchRequest }) => {
        launchAsQemu(message.request)
            .catch((err: Error): LaunchResult => ({ ok: false, message: `internal error: ${err.message}`, cdrom: "" }))
            .then(result => process.send?.({ id: message.id, result }));
    });
    process.on("disconnect", () => process.exit(0));
}
