// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Runs a job's named steps in the order the protocol's registry gives them.
 * Each step's start and end are journaled, so after a crash `resume` skips what
 * is done and redoes the step that was interrupted or failed (every apply must
 * be safe to run again from its start). What a step learns for later steps is
 * journaled with its "done" and restored on resume; a done step whose work
 * files are gone (a discarded job) runs again when a later step needs them.
 */

import fs from "node:fs";

import type { JobEvent, LogEvent, ResultEvent, ResultFigures, StepEvent } from "../../protocol/events";
import type { DowntimeEstimate } from "../../protocol/plans";
import type { JobKindName, StepId, StepSpec } from "../../protocol/steps";
import { text, type Text } from "../../protocol/text";
import { HelperError, toErrorReport } from "../errors";
import { now } from "./journal-time";
import type { JobStore } from "./store";

export interface StepContext<Plan, Secrets, Facts> {
    jobId: string;
    plan: Plan;
    secrets: Secrets;
    /** a fact an earlier step recorded; a missing one is an internal error (the registry says who makes it) */
    fact<K extends keyof Facts>(key: K): Facts[K];
    /** what earlier steps recorded, for the few that are optional */
    facts: Partial<Facts>;
    progress(done: number, total: number): void;
    log(level: LogEvent["level"], line: string, source?: string): void;
}

export type StepApply<Plan, Secrets, Facts> = (ctx: StepContext<Plan, Secrets, Facts>) => Promise<Partial<Facts>>;

/** What a job says at its end: a headline, what to do now, figures. */
export interface Outcome {
    message: Text;
    next: Text[];
    figures: ResultFigures;
}

export interface JobKind<Plan, Secrets, Facts> {
    kind: JobKindName;
    specs: readonly StepSpec<Facts>[];
    /** one apply for every spec, by id */
    apply: Record<string, StepApply<Plan, Secrets, Facts>>;
    succeeded(facts: Partial<Facts>): Outcome;
    failed(step: StepSpec<Facts>, error: Text, facts: Partial<Facts>, destructiveStarted: boolean): Outcome;
    /** what the job's start event carries of its plan for the page: an upgrade's downtime estimate */
    estimate?(plan: Plan): DowntimeEstimate | null;
}

function restored<Facts>(events: JobEvent[]): { done: Set<string>; facts: Partial<Facts> } {
    const done = new Set<string>();
    const facts: Record<string, unknown> = {};
    for (const event of events) {
        if (event.type === "step" && event.state === "done") {
            done.add(event.id);
            Object.assign(facts, event.facts ?? {});
        }
    }
    return { done, facts: facts as Partial<Facts> };
}

/*
 * Done steps that must run again: those whose work files are gone while a step
 * still to run needs them. Their facts are dropped so they are made anew.
 */
function staleProducers<Facts>(specs: readonly StepSpec<Facts>[], done: Set<string>, facts: Partial<Facts>): Set<string> {
    const needed = new Set(specs.filter(s => !done.has(s.id)).flatMap(s => s.needs));
    const stale = new Set<string>();
    for (const spec of specs) {
        if (!done.has(spec.id))
            continue;
        const missing = (spec.workFiles ?? []).some(key => {
            const file = facts[key];
            return needed.has(key) && (typeof file !== "string" || !fs.existsSync(file));
        });
        if (missing)
            stale.add(spec.id);
    }
    return stale;
}

export async function runJob<Plan, Secrets, Facts>(store: JobStore, jobId: string, kind: JobKind<Plan, Secrets, Facts>,
                                                   plan: Plan, secrets: Secrets): Promise<ResultEvent> {
    const previous = store.events(jobId);
    const attempt = previous.filter(e => e.type === "job").length + 1;
    const { done, facts } = restored<Facts>(previous);
    for (const id of staleProducers(kind.specs, done, facts)) {
        done.delete(id);
        for (const key of kind.specs.find(s => s.id === id)?.produces ?? [])
            delete facts[key];
    }
    const specs = kind.specs;
    const emit = (event: JobEvent) => store.append(jobId, event);
    const estimate = kind.estimate?.(plan) ?? null;
    emit({ type: "job", id: jobId, kind: kind.kind, time: now(), attempt,
        steps: specs.map(s => ({ id: s.id as StepId, title: s.title, destructive: s.destructive })),
        ...(estimate ? { estimate } : {}) });

    let destructiveStarted = previous.some(e => e.type === "step" && e.state !== "skipped" &&
        specs.find(s => s.id === e.id)?.destructive === true);
    for (const spec of specs) {
        const id = spec.id as StepId;
        const stepEvent = (state: StepEvent["state"], extra: Partial<StepEvent> = {}) =>
            emit({ type: "step", id, title: spec.title, state, time: now(), ...extra });
        if (done.has(spec.id)) {
            stepEvent("skipped");
            continue;
        }
        if (store.cancelRequested(jobId) && !destructiveStarted) {
            const result: ResultEvent = { type: "result", ok: false, time: now(), message: text("job.cancelled"),
                next: [text("job.cancelled.next")], failedStep: id, figures: {} };
            emit(result);
            return result;
        }
        const ctx: StepContext<Plan, Secrets, Facts> = {
            jobId,
            plan,
            secrets,
            facts,
            fact: key => {
                if (facts[key] === undefined)
                    throw new HelperError("internal", spec.id, text("job.fact-missing", { step: spec.id, fact: String(key) }));
                return facts[key] as Facts[typeof key];
            },
            progress: (doneBytes, total) => emit({ type: "progress", step: id, done: doneBytes, total }),
            log: (level, line, source) => emit({ type: "log", level, text: line, time: now(), ...(source ? { source } : {}) }),
        };
        stepEvent("running");
        if (spec.destructive)
            destructiveStarted = true;
        try {
            const apply = kind.apply[spec.id];
            if (!apply)
                throw new HelperError("internal", spec.id, text("job.step-unknown", { step: spec.id }));
            const learned = await apply(ctx);
            Object.assign(facts, learned);
            stepEvent("done", Object.keys(learned).length > 0 ? { facts: learned as Record<string, unknown> } : {});
        } catch (err) {
            const report = toErrorReport(err);
            stepEvent("failed", { message: report.text, ...(report.detail ? { detail: report.detail } : {}) });
            const result: ResultEvent = { type: "result", ok: false, time: now(), failedStep: id,
                ...kind.failed(spec, report.text, facts, destructiveStarted) };
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
