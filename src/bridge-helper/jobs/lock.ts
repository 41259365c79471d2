// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * One job at a time. The lock file names the running job and its process:
 * pid, boot id and the process's start time, so that a pid reused after a
 * reboot or a crash does not read as the job still running. A lock whose
 * process is gone is stale and is taken over, which is how `resume`
 * proceeds; of several starters racing for a stale lock exactly one wins
 * (see takeOver). Every lock file is root's alone (0600), and written whole
 * before it appears under its name: readers never see a torn one.
 */

import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { text } from "../../protocol/text";
import { HelperError } from "../errors";

export interface LockHolder {
    jobId: string;
    pid: number;
    /** the boot the process runs in; absent in a lock an older helper wrote */
    bootId?: string;
    /** the process's start time in clock ticks since boot (field 22 of /proc/PID/stat); absent in an older lock */
    startTime?: number;
}

const BOOT_ID_FILE = "/proc/sys/kernel/random/boot_id";
/* A lock is a line of JSON: anything longer is not one, and is not read further. */
const LOCK_LIMIT = 4096;

export function currentBootId(): string | null {
    try {
        return fs.readFileSync(BOOT_ID_FILE, "utf8").trim();
    } catch {
        return null;
    }
}

/** A process's start time and whether it is a zombie, from /proc; null when there is no such process. */
export function processStart(pid: number): { startTime: number; zombie: boolean } | null {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // the command name may hold spaces and brackets: the fields start after its last ")"
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // fields[0] is field 3 (the state), so field 22 is fields[19]
        return { startTime: Number(fields[19]), zombie: fields[0] === "Z" };
    } catch {
        return null;
    }
}

/** What a lock file says about process `pid` (of this boot) holding `jobId`. */
export function lockHolderOf(jobId: string, pid: number): LockHolder {
    const bootId = currentBootId();
    const start = processStart(pid);
    return { jobId, pid, ...(bootId ? { bootId } : {}), ...(start ? { startTime: start.startTime } : {}) };
}

/* A lock's JSON, or null for anything else (garbage is a lock nobody holds). */
function parseHolder(raw: string): LockHolder | null {
    let value: unknown;
    try {
        value = JSON.parse(raw);
    } catch {
        return null;
    }
    if (typeof value !== "object" || value === null)
        return null;
    const v = value as Record<string, unknown>;
    // pid 0 and 1 are no helper's; signalling them (or -1) would reach far more than a job
    if (typeof v.jobId !== "string" || !Number.isInteger(v.pid) || (v.pid as number) < 2)
        return null;
    if (v.bootId !== undefined && typeof v.bootId !== "string")
        return null;
    if (v.startTime !== undefined && !Number.isInteger(v.startTime))
        return null;
    return v as unknown as LockHolder;
}

/**
 * Whether the holder's process still runs: the same boot, the pid there, not
 * a zombie (a killed runner nobody reaped holds nothing), and started when the
 * lock says. An older lock without a boot id holds while its pid exists.
 */
export function holderAlive(holder: LockHolder): boolean {
    if (holder.bootId !== undefined && holder.bootId !== currentBootId())
        return false;
    const proc = processStart(holder.pid);
    if (proc === null) {
        // no /proc to ask: whether the pid exists is all there is
        try {
            process.kill(holder.pid, 0);
            return true;
        } catch (err) {
            return (err as NodeJS.ErrnoException).code === "EPERM";
        }
    }
    if (proc.zombie)
        return false;
    return holder.startTime === undefined || holder.startTime === proc.startTime;
}

