// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The job store against what a crash or someone else leaves in a job's
 * directory (issue 14, finding 5): a torn journal line hides no later event,
 * the next event is not glued to it, and a broken job is listed as broken
 * without breaking the listing of the others.
 */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { JobEvent } from "../../src/protocol/events";
import { defaultConfig, type HelperConfig } from "../../src/bridge-helper/config";
import { followJob, listJobs } from "../../src/bridge-helper/jobs/control";
import { JobStore } from "../../src/bridge-helper/jobs/store";

let dir: string;
let store: JobStore;
let config: HelperConfig;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-store-"));
    store = new JobStore(dir);
    config = { ...defaultConfig(), stateDir: dir, logDir: path.join(dir, "log") };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const GOOD = "20261125T031500-aaaaaa";
const OTHER = "20261125T041500-bbbbbb";
const T = "2026-11-25T03:15:00.000Z";
const start: JobEvent = { type: "job", id: GOOD, kind: "upgrade", time: T, attempt: 1,
    steps: [{ id: "create-backup-disk", title: "Create", destructive: false }] };
const running: JobEvent = { type: "step", id: "create-backup-disk", title: "Create", state: "running", time: T };
const done: JobEvent = { type: "step", id: "create-backup-disk", title: "Create", state: "done", time: T };
const ok: JobEvent = { type: "result", ok: true, time: T, message: { code: "job.cancelled", params: {}, english: "x" }, next: [], figures: {} };
const line = (e: JobEvent) => JSON.stringify(e) + "\n";

function journal(id: string, content: string): void {
    store.create(id, { kind: "upgrade" });
    fs.writeFileSync(store.journalPath(id), content);
}

describe("journal", () => {
    test("a torn line in the middle is skipped with a warning; the events after it still count", () => {
        journal(GOOD, line(start) + line(running) + "{\"type\":\"step\",\"id\":\"cre\n" + line(done) + line(ok));
        const read = store.journal(GOOD);
        expect(read.events).toEqual([start, running, done, ok]);
        expect(read.warnings).toEqual([expect.objectContaining({ type: "journal-warning", line: 3 })]);
        expect(read.warnings[0].message.code).toBe("job.journal-line-unreadable");
        expect(read.lines.map(l => l.type)).toEqual(["job", "step", "journal-warning", "step", "result"]);
        const listed = listJobs(config).jobs[0];
        expect({ state: listed.state, warnings: listed.warnings.map(w => w.line) }).toEqual({ state: "succeeded", warnings: [3] });
    });

    test("a torn last line: the events before it, and a warning once nobody writes it", () => {
        journal(GOOD, line(start) + line(running) + "{\"type\":\"st");
        expect(store.journal(GOOD).events).toEqual([start, running]);
        expect(store.journal(GOOD).warnings.map(w => w.line)).toEqual([3]);
        // a running job may be mid-write: its last line is not reported
        expect(store.journal(GOOD, "skip").warnings).toEqual([]);
        expect(listJobs(config).jobs[0].state).toBe("interrupted");
    });

    test("an event appended after a torn line starts a line of its own and is read", () => {
        journal(GOOD, line(start) + line(running) + "{\"type\":\"st");
        store.append(GOOD, done);
        store.append(GOOD, ok);
        expect(fs.readFileSync(store.journalPath(GOOD), "utf8").endsWith("{\"type\":\"st\n" + line(done) + line(ok))).toBe(true);
        expect(store.events(GOOD)).toEqual([start, running, done, ok]);
        expect(listJobs(config).jobs[0].state).toBe("succeeded");
    });

    test("lines that parse but are no events are skipped too", () => {
        journal(GOOD, line(start) + "null\n[1]\n{\"type\":\"job\",\"kind\":\"upgrade\",\"steps\":7}\n{\"type\":\"result\"}\n" + line(done));
        expect(store.events(GOOD)).toEqual([start, done]);
        expect(store.journal(GOOD).warnings.map(w => w.line)).toEqual([2, 3, 4, 5]);
    });

    test("follow prints the warning where the line was and goes on", async () => {
        journal(GOOD, line(start) + "garbage\n" + line(done) + line(ok));
        const printed: string[] = [];
        const end = await followJob(config, GOOD, l => printed.push(l.type));
        expect(printed).toEqual(["job", "journal-warning", "step", "result"]);
        expect(end).toEqual({ type: "end", state: "succeeded" });
    });
});

describe("broken job directories", () => {
    const cases: [string, (jobDir: string) => void][] = [
        ["plan.json missing", d => fs.rmSync(path.join(d, "plan.json"))],
        ["plan.json garbage", d => fs.writeFileSync(path.join(d, "plan.json"), "SECRET-PLAN{{{")],
        ["plan.json a JSON string", d => fs.writeFileSync(path.join(d, "plan.json"), "\"upgrade\"")],
        ["journal missing", d => fs.rmSync(path.join(d, "journal.jsonl"))],
        ["journal a directory", d => {
            fs.rmSync(path.join(d, "journal.jsonl"));
            fs.mkdirSync(path.join(d, "journal.jsonl"));
        }],
        ["journal a symlink", d => {
            fs.rmSync(path.join(d, "journal.jsonl"));
            fs.symlinkSync("/etc/passwd", path.join(d, "journal.jsonl"));
        }],
        ["journal too large", d => fs.truncateSync(path.join(d, "journal.jsonl"), 200 << 20)],
        ["job directory a symlink", d => {
            fs.rmSync(d, { recursive: true });
            fs.symlinkSync(os.tmpdir(), d);
        }],
        ["job directory a file", d => {
            fs.rmSync(d, { recursive: true });
            fs.writeFileSync(d, "x");
        }],
    ];

    test.each(cases)("%s: listed as broken, the other jobs as they are", (_name, spoil) => {
        journal(GOOD, line(start) + line(done) + line(ok));
        journal(OTHER, line(start));
        spoil(store.jobDir(OTHER));
        const report = listJobs(config);
        expect(report.jobs.map(j => [j.id, j.state])).toEqual([[OTHER, "broken"], [GOOD, "succeeded"]]);
        const broken = report.jobs[0];
        expect(broken.problem?.code).toMatch(/^job\./);
        expect(JSON.stringify(report)).not.toContain("SECRET-PLAN");
        expect(() => { store.plan(OTHER); store.events(OTHER); }).toThrow(`Job ${OTHER} cannot be read`);
    });
});
