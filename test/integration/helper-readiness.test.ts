// SPDX-License-Identifier: LGPL-2.1-or-later

/* The wizard's first step: what the built helper's `readiness` says of the simulated host, and of its faults. */

import { execFileSync } from "node:child_process";
import fs from "node:fs";

import type { ReadinessReport } from "../../src/protocol";
import { helper, sim, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo;

beforeAll(async () => {
    info = await startSim();
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

afterEach(async () => {
    await sim("fault", info.dir, "--clear");
});

test("a healthy 3.6 host: the engine VM here, this host the SPM, the engine disk's size, global maintenance as it is", async () => {
    const out = await helper<ReadinessReport>(info.helperConfig, "readiness");
    expect(out.code).toBe(0);
    expect(out.json).toEqual({
        globalMaintenance: false, engineVmOnThisHost: true, spm: true, spmStatus: "SPM",
        engineDiskBytes: 2 * 1024 ** 3, vdsmError: null,
    });
    execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    try {
        expect((await helper<ReadinessReport>(info.helperConfig, "readiness")).json.globalMaintenance).toBe(true);
    } finally {
        execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=none"]);
    }
});

test("not the SPM: says so with vdsm's word for the role", async () => {
    await sim("fault", info.dir, "not-spm");
    const { json } = await helper<ReadinessReport>(info.helperConfig, "readiness");
    expect(json.spm).toBe(false);
    expect(json.spmStatus).not.toBe("SPM");
});

test("the engine VM on another host: not here", async () => {
    await sim("fault", info.dir, "vm-on-other-host");
    const { json } = await helper<ReadinessReport>(info.helperConfig, "readiness");
    expect(json.engineVmOnThisHost).toBe(false);
});
