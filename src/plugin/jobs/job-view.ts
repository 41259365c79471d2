// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the progress view shows of a job, folded from its events in order.
 * `follow` replays the journal from the start, so a page that attaches late (a
 * reload, another browser) builds the same view as one that watched it all.
 * A resumed job starts again with a new "job" event: its steps keep the state
 * the earlier attempts reached, and "skipped" (done before the resume) counts as done.
 */

import {
    ENGINE_DOWN_STEP, ENGINE_UP_STEP,
    type DowntimeEstimate, type FollowLine, type JobEvent, type JobKindName, type JournalWarning, type LogEvent, type ResultEvent, type StepId, type StepState, type Text,
} from "../../protocol";

export type StepViewState = "pending" | StepState;

export interface StepView {
    id: StepId;
    /** the helper's English title, for a step this page does not know */
    title: string;
    destructive: boolean;
    state: StepViewState;
    /** ISO time the step last started running */
    startedAt: string | null;
    endedAt: string | null;
    /** why a failed step failed */
    message: Text | null;
    detail: string | null;
}

export interface ProgressView {
    step: StepId;
    done: number | null;
    total: number | null;
    /** 0..1 */
    fraction: number;
}

export interface JobView {
    id: string | null;
    kind: JobKindName | null;
    attempt: number;
    steps: StepView[];
    /** the latest progress of the step that is running, if it reports any */
    progress: ProgressView | null;
    logs: LogEvent[];
    result: ResultEvent | null;
    /** when the engine VM was asked to shut down, and when the new engine answered: the downtime clock */
    engineDownSince: string | null;
    engineUpAt: string | null;
    /** an upgrade's downtime as its review estimated it */
    estimate: DowntimeEstimate | null;
    /** journal lines the helper could not read (a crash tore them): the events after them are shown all the same */
    warnings: JournalWarning[];
}

/* A long appliance console would slow the page: keep the newest lines. */
export const MAX_LOG_LINES = 2000;

export const emptyJobView = (): JobView => ({
    id: null, kind: null, attempt: 0, steps: [], progress: null, logs: [], result: null,
    engineDownSince: null, engineUpAt: null, estimate: null, warnings: [],
});

function withStep(view: JobView, id: StepId, change: (step: StepView) => StepView): StepView[] {
    return view.steps.map(step => (step.id === id ? change(step) : step));
}

export function applyJobEvent(view: JobView, event: FollowLine): JobView {
    switch (event.type) {
    case "job": {
        const previous = new Map(view.steps.map(s => [s.id, s]));
        return {
            ...view,
            id: event.id,
            kind: event.kind,
            attempt: event.attempt,
            estimate: event.estimate ?? view.estimate,
            // a new attempt: a result written before it no longer ends the job
            result: null,
            progress: null,
            steps: event.steps.map(s => {
                const known = previous.get(s.id);
                // a step that was running when the job died runs again
                const state = known && known.state !== "running" ? known.state : "pending";
                return known ? { ...known, state } : {
                    id: s.id, title: s.title, destructive: s.destructive, state: "pending",
                    startedAt: null, endedAt: null, message: null, detail: null,
                };
            }),
        };
    }
    case "step": {
        if (!view.steps.some(s => s.id === event.id))
            return view;
        if (event.state === "skipped") {
            // done by an earlier attempt: keep what that attempt recorded
            return { ...view, steps: withStep(view, event.id, s => ({ ...s, state: s.state === "done" ? "done" : "skipped" })) };
        }
        const running = event.state === "running";
        const steps = withStep(view, event.id, s => ({
            ...s,
            state: event.state,
            startedAt: running ? event.time : s.startedAt,
            endedAt: running ? null : event.time,
            message: event.message ?? null,
            detail: event.detail ?? null,
        }));
        let { engineDownSince, engineUpAt } = view;
        if (event.id === ENGINE_DOWN_STEP && running && engineDownSince === null)
            engineDownSince = event.time;
        if (event.id === ENGINE_UP_STEP && event.state === "done")
            engineUpAt = event.time;
        // a step that starts has no progress yet; one that ends has none any more
        const progress = running || view.progress?.step === event.id ? null : view.progress;
        return { ...view, steps, engineDownSince, engineUpAt, progress };
    }
    case "progress": {
        let fraction = event.fraction ?? 0;
        if (event.done !== undefined && event.total)
            fraction = event.done / event.total;
        return {
            ...view,
            progress: {
                step: event.step,
                done: event.done ?? null,
                total: event.total ?? null,
                fraction: Math.max(0, Math.min(1, fraction)),
            },
        };
    }
    case "log": {
        const logs = view.logs.length >= MAX_LOG_LINES ? view.logs.slice(view.logs.length - MAX_LOG_LINES + 1) : view.logs.slice();
        logs.push(event);
        return { ...view, logs };
    }
    case "result":
        return { ...view, result: event, progress: null };
    case "journal-warning":
        return { ...view, warnings: [...view.warnings, event] };
    default:
        return view;
    }
}

export function jobViewOf(events: JobEvent[]): JobView {
    return events.reduce(applyJobEvent, emptyJobView());
}

/** Seconds the engine has been (or was) down; null while it still runs or for jobs that do not stop it. */
export function downtimeSeconds(view: JobView, nowMs: number): number | null {
    if (view.engineDownSince === null)
        return null;
    const end = view.engineUpAt ?? (view.result ? view.result.time : null);
    const endMs = end === null ? nowMs : Date.parse(end);
    return Math.max(0, Math.round((endMs - Date.parse(view.engineDownSince)) / 1000));
}

/** Average bytes a second of the running copy since its step started. */
export function transferRate(view: JobView, nowMs: number): number | null {
    const progress = view.progress;
    if (!progress || progress.done === null)
        return null;
    const step = view.steps.find(s => s.id === progress.step);
    if (!step?.startedAt)
        return null;
    const seconds = (nowMs - Date.parse(step.startedAt)) / 1000;
    return seconds > 0.5 ? progress.done / seconds : null;
}

/** The appliance console's lines (the setup channel), for the expandable log. */
export function consoleLines(view: JobView): LogEvent[] {
    return view.logs.filter(l => l.source === "appliance");
}
