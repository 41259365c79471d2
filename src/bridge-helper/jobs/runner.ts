// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Runs a job's named steps in order. Each step has a check that changes
 * nothing and an apply whose start and end are journaled, so after a crash
 * `resume` skips what is done and redoes the step that was interrupted (every
 * apply must be safe to run again from its start). What a step learns for later
 * steps (a new disk's id, say) is journaled with its "done" and restored on resume.
 */

import { HelperError, toErrorReport } from "../errors";
import { now, type JobEvent, type LogEvent, type ResultEvent, type StepEvent } from "./events";
import type { JobStore } from "./store";

export type Facts = Record<string, unknown>;

export interface StepContext<Plan, Secrets> {
    jobId: string;
    plan: Plan;
    secrets: Secrets;
    /** what earlier steps recorded */
    facts: Facts;
    progress(done: number, total: number): void;
    log(level: LogEvent["level"], text: string, source?: string): void;
}

export interface Step<Plan, Secrets> {
    id: string;
    title: string;
    /** changes the engine VM, its disk or the storage: nothing destructive runs before every check has passed */
    destructive: boolean;
    /** verifies the step can run; changes nothing */
    check?(ctx: StepContext<Plan, Secrets>): Promise<void>;
    /** does the step; what it returns is recorded for later steps */
    apply(ctx: StepContext<Plan, Secrets>): Promise<Facts | void>;
}

export interface JobKind<Plan, Secrets> {
    kind: string;
    steps(plan: Plan): Step<Plan, Secrets>[];
    succeeded(facts: Facts): Omit<ResultEvent, "type" | "ok" | "time">;
    failed(step: Step<Plan, Secrets>, error: HelperError | Error, facts: Facts, destructiveStarted: boolean): Omit<ResultEvent, "type" | "ok" | "time">;
}

export class JobCancelled extends Error {}

function restoredFacts(events: JobEvent[]): { done: Set<string>; facts: Facts } {
    const done = new Set<string>();
    const facts: Facts = {};
    for (const event of events) {
        if (event.type === "step" && event.state === "done") {
            done.add(event.id);
            Object.assign(facts, (event as StepEvent & { facts?: Facts }).facts ?? {});
        }
    }
    return { done, facts };
}

export async function runJob<Plan, Secrets>(store: JobStore, jobId: string, kind: JobKind<Plan, Secrets>,
                                            plan: Plan, secrets: Secrets): Promise<ResultEvent> {
    const previous = store.events(jobId);
    const attempt = previous.filter(e => e.type === "job").length + 1;
    const { done, facts } = restoredFacts(previous);
    const steps = kind.steps(plan);
    const emit = (event: JobEvent) => store.append(jobId, event);
    emit({ type: "job", id: jobId, kind: kind.kind, time: now(), attempt,
        steps: steps.map(s => ({ id: s.id, title: s.title, destructive: s.destructive })) });

    let destructiveStarted = previous.some(e => e.type === "step" && e.state !== "skipped" &&
        steps.find(s => s.id === e.id)?.destructive === true);
    for (const step of steps) {
        const stepEvent = (state: StepEvent["state"], extra: Partial<StepEvent> & { facts?: Facts } = {}) =>
            emit({ type: "step", id: step.id, title: step.title, state, time: now(), ...extra });
        if (done.has(step.id)) {
            stepEvent("skipped", { message: "done before the job was resumed" });
            continue;
        }
        if (store.cancelRequested(jobId) && !destructiveStarted) {
            const result: ResultEvent = { type: "result", ok: false, time: now(), message: "Cancelled before anything was changed",
                next: ["Nothing was changed on the host or the storage."], failedStep: step.id, figures: {} };
            emit(result);
            return result;
        }
        const ctx: StepContext<Plan, Secrets> = {
            jobId,
            plan,
            secrets,
            facts,
            progress: (doneBytes, total) => emit({ type: "progress", step: step.id, done: doneBytes, total }),
            log: (level, text, source) => emit({ type: "log", level, text, time: now(), ...(source ? { source } : {}) }),
        };
        stepEvent("running");
        if (step.destructive)
            destructiveStarted = true;
        try {
            await step.check?.(ctx);
            const learned = await step.apply(ctx) ?? {};
            Object.assign(facts, learned);
            stepEvent("done", Object.keys(learned).length > 0 ? { facts: learned } : {});
        } catch (err) {
            const report = toErrorReport(err);
            stepEvent("failed", { message: report.message, ...(report.detail ? { detail: report.detail } : {}) });
            const result: ResultEvent = { type: "result", ok: false, time: now(), failedStep: step.id,
                ...kind.failed(step, err as Error, facts, destructiveStarted) };
            emit(result);
            return result;
        }
    }
    const succeeded = kind.succeeded(facts);
    const result: ResultEvent = { type: "result", ok: true, time: now(), ...succeeded,
        figures: { ...succeeded.figures, peakMemoryBytes: process.resourceUsage().maxRSS * 1024 } };
    emit(result);
    return result;
}
