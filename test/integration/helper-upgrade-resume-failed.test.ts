// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * An upgrade that failed (not crashed) is resumed once its cause is fixed: it
 * re-runs the failed step and goes on, with the work files (the extracted
 * appliance, the seed) its first attempt left. After `discard` those files
 * are gone and the resumed job makes them again. Either way the engine ends
 * at 4.0 and the work files go once the job succeeded.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { JobEvent, ResultEvent, StepEvent } from "../../src/protocol/events";
import { followToEnd } from "../support/job-control";
import { helperSync, sim, simWorld, startSim, type SimInfo } from "../support/sim-control";

jest.setTimeout(900_000);

let info: SimInfo & { adminPassword: string };

const helper = (args: string[], input = "") => helperSync(info.helperConfig, args, input);
const workDir = (job: string) => path.join(info.dir, "helper/state/jobs", job, "work");
const secrets = () => JSON.stringify({ adminPassword: info.adminPassword });

/** The steps of one attempt (1-based), as "id:state". */
function attemptSteps(events: JobEvent[], attempt: number): string[] {
    const starts = events.map((e, i) => (e.type === "job" ? i : -1)).filter(i => i >= 0);
    const end = starts[attempt] ?? events.length;
    return events.slice(starts[attempt - 1], end).filter((e): e is StepEvent => e.type === "step").map(e => `${e.id}:${e.state}`);
}

/* Starts the upgrade with disk-create-fails armed; it fails before the engine goes down. */
async function failedUpgrade(): Promise<string> {
    await sim("fault", info.dir, "disk-create-fails");
    const started = helper(["upgrade"], JSON.stringify({
        backupArchive: "/root/engine_backup.tar.gz",
        appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        vmNetwork: { mode: "dhcp" },
        adminPassword: info.adminPassword,
    }));
    expect(started.code).toBe(0);
    const { job } = JSON.parse(started.stdout) as { job: string };
    const { result } = await followToEnd(info.helperConfig, job);
    expect(result).toMatchObject({ ok: false, failedStep: "create-backup-disk" });
    expect(result?.message.english).toMatch(/failed before anything was changed/);
    await sim("fault", info.dir, "--clear");
    const jobs = JSON.parse(helper(["jobs"]).stdout) as { running: string | null; jobs: { id: string; state: string }[] };
    expect(jobs).toMatchObject({ running: null, jobs: [{ id: job, state: "failed" }] });
    // the job process ended; what it extracted is kept for the resume
    expect(fs.readdirSync(workDir(job)).length).toBeGreaterThan(0);
    return job;
}

async function resumedToTheEnd(job: string): Promise<{ events: JobEvent[]; result: ResultEvent | undefined }> {
    const resumed = helper(["resume", job], secrets());
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual({ job });
    const followed = await followToEnd(info.helperConfig, job);
    expect(followed.result).toMatchObject({ ok: true, message: { english: "Hosted Engine successfully upgraded" } });
    const world = await simWorld<{ engine: { version: string } }>(info.dir);
    expect(world.engine.version).toMatch(/^4\.0\./);
    // the job ended for good: its work files are gone, and it is not resumed again
    expect(fs.existsSync(workDir(job))).toBe(false);
    expect(JSON.parse(helper(["resume", job], secrets()).stdout).error.message).toBe(`Job ${job} already succeeded`);
    return followed;
}

beforeEach(async () => {
    info = await startSim() as typeof info;
    execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    fs.mkdirSync(path.join(info.root, "root"), { recursive: true });
    await sim("make-backup", info.dir, "--out", path.join(info.root, "root/engine_backup.tar.gz"));
});

afterEach(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

test("failed at create-backup-disk, resumed once the fault is cleared: the failed step runs again, the work files are reused", async () => {
    const job = await failedUpgrade();
    // an upgrade's resume needs its secrets again
    const bare = helper(["resume", job], "");
    expect(bare.code).toBe(2);
    expect(JSON.parse(bare.stdout).error.message).toBe("The resume input on stdin is not JSON");

    const { events } = await resumedToTheEnd(job);
    expect(events.filter(e => e.type === "job")).toHaveLength(2);
    expect(attemptSteps(events, 2).slice(0, 4)).toEqual([
        "extract-appliance:skipped", "build-seed:skipped", "create-backup-disk:running", "create-backup-disk:done",
    ]);
});

test("failed, discarded, resumed: the appliance and the seed are made again from the checked copies, not the user's files", async () => {
    const job = await failedUpgrade();
    const discarded = helper(["discard", job]);
    expect(discarded.code).toBe(0);
    expect(JSON.parse(discarded.stdout)).toEqual({ job });
    // the files the job made are gone; the copies its preflight checked stay, root's alone, for the resume
    expect(fs.readdirSync(workDir(job))).toEqual(["private"]);
    expect(fs.statSync(path.join(workDir(job), "private")).mode & 0o777).toBe(0o700);
    // the user's archive is not read again: a resume with it replaced still injects what the preflight checked
    fs.writeFileSync(path.join(info.root, "root/engine_backup.tar.gz"), "not an engine backup any more\n");

    const { events } = await resumedToTheEnd(job);
    expect(attemptSteps(events, 2).slice(0, 6)).toEqual([
        "extract-appliance:running", "extract-appliance:done", "build-seed:running", "build-seed:done",
        "create-backup-disk:running", "create-backup-disk:done",
    ]);
});
