// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Starting, running, following, listing, cancelling, resuming and discarding
 * jobs, the same way for every kind (kinds.ts says what differs). A job runs
 * in its own process, detached from the caller (the page's spawn may end at
 * any time), with its secrets handed over on that process's stdin only. One
 * job at a time: the lock names the running one.
 *
 * A job's work files (the extracted appliance, the seed) outlive its process,
 * so `resume` goes on from where it failed. They go when the job ends for
 * good: when it succeeds, when a later rollback succeeds, or on `discard`.
 */

import fs from "node:fs";
import path from "node:path";

import type { FollowEnd, FollowLine, JobsReport, JobSummary, ResultEvent } from "../../protocol/events";
import type { CancelResult, JobRef } from "../../protocol/reports";
import type { JobKindName } from "../../protocol/steps";
import { text } from "../../protocol/text";
import type { JobStart } from "../../protocol/verbs";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import { startDetached } from "../process";
import { jobKindEntry, JOB_KINDS, type AnyJobKindEntry, type JobInput, type JobSecrets } from "./kinds";
import { anotherJob, JobLock, killLeftovers } from "./lock";
import { runJob } from "./runner";
import { brokenSummary, checkJobId, JobStore, newJobId, PRIVATE_COPIES_DIR, summarize } from "./store";

/** What plan.json holds: the kind's stored plan, and the kind. */
type StoredPlan = { kind?: string } & Record<string, unknown>;

/** The job's log (its process's output, secrets never in it). */
export function jobLogFile(config: HelperConfig, id: string): string {
    return path.join(config.logDir, `job-${id}.log`);
}

/* The store, once `id` is known to name a job in it whose files can be read. */
function existingJob(config: HelperConfig, id: string): JobStore {
    const store = new JobStore(config.stateDir);
    checkJobId(id);
    if (!store.exists(id))
        throw new HelperError("usage", id, text("job.unknown", { job: id }));
    // a job listed as broken is refused by name, whatever the verb: its plan and journal are read (bounded) first
    store.plan(id);
    store.journal(id, "skip");
    return store;
}

function entryOfJob(store: JobStore, id: string): AnyJobKindEntry {
    return jobKindEntry(store.plan<StoredPlan>(id).kind, id);
}

/** Whether resuming the job needs its secrets on stdin (so stdin is read only then: the page sends none otherwise). */
export function resumeNeedsSecrets(config: HelperConfig, id: string): boolean {
    const store = existingJob(config, id);
    return entryOfJob(store, id).secrets !== null;
}

/*
 * Starts `node helper.js run-job ID` detached, secrets on its stdin, output
 * to the job's log, and hands it the lock this process took for it.
 */
function detachRunner(config: HelperConfig, lock: JobLock, id: string, secrets: unknown): void {
    fs.mkdirSync(config.logDir, { recursive: true, mode: 0o700 });
    const log = fs.openSync(jobLogFile(config, id), "a", 0o600);
    let pid: number;
    try {
        pid = startDetached(process.execPath, [process.argv[1], "run-job", id], JSON.stringify(secrets), log);
    } catch (err) {
        lock.release(id);
        throw new HelperError("internal", id, text("job.not-started", { job: id }), err instanceof Error ? err.message : String(err));
    } finally {
        fs.closeSync(log);
    }
    lock.transfer(id, pid);
}

function refuseWhileRunning(lock: JobLock): void {
    const running = lock.holder();
    if (running)
        throw anotherJob(running);
}

/** Runs the kind's checks and, when they pass, starts the job detached; refused while another job runs. */
export async function startJob<K extends JobKindName>(config: HelperConfig, name: K, input: JobInput<K>,
                                                      secrets: JobSecrets<K>): Promise<JobStart> {
    const entry: AnyJobKindEntry = JOB_KINDS[name];
    const lock = new JobLock(config.stateDir);
    refuseWhileRunning(lock);
    const report = await entry.check(config, input, secrets);
    const preflight = { ok: report.ok, checks: report.checks };
    if (!report.ok || report.survey === null)
        return { job: null, preflight };
    const store = new JobStore(config.stateDir);
    const id = newJobId();
    lock.acquire(id);
    store.create(id, { kind: name, ...entry.stored(input, report.survey, store.workDir(id)) });
    detachRunner(config, lock, id, entry.secrets ? secrets : {});
    return { job: id, preflight };
}

/* A job that ended for good: its work files, and what its kind ends with it. */
function endedForGood(store: JobStore, id: string, entry: AnyJobKindEntry): void {
    store.removeWork(id);
    entry.succeeded(store);
}

