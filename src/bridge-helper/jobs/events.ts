// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What a job tells the page, one JSON object a line: its steps' states, copy
 * progress, log lines (the appliance console among them) and a final result.
 * The journal on disk is exactly this list, so `follow` replays it from the
 * start and a resumed job knows which steps are done.
 */

export type StepState = "running" | "done" | "failed" | "skipped";

export interface JobStartEvent {
    type: "job";
    id: string;
    kind: string;
    time: string;
    /** the steps the job will run, in order */
    steps: { id: string; title: string; destructive: boolean }[];
    /** how many times the job was (re)started */
    attempt: number;
}

export interface StepEvent {
    type: "step";
    id: string;
    title: string;
    state: StepState;
    time: string;
    /** for a failed step: why */
    message?: string;
    detail?: string;
}

export interface ProgressEvent {
    type: "progress";
    step: string;
    /** bytes, when the work is a copy or a write */
    done?: number;
    total?: number;
    /** 0..1 when only a fraction is known */
    fraction?: number;
}

export interface LogEvent {
    type: "log";
    level: "debug" | "info" | "warning" | "error";
    text: string;
    time: string;
    /** e.g. "appliance" for the appliance console's lines */
    source?: string;
}

export interface ResultEvent {
    type: "result";
    ok: boolean;
    message: string;
    /** what the administrator should do now */
    next: string[];
    /** the step that failed, when one did */
    failedStep?: string;
    figures: {
        downtimeSeconds?: number;
        bytesCopied?: number;
        /** bytes read from the appliance OVA (once: its size) */
        ovaBytesRead?: number;
        /** the job process's peak resident memory (this attempt) */
        peakMemoryBytes?: number;
    };
    time: string;
}

export type JobEvent = JobStartEvent | StepEvent | ProgressEvent | LogEvent | ResultEvent;

export const now = (): string => new Date().toISOString();
