// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Hostile job directories and lock files (issue 14, findings 5 and 6), against
 * the built helper on one simulated host: a torn or spoiled journal, a plan
 * that is not one, a FIFO, a directory or a symlink where a file belongs, a
 * journal grown to 200 MB, a lock that is garbage, a symlink, from another
 * boot or naming a reused pid, and job ids that are no job ids. Listings
 * still answer, with the broken job shown as broken; everything else is a
 * clean refusal that changes nothing.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { JobsReport } from "../../../src/protocol/events";
import { expectCleanRefusal, hostSnapshot, runHelper, snapshotChanges, type HostileRun } from "../../support/hostile";
import { sim, startSim, type SimInfo } from "../../support/sim-control";

const SECRET = "HOSTILE-JOB-MARKER-5c81";
const T = "2026-11-25T03:15:00.000Z";
const STEPS = [{ id: "create-backup-disk", title: "Create the backup disk", destructive: false }];

let info: SimInfo;
let state: string;
let counter = 0;

beforeAll(async () => {
    info = await startSim();
    state = path.join(info.dir, "helper/state");
}, 300_000);

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

/* Each case's jobs and lock go when it ends: the next case starts from an empty state directory. */
afterEach(() => {
    for (const name of fs.existsSync(state) ? fs.readdirSync(state) : [])
        if (name === "jobs" || name.startsWith("lock"))
            fs.rmSync(path.join(state, name), { recursive: true, force: true });
});

const line = (e: object) => JSON.stringify(e) + "\n";
const started = (id: string) => line({ type: "job", id, kind: "upgrade", time: T, steps: STEPS, attempt: 1 });
const step = (s: string) => line({ type: "step", id: "create-backup-disk", title: STEPS[0].title, state: s, time: T });
const result = line({ type: "result", ok: false, time: T, next: [], figures: {},
    message: { code: "job.cancelled", params: {}, english: "Cancelled before anything was changed" } });

/** A job directory as the helper makes it, `journal` as its journal; returns the job's id and directory. */
function job(journal = started("x") + step("running")): { id: string; dir: string } {
    const id = `20261125T0315${String(counter++ % 100).padStart(2, "0")}-${(0xa00000 + counter).toString(16)}`;
    const dir = path.join(state, "jobs", id);
    fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
    fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify({ kind: "rollback", plan: {} }), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, "journal.jsonl"), journal, { mode: 0o600 });
    return { id, dir };
}

/* A file outside the state directory with a secret in it: what a symlink points root at. */
function secretFile(): string {
    const file = path.join(info.dir, "secret-target");
    fs.writeFileSync(file, `root:$6$${SECRET}:19000:0:99999:7:::\n`, { mode: 0o600 });
    return file;
}

function jobs(): { run: HostileRun; report: JobsReport } {
    const run = runHelper(info.helperConfig, ["jobs"]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.maxRssKiB).toBeLessThan(256 * 1024);
    expect(run.stdout).not.toContain(SECRET);
    return { run, report: run.json as unknown as JobsReport };
}

/* Own process's identity, as a lock names its holder. */
const bootId = () => fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
const startTime = () => Number(fs.readFileSync(`/proc/${process.pid}/stat`, "utf8").split(") ")[1].split(" ")[19]);
const writeLock = (holder: object) => fs.writeFileSync(path.join(state, "lock"), JSON.stringify(holder), { mode: 0o600 });

describe("spoiled job directories: `jobs` lists them as broken, follow refuses them cleanly", () => {
    const cases: [string, (dir: string) => void, string][] = [
        ["a garbage plan.json", d => fs.writeFileSync(path.join(d, "plan.json"), `{"kind": ${SECRET}`), "is not a job plan"],
        ["a missing plan.json", d => fs.rmSync(path.join(d, "plan.json")), "is missing"],
        ["a journal that is a FIFO", d => {
            fs.rmSync(path.join(d, "journal.jsonl"));
            execFileSync("mkfifo", ["-m", "600", path.join(d, "journal.jsonl")]);
        }, "is not a regular file"],
        ["a journal that is a directory", d => {
            fs.rmSync(path.join(d, "journal.jsonl"));
            fs.mkdirSync(path.join(d, "journal.jsonl"));
        }, "is not a regular file"],
        ["a journal that is a symlink to a password file", d => {
            fs.rmSync(path.join(d, "journal.jsonl"));
            fs.symlinkSync(secretFile(), path.join(d, "journal.jsonl"));
        }, "is not a regular file"],
        ["a 200 MB (sparse) journal", d => fs.truncateSync(path.join(d, "journal.jsonl"), 200 << 20), "is larger than"],
        ["a job directory that is a symlink", d => {
            fs.rmSync(d, { recursive: true });
            fs.mkdirSync(path.join(info.dir, "elsewhere/work"), { recursive: true });
            fs.symlinkSync(path.join(info.dir, "elsewhere"), d);
        }, "is not a directory"],
    ];

    test.each(cases)("%s", (_name, spoil, problem) => {
        const good = job(started("g") + step("done") + result);
        const bad = job();
        spoil(bad.dir);
        const before = hostSnapshot(info);

        const { report } = jobs();
        expect(report.jobs.map(j => [j.id, j.state])).toEqual([[bad.id, "broken"], [good.id, "failed"]]);
        expect(report.jobs[0].problem?.english).toContain(problem);

        for (const verb of ["follow", "discard", "cancel"]) {
            const run = runHelper(info.helperConfig, [verb, bad.id]);
            expectCleanRefusal(run, { secrets: [SECRET] });
            expect(refusal(run)).toContain(`Job ${bad.id} cannot be read`);
        }
        expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
    });

    test("`backups` still answers beside a broken job", () => {
        const bad = job();
        fs.writeFileSync(path.join(bad.dir, "journal.jsonl"), `${SECRET}\n`.repeat(3));
        fs.writeFileSync(path.join(bad.dir, "plan.json"), SECRET);
        const run = runHelper(info.helperConfig, ["backups"]);
        expect({ code: run.code, hasBackups: Array.isArray((run.json as { backups?: unknown }).backups) }).toEqual({ code: 0, hasBackups: true });
        expect(run.stdout + run.stderr).not.toContain(SECRET);
    });
});

