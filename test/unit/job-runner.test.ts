// SPDX-License-Identifier: LGPL-2.1-or-later

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { JobEvent, StepEvent } from "../../src/protocol/events";
import type { StepSpec } from "../../src/protocol/steps";
import type { Text } from "../../src/protocol/text";
import { defaultConfig, type HelperConfig } from "../../src/bridge-helper/config";
import { HelperError } from "../../src/bridge-helper/errors";
import { discardJob, resumeNeedsSecrets } from "../../src/bridge-helper/jobs/control";
import { JOB_KINDS } from "../../src/bridge-helper/jobs/kinds";
import { JobLock } from "../../src/bridge-helper/jobs/lock";
import { runJob, type JobKind, type StepApply } from "../../src/bridge-helper/jobs/runner";
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
interface Facts {
    /** a work file: made by "extract" in the job's work directory, needed by "write" */
    appliance: string;
    diskId: string;
}

/* a Text whose English is the given words: the runner passes Texts through as they are */
const legacy = (words: string): Text => ({ code: "internal.unexpected", params: {}, english: words });

/* The test job's registry, like the protocol's: which step makes which fact, which needs it, which facts are work files. */
const SPECS: readonly StepSpec<Facts>[] = [
    { id: "check", title: "Step check", destructive: false, produces: [], needs: [] },
    { id: "extract", title: "Step extract", destructive: false, produces: ["appliance"], needs: [], workFiles: ["appliance"] },
    { id: "create", title: "Step create", destructive: false, produces: ["diskId"], needs: [] },
    { id: "overwrite", title: "Step overwrite", destructive: true, produces: [], needs: [] },
    { id: "write", title: "Step write", destructive: true, produces: [], needs: ["appliance"] },
    { id: "boot", title: "Step boot", destructive: true, produces: [], needs: ["diskId"] },
];

/* A job whose steps record what ran, one of them failing on request; "write" records which appliance file it used. */
function kind(ran: string[], id: string, written: string[] = []): JobKind<Plan, Secrets, Facts> {
    const step = (name: string, learn: StepApply<Plan, Secrets, Facts> = async () => ({})): StepApply<Plan, Secrets, Facts> => async ctx => {
        ran.push(name);
        ctx.progress(50, 100);
        if (ctx.plan.failAt === name)
            throw new HelperError("command-failed", name, legacy(`${name} broke`), "details");
        return learn(ctx);
    };
    return {
        kind: "upgrade",
        specs: SPECS,
        apply: {
            check: step("check"),
            extract: step("extract", async () => {
                fs.mkdirSync(store.workDir(id), { recursive: true });
                const file = path.join(store.workDir(id), `appliance-${ran.length}.img`);
                fs.writeFileSync(file, "disk");
                return { appliance: file };
            }),
            create: step("create", async () => ({ diskId: "d-1" })),
            overwrite: step("overwrite"),
            write: step("write", async ctx => {
                const file = ctx.fact("appliance");
                if (!fs.existsSync(file))
                    throw new HelperError("internal", "write", legacy(`${file} is gone`));
                written.push(path.basename(file));
                return {};
            }),
            boot: step("boot"),
        },
        succeeded: facts => ({ message: legacy(`done with ${String(facts.diskId)}`), next: [], figures: {} }),
        failed: (s, err, _facts, destructive) => ({
            message: legacy(`${s.id}: ${err.english}`), next: [legacy(destructive ? "roll back" : "nothing changed")], figures: {},
        }),
    };
}

const steps = (events: JobEvent[]) => events.filter((e): e is StepEvent => e.type === "step").map(e => `${e.id}:${e.state}`);
const english = (texts: Text[]) => texts.map(t => t.english);

