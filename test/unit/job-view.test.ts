// SPDX-License-Identifier: LGPL-2.1-or-later

import {
    ENGINE_DOWN_STEP, ENGINE_UP_STEP, text, UPGRADE_STEPS,
    type JobEvent, type JobStartEvent, type LogEvent, type ResultEvent, type StepEvent, type StepId, type Text,
} from "../../src/protocol";
import {
    applyJobEvent, consoleLines, downtimeSeconds, emptyJobView, jobViewOf, MAX_LOG_LINES, transferRate, type JobView,
} from "../../src/plugin/jobs/job-view";

const GiB = 1024 ** 3;

/* The upgrade's steps as the helper announces them. */
const STEPS: JobStartEvent["steps"] = UPGRADE_STEPS.map(s => ({ id: s.id, title: s.title, destructive: s.destructive }));
const titleOf = (id: string) => STEPS.find(s => s.id === id)?.title ?? id;

/* What the helper wrote, as a Text: the English alone is enough to fold. */
const said = (english: string): Text => text("internal.unexpected", { reason: english });

/* minutes after 10:00:00 UTC */
const at = (minutes: number, seconds = 0) => new Date(Date.UTC(2026, 10, 25, 10, minutes, seconds)).toISOString();
const ms = (minutes: number, seconds = 0) => Date.parse(at(minutes, seconds));

const job = (attempt: number, minute: number): JobStartEvent =>
    ({ type: "job", id: "20261125-100000-upgrade", kind: "upgrade", time: at(minute), steps: STEPS, attempt });
const step = (id: string, state: StepEvent["state"], minute: number, seconds = 0, extra: Partial<StepEvent> = {}): StepEvent =>
    ({ type: "step", id: id as StepId, title: titleOf(id), state, time: at(minute, seconds), ...extra });
const log = (text: string, minute: number, source?: string): LogEvent =>
    ({ type: "log", level: "info", text, time: at(minute), ...(source ? { source } : {}) });
const result = (ok: boolean, minute: number, extra: Partial<ResultEvent> = {}): ResultEvent =>
    ({ type: "result", ok, message: said(ok ? "Hosted Engine successfully upgraded" : "failed"), next: [], figures: {}, time: at(minute), ...extra });
const stateOf = (view: JobView, id: string) => view.steps.find(s => s.id === id)?.state;
const states = (view: JobView) => Object.fromEntries(view.steps.map(s => [s.id, s.state]));

/* A whole upgrade, each step running then done; the copy and the appliance's setup with their progress and logs. */
function wholeUpgrade(): JobEvent[] {
    return [
        job(1, 0),
        step("extract-appliance", "running", 0),
        { type: "progress", step: "extract-appliance", done: 512 * 1024 ** 2, total: 2 * GiB },
        { type: "progress", step: "extract-appliance", done: 2 * GiB, total: 2 * GiB },
        step("extract-appliance", "done", 1),
        step("build-seed", "running", 1),
        step("build-seed", "done", 1, 5),
        step("create-backup-disk", "running", 1, 5),
        log("Creating the backup disk hosted-engine-backup-20261125100105 (1111)", 1),
        step("create-backup-disk", "done", 2),
        step("shutdown-engine-vm", "running", 2),
        step("shutdown-engine-vm", "done", 3),
        step("copy-to-backup", "running", 3),
        { type: "progress", step: "copy-to-backup", done: 10 * GiB, total: 50 * GiB },
        step("copy-to-backup", "done", 8),
        step("extend-engine-disk", "running", 8),
        step("extend-engine-disk", "done", 8, 10),
        step("write-appliance", "running", 8, 10),
        step("write-appliance", "done", 10),
        step("inject-backup", "running", 10),
        step("inject-backup", "done", 11),
        step("boot-appliance", "running", 11),
        step("boot-appliance", "done", 12),
        step("engine-setup", "running", 12),
        log("[ INFO  ] Stage: Initializing", 13, "appliance"),
        log("[ INFO  ] Restoring the engine backup", 14, "appliance"),
        log("HE_APPLIANCE_ENGINE_SETUP_SUCCESS", 20, "appliance"),
        step("engine-setup", "done", 20),
        step("engine-health", "running", 20),
        log("Engine replied: DB Up!Welcome to Health Status!", 22),
        step("engine-health", "done", 22),
        step("register-backup-disk", "running", 22),
        step("register-backup-disk", "done", 23),
        step("digest-backup-disk", "running", 23),
        step("digest-backup-disk", "done", 25),
        step("shutdown-new-engine-vm", "running", 25),
        step("shutdown-new-engine-vm", "done", 26),
        result(true, 26, { figures: { downtimeSeconds: 1200, bytesCopied: 50 * GiB } }),
    ];
}

