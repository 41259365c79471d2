// SPDX-License-Identifier: LGPL-2.1-or-later

/* Reading a helper job's journal in the sim's state directory, killing it mid-step like a crash, following it to its end. */

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { JobEvent, ResultEvent } from "../../src/protocol";
import { HELPER, HELPER_NODE } from "./sim-control";

export function journal(simDir: string, job: string): JobEvent[] {
    const file = path.join(simDir, "helper/state/jobs", job, "journal.jsonl");
    return fs.readFileSync(file, "utf8").split("\n").filter(Boolean).flatMap(l => {
        try {
            return [JSON.parse(l) as JobEvent];
        } catch {
            return [];
        }
    });
}

/** SIGKILLs the job's process as soon as `step` runs; false when the job ended first. */
export async function killWhenRunning(simDir: string, job: string, step: string): Promise<boolean> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
        const events = journal(simDir, job);
        const last = events.filter(e => e.type === "step").pop() as { id: string; state: string } | undefined;
        if (last?.id === step && last.state === "running") {
            const lock = JSON.parse(fs.readFileSync(path.join(simDir, "helper/state/lock"), "utf8")) as { pid: number };
            process.kill(lock.pid, "SIGKILL");
            return true;
        }
        if (events.some(e => e.type === "result"))
            return false;
        await new Promise(resolve => setTimeout(resolve, 20));
    }
    throw new Error(`step ${step} never ran`);
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