describe("runJob", () => {
    test("runs every step in order, journaling each start and end, and the result", async () => {
        const id = newJobId();
        store.create(id, { failAt: null });
        const ran: string[] = [];
        const result = await runJob(store, id, kind(ran, id), { failAt: null }, { password: "s3cret" });
        expect(result).toMatchObject({ ok: true, message: { english: "done with d-1" } });
        expect(ran).toEqual(["check", "extract", "create", "overwrite", "write", "boot"]);
        const events = store.events(id);
        expect(steps(events).slice(0, 6)).toEqual(["check:running", "check:done", "extract:running", "extract:done", "create:running", "create:done"]);
        expect(events.some(e => e.type === "progress" && (e.step as string) === "create" && e.done === 50)).toBe(true);
        expect(fs.readFileSync(store.journalPath(id), "utf8")).not.toContain("s3cret");
        expect(summarize(id, events, false)).toMatchObject({ state: "succeeded", kind: "upgrade", attempts: 1, destructiveStarted: true });
    });

    test("a failing step stops the job with its reason; resume skips what is done and keeps its facts", async () => {
        const id = newJobId();
        store.create(id, {});
        const ran: string[] = [];
        const failed = await runJob(store, id, kind(ran, id), { failAt: "overwrite" }, { password: "x" });
        expect(failed).toMatchObject({ ok: false, failedStep: "overwrite", message: { english: "overwrite: overwrite broke" } });
        expect(english(failed.next)).toEqual(["roll back"]);
        const failedStep = store.events(id).find((e): e is StepEvent => e.type === "step" && e.state === "failed");
        expect(failedStep).toMatchObject({ id: "overwrite", message: { code: "internal.unexpected", english: "overwrite broke" }, detail: "details" });
        expect(summarize(id, store.events(id), false).state).toBe("failed");

        const resumed = await runJob(store, id, kind(ran, id), { failAt: null }, { password: "x" });
        expect(resumed).toMatchObject({ ok: true, message: { english: "done with d-1" } });
        expect(ran).toEqual(["check", "extract", "create", "overwrite", "overwrite", "write", "boot"]);
        expect(steps(store.events(id)).slice(-9)).toEqual(["check:skipped", "extract:skipped", "create:skipped", "overwrite:running",
            "overwrite:done", "write:running", "write:done", "boot:running", "boot:done"]);
        expect(summarize(id, store.events(id), false)).toMatchObject({ state: "succeeded", attempts: 2 });
    });

    test("a cancel before the first destructive step stops the job with nothing changed", async () => {
        const id = newJobId();
        store.create(id, {});
        store.requestCancel(id);
        const ran: string[] = [];
        const result = await runJob(store, id, kind(ran, id), { failAt: null }, { password: "x" });
        expect(result).toMatchObject({ ok: false, message: { code: "job.cancelled", english: "Cancelled before anything was changed" } });
        expect(ran).toEqual([]);
    });

    test("a job that died mid-step is interrupted, not failed", () => {
        const id = newJobId();
        store.create(id, {});
        store.append(id, { type: "job", id, kind: "upgrade", time: "t", attempt: 1, steps: [{ id: "write-appliance", title: "o", destructive: true }] });
        store.append(id, { type: "step", id: "write-appliance", title: "o", state: "running", time: "t" });
        fs.appendFileSync(store.journalPath(id), "{\"type\":\"progr");
        const summary = summarize(id, store.events(id), false);
        expect(summary).toMatchObject({ state: "interrupted", destructiveStarted: true, lastStep: { id: "write-appliance", state: "running" } });
    });
});

