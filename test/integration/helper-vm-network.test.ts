// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM's identity from the deploy's answers against the simulated
 * host (issue 13): fhanswers.conf read from the configuration volume through
 * vdsm's Image.prepare, by dd as the disk user (the domain is root-squashed
 * NFS: root cannot read it), and the preflight's engine-vm-network check.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { Check } from "../../src/protocol/checks";
import type { VmNetworkReport } from "../../src/protocol/network";
import { HELPER, sim, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo & { adminPassword: string };

function helper(args: string[], input?: string): { code: number; stdout: string } {
    try {
        const out = execFileSync(process.execPath, [HELPER, ...args], { ...(input ? { input } : {}), env: { ...process.env, HE_HELPER_CONFIG: info.helperConfig } });
        return { code: 0, stdout: out.toString() };
    } catch (err) {
        const e = err as { status: number; stdout: Buffer };
        return { code: e.status, stdout: e.stdout.toString() };
    }
}

beforeAll(async () => {
    info = await startSim() as SimInfo & { adminPassword: string };
    execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    fs.mkdirSync(path.join(info.root, "root"), { recursive: true });
    await sim("make-backup", info.dir, "--out", path.join(info.root, "root/engine_backup.tar.gz"));
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

test("vm-network reads the answers from the configuration volume as the disk user", () => {
    const { code, stdout } = helper(["vm-network"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as VmNetworkReport;
    expect(report.problem).toBeNull();
    expect(report.macAddress).toBe("00:16:3e:6a:7a:f9");
    expect(report.hostName).toMatch(/\./);
});

test("preflight: the plan's network where the answers have none; nothing at all fails only engine-vm-network", () => {
    const report = JSON.parse(helper(["vm-network"]).stdout) as VmNetworkReport;
    const plan = (extra: Record<string, unknown>) => JSON.stringify({
        backupArchive: "/root/engine_backup.tar.gz", appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        adminPassword: info.adminPassword, ...extra,
    });
    const withDhcp = JSON.parse(helper(["preflight"], plan({ vmNetwork: { mode: "dhcp" } })).stdout) as { checks: Check[] };
    expect(withDhcp.checks.filter(c => c.state === "fail").map(c => c.id)).toEqual([]);
    expect(withDhcp.checks.find(c => c.id === "engine-vm-network")?.detail.english).toMatch(/00:16:3e:6a:7a:f9|static address/);
    if (report.network === null) {
        // the current sim's answers come from a deploy without cloud-init
        const without = helper(["preflight"], plan({}));
        expect(without.code).toBe(1);
        const checks = (JSON.parse(without.stdout) as { checks: Check[] }).checks;
        expect(checks.filter(c => c.state === "fail").map(c => c.id)).toEqual(["engine-vm-network"]);
        expect(checks.find(c => c.id === "engine-vm-network")?.detail.english).toMatch(/^Nothing says how the engine VM gets its address/);
    }
});
