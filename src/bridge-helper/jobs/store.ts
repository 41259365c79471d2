// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Jobs on disk, under the helper's state directory (root's; its directories
 * let vdsm and qemu pass to the work files handed to them, see identities.ts):
 *   jobs/<id>/plan.json      the job's parameters, without secrets
 *   jobs/<id>/journal.jsonl  every event, appended and fsync'ed as it happens
 *   jobs/<id>/cancel         present when a cancel was requested
 *   jobs/<id>/work/          the job's work files (the extracted appliance, the seed)
 *   lock                     the running job's id and process: one job at a time (lock.ts)
 * The journal is what makes a crash resumable: each destructive step is
 * recorded as running before it starts and done after it finished. The work
 * files outlive the job's process, so a resumed job need not make them again;
 * they go when the job ends for good (see kinds.ts).
 *
 * A job whose files a crash or someone else spoiled is "broken": listed as
 * such, refused by name, and never in the way of the other jobs.
 */

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { passableDir } from "../host/identities";

import type { JobEvent, JobStartEvent, JobSummary, JournalWarning, ResultEvent, StepEvent } from "../../protocol/events";
import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { checkJobDir, PLAN_LIMIT, readJobFile } from "./job-files";
import { appendJournal, readJournal, type JournalRead } from "./journal";

export const JOB_ID_PATTERN = /^[0-9]{8}T[0-9]{6}-[0-9a-f]{6}$/;

export function newJobId(date: Date = new Date()): string {
    const stamp = date.toISOString().replace(/[-:]/g, "").slice(0, 15);
    return `${stamp}-${randomBytes(3).toString("hex")}`;
}

export function checkJobId(id: string | undefined): string {
    if (!id || !JOB_ID_PATTERN.test(id))
        throw new HelperError("usage", "job id", text("job.id-invalid", { id: id ?? "" }));
    return id;
}

/* A job whose files cannot be read: refused by name, with what is wrong. */
function broken(id: string, err: unknown): HelperError {
    if (err instanceof HelperError && err.text.code === "job.broken")
        return err;
    const reason = err instanceof HelperError ? err.text : text("job.file-unreadable", { file: id, reason: (err as NodeJS.ErrnoException).code ?? "error" });
    return new HelperError("refused", id, text("job.broken", { job: id, reason }));
}

/** The entry of a job's work directory that holds the copies its preflight checked (root-only); a discard keeps it. */
export const PRIVATE_COPIES_DIR = "private";

export class JobStore {
    readonly dir: string;

    constructor(stateDir: string) {
        this.dir = stateDir;
    }

    jobDir(id: string): string {
        return path.join(this.dir, "jobs", checkJobId(id));
    }

    create(id: string, plan: unknown): void {
        // passable, not listable: a job's work files for vdsm and qemu lie below; plan and journal stay root's
        for (const dir of [this.dir, path.join(this.dir, "jobs"), this.jobDir(id)])
            passableDir(dir);
        fs.writeFileSync(path.join(this.jobDir(id), "plan.json"), JSON.stringify(plan, null, 2) + "\n", { mode: 0o600, flag: "wx" });
        fs.writeFileSync(path.join(this.jobDir(id), "journal.jsonl"), "", { mode: 0o600, flag: "wx" });
    }

    /** Whether anything is there by this id: a job, or what is left of one (then reading it says what is wrong). */
    exists(id: string): boolean {
        try {
            fs.lstatSync(this.jobDir(id));
            return true;
        } catch {
            return false;
        }
    }

    /* The job's directory, checked to be one: root reads, writes and removes below it. */
    private checkedDir(id: string): string {
        const dir = this.jobDir(id);
        try {
            checkJobDir(dir);
        } catch (err) {
            throw broken(id, err);
        }
        return dir;
    }

    /** Where the job keeps its work files; made by the steps that need it. */
    workDir(id: string): string {
        return path.join(this.jobDir(id), "work");
    }

    /**
     * Removes the job's work files; `keep` names entries of the work directory
     * that stay (a discarded upgrade keeps "private", the copies its preflight
     * checked, so that its resume never has to read a user's file again).
     */
    removeWork(id: string, keep: readonly string[] = []): void {
        const work = path.join(this.checkedDir(id), "work");
        if (keep.length === 0) {
            fs.rmSync(work, { recursive: true, force: true });
            return;
        }
        let names: string[];
        try {
            names = fs.readdirSync(work);
        } catch {
            return;
        }
        for (const name of names.filter(n => !keep.includes(n)))
            fs.rmSync(path.join(work, name), { recursive: true, force: true });
        if (names.every(n => !keep.includes(n)))
            fs.rmSync(work, { recursive: true, force: true });
    }