describe("the page and the helper name the same engine steps", () => {
    test("the downtime clock's steps are upgrade steps, the down one before the up one", () => {
        const ids = STEPS.map(s => s.id);
        expect(ids.indexOf(ENGINE_DOWN_STEP)).toBeGreaterThanOrEqual(0);
        expect(ids.indexOf(ENGINE_UP_STEP)).toBeGreaterThan(ids.indexOf(ENGINE_DOWN_STEP));
    });

    test("the engine goes down at the first destructive upgrade step", () => {
        expect(STEPS.find(s => s.destructive)?.id).toBe(ENGINE_DOWN_STEP);
    });
});

describe("a whole upgrade", () => {
    test("the job event lists every step as pending, in the helper's order", () => {
        const view = jobViewOf([job(1, 0)]);
        expect(view).toMatchObject({ id: "20261125-100000-upgrade", kind: "upgrade", attempt: 1, result: null, progress: null });
        expect(view.steps.map(s => s.id)).toEqual(STEPS.map(s => s.id));
        expect(view.steps.every(s => s.state === "pending" && s.startedAt === null)).toBe(true);
        expect(view.steps.find(s => s.id === "shutdown-engine-vm")?.destructive).toBe(true);
        expect(view.steps.filter(s => s.state === "running" || s.state === "failed")).toEqual([]);
    });

    test("every step ends done, with its start and end times", () => {
        const view = jobViewOf(wholeUpgrade());
        expect(view.steps.map(s => s.state)).toEqual(STEPS.map(() => "done"));
        expect(view.steps.find(s => s.id === "copy-to-backup")).toMatchObject({
            startedAt: at(3), endedAt: at(8), message: null, detail: null,
        });
        expect(view.result).toMatchObject({ ok: true, figures: { downtimeSeconds: 1200 } });
        expect(view.progress).toBeNull();
        expect(view.steps.filter(s => s.state === "running" || s.state === "failed")).toEqual([]);
    });

    test("midway the running step is the current one and the rest are pending", () => {
        const events = wholeUpgrade();
        const view = jobViewOf(events.slice(0, events.findIndex(e => e.type === "step" && e.id === "copy-to-backup") + 2));
        expect(view.steps.filter(s => s.state === "running" || s.state === "failed").map(s => s.id)).toEqual(["copy-to-backup"]);
        expect(states(view)).toMatchObject({
            "extract-appliance": "done", "shutdown-engine-vm": "done", "copy-to-backup": "running", "extend-engine-disk": "pending",
        });
    });

    test("progress is done/total of the running step", () => {
        let view = jobViewOf([job(1, 0), step("extract-appliance", "running", 0)]);
        view = applyJobEvent(view, { type: "progress", step: "extract-appliance", done: 512 * 1024 ** 2, total: 2 * GiB });
        expect(view.progress).toEqual({ step: "extract-appliance", done: 512 * 1024 ** 2, total: 2 * GiB, fraction: 0.25 });
        view = applyJobEvent(view, { type: "progress", step: "extract-appliance", done: 3 * GiB, total: 2 * GiB });
        expect(view.progress?.fraction).toBe(1);
    });

    test("a bare fraction is used when done/total are not given, clamped to 0..1", () => {
        const base = jobViewOf([job(1, 0), step("write-appliance", "running", 0)]);
        expect(applyJobEvent(base, { type: "progress", step: "write-appliance", fraction: 0.4 }).progress)
                .toEqual({ step: "write-appliance", done: null, total: null, fraction: 0.4 });
        expect(applyJobEvent(base, { type: "progress", step: "write-appliance", fraction: 1.7 }).progress?.fraction).toBe(1);
        expect(applyJobEvent(base, { type: "progress", step: "write-appliance", fraction: -0.2 }).progress?.fraction).toBe(0);
        // a zero total does not divide
        expect(applyJobEvent(base, { type: "progress", step: "write-appliance", done: 0, total: 0, fraction: 0.3 }).progress?.fraction).toBe(0.3);
    });

    test("progress clears when its step ends", () => {
        const view = jobViewOf([
            job(1, 0), step("copy-to-backup", "running", 0),
            { type: "progress", step: "copy-to-backup", done: 5, total: 10 },
        ]);
        expect(view.progress?.fraction).toBe(0.5);
        expect(applyJobEvent(view, step("copy-to-backup", "done", 1)).progress).toBeNull();
        expect(applyJobEvent(view, step("copy-to-backup", "failed", 1, 0, { message: said("broken") })).progress).toBeNull();
    });

    test("progress clears when another step starts, and survives another step's end", () => {
        const view = jobViewOf([
            job(1, 0), step("copy-to-backup", "running", 0),
            { type: "progress", step: "copy-to-backup", done: 5, total: 10 },
        ]);
        expect(applyJobEvent(view, step("extend-engine-disk", "running", 1)).progress).toBeNull();
        // a stray end of some other step does not hide the copy's progress
        expect(applyJobEvent(view, step("build-seed", "done", 1)).progress?.step).toBe("copy-to-backup");
        // nor does a log line
        expect(applyJobEvent(view, log("hello", 1)).progress?.step).toBe("copy-to-backup");
    });

    test("the engine is down from the shutdown step's start to the health step's end", () => {
        const events = wholeUpgrade();
        const view = jobViewOf(events);
        expect(view.engineDownSince).toBe(at(2));
        expect(view.engineUpAt).toBe(at(22));
        expect(downtimeSeconds(view, ms(40))).toBe(20 * 60);

        const before = jobViewOf(events.slice(0, events.findIndex(e => e.type === "step" && e.id === ENGINE_DOWN_STEP)));
        expect(before.engineDownSince).toBeNull();
        expect(downtimeSeconds(before, ms(40))).toBeNull();
    });

    test("while the engine is down the downtime runs with the clock", () => {
        const events = wholeUpgrade();
        const view = jobViewOf(events.slice(0, events.findIndex(e => e.type === "step" && e.id === "engine-setup") + 1));
        expect(view.engineDownSince).toBe(at(2));
        expect(view.engineUpAt).toBeNull();
        expect(downtimeSeconds(view, ms(12, 30))).toBe(10 * 60 + 30);
        expect(downtimeSeconds(view, ms(15, 0) + 400)).toBe(13 * 60);
        // a clock behind the event's time never gives a negative downtime
        expect(downtimeSeconds(view, ms(1))).toBe(0);
    });

    test("only the health step's done brings the engine up, not its start or another step", () => {
        let view = jobViewOf([job(1, 0), step(ENGINE_DOWN_STEP, "running", 1), step(ENGINE_UP_STEP, "running", 5)]);
        expect(view.engineUpAt).toBeNull();
        view = applyJobEvent(view, step(ENGINE_UP_STEP, "failed", 6, 0, { message: said("no answer") }));
        expect(view.engineUpAt).toBeNull();
        view = applyJobEvent(view, step(ENGINE_UP_STEP, "done", 7));
        expect(view.engineUpAt).toBe(at(7));
    });

    test("the engine going down twice keeps the first time", () => {
        const view = jobViewOf([job(1, 0), step(ENGINE_DOWN_STEP, "running", 1), step(ENGINE_DOWN_STEP, "running", 4)]);
        expect(view.engineDownSince).toBe(at(1));
        expect(view.steps.find(s => s.id === ENGINE_DOWN_STEP)?.startedAt).toBe(at(4));
    });

    test("a failed job stops the downtime clock at its result", () => {
        const view = jobViewOf([
            job(1, 0), step(ENGINE_DOWN_STEP, "running", 1), step(ENGINE_DOWN_STEP, "done", 2),
            step("copy-to-backup", "running", 2), step("copy-to-backup", "failed", 4, 0, { message: said("read error") }),
            result(false, 5, { failedStep: "copy-to-backup" }),
        ]);
        expect(downtimeSeconds(view, ms(59))).toBe(4 * 60);
    });

    test("transferRate is the copy's bytes per second since its step started", () => {
        const events = wholeUpgrade();
        const view = jobViewOf(events.slice(0, events.findIndex(e => e.type === "progress" && e.step === "copy-to-backup") + 1));
        expect(view.progress?.done).toBe(10 * GiB);
        // 10 GiB in 100 s
        expect(transferRate(view, ms(4, 40))).toBeCloseTo(10 * GiB / 100);
        // too early to say
        expect(transferRate(view, ms(3) + 200)).toBeNull();
        // no progress: no rate
        expect(transferRate(jobViewOf(events), ms(30))).toBeNull();
    });

    test("transferRate is null for a bare fraction or a step that has not started", () => {
        const fraction = jobViewOf([job(1, 0), step("write-appliance", "running", 0), { type: "progress", step: "write-appliance", fraction: 0.5 }]);
        expect(transferRate(fraction, ms(5))).toBeNull();
        const notStarted = jobViewOf([job(1, 0), { type: "progress", step: "copy-to-backup", done: 100, total: 200 }]);
        expect(transferRate(notStarted, ms(5))).toBeNull();
    });

    test("consoleLines are the appliance's lines only, in order", () => {
        const view = jobViewOf(wholeUpgrade());
        expect(view.logs).toHaveLength(5);
        expect(consoleLines(view).map(l => l.text)).toEqual([
            "[ INFO  ] Stage: Initializing", "[ INFO  ] Restoring the engine backup", "HE_APPLIANCE_ENGINE_SETUP_SUCCESS",
        ]);
    });

    test("the log keeps the newest MAX_LOG_LINES lines", () => {
        let view = jobViewOf([job(1, 0)]);
        for (let i = 0; i < MAX_LOG_LINES + 5; i++)
            view = applyJobEvent(view, log(`line ${i}`, 1, i % 2 === 0 ? "appliance" : undefined));
        expect(view.logs).toHaveLength(MAX_LOG_LINES);
        expect(view.logs[0].text).toBe("line 5");
        expect(view.logs[MAX_LOG_LINES - 1].text).toBe(`line ${MAX_LOG_LINES + 4}`);
        expect(consoleLines(view)).toHaveLength(MAX_LOG_LINES / 2);
    });

    test("folding does not change the view it was given", () => {
        const view = jobViewOf([job(1, 0), log("one", 0)]);
        const logs = view.logs;
        const next = applyJobEvent(view, log("two", 0));
        expect(logs).toHaveLength(1);
        expect(next.logs).toHaveLength(2);
        applyJobEvent(view, step("build-seed", "running", 1));
        expect(stateOf(view, "build-seed")).toBe("pending");
    });

    test("a step the job does not have is ignored", () => {
        const view = jobViewOf([job(1, 0)]);
        expect(applyJobEvent(view, step("defragment", "running", 1))).toBe(view);
    });

    test("the empty view", () => {
        expect(emptyJobView()).toEqual({
            id: null, kind: null, attempt: 0, steps: [], progress: null, logs: [], result: null, engineDownSince: null, engineUpAt: null, estimate: null,
            warnings: [],
        });
        expect(downtimeSeconds(emptyJobView(), ms(1))).toBeNull();
    });
});

