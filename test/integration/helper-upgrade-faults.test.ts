// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade job against each fault the simulated host can have once the
 * preflight passed: a clear failure at the right step, with nothing destroyed
 * before it; and the engine VM that will not stop is powered off.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { JobEvent, ResultEvent } from "../../src/protocol/events";
import { bootedSystemOf } from "../sim/engine-disk";
import { helperSync, sim, simWorld, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo & { adminPassword: string };

interface World {
    storage: { sdUUID: string; engineDisk: { imgUUID: string; volUUID: string } };
    vm: { status: string };
    engine: { version: string; data: { disks: { description: string; status: string }[] } };
}

const helper = (args: string[], input = "") => helperSync(info.helperConfig, args, input);

async function upgradeWith(fault: string): Promise<{ result: ResultEvent; events: JobEvent[]; world: World }> {
    await sim("fault", info.dir, fault);
    const started = helper(["upgrade"], JSON.stringify({
        backupArchive: "/root/engine_backup.tar.gz",
        appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        vmNetwork: { mode: "dhcp" },
        adminPassword: info.adminPassword,
    }));
    expect(started.code).toBe(0);
    const { job } = JSON.parse(started.stdout) as { job: string };
    const events = helper(["follow", job]).stdout.trim().split("\n").map(l => JSON.parse(l) as JobEvent);
    const result = events.find((e): e is ResultEvent => e.type === "result");
    if (!result)
        throw new Error(`job ${job} has no result`);
    return { result, events, world: await simWorld<World>(info.dir) };
}

function engineDisk(w: World): string {
    return path.join(info.nfsExport, w.storage.sdUUID, "images",
                     w.storage.engineDisk.imgUUID, w.storage.engineDisk.volUUID);
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

test("disk-create-fails: stops before the engine goes down; nothing changed", async () => {
    const { result, world } = await upgradeWith("disk-create-fails");
    expect(result).toMatchObject({ ok: false, failedStep: "create-backup-disk" });
    expect(result.message.english).toMatch(/failed before anything was changed: .*Cannot add Virtual Disk/);
    expect(world.vm.status).toBe("Up");
    expect(bootedSystemOf(engineDisk(world))).toBe("el6-engine-3.6");
});

test("extend-fails: the backup is made and verified, the engine disk is not overwritten", async () => {
    const { result, events, world } = await upgradeWith("extend-fails");
    expect(result).toMatchObject({ ok: false, failedStep: "extend-engine-disk" });
    expect(result.message.english).toMatch(/Growing the engine disk failed/);
    expect(result.message.code).toBe("upgrade.failed.changed");
    expect(result.next[0].english).toMatch(/The engine disk is untouched: it still holds the old engine. Start the engine VM/);
    expect(result.next[1].english).toMatch(/The backup disk hosted-engine-backup-\d{14} holds a verified copy/);
    expect(events.some(e => e.type === "step" && e.id === "copy-to-backup" && e.state === "done")).toBe(true);
    expect(bootedSystemOf(engineDisk(world))).toBe("el6-engine-3.6");
    expect(world.vm.status).toBe("Down");
});

test.each([
    ["restore-fails", "engine-setup", /engine-backup failed restoring the engine backup on the appliance/],
    ["setup-fails", "engine-setup", /Engine setup failed on the appliance/],
    ["setup-stalls", "engine-setup", /Engine setup is stalled on the appliance/],
    ["engine-never-healthy", "engine-health", /did not answer its health check/],
])("%s fails the %s step and says to roll back", async (fault, step, message) => {
    const { result, events } = await upgradeWith(fault);
    expect(result).toMatchObject({ ok: false, failedStep: step });
    expect(result.message.english).toMatch(message);
    expect(result.next[0].english).toMatch(/The engine disk holds an unfinished 4.0 appliance/);
    expect(result.next[2].english).toMatch(/Roll back: power the engine VM off .* then restore hosted-engine-backup-\d{14} on the Rollback tab/);
    expect(events.filter(e => e.type === "step" && e.state === "failed").map(e => (e as { id: string }).id)).toEqual([step]);
});

test("register-fails: the engine is upgraded; the backup disk is to be imported by hand", async () => {
    const { result, world } = await upgradeWith("register-fails");
    expect(result).toMatchObject({ ok: false, failedStep: "register-backup-disk" });
    expect(result.message.english).toMatch(/Cannot register Virtual Disk/);
    expect(result.next[0].english).toMatch(/holds the new 4.0 engine/);
    expect(result.next[1].english).toMatch(/import it from the storage domain's Disk Import tab/);
    expect(world.engine.version).toBe("4.0.6.3");
});

test("vm-wont-stop: the engine VM is powered off after the grace time and the upgrade goes on", async () => {
    const { result, events, world } = await upgradeWith("vm-wont-stop");
    expect(events.some(e => e.type === "log" && /powering it off/.test(e.text))).toBe(true);
    // the new engine VM will not stop either: the last step powers it off too
    expect(result).toMatchObject({ ok: true });
    expect(world.engine.version).toBe("4.0.6.3");
});
