// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Backups and rollback against the simulated host, in the order an
 * administrator lives them: an upgrade leaves a verified backup disk; the
 * restore is refused while its conditions do not hold (and changes nothing);
 * a restore killed mid-copy is resumed and brings the old 3.6 engine back,
 * byte for byte; a second upgrade adds a second backup; backups are deleted
 * through the engine, never the engine's own disk, never one the engine does
 * not know, never the last verified one without saying so.
 */

import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { BackupsReport, ResultEvent, Text } from "../../src/protocol";
import { bootedSystemOf, readEngineDatabase } from "../sim/engine-disk";
import { followToEnd, killWhenRunning } from "../support/job-control";
import { helperSync, sim, simWorld, startSim, type SimInfo } from "../support/sim-control";

jest.setTimeout(900_000);

let info: SimInfo & { adminPassword: string };

interface World {
    storage: { sdUUID: string; engineDisk: { imgUUID: string; volUUID: string } };
    vm: { status: string; host: number | null };
    engine: { version: string; health: string; data: { disks: { id: string; description: string }[] } };
}

const helper = (args: string[], input = "") => helperSync(info.helperConfig, args, input);
const json = <T>(out: { stdout: string }) => JSON.parse(out.stdout) as T;

let engineDiskPath: string;
/** the engine disk's size before any upgrade, and the digest of its content when the upgrade shut the engine down */
let originalSize: number;
let originalDigest: string;
let firstUpgradeJob: string;
let firstBackup: string;

function sha256(file: string, length?: number): string {
    const hash = createHash("sha256");
    const fd = fs.openSync(file, "r");
    const buffer = Buffer.alloc(4 << 20);
    let position = 0;
    const end = length ?? fs.fstatSync(fd).size;
    while (position < end) {
        const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
        if (n === 0)
            break;
        hash.update(buffer.subarray(0, n));
        position += n;
    }
    fs.closeSync(fd);
    return hash.digest("hex");
}

function tailIsZero(file: string, from: number): boolean {
    const fd = fs.openSync(file, "r");
    const buffer = Buffer.alloc(4 << 20);
    const end = fs.fstatSync(fd).size;
    try {
        for (let position = from; position < end; position += buffer.length) {
            const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
            if (buffer.subarray(0, n).some(b => b !== 0))
                return false;
        }
        return true;
    } finally {
        fs.closeSync(fd);
    }
}

function maintenance(mode: "global" | "none"): void {
    execFileSync(info.hostedEngine, ["--set-maintenance", `--mode=${mode}`]);
}

/* What the page waits for before it offers the upgrade: global maintenance, the engine VM here, this host the SPM. */
async function readyForUpgrade(): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
        const out = helper(["readiness"]);
        const report = out.code === 0 ? json<{ globalMaintenance: boolean; engineVmOnThisHost: boolean | null; spm: boolean | null }>(out) : null;
        if (report?.globalMaintenance && report.engineVmOnThisHost && report.spm)
            return;
        if (Date.now() > deadline)
            throw new Error(`the host never became ready for an upgrade: ${out.stdout}`);
        await new Promise(resolve => setTimeout(resolve, 1000));
    }
}

async function upgrade(): Promise<{ job: string; result: ResultEvent | undefined }> {
    maintenance("global");
    await readyForUpgrade();
    await sim("make-backup", info.dir, "--out", path.join(info.root, "root/engine_backup.tar.gz"));
    const started = helper(["upgrade"], JSON.stringify({
        backupArchive: "/root/engine_backup.tar.gz",
        appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        vmNetwork: { mode: "dhcp" },
        adminPassword: info.adminPassword,
    }));
    if (started.code !== 0)
        throw new Error(`the upgrade did not start: ${started.stdout}`);
    const { job } = json<{ job: string }>(started);
    const followed = await followToEnd(info.helperConfig, job);
    if (!followed.result)
        throw new Error(`job ${job} ended without a result: ${JSON.stringify(followed.events.slice(-4))}`);
    return { job, ...followed };
}

/** Leaves global maintenance and waits for the HA agent to start the engine VM and the engine to be healthy. */
async function engineBackUp(): Promise<World> {
    maintenance("none");
    const deadline = Date.now() + 120_000;
    for (;;) {
        const world = await simWorld<World>(info.dir);
        if (world.vm.status === "Up" && world.engine.health === "good")
            return world;
        if (Date.now() > deadline)
            throw new Error(`the engine did not come back: ${JSON.stringify(world.vm)} ${world.engine.health}`);
        await new Promise(resolve => setTimeout(resolve, 1000));
    }
}

function refusedRollback(): { checks: { id: string; state: string; detail: Text }[] } {
    const mtime = fs.statSync(engineDiskPath).mtimeMs;
    const jobsBefore = json<{ jobs: unknown[] }>(helper(["jobs"])).jobs.length;
    const out = helper(["rollback"], JSON.stringify({ backup: firstBackup }));
    expect(out.code).toBe(1);
    const report = json<{ job: string | null; preflight: { ok: boolean; checks: { id: string; state: string; detail: Text }[] } }>(out);
    expect(report.job).toBeNull();
    expect(report.preflight.ok).toBe(false);
    // nothing changed: no job, the engine disk not written
    expect(json<{ jobs: unknown[] }>(helper(["jobs"])).jobs).toHaveLength(jobsBefore);
    expect(fs.statSync(engineDiskPath).mtimeMs).toBe(mtime);
    return report.preflight;
}

