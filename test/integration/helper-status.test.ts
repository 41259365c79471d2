// SPDX-License-Identifier: LGPL-2.1-or-later

/* The built helper's status and set-maintenance against the simulated host. */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { ErrorOutput, SetMaintenanceResult, StatusReport } from "../../src/protocol";
import { lockHolderOf } from "../../src/bridge-helper/jobs/lock";
import { helper, sim, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo;

interface HaState {
    globalMaintenance: boolean;
    hosts: { id: number; localMaintenance: boolean }[];
}

async function haState(): Promise<HaState> {
    return (await sim("inspect", info.dir)).ha as HaState;
}

beforeAll(async () => {
    info = await startSim();
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

describe("helper status", () => {
    test("prints the cluster as ovirt-ha sees it", async () => {
        const out = await helper<StatusReport>(info.helperConfig, "status");
        expect(out.code).toBe(0);
        expect(out.json).toMatchObject({
            hostedEngineHost: true,
            configPath: path.join(info.root, "etc/ovirt-hosted-engine/hosted-engine.conf"),
            engineFqdn: "engine.example.com",
            hostId: 1,
            globalMaintenance: false,
            engineHostId: 1,
            engineVmOnThisHost: true,
        });
        expect(out.json.hosts).toHaveLength(2);
        expect(out.json.hosts[0]).toMatchObject({
            id: 1,
            hostname: "host1.example.com",
            score: 3400,
            engineStatus: { vm: "up", health: "good", detail: "up", reason: null },
            liveData: true,
            localMaintenance: false,
            stopped: false,
            agentState: "EngineUp",
        });
        expect(out.json.hosts[1]).toMatchObject({
            id: 2,
            hostname: "host2.example.com",
            engineStatus: { vm: "down", reason: "vm not running on this host" },
        });
    });

    test("a host without hosted-engine.conf is reported as such, not as an error", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-plain-host-"));
        const config = path.join(dir, "helper.json");
        fs.writeFileSync(config, JSON.stringify({ root: dir }));
        try {
            const out = await helper<StatusReport>(config, "status");
            expect(out.code).toBe(0);
            expect(out.json).toMatchObject({ hostedEngineHost: false, hosts: [] });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    test("a broken helper configuration names the file and the setting", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-bad-config-"));
        const config = path.join(dir, "helper.json");
        fs.writeFileSync(config, JSON.stringify({ root: "relative/root" }));
        try {
            const out = await helper<ErrorOutput>(config, "status");
            expect(out.code).toBe(1);
            expect(out.json.error).toMatchObject({ code: "config-invalid", what: `${config}: root` });
            expect(out.stderr).toBe("");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("helper set-maintenance", () => {
    test("global, then none, changes the simulated cluster and prints the new status", async () => {
        const global = await helper<SetMaintenanceResult>(info.helperConfig, "set-maintenance", "--mode", "global");
        expect(global.code).toBe(0);
        expect(global.json.mode).toBe("global");
        expect(global.json.status.globalMaintenance).toBe(true);
        expect(global.json.status.hosts.map(h => h.agentState)).toEqual(["GlobalMaintenance", "GlobalMaintenance"]);
        expect((await haState()).globalMaintenance).toBe(true);

        const none = await helper<SetMaintenanceResult>(info.helperConfig, "set-maintenance", "--mode=none");
        expect(none.code).toBe(0);
        expect(none.json.status.globalMaintenance).toBe(false);
        expect((await haState()).globalMaintenance).toBe(false);
    });

    test("local maintenance on the host running the engine VM is refused with hosted-engine's reason", async () => {
        const before = await haState();
        const out = await helper<ErrorOutput>(info.helperConfig, "set-maintenance", "--mode", "local");
        expect(out.code).toBe(1);
        expect(out.json.error.what).toBe("hosted-engine --set-maintenance --mode=local");
        expect(out.json.error.message).toMatch(/the engine VM is running on the current host/);
        expect(await haState()).toEqual(before);
    });

    test("a mode that is not global, local or none is refused and nothing changes", async () => {
        const before = await haState();
        const out = await helper<ErrorOutput>(info.helperConfig, "set-maintenance", "--mode", "everything");
        expect(out.code).toBe(2);
        expect(out.json.error).toMatchObject({ code: "usage", what: "--mode" });
        expect(await haState()).toEqual(before);
    });
});

describe("helper shutdown-engine-vm", () => {
    async function vmStatus(): Promise<string> {
        return ((await sim("inspect", info.dir)).vm as { status: string }).status;
    }

    test("refused outside global maintenance, where the HA agents would start the VM again; the VM stays up", async () => {
        expect((await haState()).globalMaintenance).toBe(false);
        const out = await helper<ErrorOutput>(info.helperConfig, "shutdown-engine-vm");
        expect(out.code).toBe(1);
        expect(out.json.error.message).toBe("The engine VM is not shut down outside global maintenance: the HA agents would start it again. Enter global maintenance first.");
        expect(await vmStatus()).toBe("Up");
    });

    test("refused while a job runs, naming it; the VM stays up", async () => {
        await helper(info.helperConfig, "set-maintenance", "--mode", "global");
        // a running job's lock: this test process stands in for the job's runner
        const lockFile = path.join(info.dir, "helper/state/lock");
        fs.mkdirSync(path.dirname(lockFile), { recursive: true });
        fs.writeFileSync(lockFile, JSON.stringify(lockHolderOf("20261202-upgrade-running", process.pid)), { mode: 0o600 });
        try {
            const out = await helper<ErrorOutput>(info.helperConfig, "shutdown-engine-vm");
            expect(out.code).toBe(1);
            expect(out.json.error.message).toMatch(/20261202-upgrade-running/);
            expect(await vmStatus()).toBe("Up");
        } finally {
            fs.rmSync(lockFile, { force: true });
            await helper(info.helperConfig, "set-maintenance", "--mode", "none");
        }
    });
});

describe("helper against a stopped sim", () => {
    test("status fails with a JSON error naming hosted-engine --vm-status", async () => {
        await sim("stop", info.dir);
        try {
            const out = await helper<ErrorOutput>(info.helperConfig, "status");
            expect(out.code).toBe(1);
            expect(out.json.error.what).toBe("hosted-engine --vm-status --json");
            expect(out.json.error.detail).toMatch(/Failed to connect to broker/);
        } finally {
            await startSim(info.dir);
        }
    });
});