describe("the stale-producer rule: a done step whose work files are gone runs again when a later step needs them", () => {
    async function failedAt(step: string, ran: string[]): Promise<string> {
        const id = newJobId();
        store.create(id, {});
        const failed = await runJob(store, id, kind(ran, id), { failAt: step }, { password: "x" });
        expect(failed).toMatchObject({ ok: false, failedStep: step });
        return id;
    }

    test("work files still there: the resumed job uses them and does not make them again", async () => {
        const ran: string[] = [];
        const written: string[] = [];
        const id = await failedAt("overwrite", ran);
        await runJob(store, id, kind(ran, id, written), { failAt: null }, { password: "x" });
        expect(ran.filter(s => s === "extract")).toHaveLength(1);
        expect(written).toEqual(["appliance-2.img"]);
    });

    test("work files discarded: the producer runs again, before the step that needs them, and its new fact is used", async () => {
        const ran: string[] = [];
        const written: string[] = [];
        const id = await failedAt("overwrite", ran);
        store.removeWork(id);
        const resumed = await runJob(store, id, kind(ran, id, written), { failAt: null }, { password: "x" });
        expect(resumed.ok).toBe(true);
        expect(ran.slice(4)).toEqual(["extract", "overwrite", "write", "boot"]);
        expect(steps(store.events(id)).slice(-10, -6)).toEqual(["check:skipped", "extract:running", "extract:done", "create:skipped"]);
        // the first attempt's extract was the 2nd step run, the resumed one the 5th
        expect(written).toEqual(["appliance-5.img"]);
    });

    test("a producer whose work files nobody still needs is not run again", async () => {
        const ran: string[] = [];
        const id = await failedAt("boot", ran);
        store.removeWork(id);
        const resumed = await runJob(store, id, kind(ran, id), { failAt: null }, { password: "x" });
        expect(resumed.ok).toBe(true);
        expect(ran.slice(6)).toEqual(["boot"]);
    });

    test("facts that are not work files are kept even when the work directory is gone", async () => {
        const ran: string[] = [];
        const id = await failedAt("write", ran);
        store.removeWork(id);
        const resumed = await runJob(store, id, kind(ran, id), { failAt: null }, { password: "x" });
        expect(resumed).toMatchObject({ ok: true, message: { english: "done with d-1" } });
        expect(ran.slice(5)).toEqual(["extract", "write", "boot"]);
    });
});

describe("job control", () => {
    let config: HelperConfig;
    beforeEach(() => {
        config = { ...defaultConfig(), stateDir: dir, logDir: path.join(dir, "log") };
    });

    function storedJob(kind: string): string {
        const id = newJobId();
        store.create(id, { kind });
        fs.mkdirSync(store.workDir(id));
        fs.writeFileSync(path.join(store.workDir(id), "appliance.qcow2"), "disk");
        return id;
    }

    test("discard removes a job's work files, and is refused while the job runs", () => {
        const id = storedJob("upgrade");
        const lock = new JobLock(dir);
        lock.acquire(id);
        expect(() => discardJob(config, id)).toThrow(`Job ${id} is running`);
        expect(fs.existsSync(store.workDir(id))).toBe(true);
        lock.release(id);
        expect(discardJob(config, id)).toEqual({ job: id });
        expect(fs.existsSync(store.workDir(id))).toBe(false);
        // a job without work files is discarded all the same
        expect(discardJob(config, id)).toEqual({ job: id });
        // the copies its preflight checked stay, for a resume that never reads the user's files again
        fs.mkdirSync(path.join(store.workDir(id), "private"), { recursive: true });
        fs.writeFileSync(path.join(store.workDir(id), "private/engine-backup.tar.gz"), "backup");
        fs.writeFileSync(path.join(store.workDir(id), "seed.iso"), "seed");
        expect(discardJob(config, id)).toEqual({ job: id });
        expect(fs.readdirSync(store.workDir(id))).toEqual(["private"]);
        expect(() => discardJob(config, newJobId())).toThrow(/There is no job/);
    });

    test("an upgrade's resume reads secrets, a rollback's does not", () => {
        expect(resumeNeedsSecrets(config, storedJob("upgrade"))).toBe(true);
        expect(resumeNeedsSecrets(config, storedJob("rollback"))).toBe(false);
        expect(() => resumeNeedsSecrets(config, storedJob("defragment"))).toThrow(/of a kind this helper does not run \(defragment\)/);
    });

    test("a successful rollback ends every upgrade for good: their work files go, its own job's stay as they are", () => {
        const upgrades = [storedJob("upgrade"), storedJob("upgrade")];
        const rollback = storedJob("rollback");
        JOB_KINDS.rollback.succeeded(store);
        expect(upgrades.map(id => fs.existsSync(store.workDir(id)))).toEqual([false, false]);
        expect(fs.existsSync(store.workDir(rollback))).toBe(true);
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