beforeAll(async () => {
    info = await startSim() as typeof info;
    fs.mkdirSync(path.join(info.root, "root"), { recursive: true });
    const inspected = await sim("inspect", info.dir) as { storage: { engineDiskPath: string } };
    engineDiskPath = inspected.storage.engineDiskPath;
    originalSize = fs.statSync(engineDiskPath).size;
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

test("an upgrade leaves one verified backup disk holding exactly the old engine disk", async () => {
    const { job, result } = await upgrade();
    expect(result).toMatchObject({ ok: true });
    firstUpgradeJob = job;

    const report = json<BackupsReport>(helper(["backups"]));
    expect(report.backups).toHaveLength(1);
    const [backup] = report.backups;
    firstBackup = backup.imgUUID;
    expect(backup.label).toMatch(/^hosted-engine-backup-\d{14}$/);
    expect(Date.now() - Date.parse(backup.created ?? "")).toBeLessThan(600_000);
    expect(backup).toMatchObject({ virtualSize: originalSize, job, verified: true, knownToEngine: null });
    // the backup holds the old engine as it was shut down: the el6 system with the engine's last data
    const volume = path.join(path.dirname(path.dirname(engineDiskPath)), backup.imgUUID, backup.volUUID);
    expect(bootedSystemOf(volume)).toBe("el6-engine-3.6");
    expect(readEngineDatabase(volume)?.data.disks.some(d => d.id === backup.imgUUID)).toBe(true);
    expect(backup.digest).toBe(sha256(volume));
    originalDigest = backup.digest ?? "";
    expect(report.engineDisk.capacity).toBeGreaterThan(originalSize);

    // the upgrade left the new engine VM down: the engine cannot say whether it knows the disk
    const asked = json<BackupsReport>(helper(["backups", "--ask-engine"], JSON.stringify({ adminPassword: info.adminPassword })));
    expect(asked.backups[0].knownToEngine).toBeNull();
    expect(asked.engineNote?.english).toMatch(/The engine could not be asked/);
});

test("rollback is refused while the engine VM is up, and nothing changes", async () => {
    execFileSync(info.hostedEngine, ["--vm-start"]);
    try {
        const report = refusedRollback();
        expect(report.checks.find(c => c.id === "engine-vm-down")).toMatchObject({ state: "fail" });
        expect(report.checks.find(c => c.id === "engine-vm-down")?.detail.english).toMatch(/seems up on host 1 \(host1.example.com\)/);
    } finally {
        execFileSync(info.hostedEngine, ["--vm-poweroff"]);
    }
});

test("rollback is refused outside global maintenance", async () => {
    maintenance("none");
    try {
        const report = refusedRollback();
        expect(report.checks.find(c => c.id === "global-maintenance")).toMatchObject({ state: "fail" });
    } finally {
        maintenance("global");
        // the HA agent may have started the VM in between
        spawnSync(info.hostedEngine, ["--vm-poweroff"]);
    }
});

test("rollback is refused when the backup does not fit the engine disk", async () => {
    const volumes = (await sim("inspect", info.dir) as { storage: { volumes: { image: string; path: string }[] } }).storage.volumes;
    const meta = `${volumes.find(v => v.image === firstBackup)?.path}.meta`;
    const saved = fs.readFileSync(meta, "utf8");
    // a backup taken from a disk larger than today's engine disk
    fs.writeFileSync(meta, saved.replace(/^SIZE=\d+$/m, `SIZE=${(16 * 1024 ** 3) / 512}`));
    try {
        const report = refusedRollback();
        expect(report.checks.find(c => c.id === "disk-size")?.detail.english).toMatch(/doesn't fit the engine VM disk/);
    } finally {
        fs.writeFileSync(meta, saved);
    }
});

test("a restore killed mid-copy is resumed; a second job meanwhile is refused; the old 3.6 engine comes back", async () => {
    // work files an upgrade left (as a failed one does, for its resume): the rollback ends every upgrade for good
    const upgradeWork = path.join(info.dir, "helper/state/jobs", firstUpgradeJob, "work");
    fs.mkdirSync(upgradeWork);
    fs.writeFileSync(path.join(upgradeWork, "appliance.qcow2"), "left over");
    const started = helper(["rollback"], JSON.stringify({ backup: firstBackup }));
    expect(started.code).toBe(0);
    const { job } = json<{ job: string }>(started);

    const second = helper(["rollback"], JSON.stringify({ backup: firstBackup }));
    expect(second.code).toBe(1);
    expect(json<{ error: { message: string } }>(second).error.message).toBe(`Another job is running: ${job}`);

    expect(await killWhenRunning(info.dir, job, "restore-disk")).toBe(true);
    expect(json<{ jobs: { id: string; state: string; kind: string }[] }>(helper(["jobs"])).jobs[0])
            .toMatchObject({ id: job, kind: "rollback", state: "interrupted" });
    expect(fs.existsSync(upgradeWork)).toBe(true);
    // the host rebooted meanwhile (/var/run is a tmpfs): the backup disk check-backup prepared is torn down, so the
    // resumed restore must prepare it again rather than use the path check-backup recorded
    fs.rmSync(path.join(info.root, "var/run/vdsm/storage"), { recursive: true, force: true });
    // a rollback needs no secrets to resume
    expect(helper(["resume", job]).code).toBe(0);
    const { events, result } = await followToEnd(info.helperConfig, job);
    expect(result).toMatchObject({ ok: true, message: { code: "rollback.succeeded", english: "Hosted Engine successfully rolled back" } });
    expect(result?.next[0].english).toMatch(/Leave global maintenance/);
    expect(events.filter(e => e.type === "job")).toHaveLength(2);
    expect(events.some(e => e.type === "step" && e.id === "check-backup" && e.state === "done")).toBe(true);
    expect(fs.existsSync(upgradeWork)).toBe(false);

    // byte-identical to the disk before the upgrade; what the upgrade added beyond it is zero
    expect(sha256(engineDiskPath, originalSize)).toBe(originalDigest);
    expect(tailIsZero(engineDiskPath, originalSize)).toBe(true);
    expect(bootedSystemOf(engineDiskPath)).toBe("el6-engine-3.6");

    const world = await engineBackUp();
    expect(world.engine.version).toMatch(/^3\.6\./);
    // the old engine's own data: the backup disk it created before shutting down
    expect(world.engine.data.disks.some(d => d.id === firstBackup)).toBe(true);
});

test("a second upgrade adds a second backup, listed first", async () => {
    await new Promise(resolve => setTimeout(resolve, 1100)); // labels have one-second resolution
    // the new engine will not register this one: a backup disk the engine does not know
    await sim("fault", info.dir, "register-fails");
    const { job, result } = await upgrade();
    await sim("fault", info.dir, "--clear");
    expect(result).toMatchObject({ ok: false, failedStep: "register-backup-disk" });
    const report = json<BackupsReport>(helper(["backups", "--ask-engine"], JSON.stringify({ adminPassword: info.adminPassword })));
    expect(report.backups.map(b => b.job)).toEqual([job, firstUpgradeJob]);
    expect(Date.parse(report.backups[0].created ?? "")).toBeGreaterThan(Date.parse(report.backups[1].created ?? ""));
    expect(report.backups.every(b => b.verified && b.allocatedSize > 0)).toBe(true);
    // the second backup is of the engine disk the first upgrade grew
    expect(report.backups.map(b => b.virtualSize)).toEqual([report.engineDisk.capacity, originalSize]);
    // the 4.0 engine was restored from the 3.6 engine's data, which has the first backup disk
    expect(report.backups.map(b => b.knownToEngine)).toEqual([false, true]);
});

test("delete-backup: never the engine's disk, never a disk the engine does not know, the last verified one only when told", async () => {
    await engineBackUp();
    const del = (backup: string, allowLastVerified = false) =>
        helper(["delete-backup"], JSON.stringify({ backup, adminPassword: info.adminPassword, allowLastVerified }));
    const errorOf = (out: { code: number; stdout: string }) => {
        expect(out.code).toBe(1);
        return json<{ error: { code: string; message: string } }>(out).error;
    };
    const listed = json<BackupsReport>(helper(["backups"]));
    const [unknown, registered] = listed.backups;

    const wrong = helper(["delete-backup"], JSON.stringify({ backup: registered.imgUUID, adminPassword: "not-the-password" }));
    expect(wrong.code).toBe(1);
    expect(json<{ error: { message: string } }>(wrong).error.message).toMatch(/refused the admin@internal password/);

    expect(errorOf(del(listed.engineDisk.imgUUID)).message).toMatch(/is the engine VM's own disk/);
    expect(errorOf(del(unknown.imgUUID)).message).toMatch(/The engine does not know hosted-engine-backup-\d{14}/);

    const deleted = del(registered.imgUUID);
    expect(deleted.code).toBe(0);
    expect(json<{ deleted: boolean; label: string }>(deleted)).toEqual({ deleted: true, label: registered.label, imgUUID: registered.imgUUID });
    expect(json<BackupsReport>(helper(["backups"])).backups.map(b => b.imgUUID)).toEqual([unknown.imgUUID]);
    const world = await simWorld<World>(info.dir);
    expect(world.engine.data.disks.some(d => d.id === registered.imgUUID)).toBe(false);

    // the one left is the last verified backup
    expect(errorOf(del(unknown.imgUUID)).message).toMatch(/is the last verified backup/);
    // told to, it still needs an engine that knows it
    expect(errorOf(del(unknown.imgUUID, true)).message).toMatch(/The engine does not know/);
    expect(json<BackupsReport>(helper(["backups"])).backups).toHaveLength(1);
});
