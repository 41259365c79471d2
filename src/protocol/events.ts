// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What a job tells the page, one JSON object a line: its steps' states, copy
 * progress, log lines (the appliance console among them) and a final result.
 * The journal on disk is exactly this list, so `follow` replays it from the
 * start and a resumed job knows which steps are done. `follow` ends with one
 * FollowEnd line.
 */

import type { DowntimeEstimate } from "./plans";
import type { JobKindName, StepId } from "./steps";
import type { Text } from "./text";

export type StepState = "running" | "done" | "failed" | "skipped";

export interface JobStartEvent {
    type: "job";
    id: string;
    kind: JobKindName;
    time: string;
    /** the steps the job will run, in order (titles in English, for scripts) */
    steps: { id: StepId; title: string; destructive: boolean }[];
    /** how many times the job was (re)started */
    attempt: number;
    /** an upgrade's downtime as its review estimated it */
    estimate?: DowntimeEstimate;
}

export interface StepEvent {
    type: "step";
    id: StepId;
    /** the step's title in English, for scripts */
    title: string;
    state: StepState;
    time: string;
    /** for a failed step: why */
    message?: Text;
    detail?: string;
    /** for a done step: what it learned for later steps */
    facts?: Record<string, unknown>;
}

export interface ProgressEvent {
    type: "progress";
    step: StepId;
    /** bytes, when the work is a copy or a write */
    done?: number;
    total?: number;
    /** 0..1 when only a fraction is known */
    fraction?: number;
}

export interface LogEvent {
    type: "log";
    level: "debug" | "info" | "warning" | "error";
    /** a line of a log: the appliance console's own words, or the helper's, in English */
    text: string;
    time: string;
    /** e.g. "appliance" for the appliance console's lines */
    source?: string;
}

export interface ResultFigures {
    downtimeSeconds?: number;
    bytesCopied?: number;
    /** bytes read from the appliance OVA (once: its size) */
    ovaBytesRead?: number;
    /** the job process's peak resident memory (this attempt) */
    peakMemoryBytes?: number;
}

export interface ResultEvent {
    type: "result";
    ok: boolean;
    message: Text;
    /** what the administrator should do now */
    next: Text[];
    /** the step that failed, when one did */
    failedStep?: StepId;
    figures: ResultFigures;
    time: string;
}

export type JobEvent = JobStartEvent | StepEvent | ProgressEvent | LogEvent | ResultEvent;

/**
 * Not journaled: where a reader met a journal line it could not read (a crash
 * tore it, a disk garbled it). `follow` prints it where the line was and goes
 * on with the events after it; `jobs` lists it with the job.
 */
export interface JournalWarning {
    type: "journal-warning";
    /** the line's number in the journal, from 1 */
    line: number;
    message: Text;
}

/** What `follow` prints before its FollowEnd. */
export type FollowLine = JobEvent | JournalWarning;

/** broken: its directory, plan or journal cannot be read (see JobSummary.problem) */
export type JobState = "running" | "succeeded" | "failed" | "interrupted" | "broken";

/** The last line of `follow`. */
export interface FollowEnd {
    type: "end";
    state: JobState;
}

export interface JobSummary {
    id: string;
    kind: JobKindName | "unknown";
    started: string | null;
    attempts: number;
    /** running: its process holds the lock; interrupted: it died before a result */
    state: JobState;
    result: ResultEvent | null;
    /** the last step reached, and whether anything destructive was done */
    lastStep: StepEvent | null;
    destructiveStarted: boolean;
    /** the job's log file (its process's output, never a secret) */
    logFile: string;
    /** journal lines that could not be read and were skipped */
    warnings: JournalWarning[];
    /** for a broken job: what is wrong with its files (named, never their contents) */
    problem: Text | null;
}

export interface JobsReport {
    running: string | null;
    jobs: JobSummary[];
}
