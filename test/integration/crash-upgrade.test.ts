// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Crash suite (issue 14): ONE sim, ONE upgrade job, its process SIGKILLed at a
 * sequence of points and resumed (secrets again on stdin) after each, then
 * ONE rollback crashed the same way. After every crash the engine disk is not
 * lost: it still holds the old engine as it was shut down, or a backup whose
 * copy the job verified holds exactly that. The upgrade ends at 4.0.6.3 with
 * no work files left; the rollback ends with the engine disk byte-identical
 * to the one the upgrade shut down, and the 3.6 engine comes back. While jobs
 * run, no process's argv or environment holds a password.
 *
 * A crash point is found in the job's journal and frozen with SIGSTOP before
 * the SIGKILL (test/support/job-control.ts). "after X" and "before Y" (Y the
 * step after X) are the same journal boundary. "crash" kills the helper only:
 * what it started (qemu-img, guestfish) runs on until `resume` ends it;
 * "reboot" kills everything and empties /var/run/vdsm/storage (a tmpfs), so a
 * resumed step cannot use a path a killed run had prepared.
 *
 * A "during" point must be seen while its step runs, on a loaded machine too:
 * the storage domain moves data at STORAGE_MBPS, as a real NFS domain's
 * network limits it, so the steps that copy volumes take seconds (as on a real
 * host, where the zeros of the holes cross the wire too) rather than the
 * ~150 ms of an unlimited local mount, which a busy poller could miss.
 *
 * | # | kill point                                   | how    | engine disk after the kill           | resumed            |
 * |---|----------------------------------------------|--------|--------------------------------------|--------------------|
 * | 1 | before shutdown-engine-vm                    | crash  | the running 3.6 engine's, untouched  | shutdown runs      |
 * | 2 | during shutdown-engine-vm                    | crash  | the 3.6 engine's (VM going down)     | shutdown again     |
 * | 3 | after shutdown-engine-vm / before copy       | reboot | original (reference taken here)      | copy runs          |
 * | 4 | during copy-to-backup                        | reboot | original; backup not yet verified    | copy again         |
 * | 5 | after copy-to-backup / before extend         | crash  | original + verified backup           | extend runs        |
 * | 6 | during extend-engine-disk                    | reboot | verified backup                      | extend again       |
 * | 7 | after extend-engine-disk / before write      | crash  | grown: verified backup               | write runs         |
 * | 8 | during write-appliance                       | reboot | half written: verified backup        | write again        |
 * | 9 | after write-appliance / before inject        | crash  | appliance: verified backup           | inject runs        |
 * |10 | during inject-backup                         | reboot | appliance: verified backup           | inject again       |
 * |11 | after inject-backup / before boot            | reboot | appliance: verified backup           | boot runs          |
 * |12 | during boot-appliance                        | crash  | appliance: verified backup           | boot again (VM up) |
 * |13 | after boot-appliance / before engine-setup   | crash  | appliance: verified backup           | setup followed     |
 * |14 | during engine-setup                          | crash  | appliance: verified backup           | setup followed     |
 * |15 | after engine-setup / before engine-health    | crash  | 4.0 engine: verified backup          | health runs        |
 * |16 | during engine-health                         | crash  | 4.0 engine: verified backup          | health again       |
 * |   | (resumed to the end)                         |        | 4.0.6.3, backup digest = original    | upgrade succeeded  |
 * |R1 | rollback: before restore-disk                | crash  | 4.0 engine: verified backup          | restore runs       |
 * |R2 | rollback: during restore-disk                | reboot | half restored: verified backup       | restore again      |
 * |R3 | rollback: after restore-disk / before verify | crash  | restored = original: verified backup | verify runs        |
 * |   | (resumed to the end)                         |        | byte-identical to original, 3.6 back | rollback succeeded |
 */

import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { JobEvent } from "../../src/protocol";
import { bootedSystemOf } from "../sim/engine-disk";
import { crash, followToEnd, journal, stepDurations, stopAt, type CrashPoint } from "../support/job-control";
import { helperSync, sim, simWorld, startSim, type SimInfo } from "../support/sim-control";

jest.setTimeout(600_000);

/* A 10 GbE NFS domain at half its line rate: the 2 GiB engine disk's copy takes ~4 s, the 3 GiB appliance write and
 * restore ~7 s; 1 GbE's ~110 MB/s would hold the file up for minutes. */
const STORAGE_MBPS = 500;
/** the steps that move a volume's data, and so last long enough for a "during" point to be seen under any load */
const MIN_DATA_STEP_MS = 2000;

