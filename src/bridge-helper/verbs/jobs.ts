// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Starting, following, listing, cancelling and resuming jobs. A job runs in
 * its own process, detached from the caller (the page's spawn may end at any
 * time), with its secrets handed over on that process's stdin only.
 */

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import type { JobEvent } from "../jobs/events";
import { JobLock, killLeftovers } from "../jobs/lock";
import { runJob } from "../jobs/runner";
import { checkJobId, JobStore, newJobId, summarize, type JobSummary } from "../jobs/store";
import { rollbackChecks } from "../rollback/checks";
import type { RollbackPlan } from "../rollback/plan";
import { rollbackKind, type RollbackJobPlan } from "../rollback/steps";
import type { UpgradePlan, UpgradeSecrets } from "../upgrade/plan";
import { preflight, type PreflightReport } from "../upgrade/preflight";
import { upgradeKind, type UpgradeJobPlan } from "../upgrade/steps";

function storeOf(config: HelperConfig): JobStore {
    return new JobStore(config.stateDir);
}

/** The job's log (its process's output, secrets never in it). */
export function jobLogFile(config: HelperConfig, id: string): string {
    return path.join(config.logDir, `job-${id}.log`);
}

/* Starts `node helper.js run-job ID` in its own session, secrets on its stdin, output to the job's log. */
function startRunner(config: HelperConfig, id: string, secrets: UpgradeSecrets | Record<string, never>): number {
    fs.mkdirSync(config.logDir, { recursive: true, mode: 0o700 });
    const log = fs.openSync(jobLogFile(config, id), "a", 0o600);
    const child = spawn(process.execPath, [process.argv[1], "run-job", id], {
        detached: true,
        stdio: ["pipe", log, log],
        env: process.env,
    });
    fs.closeSync(log);
    child.stdin?.end(JSON.stringify(secrets));
    child.unref();
    if (child.pid === undefined)
        throw new HelperError("internal", "job", `The job ${id} could not be started`);
    new JobLock(config.stateDir).transfer(id, child.pid);
    return child.pid;
}

export interface JobStart {
    job: string | null;
    preflight: { ok: boolean; checks: PreflightReport["checks"] };
}

export async function startUpgrade(config: HelperConfig, plan: UpgradePlan, secrets: UpgradeSecrets): Promise<JobStart> {
    const lock = new JobLock(config.stateDir);
    refuseWhileRunning(lock);
    const report = await preflight(config, plan, secrets);
    const checks = { ok: report.ok, checks: report.checks };
    if (!report.ok || !report.survey)
        return { job: null, preflight: checks };
    const store = storeOf(config);
    const id = newJobId();
    lock.acquire(id);
    const jobPlan: UpgradeJobPlan = { plan, survey: report.survey, workDir: path.join(store.jobDir(id), "work") };
    store.create(id, { kind: "upgrade", ...jobPlan });
    startRunner(config, id, secrets);
    return { job: id, preflight: checks };
}

function refuseWhileRunning(lock: JobLock): void {
    const running = lock.holder();
    if (running)
        throw new HelperError("refused", "job lock", `Another job is running: ${running.jobId}`);
}

export async function startRollback(config: HelperConfig, plan: RollbackPlan): Promise<JobStart> {
    const lock = new JobLock(config.stateDir);
    refuseWhileRunning(lock);
    const report = await rollbackChecks(config, plan);
    const checks = { ok: report.ok, checks: report.checks };
    if (!report.ok || !report.survey)
        return { job: null, preflight: checks };
    const store = storeOf(config);
    const id = newJobId();
    lock.acquire(id);
    const jobPlan: RollbackJobPlan = { plan, survey: report.survey };
    store.create(id, { kind: "rollback", ...jobPlan });
    startRunner(config, id, {});
    return { job: id, preflight: checks };
}

/** The detached job process: secrets from stdin, then the steps. */
export async function runJobProcess(config: HelperConfig, id: string, secretsText: string): Promise<unknown> {
    const store = storeOf(config);
    checkJobId(id);
    const lock = new JobLock(config.stateDir);
    await lock.awaitHandover(id);
    try {
        const stored = store.plan<{ kind: string }>(id);
        if (stored.kind === "rollback")
            return await runJob(store, id, rollbackKind(config), stored as RollbackJobPlan & { kind: string }, {});
        const secrets = JSON.parse(secretsText) as UpgradeSecrets;
        return await runJob(store, id, upgradeKind(config), stored as UpgradeJobPlan & { kind: string }, secrets);
    } finally {
        lock.release(id);
        // the appliance disk and the seed are not needed once the job ended
        fs.rmSync(path.join(store.jobDir(id), "work"), { recursive: true, force: true });
    }
}