/** The detached job process: its secrets from stdin, then the steps. */
export async function runJobProcess(config: HelperConfig, id: string, stdin: string): Promise<ResultEvent> {
    const store = existingJob(config, id);
    const lock = new JobLock(config.stateDir);
    await lock.awaitHandover(id);
    try {
        const stored = store.plan<StoredPlan>(id);
        const entry = jobKindEntry(stored.kind, id);
        const secrets = entry.secrets ? entry.secrets(stdin) : {};
        const result = await runJob(store, id, entry.steps(config), stored, secrets);
        if (result.ok)
            endedForGood(store, id, entry);
        return result;
    } finally {
        lock.release(id);
    }
}

/** Resumes a job that failed or died; an upgrade needs its secrets again (null: none were given), a rollback none. */
export async function resumeJob(config: HelperConfig, id: string, secrets: unknown): Promise<JobRef> {
    const store = existingJob(config, id);
    const lock = new JobLock(config.stateDir);
    const holder = lock.holder();
    if (holder)
        throw holder.jobId === id ? new HelperError("refused", "job lock", text("job.running", { job: id })) : anotherJob(holder);
    if (summarize(id, store.events(id), false).state === "succeeded")
        throw new HelperError("refused", id, text("job.already-succeeded", { job: id }));
    const entry = entryOfJob(store, id);
    if (entry.secrets && secrets === null)
        throw new HelperError("usage", "resume input", text("input.resume-password"));
    const leftovers = lock.leftoverGroup(id);
    if (leftovers !== null)
        await killLeftovers(leftovers);
    lock.acquire(id);
    store.clearCancel(id);
    detachRunner(config, lock, id, entry.secrets ? secrets : {});
    return { job: id };
}

/** Removes a job's work files for good; refused while the job runs, since its steps use them. */
export function discardJob(config: HelperConfig, id: string): JobRef {
    const store = existingJob(config, id);
    if (new JobLock(config.stateDir).holder()?.jobId === id)
        throw new HelperError("refused", id, text("job.running", { job: id }));
    // what its preflight checked stays: a resume makes the rest again from those copies, never from the user's files
    store.removeWork(id, [PRIVATE_COPIES_DIR]);
    return { job: id };
}

/* One job of the listing; a broken one is listed as such, never in the way of the others. */
function jobSummary(config: HelperConfig, store: JobStore, id: string, running: boolean): JobSummary {
    let summary: Omit<JobSummary, "logFile">;
    try {
        const kind = store.plan<StoredPlan>(id).kind;
        // the running job may be mid-write: its last line is not torn yet
        const journal = store.journal(id, running ? "skip" : "warn");
        summary = summarize(id, journal.events, running, journal.warnings);
        // a job just started has not journaled its first event yet: its plan says what it is
        if (summary.kind === "unknown")
            summary.kind = kind === "upgrade" || kind === "rollback" ? kind : "unknown";
    } catch (err) {
        summary = brokenSummary(id, err);
    }
    // the log's path is what the page tells an administrator to read when a job failed
    return { ...summary, logFile: jobLogFile(config, id) };
}

export function listJobs(config: HelperConfig): JobsReport {
    const store = new JobStore(config.stateDir);
    const holder = new JobLock(config.stateDir).holder();
    const jobs = store.ids().map(id => jobSummary(config, store, id, holder?.jobId === id)).reverse();
    return { running: holder?.jobId ?? null, jobs };
}

/** Prints the job's events from its start, then follows it until it ends; says how it ended. */
export async function followJob(config: HelperConfig, id: string, print: (line: FollowLine) => void): Promise<FollowEnd> {
    const store = existingJob(config, id);
    const lock = new JobLock(config.stateDir);
    let printed = 0;
    for (;;) {
        // the lock first: a job journals its last event before it lets go, so none is missed
        const running = lock.holder()?.jobId === id;
        // while it runs, a last line without its newline is being written, not torn
        const journal = store.journal(id, running ? "skip" : "warn");
        for (const line of journal.lines.slice(printed))
            print(line);
        printed = journal.lines.length;
        if (!running)
            return { type: "end", state: summarize(id, journal.events, false).state };
        await new Promise(resolve => setTimeout(resolve, 300));
    }
}

export function cancelJob(config: HelperConfig, id: string): CancelResult {
    const store = existingJob(config, id);
    const running = new JobLock(config.stateDir).holder()?.jobId === id;
    const summary = summarize(id, store.journal(id, running ? "skip" : "warn").events, running);
    if (summary.state !== "running")
        throw new HelperError("refused", id, text("job.not-running", { job: id, state: summary.state }));
    if (summary.destructiveStarted)
        throw new HelperError("refused", id, text("job.cancel-too-late", { job: id }));
    store.requestCancel(id);
    return { cancelled: true, message: text("job.cancel-requested", { job: id }) };
}