let info: SimInfo & { adminPassword: string };
const ROOT_PASSWORD = "Crash-Root-Pass-7";
let secretsSeen: string[] = [];
let scanner: NodeJS.Timeout | null = null;
let scratch: string;
let engineDiskPath: string;
/** a sparse copy of the engine disk as the upgrade shut the engine down, and its sha256 */
let pristine = "";
let originalDigest = "";
let originalSize = 0;
let upgradeJob = "";
let attempt = 1;
let backupImgUUID = "";
let failedCase: string | null = null;

const helper = (args: string[], input = "") => helperSync(info.helperConfig, args, input);
const secrets = () => JSON.stringify({ adminPassword: info.adminPassword, rootPassword: ROOT_PASSWORD });

/** Every process's argv and environment, searched for the secrets. */
function scanProc(): void {
    for (const pid of fs.readdirSync("/proc").filter(n => /^[0-9]+$/.test(n))) {
        for (const what of ["cmdline", "environ"]) {
            let text = "";
            try {
                text = fs.readFileSync(`/proc/${pid}/${what}`, "latin1");
            } catch {
                continue;
            }
            for (const secret of [info.adminPassword, ROOT_PASSWORD]) {
                if (text.includes(secret))
                    secretsSeen.push(`${secret === ROOT_PASSWORD ? "root password" : "admin password"} in /proc/${pid}/${what}: ${text.split("\0").join(" ").slice(0, 200)}`);
            }
        }
    }
}

function sha256(file: string, length?: number): string {
    const hash = createHash("sha256");
    const fd = fs.openSync(file, "r");
    const buffer = Buffer.alloc(4 << 20);
    const end = length ?? fs.fstatSync(fd).size;
    try {
        for (let position = 0; position < end;) {
            const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
            if (n === 0)
                break;
            hash.update(buffer.subarray(0, n));
            position += n;
        }
    } finally {
        fs.closeSync(fd);
    }
    return hash.digest("hex");
}

/*
 * Whether two raw images hold the same bytes (strict: and have the same size; otherwise what the longer one has
 * beyond the other's end must be zero). qemu-img reads only allocated extents: seconds less per check than a digest.
 */
function sameBytes(a: string, b: string, strict: boolean): boolean {
    // not qemu-img's own strict mode: it also fails where only the allocation differs, as in a sparse copy
    if (strict && fs.statSync(a).size !== fs.statSync(b).size)
        return false;
    const out = spawnSync("qemu-img", ["compare", "-U", "-q", "-f", "raw", "-F", "raw", a, b], { encoding: "utf8" });
    if (out.status === 0 || out.status === 1)
        return out.status === 0;
    throw new Error(`qemu-img compare ${a} ${b} failed (${out.status}): ${out.stderr}`);
}

/** The step facts the job's journal recorded, over all its attempts. */
function facts(events: JobEvent[]): Record<string, unknown> {
    return Object.assign({}, ...events.map(e => (e.type === "step" && e.state === "done" ? e.facts ?? {} : {})));
}

const backupVolume = (f: Record<string, unknown>) =>
    path.join(path.dirname(path.dirname(engineDiskPath)), String(f.backupImgUUID), String(f.backupVolUUID));

/** The invariant after every crash: which copies of the shut-down engine disk exist. */
function engineDiskState(): { original: boolean; verifiedBackup: boolean } {
    // the upgrade's journal says where its backup is, also while the rollback runs
    const events = journal(info.dir, upgradeJob);
    const copied = events.some(e => e.type === "step" && e.id === "copy-to-backup" && e.state === "done");
    const original = sameBytes(engineDiskPath, pristine, true);
    // the job verified its copy before journaling "done"; the export side says it still holds the original
    const verifiedBackup = copied && sameBytes(backupVolume(facts(events)), pristine, true);
    return { original, verifiedBackup };
}

function expectInterrupted(job: string, kind: string): void {
    const jobs = JSON.parse(helper(["jobs"]).stdout) as { running: string | null; jobs: { id: string; state: string; kind: string }[] };
    expect(jobs.running).toBeNull();
    expect(jobs.jobs.find(j => j.id === job)).toMatchObject({ kind, state: "interrupted" });
}

/* The host rebooted: /var/run is a tmpfs, every image vdsm prepared is torn down. */
function rebooted(): void {
    fs.rmSync(path.join(info.root, "var/run/vdsm/storage"), { recursive: true, force: true });
}

