// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Reading a helper job's journal in the sim's state directory, crashing its
 * process at a chosen point, following it to its end.
 *
 * A crash point is found by polling the journal (only what was appended since
 * the last look, every few ms) and, the moment it is seen, SIGSTOPping the
 * job's whole process group: the runner leads its own group, and it is the
 * journal's only writer, so the stopped journal shows exactly where the crash
 * lands. Only then is the runner SIGKILLed. No test hook in the helper: the
 * helper built for tests is the one shipped.
 */

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { JobEvent, ResultEvent } from "../../src/protocol";
import { processGroupMembers } from "../../src/bridge-helper/jobs/lock";
import { HELPER, HELPER_NODE } from "./sim-control";

const journalFile = (simDir: string, job: string) => path.join(simDir, "helper/state/jobs", job, "journal.jsonl");

function parseLines(text: string): JobEvent[] {
    return text.split("\n").filter(Boolean).flatMap(l => {
        try {
            return [JSON.parse(l) as JobEvent];
        } catch {
            return [];
        }
    });
}

export function journal(simDir: string, job: string): JobEvent[] {
    return parseLines(fs.readFileSync(journalFile(simDir, job), "utf8"));
}

/** The job's pid from the lock; only jobId and pid are read, whatever else the lock may carry. */
function lockedPid(simDir: string, job: string): number {
    const lock = JSON.parse(fs.readFileSync(path.join(simDir, "helper/state/lock"), "utf8")) as { jobId?: string; pid?: number };
    if (lock.jobId !== job || typeof lock.pid !== "number")
        throw new Error(`the lock names ${lock.jobId} (pid ${lock.pid}), not job ${job}`);
    return lock.pid;
}

function isDead(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
    } catch {
        return true;
    }
}

/** SIGKILLs the job's process as soon as `step` runs; false when the job ended first. */
export async function killWhenRunning(simDir: string, job: string, step: string): Promise<boolean> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
        const events = journal(simDir, job);
        const last = events.filter(e => e.type === "step").pop() as { id: string; state: string } | undefined;
        if (last?.id === step && last.state === "running") {
            process.kill(lockedPid(simDir, job), "SIGKILL");
            return true;
        }
        if (events.some(e => e.type === "result"))
            return false;
        await new Promise(resolve => setTimeout(resolve, 20));
    }
    throw new Error(`step ${step} never ran`);
}

/**
 * Where a crash lands, in one attempt of the job (the n-th "job" event of its journal):
 *  before STEP  the step before STEP is done (or skipped) and STEP is not done: it has at most just journaled "running"
 *  during STEP  STEP runs: journaled "running", not "done"; `progress` waits for its first progress event, `afterMs` longer
 *  after STEP   STEP is done; the next step has at most just started
 * A "before" and the "after" of the step before are the same journal boundary: nothing runs between a "done" and the
 * next "running" but the runner's own bookkeeping.
 */
export interface CrashPoint {
    at: "before" | "during" | "after";
    step: string;
    attempt: number;
    progress?: boolean;
    afterMs?: number;
}

export interface Landed {
    pid: number;
    /** the step events of the attempt as the stopped journal has them, "id:state" */
    steps: string[];
}

/** How long each step took, from its journaled "running" to its "done" (ms), in the last attempt that finished it. */
export function stepDurations(events: JobEvent[]): Map<string, number> {
    const started = new Map<string, number>();
    const took = new Map<string, number>();
    for (const event of events) {
        if (event.type !== "step")
            continue;
        if (event.state === "running")
            started.set(event.id, Date.parse(event.time));
        else if (event.state === "done" && started.has(event.id))
            took.set(event.id, Date.parse(event.time) - started.get(event.id)!);
    }
    return took;
}

/** Each step's last state in the attempt, and whether it saw progress since it started. */
function attemptState(events: JobEvent[], attempt: number): { order: string[]; state: Map<string, string>; progressed: Set<string>; ended: boolean } | null {
    const starts = events.map((e, i) => (e.type === "job" ? i : -1)).filter(i => i >= 0);
    if (starts.length < attempt)
        return null;
    const first = events[starts[attempt - 1]] as { steps: { id: string }[] };
    const state = new Map<string, string>();
    const progressed = new Set<string>();
    let ended = false;
    for (const event of events.slice(starts[attempt - 1], starts[attempt] ?? events.length)) {
        if (event.type === "step")
            state.set(event.id, event.state);
        else if (event.type === "progress")
            progressed.add(event.step);
        else if (event.type === "result")
            ended = true;
    }
    return { order: first.steps.map(s => s.id), state, progressed, ended };
}