function refusal(run: HostileRun): string {
    return run.json?.error?.message ?? "";
}

describe("torn journals: the events after a torn line still count", () => {
    test("a torn line in the middle: `jobs` warns of it and the job's result counts", () => {
        const torn = job(started("t") + step("running") + `{"type":"step","${SECRET}\n` + step("done") + result);
        const { report } = jobs();
        expect(report.jobs[0]).toMatchObject({ id: torn.id, state: "failed", warnings: [{ type: "journal-warning", line: 3 }] });
    });

    test("a torn last line: `follow` replays the events, warns where the line was, and ends", () => {
        const torn = job(started("t") + step("running") + `{"type":"step","id":"${SECRET}`);
        const run = runHelper(info.helperConfig, ["follow", torn.id]);
        const lines = run.stdout.trim().split("\n").map(l => JSON.parse(l) as { type: string; line?: number; state?: string });
        expect(lines.map(l => l.type)).toEqual(["job", "step", "journal-warning", "end"]);
        expect(lines[2].line).toBe(3);
        expect(lines[3].state).toBe("interrupted");
        expect(run.stdout + run.stderr).not.toContain(SECRET);
    });
});

describe("hostile lock files", () => {
    test("garbage: nobody runs; a job may not be cancelled", () => {
        const j = job();
        fs.writeFileSync(path.join(state, "lock"), `${SECRET}{{{`, { mode: 0o600 });
        const before = hostSnapshot(info);
        expect(jobs().report.running).toBeNull();
        const run = runHelper(info.helperConfig, ["cancel", j.id]);
        expectCleanRefusal(run, { secrets: [SECRET] });
        expect(refusal(run)).toContain("is not running (interrupted)");
        expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
    });

    test("a symlink to a password file: never read, never written", () => {
        const target = secretFile();
        fs.symlinkSync(target, path.join(state, "lock"));
        const before = hostSnapshot(info);
        const run = runHelper(info.helperConfig, ["jobs"]);
        expect({ code: run.code, running: (run.json as unknown as JobsReport).running }).toEqual({ code: 0, running: null });
        expect(run.stdout).not.toContain(SECRET);
        expect(fs.readFileSync(target, "utf8")).toContain(SECRET);
        expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
    });

    test.each([
        ["from another boot, its pid running now", () => ({ bootId: "00000000-0000-0000-0000-000000000000", startTime: startTime() })],
        ["naming a pid reused by a later process", () => ({ bootId: bootId(), startTime: startTime() - 1 })],
        ["pid 1, or -1", () => ({ pid: -1 })],
    ])("%s: stale, the job is not running", (_name, identity) => {
        const j = job();
        writeLock({ jobId: j.id, pid: process.pid, ...identity() });
        const before = hostSnapshot(info);
        const { report } = jobs();
        expect({ running: report.running, state: report.jobs[0].state }).toEqual({ running: null, state: "interrupted" });
        const run = runHelper(info.helperConfig, ["cancel", j.id]);
        expectCleanRefusal(run);
        expect(refusal(run)).toContain("is not running (interrupted)");
        expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
    });

    test("a live holder: its job runs, and its work files may not be discarded", () => {
        const j = job();
        writeLock({ jobId: j.id, pid: process.pid, bootId: bootId(), startTime: startTime() });
        const before = hostSnapshot(info);
        expect(jobs().report.running).toBe(j.id);
        const run = runHelper(info.helperConfig, ["discard", j.id]);
        expectCleanRefusal(run);
        expect(refusal(run)).toContain(`Job ${j.id} is running`);
        expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
    });
});

describe("job ids that are none", () => {
    const ids: [string, string][] = [
        ["../../etc", "is not a job id"],
        ["", "is not a job id"],
        ["2".repeat(5000), "is not a job id"],
        ["20261125T031500-abcdef", "There is no job"],
    ];
    const verbs = ["follow", "resume", "cancel", "discard"];
    test.each(verbs.flatMap(verb => ids.map(([id, said]) => [verb, id.slice(0, 20), id, said])))(
        "%s %s", (verb, _shown, id, said) => {
            const before = hostSnapshot(info);
            const run = runHelper(info.helperConfig, [verb, id], "{}");
            // a job id that names no job is the caller's mistake: a usage error (exit 2)
            expectCleanRefusal(run, { code: 2 });
            expect(refusal(run)).toContain(said);
            expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
        });
});