beforeAll(async () => {
    info = await startSim(undefined, { storageMBps: STORAGE_MBPS }) as typeof info;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "he-crash-"));
    execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    fs.mkdirSync(path.join(info.root, "root"), { recursive: true });
    await sim("make-backup", info.dir, "--out", path.join(info.root, "root/engine_backup.tar.gz"));
    engineDiskPath = (await sim("inspect", info.dir) as { storage: { engineDiskPath: string } }).storage.engineDiskPath;
    originalSize = fs.statSync(engineDiskPath).size;
    secretsSeen = [];
    scanner = setInterval(scanProc, 100);
});

afterAll(async () => {
    if (scanner)
        clearInterval(scanner);
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
});

type Expect = "engine-running" | "original" | "original+backup" | "backup";

interface Case {
    n: string;
    point: Omit<CrashPoint, "attempt">;
    reboot: boolean;
    disk: Expect;
}

const UPGRADE_CASES: Case[] = [
    { n: "1", point: { at: "before", step: "shutdown-engine-vm" }, reboot: false, disk: "engine-running" },
    { n: "2", point: { at: "during", step: "shutdown-engine-vm", afterMs: 300 }, reboot: false, disk: "engine-running" },
    { n: "3", point: { at: "after", step: "shutdown-engine-vm" }, reboot: true, disk: "original" },
    { n: "4", point: { at: "during", step: "copy-to-backup" }, reboot: true, disk: "original" },
    { n: "5", point: { at: "after", step: "copy-to-backup" }, reboot: false, disk: "original+backup" },
    { n: "6", point: { at: "during", step: "extend-engine-disk" }, reboot: true, disk: "backup" },
    { n: "7", point: { at: "after", step: "extend-engine-disk" }, reboot: false, disk: "backup" },
    { n: "8", point: { at: "during", step: "write-appliance", progress: true }, reboot: true, disk: "backup" },
    { n: "9", point: { at: "after", step: "write-appliance" }, reboot: false, disk: "backup" },
    { n: "10", point: { at: "during", step: "inject-backup", afterMs: 3000 }, reboot: true, disk: "backup" },
    { n: "11", point: { at: "after", step: "inject-backup" }, reboot: true, disk: "backup" },
    { n: "12", point: { at: "during", step: "boot-appliance" }, reboot: false, disk: "backup" },
    { n: "13", point: { at: "after", step: "boot-appliance" }, reboot: false, disk: "backup" },
    { n: "14", point: { at: "during", step: "engine-setup", afterMs: 500 }, reboot: false, disk: "backup" },
    { n: "15", point: { at: "after", step: "engine-setup" }, reboot: false, disk: "backup" },
    { n: "16", point: { at: "during", step: "engine-health", afterMs: 500 }, reboot: false, disk: "backup" },
];

/** Crashes the job at `point`, checks the engine disk is not lost, resumes it; the next attempt's number. */
async function crashAndResume(job: string, kind: "upgrade" | "rollback", attempt: number, c: Case): Promise<number> {
    // one job goes through every case: after a failed one, the later ones would only wait for a job not resumed
    if (failedCase)
        throw new Error(`not run: case #${failedCase} failed`);
    failedCase = c.n;
    const next = await crashedAndResumed(job, kind, attempt, c);
    failedCase = null;
    return next;
}

async function crashedAndResumed(job: string, kind: "upgrade" | "rollback", attempt: number, c: Case): Promise<number> {
    const landed = await stopAt(info.dir, job, { ...c.point, attempt });
    await crash(landed, { reboot: c.reboot });
    expectInterrupted(job, kind);
    if (c.disk === "engine-running") {
        // the engine VM still runs from its disk or is on its way down: no step that writes the disk has begun
        expect(landed.steps.filter(s => /^(copy-to-backup|extend-engine-disk|write-appliance):/.test(s))).toEqual([]);
        expect(bootedSystemOf(engineDiskPath)).toBe("el6-engine-3.6");
    } else {
        if (!pristine) {
            // the reference: the engine disk as the upgrade shut the engine down (the guest flushes its data then)
            pristine = path.join(scratch, "engine-disk.raw");
            execFileSync("cp", ["--sparse=always", engineDiskPath, pristine]);
            originalDigest = sha256(pristine);
        }
        const state = engineDiskState();
        // either copy would do; the table says which one each point must have
        expect({ n: c.n, ...state }).toMatchObject({
            n: c.n,
            ...(c.disk === "original" ? { original: true } : {}),
            ...(c.disk === "original+backup" ? { original: true, verifiedBackup: true } : {}),
            ...(c.disk === "backup" ? { verifiedBackup: true } : {}),
        });
    }
    if (c.reboot)
        rebooted();
    const resumed = helper(["resume", job], kind === "upgrade" ? secrets() : "");
    expect(resumed).toMatchObject({ code: 0, stdout: `${JSON.stringify({ job })}\n` });
    return attempt + 1;
}