describe("a failed step", () => {
    test("carries the message and detail, and is the current step", () => {
        const view = jobViewOf([
            job(1, 0),
            step("extract-appliance", "running", 0), step("extract-appliance", "done", 1),
            step("build-seed", "running", 1),
            step("build-seed", "failed", 2, 0, { message: said("genisoimage failed"), detail: "genisoimage: No space left on device" }),
            result(false, 2, { failedStep: "build-seed", message: said("Hosted Engine upgrade failed before anything was changed: genisoimage failed") }),
        ]);
        expect(view.steps.find(s => s.id === "build-seed")).toMatchObject({
            state: "failed", startedAt: at(1), endedAt: at(2), message: said("genisoimage failed"), detail: "genisoimage: No space left on device",
        });
        expect(view.steps.filter(s => s.state === "running" || s.state === "failed").map(s => s.id)).toEqual(["build-seed"]);
        expect(stateOf(view, "create-backup-disk")).toBe("pending");
        expect(view.result?.failedStep).toBe("build-seed");
        expect(view.engineDownSince).toBeNull();
    });

    test("running it again clears the message", () => {
        const view = jobViewOf([
            job(1, 0), step("build-seed", "running", 1), step("build-seed", "failed", 2, 0, { message: said("m"), detail: "d" }),
            step("build-seed", "running", 3),
        ]);
        expect(view.steps.find(s => s.id === "build-seed")).toMatchObject({
            state: "running", startedAt: at(3), endedAt: null, message: null, detail: null,
        });
    });
});

