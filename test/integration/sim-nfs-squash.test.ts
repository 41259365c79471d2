// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The sim's root-squashed storage domain (test/sim/nfs-squash): a FUSE mount of
 * a vdsm:kvm export on which root is nobody, vdsm owns what it creates, qemu
 * reaches 0660 volumes through group kvm, and qemu-img copies keep their holes.
 * Runs as root (mounting needs it) with the host's users of test/sim/host-users.sh.
 */

import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { buildSquashDaemon, mountSquashed, squashMounts, unmountStale, type SquashMount } from "../sim/nfs-squash";

const MiB = 1024 * 1024;
const SD = "a1b2c3d4-0000-4000-8000-000000000001";
const IMG = "a1b2c3d4-0000-4000-8000-000000000002";
const VOL = "a1b2c3d4-0000-4000-8000-000000000003";

let tmp: string;
let backing: string;
let mnt: SquashMount;
const ids = (name: string) => Number(execFileSync("id", [name]).toString().match(/uid=(\d+)/)![1]);
const gid = (group: string) => Number(execFileSync("getent", ["group", group]).toString().split(":")[2]);

// util-linux setpriv: another user's ids; --init-groups gives the user's supplementary groups
const AS = {
    vdsm: ["--reuid=vdsm", "--regid=kvm", "--clear-groups"],
    qemu: ["--reuid=qemu", "--regid=qemu", "--init-groups"],
    qemuWithoutKvm: ["--reuid=qemu", "--regid=qemu", "--clear-groups"],
    nobody: ["--reuid=nobody", "--regid=nogroup", "--clear-groups"],
};
function as(who: keyof typeof AS, command: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync("setpriv", [...AS[who], ...command], { encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const sh = (who: keyof typeof AS, script: string, ...args: string[]) => as(who, ["sh", "-ec", script, "sh", ...args]);

const inMount = (...parts: string[]) => path.join(mnt.mountPoint, SD, ...parts);
const inBacking = (...parts: string[]) => path.join(backing, SD, ...parts);
const volume = () => inMount("images", IMG, VOL);

function errorCode(body: () => unknown): string | undefined {
    try {
        body();
    } catch (err) {
        return (err as NodeJS.ErrnoException).code;
    }
    return undefined;
}

/** a vdsm:kvm directory or file as vdsm keeps them on the export */
function vdsmOwned(p: string, mode: number): void {
    fs.chownSync(p, ids("vdsm"), gid("kvm"));
    fs.chmodSync(p, mode);
}

beforeAll(async () => {
    expect(process.getuid?.()).toBe(0);
    execFileSync(path.join(__dirname, "../sim/host-users.sh"), { stdio: "ignore" });
    buildSquashDaemon();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nfs-squash-"));
    // the users reach the mount point through it
    fs.chmodSync(tmp, 0o755);
    backing = path.join(tmp, "export");
    fs.mkdirSync(path.join(backing, SD, "images", IMG), { recursive: true });
    for (const dir of [backing, path.join(backing, SD), path.join(backing, SD, "images"), path.join(backing, SD, "images", IMG)])
        vdsmOwned(dir, 0o755);
    const vol = path.join(backing, SD, "images", IMG, VOL);
    fs.writeFileSync(vol, Buffer.alloc(4 * MiB, 7));
    vdsmOwned(vol, 0o660);
    fs.mkdirSync(path.join(tmp, "mnt"));
    mnt = await mountSquashed(backing, path.join(tmp, "mnt"));
});

afterAll(async () => {
    await mnt?.unmount();
    if (tmp) {
        await unmountStale(tmp);
        fs.rmSync(tmp, { recursive: true, force: true });
    }
});

test("root is nobody: it can neither read nor write a vdsm:kvm 0660 volume, nor create or chown", () => {
    expect(fs.statSync(volume()).uid).toBe(ids("vdsm"));
    expect(errorCode(() => fs.readFileSync(volume()))).toBe("EACCES");
    // access(2) agrees: tools that ask before opening hear the same answer
    expect(errorCode(() => fs.accessSync(volume(), fs.constants.R_OK))).toBe("EACCES");
    expect(errorCode(() => fs.openSync(volume(), "r+"))).toBe("EACCES");
    expect(errorCode(() => fs.writeFileSync(inMount("images", "by-root"), "x"))).toBe("EACCES");
    expect(errorCode(() => fs.mkdirSync(inMount("by-root")))).toBe("EACCES");
    expect(errorCode(() => fs.chownSync(volume(), 0, 0))).toBe("EPERM");
    expect(fs.existsSync(inBacking("images", "by-root"))).toBe(false);
    // the listing stays readable, as a 0755 export's is to anyone
    expect(fs.readdirSync(inMount("images", IMG))).toEqual([VOL]);
});

test("vdsm writes the volume, and what it creates is vdsm:kvm in the export", () => {
    const r = sh("vdsm", `
        printf written | dd of="$1" conv=notrunc status=none
        mkdir "$2/new-image"
        printf 'KEY=value\\nEOF\\n' > "$2/new-image/vol.meta.tmp"
        mv "$2/new-image/vol.meta.tmp" "$2/new-image/vol.meta"
        ln -s vol.meta "$2/new-image/link"
        ln "$2/new-image/vol.meta" "$2/new-image/hard"
        ls "$2/new-image"
        test -w "$1"`, volume(), inMount("images"));
    expect(r).toMatchObject({ status: 0, stdout: "hard\nlink\nvol.meta\n" });
    expect(fs.readFileSync(inBacking("images", IMG, VOL)).subarray(0, 8).toString()).toBe("written\x07");
    const meta = fs.statSync(inBacking("images", "new-image", "vol.meta"));
    expect([meta.uid, meta.gid, meta.nlink]).toEqual([ids("vdsm"), gid("kvm"), 2]);
    expect(fs.readlinkSync(inBacking("images", "new-image", "link"))).toBe("vol.meta");
    // only root may give a file away, and root is nobody here
    expect(sh("vdsm", 'chown qemu "$1"', inMount("images", "new-image", "vol.meta")).status).not.toBe(0);
    expect(sh("vdsm", 'rm -r "$1"', inMount("images", "new-image")).status).toBe(0);
    expect(fs.existsSync(inBacking("images", "new-image"))).toBe(false);
});

test("qemu reaches the 0660 volume through group kvm, but creates nothing in vdsm's 0755 directories", () => {
    expect(sh("qemu", 'printf qemu | dd of="$1" conv=notrunc status=none; head -c 4 "$1"', volume())).toMatchObject({ status: 0, stdout: "qemu" });
    expect(fs.readFileSync(inBacking("images", IMG, VOL)).subarray(0, 4).toString()).toBe("qemu");
    const create = sh("qemu", ': > "$1"', inMount("images", IMG, "by-qemu"));
    expect(create.status).not.toBe(0);
    expect(create.stderr).toMatch(/Permission denied/);
    // the supplementary group is what lets it in: the daemon reads the caller's groups
    expect(sh("qemuWithoutKvm", 'head -c 4 "$1"', volume()).stderr).toMatch(/Permission denied/);
});

test("a user outside kvm cannot read the volume", () => {
    const r = sh("nobody", 'head -c 4 "$1"', volume());
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Permission denied/);
});

test("qemu-img convert -n as vdsm into the volume copies it exactly; as root it is refused", () => {
    const source = path.join(tmp, "source.raw");
    fs.writeFileSync(source, Buffer.alloc(0));
    fs.truncateSync(source, 4 * MiB);
    const fd = fs.openSync(source, "r+");
    fs.writeSync(fd, Buffer.alloc(MiB, 0x5a), 0, MiB, MiB);
    fs.writeSync(fd, Buffer.from("tail"), 0, 4, 4 * MiB - 4);
    fs.closeSync(fd);
    fs.chmodSync(source, 0o644);

    const byRoot = spawnSync("qemu-img", ["convert", "-n", "-f", "raw", "-O", "raw", source, volume()], { encoding: "utf8" });
    expect(byRoot.status).not.toBe(0);
    expect(byRoot.stderr).toMatch(/Permission denied/);

    expect(as("vdsm", ["qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source, volume()])).toMatchObject({ status: 0 });
    const compare = spawnSync("qemu-img", ["compare", "-f", "raw", "-F", "raw", source, inBacking("images", IMG, VOL)], { encoding: "utf8" });
    expect(compare).toMatchObject({ status: 0, stdout: "Images are identical.\n" });
});

test("a sparse 1 GiB image copied through the mount keeps its holes (SEEK_DATA/SEEK_HOLE)", () => {
    const r = sh("vdsm", `
        truncate -s 1G "$1"
        printf data | dd of="$1" bs=1M seek=512 conv=notrunc status=none
        qemu-img map --output=json -f raw "$1"
        qemu-img convert -f raw -O raw "$1" "$2"`, inMount("sparse.raw"), inMount("copy.raw"));
    expect(r.status).toBe(0);
    // through the mount qemu sees where the data is; without lseek's SEEK_DATA the
    // kernel would call all of the file data
    const dataExtents = (JSON.parse(r.stdout) as { length: number; data: boolean }[]).filter(e => e.data);
    expect(dataExtents.reduce((sum, e) => sum + e.length, 0)).toBeLessThanOrEqual(MiB);
    const copy = fs.statSync(inBacking("copy.raw"));
    expect(copy.size).toBe(1024 * MiB);
    expect(copy.blocks * 512).toBeLessThanOrEqual(4 * MiB);
    expect(copy.uid).toBe(ids("vdsm"));
    const compare = spawnSync("qemu-img", ["compare", "-f", "raw", "-F", "raw", inBacking("sparse.raw"), inBacking("copy.raw")], { encoding: "utf8" });
    expect(compare.status).toBe(0);
});

/** how long a shell script as vdsm takes (ms); it must succeed */
function timed(script: string, ...args: string[]): number {
    const started = Date.now();
    expect(sh("vdsm", script, ...args)).toMatchObject({ status: 0 });
    return Date.now() - started;
}

describe("a throughput limit, as a real NFS domain's network has", () => {
    let limited: SquashMount;
    // 20 MiB at 20 MB/s (10^6 bytes): 1.05 s at the least, however idle the machine
    const RATE = 20;
    const LEAST_MS = 1000;
    const inLimited = (name: string) => path.join(limited.mountPoint, SD, name);

    beforeAll(async () => {
        fs.mkdirSync(path.join(tmp, "limited"));
        limited = await mountSquashed(backing, path.join(tmp, "limited"), { writeMBps: RATE, readMBps: RATE });
    });
    afterAll(async () => {
        await limited?.unmount();
        fs.rmSync(inBacking("rate-a.raw"), { force: true });
        fs.rmSync(inBacking("rate-b.raw"), { force: true });
    });

    test("writing, reading and zeroing 20 MiB at 20 MB/s each take a second; two writers share the link", () => {
        expect(timed('dd if=/dev/zero of="$1" bs=1M count=20 status=none', inLimited("rate-a.raw"))).toBeGreaterThanOrEqual(LEAST_MS);
        // a new open drops the kernel's cached pages: the data comes through the daemon again
        expect(timed('cat "$1" > /dev/null', inLimited("rate-a.raw"))).toBeGreaterThanOrEqual(LEAST_MS);
        // an EL7 host's NFS cannot punch holes: the zeros cross the wire; the export keeps the hole
        expect(timed('fallocate --punch-hole --offset 0 --length 20MiB "$1"', inLimited("rate-a.raw"))).toBeGreaterThanOrEqual(LEAST_MS);
        expect(fs.statSync(inBacking("rate-a.raw")).blocks).toBe(0);
        expect(timed(`dd if=/dev/zero of="$1" bs=1M count=10 status=none & dd if=/dev/zero of="$2" bs=1M count=10 status=none & wait`,
                     inLimited("rate-a.raw"), inLimited("rate-b.raw"))).toBeGreaterThanOrEqual(LEAST_MS);
    });

    test("unlimited, the default, holds nothing back: 100 MiB written and read well above 20 MB/s", () => {
        // at 25 MB/s or less each would take 4 s
        expect(timed('dd if=/dev/zero of="$1" bs=1M count=100 status=none; cat "$1" > /dev/null; rm "$1"', inMount("fast.raw"))).toBeLessThan(8000);
    });

    test("a rate is a whole number of MB/s", async () => {
        await expect(mountSquashed(backing, path.join(tmp, "never"), { writeMBps: 1.5 })).rejects.toThrow(/whole number/);
    });
});

test("unmount leaves no mount behind; unmountStale clears a crashed daemon's mount and a live leftover", async () => {
    const point = (name: string) => {
        fs.mkdirSync(path.join(tmp, name));
        return path.join(tmp, name);
    };
    const listed = () => squashMounts().map(m => m.mountPoint).filter(p => p.startsWith(tmp + "/"));

    const once = await mountSquashed(backing, point("once"));
    expect(listed()).toContain(once.mountPoint);
    await once.unmount();
    expect(listed()).not.toContain(once.mountPoint);

    // a daemon killed outright leaves its mount answering ENOTCONN; a leftover one keeps serving
    const crashed = await mountSquashed(backing, point("crashed"));
    const leftover = await mountSquashed(backing, point("leftover"));
    process.kill(crashed.pid, "SIGKILL");
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(errorCode(() => fs.readdirSync(crashed.mountPoint))).toBe("ENOTCONN");
    expect(listed().sort()).toEqual([crashed.mountPoint, leftover.mountPoint, mnt.mountPoint].sort());

    expect((await unmountStale(path.join(tmp, "crashed"))).length).toBe(1);
    expect((await unmountStale(path.join(tmp, "leftover"))).length).toBe(1);
    expect(listed()).toEqual([mnt.mountPoint]);
    // its mount gone, the leftover daemon ends
    const deadline = Date.now() + 10_000;
    while (fs.existsSync(`/proc/${leftover.pid}`) && Date.now() < deadline)
        await new Promise(resolve => setTimeout(resolve, 20));
    expect(fs.existsSync(`/proc/${leftover.pid}`)).toBe(false);

    await mnt.unmount();
    expect(listed()).toEqual([]);
    expect(fs.readdirSync(path.join(tmp, "mnt"))).toEqual([]);
});
