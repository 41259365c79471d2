// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * A root-squashed "NFS mount" of a local directory: test/sim/nfs-squash (a FUSE
 * daemon in C) serves the backing directory at a mount point with every request
 * run as its caller, except that root is nobody. So the simulated storage
 * domain refuses root as a real host's does: vdsm (36:kvm) owns the volumes,
 * qemu reaches them through group kvm, root gets EACCES.
 *
 * The daemon runs in a session of its own: a SIGKILLed sim leaves it and its
 * mount alive, and a later run clears such leftovers with unmountStale().
 * Self-contained on purpose (no other sim module), to be wired into the sim.
 * Needs root: mounting, and switching to the callers' credentials.
 */

import { execFile, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const TOP = path.resolve(__dirname, "../..");
/** the daemon, as `make build/nfs-squash` builds it */
export const NFS_SQUASH_BINARY = path.join(TOP, "build/nfs-squash");
/** the file system type of its mounts in /proc/self/mountinfo */
export const NFS_SQUASH_FSTYPE = "fuse.nfs-squash";

export interface SquashMount {
    backingDir: string;
    mountPoint: string;
    /** the daemon's pid (also its process group) */
    pid: number;
    /** what the daemon wrote to stderr so far (libfuse's and our errors) */
    log(): string;
    /** fusermount3 -u (umount -l when busy), then wait for the daemon to end */
    unmount(): Promise<void>;
}

export interface SquashOptions {
    binary?: string;
    /** whom root becomes: NFS's anonuid/anongid, default nobody/nogroup */
    anonUid?: number;
    anonGid?: number;
    /** the domain's throughput in MB/s (10^6 bytes) as its network limits it, e.g. ~110 for 1 GbE;
     *  0 or absent: unlimited. Each direction is one link all requests share (nfs-squash/throttle.c) */
    writeMBps?: number;
    readMBps?: number;
    timeoutMs?: number;
}

export interface MountEntry {
    mountPoint: string;
    fstype: string;
    source: string;
}

/** /proc/self/mountinfo's mounts; its fields escape space, tab, newline and backslash as \ooo */
export function mounts(): MountEntry[] {
    const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    return fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter(Boolean).map(line => {
        const fields = line.split(" ");
        // optional fields end with "-"; fstype and source follow it
        const dash = fields.indexOf("-", 6);
        return { mountPoint: unescape(fields[4]), fstype: fields[dash + 1], source: unescape(fields[dash + 2]) };
    });
}

export function squashMounts(): MountEntry[] {
    return mounts().filter(m => m.fstype === NFS_SQUASH_FSTYPE);
}

/** `make build/nfs-squash` (nothing when it is up to date); the binary's path */
export function buildSquashDaemon(): string {
    execFileSync("make", ["--no-print-directory", "-C", TOP, "build/nfs-squash"], { stdio: ["ignore", "ignore", "pipe"] });
    return NFS_SQUASH_BINARY;
}

/** root runs code only from where no one else can change it: the file and every directory above it */
function assertRootOwned(file: string): void {
    const real = fs.realpathSync(file);
    for (let p = real; ; p = path.dirname(p)) {
        const st = fs.statSync(p);
        const othersWrite = (st.mode & 0o022) !== 0 && !(p !== real && (st.mode & 0o1000));
        if (st.uid !== 0 || othersWrite)
            throw new Error(`nfs-squash: refusing to run ${real} as root: ${p} is not root's alone`);
        if (p === "/")
            return;
    }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function isMounted(mountPoint: string): boolean {
    return squashMounts().some(m => m.mountPoint === mountPoint);
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

async function until(what: string, timeoutMs: number, done: () => boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
        if (Date.now() > deadline)
            throw new Error(`nfs-squash: timed out waiting for ${what}`);
        await sleep(20);
    }
}

/** the kernel's view of a mount point: canonical, as mountinfo shows it; through its parent,
 *  since a mount whose daemon died answers ENOTCONN */
function canonical(dir: string): string {
    const abs = path.resolve(dir);
    return abs === "/" ? abs : path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
}

export async function mountSquashed(backingDir: string, mountPoint: string, options: SquashOptions = {}): Promise<SquashMount> {
    if (process.getuid?.() !== 0)
        throw new Error("nfs-squash: mounting and acting as the callers needs root");
    const binary = options.binary ?? NFS_SQUASH_BINARY;
    const timeoutMs = options.timeoutMs ?? 10_000;
    assertRootOwned(binary);
    const backing = canonical(backingDir);
    const point = canonical(mountPoint);
    if (isMounted(point))
        throw new Error(`nfs-squash: ${point} is mounted already (unmountStale clears leftovers)`);

    const rate = (name: string, value: number | undefined) => {
        if (value !== undefined && !(Number.isInteger(value) && value >= 0))
            throw new Error(`nfs-squash: ${name} must be a whole number of MB/s, not ${value}`);
        return `${name}=${value ?? 0}`;
    };
    const fuseOptions = [`anonuid=${options.anonUid ?? 65534}`, `anongid=${options.anonGid ?? 65534}`,
                         rate("write_mbps", options.writeMBps), rate("read_mbps", options.readMBps)].join(",");
    // a session of its own: neither our process group's signals nor our death reach it
    const child = spawn(binary, [backing, point, "-f", "-o", fuseOptions], { detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let exited: string | null = null;
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => { stderr = (stderr + chunk).slice(-16_384); });
    child.on("error", err => { exited = err.message; });
    child.on("exit", (code, signal) => { exited = signal ? `signal ${signal}` : `exit status ${code}`; });
    // libfuse ignores SIGPIPE, so our end closing (we exit) does not take it down
    child.unref();
    (child.stderr as unknown as { unref(): void }).unref();

    try {
        await until(`the mount at ${point}`, timeoutMs, () => {
            if (exited !== null)
                throw new Error(`nfs-squash: the daemon ended (${exited}) before mounting ${point}: ${stderr.trim()}`);
            return isMounted(point);
        });
    } catch (err) {
        if (exited === null && child.pid)
            process.kill(child.pid, "SIGTERM");
        throw err;
    }

    const pid = child.pid!;
    let unmounted: Promise<void> | null = null;
    return {
        backingDir: backing,
        mountPoint: point,
        pid,
        log: () => stderr,
        unmount: () => {
            unmounted ??= (async () => {
                await detach(point);
                // after the unmount the daemon reads ENODEV from /dev/fuse and ends; a lazy
                // unmount keeps it until the last open file closes, which we do not wait for
                try {
                    await until(`the daemon ${pid} to end`, timeoutMs, () => exited !== null || !alive(pid));
                } catch {
                    process.kill(pid, "SIGTERM");
                }
            })();
            return unmounted;
        },
    };
}

/** unmount, lazily when busy; then wait until mountinfo no longer lists it */
async function detach(point: string): Promise<void> {
    if (!isMounted(point))
        return;
    try {
        await run("fusermount3", ["-u", point]);
    } catch {
        // busy (an open file, a process inside), or the daemon is gone: detach it anyway
        await run("umount", ["-l", point]).catch(() => undefined);
    }
    await until(`${point} to unmount`, 10_000, () => !isMounted(point));
}

/** Lazily unmounts the nfs-squash mounts under a directory (or at it), deepest first,
 *  as crashed runs leave them; their daemons end once nothing uses them. The mount points. */
export async function unmountStale(under: string): Promise<string[]> {
    let root: string;
    try {
        root = canonical(under);
    } catch {
        return [];
    }
    const stale = squashMounts().map(m => m.mountPoint)
            .filter(p => p === root || p.startsWith(root === "/" ? "/" : root + "/"))
            .sort((a, b) => b.length - a.length);
    for (const point of stale) {
        await run("umount", ["-l", point]).catch(() => undefined);
        await until(`${point} to unmount`, 10_000, () => !isMounted(point));
    }
    return stale;
}
