// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * One job at a time. The lock file holds the running job's id and pid and is
 * created exclusively; a lock whose process is gone (a crashed helper, a
 * reboot) is stale and may be taken over, which is how `resume` proceeds.
 */

import fs from "node:fs";
import path from "node:path";

import { text } from "../../protocol/text";
import { HelperError } from "../errors";

export interface LockHolder {
    jobId: string;
    pid: number;
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
    // a killed runner nobody reaped yet is a zombie: it holds nothing any more
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
        return true;
    }
}

/** The refusal of a second job: it names the running one, which the page then follows. */
export function anotherJob(holder: LockHolder): HelperError {
    return new HelperError("refused", "job lock", text("job.another-running", { job: holder.jobId }), `process ${holder.pid}`);
}

export class JobLock {
    readonly file: string;

    constructor(stateDir: string) {
        this.file = path.join(stateDir, "lock");
    }

    /** The job holding the lock, if its process still runs. */
    holder(): LockHolder | null {
        let text: string;
        try {
            text = fs.readFileSync(this.file, "utf8");
        } catch {
            return null;
        }
        try {
            const holder = JSON.parse(text) as LockHolder;
            return alive(holder.pid) ? holder : null;
        } catch {
            return null;
        }
    }

    /** Whoever the lock file names, alive or not. */
    lastHolder(): LockHolder | null {
        try {
            return JSON.parse(fs.readFileSync(this.file, "utf8")) as LockHolder;
        } catch {
            return null;
        }
    }

    /** Takes the lock for `jobId` in process `pid`; refuses, naming the running job, when another holds it. */
    acquire(jobId: string, pid: number = process.pid): void {
        fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
        for (let attempt = 0; attempt < 2; attempt++) {
            try {
                const fd = fs.openSync(this.file, "wx", 0o600);
                fs.writeSync(fd, JSON.stringify({ jobId, pid }));
                fs.closeSync(fd);
                return;
            } catch (err) {
                if ((err as NodeJS.ErrnoException).code !== "EEXIST")
                    throw err;
            }
            const holder = this.holder();
            if (holder && holder.jobId !== jobId)
                throw anotherJob(holder);
            if (holder && holder.pid !== pid)
                throw new HelperError("refused", "job lock", text("job.already-running", { job: jobId }), `process ${holder.pid}`);
            // stale (its process is gone) or our own: take it over
            fs.rmSync(this.file, { force: true });
        }
        throw new HelperError("refused", "job lock", text("job.lock-failed", { file: this.file }));
    }

    /** Hands the lock to another process of the same job (the detached runner); readers never see a torn file. */
    transfer(jobId: string, pid: number): void {
        const next = `${this.file}.${process.pid}`;
        fs.writeFileSync(next, JSON.stringify({ jobId, pid }), { mode: 0o600 });
        fs.renameSync(next, this.file);
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
        try {
            const holder = JSON.parse(fs.readFileSync(this.file, "utf8")) as LockHolder;
            if (holder.jobId === jobId)
                fs.rmSync(this.file, { force: true });
        } catch {
            // no lock, or not ours
        }
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