/** The refusal of a second job: it names the running one, which the page then follows. */
export function anotherJob(holder: LockHolder): HelperError {
    return new HelperError("refused", "job lock", text("job.another-running", { job: holder.jobId }), `process ${holder.pid}`);
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const digest = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

/** A lock file as found: its bytes (or what stands there instead of a file), and whom it names if it parses. */
interface LockFound {
    raw: string;
    holder: LockHolder | null;
}

export class JobLock {
    readonly file: string;

    constructor(stateDir: string) {
        this.file = path.join(stateDir, "lock");
    }

    /* The lock file, never through a symlink, never blocking on a FIFO, never more than LOCK_LIMIT bytes; null when there is none. */
    private read(file: string = this.file): LockFound | null {
        let fd: number;
        try {
            fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
        } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            return code === "ENOENT" ? null : { raw: `(${code ?? "unreadable"})`, holder: null };
        }
        try {
            const st = fs.fstatSync(fd);
            if (!st.isFile())
                return { raw: `(not a file: ${st.mode})`, holder: null };
            const buffer = Buffer.alloc(LOCK_LIMIT);
            const n = fs.readSync(fd, buffer, 0, LOCK_LIMIT, 0);
            const raw = buffer.subarray(0, n).toString("utf8");
            return { raw, holder: st.size < LOCK_LIMIT ? parseHolder(raw) : null };
        } catch (err) {
            return { raw: `(${(err as NodeJS.ErrnoException).code ?? "unreadable"})`, holder: null };
        } finally {
            fs.closeSync(fd);
        }
    }

    /** The job holding the lock, if its process still runs. */
    holder(): LockHolder | null {
        const holder = this.read()?.holder ?? null;
        return holder && holderAlive(holder) ? holder : null;
    }

    /** Whoever the lock file names, alive or not. */
    lastHolder(): LockHolder | null {
        return this.read()?.holder ?? null;
    }

    /**
     * The process group a dead runner of `jobId` may have left behind (its
     * tools may hold the disks), or null: none in another boot, and none when
     * the pid now belongs to a later process (a pid is not reused while its
     * group lives).
     */
    leftoverGroup(jobId: string): number | null {
        const dead = this.lastHolder();
        if (!dead || dead.jobId !== jobId || holderAlive(dead))
            return null;
        if (dead.bootId !== undefined && dead.bootId !== currentBootId())
            return null;
        const proc = processStart(dead.pid);
        if (proc && !proc.zombie && dead.startTime !== undefined && proc.startTime !== dead.startTime)
            return null;
        return dead.pid;
    }

    /* A new lock file written whole under a name of its own, to be linked or renamed into place. */
    private writeTemp(holder: LockHolder): string {
        const temp = `${this.file}.new-${process.pid}-${randomBytes(4).toString("hex")}`;
        fs.writeFileSync(temp, JSON.stringify(holder), { mode: 0o600, flag: "wx" });
        return temp;
    }

    private failed(err: unknown): HelperError {
        return new HelperError("refused", "job lock", text("job.lock-failed", { file: this.file }),
                               (err as NodeJS.ErrnoException).code ?? undefined);
    }

    /** Takes the lock for `jobId` in process `pid`; refuses, naming the running job, when another holds it. */
    acquire(jobId: string, pid: number = process.pid): void {
        fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
        const temp = this.writeTemp(lockHolderOf(jobId, pid));
        try {
            for (let attempt = 0; attempt < 200; attempt++) {
                try {
                    // link() creates the name only if there is none, with the whole content at once
                    fs.linkSync(temp, this.file);
                    return;
                } catch (err) {
                    if ((err as NodeJS.ErrnoException).code !== "EEXIST")
                        throw this.failed(err);
                }
                const found = this.read();
                if (found === null)
                    continue;
                if (found.holder && holderAlive(found.holder)) {
                    if (found.holder.jobId !== jobId)
                        throw anotherJob(found.holder);
                    if (found.holder.pid !== pid)
                        throw new HelperError("refused", "job lock", text("job.already-running", { job: jobId }), `process ${found.holder.pid}`);
                    return;
                }
                if (this.takeOver(found.raw, temp))
                    return;
                // another starter is taking it over: look again in a moment (it will be theirs)
                sleepSync(2 + Math.random() * 8);
            }
        } finally {
            fs.rmSync(temp, { force: true });
        }
        throw this.failed(new Error("busy"));
    }

    /*
     * Replaces the stale lock `stale` (its bytes as read) by `temp`. Racing
     * starters that judged the same lock stale all try to create the same
     * guard, named by the stale lock's content, with link() (so it is never
     * seen empty): one gets it, and replaces the lock only if it still is the
     * one judged stale. A guard whose process died in between is passed by a
     * guard named after it, so a crash here never wedges the lock. Returns
     * whether this process now holds the lock.
     */
    private takeOver(stale: string, temp: string): boolean {
        const guards: string[] = [];
        let guard = `${this.file}.takeover-${digest(stale)}`;
        try {
            for (let depth = 0; ; depth++) {
                try {
                    fs.linkSync(temp, guard);
                    guards.push(guard);
                    break;
                } catch (err) {
                    if ((err as NodeJS.ErrnoException).code !== "EEXIST" || depth >= 8)
                        throw this.failed(err);
                }
                const other = this.read(guard);
                if (other === null || (other.holder && holderAlive(other.holder)))
                    return false;
                guards.push(guard);
                guard = `${guard}-${digest(other.raw)}`;
            }
            const now = this.read();
            if (now === null || now.raw !== stale)
                return false;
            try {
                fs.renameSync(temp, this.file);
            } catch (err) {
                throw this.failed(err);
            }
            return true;
        } finally {
            for (const g of guards)
                fs.rmSync(g, { force: true });
        }
    }

    /** Hands the lock to another process of the same job (the detached runner); readers never see a torn file. */
    transfer(jobId: string, pid: number): void {
        fs.renameSync(this.writeTemp(lockHolderOf(jobId, pid)), this.file);
    }

    /**
     * In the detached runner: waits until the starting process has handed the
     * lock over. Taking it instead would race with the hand-over.
     */
    async awaitHandover(jobId: string, pid: number = process.pid, timeoutMs = 30_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const holder = this.lastHolder();
            if (holder?.jobId === jobId && holder.pid === pid)
                return;
            if (holder && holder.jobId !== jobId)
                throw anotherJob(holder);
            if (Date.now() > deadline)
                throw new HelperError("internal", "job lock", text("job.lock-handover", { job: jobId, file: this.file }));
            await new Promise(resolve => setTimeout(resolve, 20));
        }
    }

    release(jobId: string): void {
        if (this.lastHolder()?.jobId === jobId)
            fs.rmSync(this.file, { force: true });
    }
}

/** The processes of a process group (a runner and the tools it started), from /proc. */
export function processGroupMembers(pgid: number): number[] {
    const members: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^[0-9]+$/.test(entry))
            continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            // fields[0] is the state, fields[2] the process group
            if (Number(fields[2]) === pgid && fields[0] !== "Z")
                members.push(Number(entry));
        } catch {
            // gone meanwhile
        }
    }
    return members;
}

/**
 * Ends what a dead runner left behind: the runner leads its own process group,
 * and a tool it started (guestfish with its qemu, qemu-img) may still hold the
 * disks a resumed job needs.
 */
export async function killLeftovers(pgid: number): Promise<void> {
    try {
        process.kill(-pgid, "SIGKILL");
    } catch {
        return;
    }
    for (let i = 0; i < 100 && processGroupMembers(pgid).length > 0; i++)
        await new Promise(resolve => setTimeout(resolve, 100));
}
