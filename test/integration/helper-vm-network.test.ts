// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM keeps its identity (issue 13), against the simulated host in
 * each of its network variants: the deploy's answers read from the
 * configuration volume as the disk user (the domain is root-squashed NFS),
 * the preflight's engine-vm-network check, and whole upgrades that end with
 * the 4.0 engine answering on its FQDN. The static variant's whole upgrade is
 * helper-upgrade.test.ts's; here the DHCP and the 3.5-era (no answers) ones.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { Check } from "../../src/protocol/checks";
import type { VmNetworkReport } from "../../src/protocol/network";
import { helperSync, sim, simWorld, startSim, type SimInfo } from "../support/sim-control";

type Info = SimInfo & { adminPassword: string };

interface World {
    vm: { status: string; bootedSystem: string; network?: { address: string | null; source: string } | null };
    engine: { version: string; health: string };
}

const started: Info[] = [];

async function host(network: "static" | "dhcp" | "missing"): Promise<Info> {
    const info = await startSim(undefined, { network }) as Info;
    started.push(info);
    execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    await sim("make-backup", info.dir, "--out", path.join(info.root, "root/engine_backup.tar.gz"));
    return info;
}

afterAll(async () => {
    for (const info of started) {
        await sim("stop", info.dir);
        fs.rmSync(info.dir, { recursive: true, force: true });
    }
});

const plan = (info: Info, extra: Record<string, unknown> = {}) => JSON.stringify({
    backupArchive: "/root/engine_backup.tar.gz",
    appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
    adminPassword: info.adminPassword,
    rootPassword: "Appliance-Root-Pass-7",
    ...extra,
});

function vmNetwork(info: Info): VmNetworkReport {
    const out = helperSync(info.helperConfig, ["vm-network"]);
    expect(out.code).toBe(0);
    return JSON.parse(out.stdout) as VmNetworkReport;
}

function preflight(info: Info, input: string): { failed: string[]; network: string } {
    const checks = (JSON.parse(helperSync(info.helperConfig, ["preflight"], input).stdout) as { checks: Check[] }).checks;
    return {
        failed: checks.filter(c => c.state === "fail").map(c => c.id),
        network: checks.find(c => c.id === "engine-vm-network")?.detail.english ?? "",
    };
}

/** The upgraded engine VM started again (as the agents do after global maintenance), once its engine is healthy. */
async function restarted(info: Info): Promise<World> {
    execFileSync(info.hostedEngine, ["--vm-start"]);
    for (let i = 0; i < 150; i++) {
        const w = await simWorld<World>(info.dir);
        if (w.engine.health === "good")
            return w;
        await new Promise(resolve => setTimeout(resolve, 200));
    }
    throw new Error("the upgraded engine never answered at its FQDN");
}

/** Runs the upgrade job to its end; the events' last line. */
function upgrade(info: Info, input: string): string {
    const start = helperSync(info.helperConfig, ["upgrade"], input);
    expect(start.code).toBe(0);
    const { job } = JSON.parse(start.stdout) as { job: string };
    const lines = helperSync(info.helperConfig, ["follow", job]).stdout.trim().split("\n");
    return lines[lines.length - 1];
}

describe("static, as deployed with a static address", () => {
    let info: Info;
    beforeAll(async () => { info = await host("static"); });

    test("the answers give the address; preflight passes only while the FQDN resolves to it", () => {
        const report = vmNetwork(info);
        expect(report.problem).toBeNull();
        expect(report.network).toEqual({ mode: "static", address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: ["192.168.1.1"] });
        expect(report.macAddress).toBe("00:16:3e:6a:7a:f9");
        const ok = preflight(info, plan(info));
        expect(ok.failed).toEqual([]);
        expect(ok.network).toMatch(/192\.168\.1\.222/);

        // the host's resolver now points the FQDN elsewhere: the new VM would never be found at its name
        const hosts = path.join(info.root, "etc/hosts");
        const saved = fs.readFileSync(hosts, "utf8");
        fs.writeFileSync(hosts, saved.replace(/^192\.168\.1\.222(\s)/m, "192.168.1.77$1"));
        try {
            const refused = preflight(info, plan(info));
            // (the running engine is not found at its name either: the engine's own checks fail too)
            expect(refused.failed).toContain("engine-vm-network");
            expect(refused.network).toMatch(/192\.168\.1\.77/);
        } finally {
            fs.writeFileSync(hosts, saved);
        }
    });
});

describe("DHCP, as deployed with a reserved lease", () => {
    let info: Info;
    beforeAll(async () => { info = await host("dhcp"); });

    test("the answers say DHCP with the old VM's MAC; the upgraded engine answers on its FQDN", async () => {
        const report = vmNetwork(info);
        expect(report.network).toEqual({ mode: "dhcp" });
        const checked = preflight(info, plan(info));
        expect(checked.failed).toEqual([]);
        expect(checked.network).toMatch(/00:16:3e:6a:7a:f9/);

        expect(upgrade(info, plan(info))).toBe(JSON.stringify({ type: "end", state: "succeeded" }));
        const after = await restarted(info);
        expect(after.engine.version).toMatch(/^4\.0\./);
        expect(after.vm.network).toMatchObject({ address: "192.168.1.222", source: "dhcp" });
    });
});

describe("missing, a 3.5-era deploy whose answers say nothing of the network", () => {
    let info: Info;
    beforeAll(async () => { info = await host("missing"); });

    test("preflight asks for the network, refuses an address the FQDN does not resolve to, and the upgrade takes the one given", async () => {
        expect(vmNetwork(info).network).toBeNull();
        const nothing = preflight(info, plan(info));
        expect(nothing.failed).toEqual(["engine-vm-network"]);
        expect(nothing.network).toMatch(/^Nothing says how the engine VM gets its address/);

        const staticAt = (address: string) => ({ vmNetwork: { mode: "static", address, prefix: 24, gateway: "192.168.1.1", dns: ["192.168.1.1"] } });
        expect(preflight(info, plan(info, staticAt("192.168.1.50"))).failed).toEqual(["engine-vm-network"]);
        // the same refusal holds when the job is started: nothing is changed
        const refused = helperSync(info.helperConfig, ["upgrade"], plan(info, staticAt("192.168.1.50")));
        expect(refused.code).toBe(1);
        expect((await simWorld<World>(info.dir)).vm.bootedSystem).toBe("el6-engine-3.6");

        expect(upgrade(info, plan(info, staticAt("192.168.1.222")))).toBe(JSON.stringify({ type: "end", state: "succeeded" }));
        const after = await restarted(info);
        expect(after.engine.version).toMatch(/^4\.0\./);
        expect(after.vm.network).toMatchObject({ address: "192.168.1.222", source: "static" });
    });
});