describe("the upgrade, crashed and resumed again and again", () => {
    beforeAll(() => {
        const started = helper(["upgrade"], JSON.stringify({
            backupArchive: "/root/engine_backup.tar.gz",
            appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
            vmNetwork: { mode: "dhcp" },
            adminPassword: info.adminPassword,
            rootPassword: ROOT_PASSWORD,
        }));
        expect(started.code).toBe(0);
        upgradeJob = (JSON.parse(started.stdout) as { job: string }).job;
    });

    test.each(UPGRADE_CASES)("#$n: killed $point.at $point.step (reboot: $reboot), the engine disk is not lost ($disk)", async c => {
        attempt = await crashAndResume(upgradeJob, "upgrade", attempt, c);
    });

    test("resumed to the end: the upgrade succeeded, its backup holds the original, no work files, no secrets in /proc", async () => {
        const { events, result } = await followToEnd(info.helperConfig, upgradeJob);
        expect(result).toMatchObject({ ok: true, message: { english: "Hosted Engine successfully upgraded" } });
        expect(events.filter(e => e.type === "job")).toHaveLength(UPGRADE_CASES.length + 1);
        const world = await simWorld<{ engine: { version: string } }>(info.dir);
        expect(world.engine.version).toBe("4.0.6.3");
        expect(fs.existsSync(path.join(info.dir, "helper/state/jobs", upgradeJob, "work"))).toBe(false);
        const recorded = facts(events);
        expect(recorded.backupDigest).toBe(originalDigest);
        backupImgUUID = String(recorded.backupImgUUID);
        expect(secretsSeen).toEqual([]);
        // what keeps the "during" points of the data steps deterministic: each ran for seconds, not a poll's miss away
        const took = stepDurations(events);
        expect(took.get("copy-to-backup")).toBeGreaterThanOrEqual(MIN_DATA_STEP_MS);
        expect(took.get("write-appliance")).toBeGreaterThanOrEqual(MIN_DATA_STEP_MS);
    });
});

const ROLLBACK_CASES: Case[] = [
    { n: "R1", point: { at: "before", step: "restore-disk" }, reboot: false, disk: "backup" },
    { n: "R2", point: { at: "during", step: "restore-disk", progress: true }, reboot: true, disk: "backup" },
    { n: "R3", point: { at: "after", step: "restore-disk" }, reboot: false, disk: "backup" },
];

describe("the rollback after it, crashed and resumed around its restore", () => {
    let rollbackJob = "";
    let rollbackAttempt = 1;

    beforeAll(() => {
        const started = helper(["rollback"], JSON.stringify({ backup: backupImgUUID }));
        expect(started.code).toBe(0);
        rollbackJob = (JSON.parse(started.stdout) as { job: string }).job;
    });

    test.each(ROLLBACK_CASES)("#$n: killed $point.at $point.step (reboot: $reboot), the backup is intact", async c => {
        // the backup is what the rollback reads: it never writes it
        rollbackAttempt = await crashAndResume(rollbackJob, "rollback", rollbackAttempt, c);
    });

    test("resumed to the end: the engine disk is byte-identical to the original, the 3.6 engine comes back", async () => {
        const { events, result } = await followToEnd(info.helperConfig, rollbackJob);
        expect(result).toMatchObject({ ok: true, message: { code: "rollback.succeeded" } });
        expect(events.filter(e => e.type === "job")).toHaveLength(ROLLBACK_CASES.length + 1);
        // the original's bytes, and zeros where the upgrade grew the disk
        expect(sha256(engineDiskPath, originalSize)).toBe(originalDigest);
        expect(sameBytes(engineDiskPath, pristine, false)).toBe(true);
        expect(bootedSystemOf(engineDiskPath)).toBe("el6-engine-3.6");
        expect(stepDurations(events).get("restore-disk")).toBeGreaterThanOrEqual(MIN_DATA_STEP_MS);

        execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=none"]);
        const deadline = Date.now() + 180_000;
        for (;;) {
            const world = await simWorld<{ vm: { status: string }; engine: { version: string; health: string } }>(info.dir);
            if (world.vm.status === "Up" && world.engine.health === "good") {
                expect(world.engine.version).toMatch(/^3\.6\./);
                break;
            }
            if (Date.now() > deadline)
                throw new Error(`the 3.6 engine did not come back: ${JSON.stringify(world)}`);
            await new Promise(resolve => setTimeout(resolve, 1000));
        }
        expect(secretsSeen).toEqual([]);
    });
});