function reached(point: CrashPoint, s: NonNullable<ReturnType<typeof attemptState>>): boolean {
    const finished = (id: string | undefined) => id !== undefined && ["done", "skipped"].includes(s.state.get(id) ?? "");
    const index = s.order.indexOf(point.step);
    if (index < 0)
        throw new Error(`the job has no step ${point.step}`);
    switch (point.at) {
    case "before":
        return (index === 0 || finished(s.order[index - 1])) && !finished(point.step);
    case "during":
        return s.state.get(point.step) === "running" && (!point.progress || s.progressed.has(point.step));
    case "after":
        return s.state.get(point.step) === "done";
    }
}

/**
 * Polls the journal until `point` is reached and stops the job's process group there. Throws when the job
 * ended, or passed the point before it was seen (a "during" of a step quicker than the polling).
 */
export async function stopAt(simDir: string, job: string, point: CrashPoint, timeoutMs = 180_000): Promise<Landed> {
    const file = journalFile(simDir, job);
    const deadline = Date.now() + timeoutMs;
    const events: JobEvent[] = [];
    let offset = 0;
    let partial = "";
    let seenAt: number | null = null;
    const describe = `${point.at} ${point.step} (attempt ${point.attempt})`;
    while (Date.now() < deadline) {
        const fd = fs.openSync(file, "r");
        try {
            const size = fs.fstatSync(fd).size;
            if (size > offset) {
                const buffer = Buffer.alloc(size - offset);
                fs.readSync(fd, buffer, 0, buffer.length, offset);
                offset = size;
                const text = partial + buffer.toString("utf8");
                const cut = text.lastIndexOf("\n") + 1;
                partial = text.slice(cut);
                events.push(...parseLines(text.slice(0, cut)));
            }
        } finally {
            fs.closeSync(fd);
        }
        const s = attemptState(events, point.attempt);
        if (s?.ended)
            throw new Error(`the job ended before ${describe}`);
        if (s && reached(point, s)) {
            seenAt ??= Date.now();
            if (Date.now() - seenAt >= (point.afterMs ?? 0)) {
                const pid = lockedPid(simDir, job);
                process.kill(-pid, "SIGSTOP");
                const frozen = attemptState(journal(simDir, job), point.attempt);
                if (!frozen || frozen.ended || !reached(point, frozen)) {
                    process.kill(-pid, "SIGCONT");
                    throw new Error(`the job passed ${describe} before it was stopped`);
                }
                return { pid, steps: [...frozen.state].map(([id, state]) => `${id}:${state}`) };
            }
        } else if (seenAt !== null) {
            throw new Error(`the job passed ${describe} while the test waited ${point.afterMs} ms`);
        }
        await new Promise(resolve => setTimeout(resolve, 5));
    }
    throw new Error(`the job never reached ${describe}`);
}

/**
 * The crash of a job stopped by `stopAt`: its runner is SIGKILLed. What it started (qemu-img, guestfish) carries on
 * as after a real crash of the helper, until `resume` ends it; `reboot` kills them all too, as the host's reboot does.
 */
export async function crash(landed: Landed, options: { reboot?: boolean } = {}): Promise<void> {
    process.kill(landed.pid, "SIGKILL");
    process.kill(-landed.pid, options.reboot ? "SIGKILL" : "SIGCONT");
    const deadline = Date.now() + 30_000;
    while (!isDead(landed.pid) || (options.reboot && processGroupMembers(landed.pid).length > 0)) {
        if (Date.now() > deadline)
            throw new Error(`process ${landed.pid} (or its group) outlived its SIGKILL`);
        await new Promise(resolve => setTimeout(resolve, 20));
    }
}

/** `helper follow JOB` until it exits: every event, and the last result. */
export async function followToEnd(helperConfig: string, job: string): Promise<{ events: JobEvent[]; result: ResultEvent | undefined }> {
    const follower = spawn(HELPER_NODE, [HELPER, "follow", job], { env: { ...process.env, HE_HELPER_CONFIG: helperConfig } });
    let out = "";
    follower.stdout.on("data", chunk => { out += chunk; });
    await new Promise(resolve => follower.on("exit", resolve));
    const events = out.trim().split("\n").map(l => JSON.parse(l) as JobEvent);
    const results = events.filter((e): e is ResultEvent => e.type === "result");
    return { events, result: results[results.length - 1] };
}
