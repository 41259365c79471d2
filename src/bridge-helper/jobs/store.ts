// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Jobs on disk, under the helper's state directory (root's; its directories
 * let vdsm and qemu pass to the work files handed to them, see identities.ts):
 *   jobs/<id>/plan.json      the job's parameters, without secrets
 *   jobs/<id>/journal.jsonl  every event, appended and fsync'ed as it happens
 *   jobs/<id>/cancel         present when a cancel was requested
 *   jobs/<id>/work/          the job's work files (the extracted appliance, the seed)
 *   lock                     the running job's id and pid: one job at a time
 * The journal is what makes a crash resumable: each destructive step is
 * recorded as running before it starts and done after it finished. The work
 * files outlive the job's process, so a resumed job need not make them again;
 * they go when the job ends for good (see kinds.ts).
 */

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { passableDir } from "../host/identities";

import type { JobEvent, JobStartEvent, JobSummary, ResultEvent, StepEvent } from "../../protocol/events";
import { text } from "../../protocol/text";
import { HelperError } from "../errors";

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
        fs.writeFileSync(path.join(this.jobDir(id), "plan.json"), JSON.stringify(plan, null, 2) + "\n", { mode: 0o600 });
        fs.writeFileSync(path.join(this.jobDir(id), "journal.jsonl"), "", { mode: 0o600 });
    }

    exists(id: string): boolean {
        return fs.existsSync(path.join(this.jobDir(id), "journal.jsonl"));
    }

    /** Where the job keeps its work files; made by the steps that need it. */
    workDir(id: string): string {
        return path.join(this.jobDir(id), "work");
    }

    removeWork(id: string): void {
        fs.rmSync(this.workDir(id), { recursive: true, force: true });
    }

    plan<T>(id: string): T {
        return JSON.parse(fs.readFileSync(path.join(this.jobDir(id), "plan.json"), "utf8")) as T;
    }

    journalPath(id: string): string {
        return path.join(this.jobDir(id), "journal.jsonl");
    }

    /** Appends one event and makes sure it is on disk before the caller goes on. */
    append(id: string, event: JobEvent): void {
        const fd = fs.openSync(this.journalPath(id), "a", 0o600);
        try {
            fs.writeSync(fd, JSON.stringify(event) + "\n");
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
    }

    events(id: string): JobEvent[] {
        const text = fs.readFileSync(this.journalPath(id), "utf8");
        // a crash may leave a torn last line: ignore what does not parse at the end
        const events: JobEvent[] = [];
        for (const line of text.split("\n")) {
            if (line.trim() === "")
                continue;
            try {
                events.push(JSON.parse(line) as JobEvent);
            } catch {
                break;
            }
        }
        return events;
    }

    ids(): string[] {
        const dir = path.join(this.dir, "jobs");
        return fs.existsSync(dir) ? fs.readdirSync(dir).filter(n => JOB_ID_PATTERN.test(n)).sort() : [];
    }

    requestCancel(id: string): void {
        fs.writeFileSync(path.join(this.jobDir(id), "cancel"), "", { mode: 0o600 });
    }

    cancelRequested(id: string): boolean {
        return fs.existsSync(path.join(this.jobDir(id), "cancel"));
    }

    clearCancel(id: string): void {
        fs.rmSync(path.join(this.jobDir(id), "cancel"), { force: true });
    }
}

/** A job's state from its journal; `running` says whether its process holds the lock. */
export function summarize(id: string, events: JobEvent[], running: boolean): Omit<JobSummary, "logFile"> {
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
    };
}
