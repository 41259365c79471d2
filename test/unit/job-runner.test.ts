// SPDX-License-Identifier: LGPL-2.1-or-later

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { HelperError } from "../../src/bridge-helper/errors";
import type { JobEvent, StepEvent } from "../../src/bridge-helper/jobs/events";
import { JobLock } from "../../src/bridge-helper/jobs/lock";
import { runJob, type JobKind, type Step } from "../../src/bridge-helper/jobs/runner";
import { checkJobId, JobStore, newJobId, summarize } from "../../src/bridge-helper/jobs/store";

let dir: string;
let store: JobStore;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-jobs-"));
    store = new JobStore(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

type Plan = { failAt: string | null };
type Secrets = { password: string };

/* A job whose steps record what ran, one of them failing on request. */
function kind(ran: string[]): JobKind<Plan, Secrets> {
    const step = (id: string, destructive: boolean, facts?: Record<string, unknown>): Step<Plan, Secrets> => ({
        id,
        title: `Step ${id}`,
        destructive,
        apply: async ctx => {
            ran.push(id);
            ctx.progress(50, 100);
            if (ctx.plan.failAt === id)
                throw new HelperError("command-failed", id, `${id} broke`, "details");
            return facts;
        },
    });
    return {
        kind: "test",
        steps: () => [step("check", false), step("create", false, { diskId: "d-1" }), step("overwrite", true), step("boot", true)],
        succeeded: facts => ({ message: `done with ${String(facts.diskId)}`, next: [], figures: {} }),
        failed: (s, err, facts, destructive) => ({ message: `${s.id}: ${err.message}`, next: destructive ? ["roll back"] : ["nothing changed"], figures: {} }),
    };
}

const steps = (events: JobEvent[]) => events.filter((e): e is StepEvent => e.type === "step").map(e => `${e.id}:${e.state}`);

describe("runJob", () => {
    test("runs every step in order, journaling each start and end, and the result", async () => {
        const id = newJobId();
        store.create(id, { failAt: null });
        const ran: string[] = [];
        const result = await runJob(store, id, kind(ran), { failAt: null }, { password: "s3cret" });
        expect(result).toMatchObject({ ok: true, message: "done with d-1" });
        expect(ran).toEqual(["check", "create", "overwrite", "boot"]);
        const events = store.events(id);
        expect(steps(events)).toEqual(["check:running", "check:done", "create:running", "create:done", "overwrite:running",
            "overwrite:done", "boot:running", "boot:done"]);
        expect(events.some(e => e.type === "progress" && e.step === "create" && e.done === 50)).toBe(true);
        expect(fs.readFileSync(store.journalPath(id), "utf8")).not.toContain("s3cret");
        expect(summarize(id, events, false)).toMatchObject({ state: "succeeded", kind: "test", attempts: 1, destructiveStarted: true });
    });

    test("a failing step stops the job with its reason; resume skips what is done and keeps its facts", async () => {
        const id = newJobId();
        store.create(id, {});
        const ran: string[] = [];
        const failed = await runJob(store, id, kind(ran), { failAt: "overwrite" }, { password: "x" });
        expect(failed).toMatchObject({ ok: false, failedStep: "overwrite", message: "overwrite: overwrite broke", next: ["roll back"] });
        expect(summarize(id, store.events(id), false).state).toBe("failed");

        const resumed = await runJob(store, id, kind(ran), { failAt: null }, { password: "x" });
        expect(resumed).toMatchObject({ ok: true, message: "done with d-1" });
        expect(ran).toEqual(["check", "create", "overwrite", "overwrite", "boot"]);
        expect(steps(store.events(id)).slice(-6)).toEqual(["check:skipped", "create:skipped", "overwrite:running", "overwrite:done",
            "boot:running", "boot:done"]);
        expect(summarize(id, store.events(id), false)).toMatchObject({ state: "succeeded", attempts: 2 });
    });

    test("a cancel before the first destructive step stops the job with nothing changed", async () => {
        const id = newJobId();
        store.create(id, {});
        store.requestCancel(id);
        const ran: string[] = [];
        const result = await runJob(store, id, kind(ran), { failAt: null }, { password: "x" });
        expect(result).toMatchObject({ ok: false, message: "Cancelled before anything was changed" });
        expect(ran).toEqual([]);
    });

    test("a job that died mid-step is interrupted, not failed", () => {
        const id = newJobId();
        store.create(id, {});
        store.append(id, { type: "job", id, kind: "test", time: "t", attempt: 1, steps: [{ id: "overwrite", title: "o", destructive: true }] });
        store.append(id, { type: "step", id: "overwrite", title: "o", state: "running", time: "t" });
        fs.appendFileSync(store.journalPath(id), "{\"type\":\"progr");
        const summary = summarize(id, store.events(id), false);
        expect(summary).toMatchObject({ state: "interrupted", destructiveStarted: true, lastStep: { id: "overwrite", state: "running" } });
    });
});

describe("JobLock", () => {
    test("refuses a second job with the running job's id, and takes over a stale lock", () => {
        const lock = new JobLock(dir);
        lock.acquire("20261125T031500-aaaaaa");
        expect(() => lock.acquire("20261125T031600-bbbbbb")).toThrow("Another job is running: 20261125T031500-aaaaaa");
        // a process id that does not exist: the holder crashed
        lock.transfer("20261125T031500-aaaaaa", 2 ** 22 + 12345);
        expect(lock.holder()).toBeNull();
        lock.acquire("20261125T031600-bbbbbb");
        expect(lock.holder()?.jobId).toBe("20261125T031600-bbbbbb");
        lock.release("20261125T031600-bbbbbb");
        expect(lock.holder()).toBeNull();
    });

    test("the detached runner waits for the hand-over instead of racing the process that started it", async () => {
        const starter = new JobLock(dir);
        starter.acquire("20261125T031500-aaaaaa");
        let handedOver = false;
        const runner = new JobLock(dir).awaitHandover("20261125T031500-aaaaaa", 4242).then(() => handedOver);
        await new Promise(resolve => setTimeout(resolve, 100));
        handedOver = true;
        starter.transfer("20261125T031500-aaaaaa", 4242);
        expect(await runner).toBe(true);
        await expect(new JobLock(dir).awaitHandover("20261125T031600-bbbbbb", 4243)).rejects.toThrow("Another job is running: 20261125T031500-aaaaaa");
    });
});

test("job ids are checked before they reach a path", () => {
    expect(checkJobId(newJobId())).toMatch(/^[0-9]{8}T[0-9]{6}-[0-9a-f]{6}$/);
    expect(() => checkJobId("../../etc")).toThrow(/is not a job id/);
});