    plan<T>(id: string): T {
        const file = path.join(this.checkedDir(id), "plan.json");
        try {
            let plan: unknown;
            try {
                plan = JSON.parse(readJobFile(file, PLAN_LIMIT).toString("utf8"));
            } catch (err) {
                if (err instanceof HelperError)
                    throw err;
                // the parser's message quotes the file: never passed on
                plan = null;
            }
            if (typeof plan !== "object" || plan === null || Array.isArray(plan))
                throw new HelperError("format-invalid", file, text("job.plan-invalid", { file }));
            return plan as T;
        } catch (err) {
            throw broken(id, err);
        }
    }

    journalPath(id: string): string {
        return path.join(this.jobDir(id), "journal.jsonl");
    }

    /** Appends one event and makes sure it is on disk before the caller goes on. */
    append(id: string, event: JobEvent): void {
        appendJournal(path.join(this.checkedDir(id), "journal.jsonl"), event);
    }

    /** The journal's events, and warnings for the lines that could not be read (see journal.ts). */
    journal(id: string, tornTail: "warn" | "skip" = "warn"): JournalRead {
        const file = path.join(this.checkedDir(id), "journal.jsonl");
        try {
            return readJournal(file, id, tornTail);
        } catch (err) {
            throw broken(id, err);
        }
    }

    events(id: string): JobEvent[] {
        return this.journal(id).events;
    }

    ids(): string[] {
        const dir = path.join(this.dir, "jobs");
        try {
            return fs.readdirSync(dir).filter(n => JOB_ID_PATTERN.test(n)).sort();
        } catch {
            // no jobs yet (or no directory where they would be: nothing to list)
            return [];
        }
    }

    requestCancel(id: string): void {
        // never through a symlink, never truncating: the file's presence is the request
        const fd = fs.openSync(path.join(this.checkedDir(id), "cancel"),
                               fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK, 0o600);
        fs.closeSync(fd);
    }

    cancelRequested(id: string): boolean {
        return fs.existsSync(path.join(this.jobDir(id), "cancel"));
    }

    clearCancel(id: string): void {
        fs.rmSync(path.join(this.checkedDir(id), "cancel"), { force: true });
    }
}

/** A job whose directory, plan or journal cannot be read: listed as broken, with what is wrong. */
export function brokenSummary(id: string, err: unknown): Omit<JobSummary, "logFile"> {
    const report = broken(id, err).text;
    const problem = typeof report.params.reason === "object" ? report.params.reason : report;
    return {
        id, kind: "unknown", started: null, attempts: 0, state: "broken", result: null, lastStep: null,
        destructiveStarted: false, warnings: [], problem,
    };
}

/** A job's state from its journal; `running` says whether its process holds the lock. */
export function summarize(id: string, events: JobEvent[], running: boolean,
                          warnings: JournalWarning[] = []): Omit<JobSummary, "logFile"> {
    const starts = events.filter((e): e is JobStartEvent => e.type === "job");
    const steps = events.filter((e): e is StepEvent => e.type === "step");
    const results = events.filter((e): e is ResultEvent => e.type === "result");
    const result = results[results.length - 1] ?? null;
    const destructive = new Set(starts.flatMap(s => s.steps.filter(x => x.destructive).map(x => x.id)));
    // a result written before a later restart does not end the job
    const lastStart = events.lastIndexOf(starts[starts.length - 1]);
    const finished = result !== null && events.lastIndexOf(result) > lastStart;
    let state: JobSummary["state"];
    if (running)
        state = "running";
    else if (finished)
        state = result.ok ? "succeeded" : "failed";
    else
        state = "interrupted";
    return {
        id,
        kind: starts[0]?.kind ?? "unknown",
        started: starts[0]?.time ?? null,
        attempts: starts.length,
        state,
        result: finished ? result : null,
        lastStep: steps[steps.length - 1] ?? null,
        destructiveStarted: steps.some(s => destructive.has(s.id) && s.state !== "skipped"),
        warnings,
        problem: null,
    };
}