export function listJobs(config: HelperConfig): { running: string | null; jobs: (JobSummary & { logFile: string })[] } {
    const store = storeOf(config);
    const holder = new JobLock(config.stateDir).holder();
    // the log's path is what the page tells an administrator to read when a job failed
    const jobs = store.ids().map(id => {
        const summary = summarize(id, store.events(id), holder?.jobId === id);
        // a job just started has not journaled its first event yet: its plan says what it is
        if (summary.kind === "unknown")
            summary.kind = store.plan<{ kind?: string }>(id).kind ?? "unknown";
        return { ...summary, logFile: jobLogFile(config, id) };
    }).reverse();
    return { running: holder?.jobId ?? null, jobs };
}

/** Prints the job's events from its start, then follows it until it ends. */
export async function followJob(config: HelperConfig, id: string, print: (event: JobEvent) => void): Promise<JobSummary> {
    const store = storeOf(config);
    checkJobId(id);
    if (!store.exists(id))
        throw new HelperError("usage", id, `There is no job ${id}`);
    const lock = new JobLock(config.stateDir);
    let printed = 0;
    for (;;) {
        const events = store.events(id);
        for (const event of events.slice(printed))
            print(event);
        printed = events.length;
        const running = lock.holder()?.jobId === id;
        const summary = summarize(id, events, running);
        if (!running)
            return summary;
        await new Promise(resolve => setTimeout(resolve, 300));
    }
}

export function cancelJob(config: HelperConfig, id: string): { cancelled: boolean; message: string } {
    const store = storeOf(config);
    checkJobId(id);
    if (!store.exists(id))
        throw new HelperError("usage", id, `There is no job ${id}`);
    const summary = summarize(id, store.events(id), new JobLock(config.stateDir).holder()?.jobId === id);
    if (summary.state !== "running")
        throw new HelperError("refused", id, `Job ${id} is not running (${summary.state})`);
    if (summary.destructiveStarted)
        throw new HelperError("refused", id, `Job ${id} has already changed the engine VM or its disk and cannot be cancelled`,
                              "Let it finish; if it fails, roll back to its backup disk on the Rollback tab.");
    store.requestCancel(id);
    return { cancelled: true, message: `Job ${id} stops before its next step` };
}

/** The secrets a resumed job needs again, on stdin as {"adminPassword": ..., "rootPassword": ...}. */
export function parseSecrets(text: string): UpgradeSecrets {
    let data: { adminPassword?: unknown; rootPassword?: unknown };
    try {
        data = JSON.parse(text) as typeof data;
    } catch {
        throw new HelperError("usage", "secrets", "The secrets on stdin are not JSON");
    }
    if (typeof data.adminPassword !== "string" || data.adminPassword === "")
        throw new HelperError("usage", "secrets: adminPassword", "The engine admin password is needed on stdin to resume");
    if (data.rootPassword !== undefined && data.rootPassword !== null && typeof data.rootPassword !== "string")
        throw new HelperError("usage", "secrets: rootPassword", "rootPassword must be a string");
    return { adminPassword: data.adminPassword, rootPassword: (data.rootPassword as string | null | undefined) ?? null };
}

/** Resumes a job that died; an upgrade needs its secrets again on stdin, a rollback none. */
export async function resumeJob(config: HelperConfig, id: string, stdinText: string): Promise<{ job: string }> {
    const store = storeOf(config);
    checkJobId(id);
    if (!store.exists(id))
        throw new HelperError("usage", id, `There is no job ${id}`);
    const lock = new JobLock(config.stateDir);
    const holder = lock.holder();
    if (holder)
        throw new HelperError("refused", "job lock", holder.jobId === id ? `Job ${id} is running` : `Another job is running: ${holder.jobId}`);
    const summary = summarize(id, store.events(id), false);
    if (summary.state === "succeeded")
        throw new HelperError("refused", id, `Job ${id} already succeeded`);
    const secrets = store.plan<{ kind: string }>(id).kind === "rollback" ? {} : parseSecrets(stdinText);
    const dead = lock.lastHolder();
    if (dead?.jobId === id)
        await killLeftovers(dead.pid);
    lock.acquire(id);
    store.clearCancel(id);
    startRunner(config, id, secrets);
    return { job: id };
}
