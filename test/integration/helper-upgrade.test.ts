// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The whole upgrade through the built helper against the simulated host, as
 * the page drives it: upgrade (detached job), follow, jobs. The sim must end
 * with the 4.0 engine holding the backup's data, the old disk's bytes on a
 * registered backup disk, no secret anywhere on disk, and a new engine VM
 * whose root logs in with the password typed on the page.
 */

import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { JobEvent, ResultEvent, StepEvent } from "../../src/protocol/events";
import { bootedSystemOf, readEngineDatabase } from "../sim/engine-disk";
import { HOSTS, imageFiles } from "../sim/guest-cloud-init";
import { helperSync, sim, simGuestLogin, simWorld, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo & { adminPassword: string };
const ROOT_PASSWORD = "Appliance-Root-Pass-7";

interface World {
    storage: { sdUUID: string; engineDisk: { imgUUID: string; volUUID: string } };
    vm: { status: string; bootedSystem: string };
    engine: { version: string; data: { marker: string; disks: { id: string; imageId: string; description: string; status: string }[] } };
}

const helper = (args: string[], input = "") => helperSync(info.helperConfig, args, input);

function plan(extra: Record<string, unknown> = {}): string {
    return JSON.stringify({
        backupArchive: "/root/engine_backup.tar.gz",
        appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        vmNetwork: { mode: "dhcp" },
        adminPassword: info.adminPassword,
        rootPassword: ROOT_PASSWORD,
        addHostToEtcHosts: true,
        ...extra,
    });
}

function volume(w: World, img: string, vol: string): string {
    return path.join(info.nfsExport, w.storage.sdUUID, "images", img, vol);
}

beforeAll(async () => {
    info = await startSim() as typeof info;
    execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    fs.mkdirSync(path.join(info.root, "root"), { recursive: true });
    await sim("make-backup", info.dir, "--out", path.join(info.root, "root/engine_backup.tar.gz"));
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

test("upgrade to 4.0 through the helper's job, followed to its end", async () => {
    const before = await simWorld<World>(info.dir);

    const started = helper(["upgrade"], plan());
    expect(started.code).toBe(0);
    const { job } = JSON.parse(started.stdout) as { job: string };
    expect(job).toMatch(/^[0-9]{8}T[0-9]{6}-[0-9a-f]{6}$/);

    // one job at a time: a second is refused with the running job's id
    const second = helper(["upgrade"], plan());
    expect(second.code).toBe(1);
    expect(JSON.parse(second.stdout).error.message).toBe(`Another job is running: ${job}`);

    const followed = helper(["follow", job]);
    const events = followed.stdout.trim().split("\n").map(l => JSON.parse(l) as JobEvent | { type: "end"; state: string });
    expect(events[events.length - 1]).toEqual({ type: "end", state: "succeeded" });
    expect(followed.code).toBe(0);
    const result = events.find((e): e is ResultEvent => e.type === "result");
    expect(result).toMatchObject({ ok: true, message: { code: "upgrade.succeeded", english: "Hosted Engine successfully upgraded" } });
    expect(result?.figures.bytesCopied).toBe(2 * 1024 ** 3);
    const steps = events.filter((e): e is StepEvent => e.type === "step" && e.state === "done").map(e => e.id);
    expect(steps).toEqual(["extract-appliance", "build-seed", "create-backup-disk", "shutdown-engine-vm", "copy-to-backup",
        "extend-engine-disk", "write-appliance", "inject-backup", "boot-appliance", "engine-setup", "engine-health",
        "register-backup-disk", "digest-backup-disk", "shutdown-new-engine-vm"]);
    expect(events.some(e => e.type === "log" && (e as { source?: string }).source === "appliance" && e.text === "HE_APPLIANCE_ENGINE_SETUP_SUCCESS")).toBe(true);
    expect(events.some(e => e.type === "progress" && e.step === "copy-to-backup")).toBe(true);

    const after = await simWorld<World>(info.dir);
    // The sim's vdsm tears the engine disk's run link down whenever it releases the engine VM (shut down or
    // destroyed), as vdsm 4.18 does: the last shutdown left none. So the job above succeeds only if every step
    // after a shutdown prepared the disk again. Checked by hand: with shutdown-engine-vm preparing the engine disk
    // before the shutdown and copy-to-backup reading from that path, this test fails at copy-to-backup
    // (qemu-img: Could not open '.../var/run/vdsm/storage/<sd>/<img>/<vol>': No such file or directory).
    // Once a step prepared the image again, the same path opens again: the link vdsm makes is the same.
    // Likewise the new engine answers its API only a while after its health page, and shows this host connecting
    // a while longer (test/sim/engine-api/startup.ts): with one look at each, as the original took, the job fails
    // at engine-health.
    expect(fs.existsSync(path.join(info.root, "var/run/vdsm/storage", after.storage.sdUUID, after.storage.engineDisk.imgUUID))).toBe(false);
    expect(after.engine.version).toBe("4.0.6.3");
    expect(after.engine.data.marker).toBe(before.engine.data.marker);
    expect(after.vm.status).toBe("Down");
    const backupDisk = after.engine.data.disks.find(d => d.description.startsWith("hosted-engine-backup-"));
    expect(backupDisk?.status).toBe("ok");
    // the backup disk is the old engine's disk as it was when the engine stopped: el6, the 3.6 engine, its data
    const backupVolume = volume(after, backupDisk?.id ?? "", backupDisk?.imageId ?? "");
    expect(bootedSystemOf(backupVolume)).toBe("el6-engine-3.6");
    expect(readEngineDatabase(backupVolume)).toMatchObject({ version: "3.6.7.5", data: { marker: before.engine.data.marker } });
    expect(fs.statSync(backupVolume).size).toBe(2 * 1024 ** 3);

    const jobs = JSON.parse(helper(["jobs"]).stdout) as { running: string | null; jobs: { id: string; state: string }[] };
    expect(jobs.running).toBeNull();
    expect(jobs.jobs[0]).toMatchObject({ id: job, state: "succeeded" });

    // secrets travel on stdin only: none in the helper's state, logs or the sim's files
    for (const secret of [info.adminPassword, ROOT_PASSWORD]) {
        const found = spawnSync("grep", ["-rlF", "--", secret, path.join(info.dir, "helper")], { encoding: "utf8" }).stdout.trim();
        expect(found).toBe("");
    }
});

test("the new engine VM: root logs in with the password typed, and /etc/hosts names this host", async () => {
    // The appliance's cloud-init 0.7.5 gives chpasswd.list to chpasswd without -e: with the hash there, as this
    // helper wrote it before, root's password was the hash's text and this login failed ("wrong-password").
    expect(simGuestLogin(info.dir, "root", ROOT_PASSWORD)).toBe("ok");
    expect(simGuestLogin(info.dir, "root", ROOT_PASSWORD + "x")).toBe("wrong-password");
    const w = await simWorld<World>(info.dir);
    const guest = imageFiles(volume(w, w.storage.engineDisk.imgUUID, w.storage.engineDisk.volUUID));
    // the address of this host's management bridge, and the name the engine knows it by (test/sim/new-world.ts)
    expect(guest.read(HOSTS)?.split("\n")).toContain("192.168.1.11 host1.example.com");
});

test("resume and cancel refuse what they cannot do", () => {
    const jobs = JSON.parse(helper(["jobs"]).stdout) as { jobs: { id: string }[] };
    const done = jobs.jobs[0].id;
    const resumed = helper(["resume", done], JSON.stringify({ adminPassword: info.adminPassword }));
    expect(resumed.code).toBe(1);
    expect(JSON.parse(resumed.stdout).error.message).toBe(`Job ${done} already succeeded`);
    const cancelled = helper(["cancel", done]);
    expect(JSON.parse(cancelled.stdout).error.message).toMatch(/is not running \(succeeded\)/);
    expect(helper(["follow", "../../etc"]).code).toBe(2);
});