describe("a resumed job", () => {
    /* attempt 1 died while copying to the backup disk; attempt 2 skips what was done and copies again */
    function interrupted(): JobEvent[] {
        return [
            job(1, 0),
            step("extract-appliance", "running", 0), step("extract-appliance", "done", 1),
            step("build-seed", "running", 1), step("build-seed", "done", 1, 5),
            step("create-backup-disk", "running", 1, 5), step("create-backup-disk", "done", 2),
            step("shutdown-engine-vm", "running", 2), step("shutdown-engine-vm", "done", 3),
            step("copy-to-backup", "running", 3),
            { type: "progress", step: "copy-to-backup", done: 10 * GiB, total: 50 * GiB },
            log("Copying", 4),
        ];
    }

    test("the second job event keeps what attempt 1 reached and sends the interrupted step back to pending", () => {
        const view = jobViewOf([...interrupted(), job(2, 30)]);
        expect(view.attempt).toBe(2);
        expect(view.progress).toBeNull();
        expect(states(view)).toMatchObject({
            "extract-appliance": "done", "build-seed": "done", "create-backup-disk": "done", "shutdown-engine-vm": "done",
            "copy-to-backup": "pending", "extend-engine-disk": "pending",
        });
        expect(view.steps.find(s => s.id === "build-seed")).toMatchObject({ startedAt: at(1), endedAt: at(1, 5) });
        expect(view.steps.filter(s => s.state === "running" || s.state === "failed")).toEqual([]);
        // what attempt 1 logged stays
        expect(view.logs.map(l => l.text)).toEqual(["Copying"]);
    });

    test("skipped steps stay done, and the downtime counts from attempt 1's shutdown", () => {
        const events: JobEvent[] = [
            ...interrupted(),
            job(2, 30),
            ...["extract-appliance", "build-seed", "create-backup-disk", "shutdown-engine-vm"].map(id => step(id, "skipped", 30)),
            step("copy-to-backup", "running", 30),
        ];
        const view = jobViewOf(events);
        expect(states(view)).toMatchObject({
            "extract-appliance": "done", "build-seed": "done", "create-backup-disk": "done", "shutdown-engine-vm": "done",
            "copy-to-backup": "running",
        });
        // the skip event does not overwrite attempt 1's times
        expect(view.steps.find(s => s.id === "extract-appliance")).toMatchObject({ startedAt: at(0), endedAt: at(1) });
        expect(view.steps.filter(s => s.state === "running" || s.state === "failed").map(s => s.id)).toEqual(["copy-to-backup"]);
        expect(view.steps.find(s => s.id === "copy-to-backup")?.startedAt).toBe(at(30));
        expect(view.engineDownSince).toBe(at(2));
        expect(downtimeSeconds(view, ms(32))).toBe(30 * 60);
    });

    test("a skip of a step this view never saw done shows as skipped, not done", () => {
        // as the runner writes it; only attempt 2's events folded
        const view = jobViewOf([job(2, 30), step("extract-appliance", "skipped", 30, 0, { message: said("done before the job was resumed") })]);
        expect(stateOf(view, "extract-appliance")).toBe("skipped");
        expect(stateOf(view, "build-seed")).toBe("pending");
    });

    test("an earlier result is cleared by the new attempt", () => {
        const failed: JobEvent[] = [
            ...interrupted(),
            step("copy-to-backup", "failed", 5, 0, { message: said("qemu-img convert failed"), detail: "Input/output error" }),
            result(false, 5, { failedStep: "copy-to-backup" }),
        ];
        expect(jobViewOf(failed).result?.ok).toBe(false);
        const resumed = jobViewOf([...failed, job(2, 30)]);
        expect(resumed.result).toBeNull();
        expect(resumed.attempt).toBe(2);
        // the failure stays shown until the step runs again
        expect(resumed.steps.find(s => s.id === "copy-to-backup")).toMatchObject({ state: "failed", message: said("qemu-img convert failed") });
        // with no result and the engine still down, the downtime runs again
        expect(downtimeSeconds(resumed, ms(31))).toBe(29 * 60);

        const running = applyJobEvent(resumed, step("copy-to-backup", "running", 31));
        expect(running.steps.find(s => s.id === "copy-to-backup")).toMatchObject({ state: "running", message: null, detail: null });
    });

    test("a resumed job that finishes ends all done with attempt 2's result", () => {
        const events = wholeUpgrade();
        const cut = events.findIndex(e => e.type === "step" && e.id === "copy-to-backup" && e.state === "done");
        const rest = events.slice(cut).filter(e => e.type !== "job");
        const view = jobViewOf([...events.slice(0, cut), job(2, 30), step("copy-to-backup", "running", 30), ...rest]);
        expect(view.attempt).toBe(2);
        expect(view.steps.every(s => s.state === "done")).toBe(true);
        expect(view.result?.ok).toBe(true);
    });
});
