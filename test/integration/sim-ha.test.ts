// SPDX-License-Identifier: LGPL-2.1-or-later

/* The simulated HA side: the agents restarting a down engine VM, and the HA faults. */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { parseVmStatus } from "../../src/bridge-helper/formats/vm-status";
import { sim, simWorld, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo;

const hostedEngine = (...args: string[]) =>
    execFileSync(info.hostedEngine, args, { stdio: ["ignore", "pipe", "pipe"] }).toString();
const vmStatus = () => parseVmStatus(hostedEngine("--vm-status", "--json"));

async function vm(): Promise<{ status: string; hostId: number | null; bootCount: number }> {
    return (await simWorld<{ vm: { status: string; hostId: number | null; bootCount: number } }>(info.dir)).vm;
}

beforeAll(async () => {
    info = await startSim();
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

afterEach(async () => {
    await sim("fault", info.dir, "--clear");
    hostedEngine("--set-maintenance", "--mode=none");
});

async function waitForVm(status: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await vm()).status !== status) {
        if (Date.now() > deadline)
            throw new Error(`the engine VM did not become ${status} within ${timeoutMs} ms`);
        await new Promise(resolve => setTimeout(resolve, 250));
    }
}

test("outside global maintenance the HA agents start a down engine VM again; in global maintenance they leave it", async () => {
    hostedEngine("--set-maintenance", "--mode=global");
    hostedEngine("--vm-poweroff");
    await new Promise(resolve => setTimeout(resolve, 12_000));
    expect((await vm()).status).toBe("Down");
    expect(vmStatus().hosts.map(h => h.engineStatus.vm)).toEqual(["down", "down"]);

    const boots = (await vm()).bootCount;
    hostedEngine("--set-maintenance", "--mode=none");
    await waitForVm("Up", 20_000);
    expect((await vm()).bootCount).toBe(boots + 1);
    expect(vmStatus().hosts[0].engineStatus).toMatchObject({ vm: "up", health: "good" });
});

test("not-global-maintenance: the request is taken but global maintenance never comes", async () => {
    await sim("fault", info.dir, "not-global-maintenance");
    hostedEngine("--set-maintenance", "--mode=global");
    expect(vmStatus().globalMaintenance).toBe(false);
});

test("vm-on-other-host: the engine VM runs on host 2", async () => {
    await sim("fault", info.dir, "vm-on-other-host");
    const [host1, host2] = vmStatus().hosts;
    expect(host1.engineStatus).toMatchObject({ vm: "down", reason: "vm not running on this host" });
    expect(host2.engineStatus).toMatchObject({ vm: "up", health: "good" });
    expect((await vm()).hostId).toBe(2);
    await sim("fault", info.dir, "--clear");
    expect((await vm()).hostId).toBe(1);
});

test("stale-metadata-host: a decommissioned host lingers with stale data", async () => {
    await sim("fault", info.dir, "stale-metadata-host");
    const stale = vmStatus().hosts.find(h => h.id === 3);
    expect(stale).toMatchObject({ hostname: "host3.example.com", liveData: false, stopped: null });
    await sim("fault", info.dir, "--clear");
    expect(vmStatus().hosts.map(h => h.id)).toEqual([1, 2]);
});

test("ha-conf-not-3.6: hosted-engine.conf has the real pool and no configuration volume, until cleared", async () => {
    const conf = path.join(info.root, "etc/ovirt-hosted-engine/hosted-engine.conf");
    const original = fs.readFileSync(conf, "utf8");
    await sim("fault", info.dir, "ha-conf-not-3.6");
    const broken = fs.readFileSync(conf, "utf8");
    expect(broken).not.toMatch(/^spUUID=00000000-0000-0000-0000-000000000000$/m);
    expect(broken).not.toMatch(/^conf_volume_UUID=/m);
    await sim("fault", info.dir, "--clear");
    expect(fs.readFileSync(conf, "utf8")).toBe(original);
});

test("an unknown fault is refused with the list of known ones", async () => {
    await expect(sim("fault", info.dir, "disk-explodes")).rejects.toThrow(/unknown fault "disk-explodes"; known faults: not-global-maintenance/);
});
