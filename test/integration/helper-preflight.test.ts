// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * preflight against the whole simulated host: everything passes on a host
 * ready for the upgrade; each fault fails its own check with what to do; and
 * preflight changes nothing.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { Check } from "../../src/protocol/checks";
import { HELPER, HELPER_NODE, sim, simWorld, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo & { adminPassword: string };

interface Report {
    ok: boolean;
    checks: Check[];
}

function preflight(plan: Record<string, unknown> = {}): { code: number; report: Report } {
    const input = JSON.stringify({
        backupArchive: "/root/engine_backup.tar.gz",
        appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        vmNetwork: { mode: "dhcp" },
        adminPassword: info.adminPassword,
        ...plan,
    });
    try {
        const out = execFileSync(HELPER_NODE, [HELPER, "preflight"], { input, env: { ...process.env, HE_HELPER_CONFIG: info.helperConfig } });
        return { code: 0, report: JSON.parse(out.toString()) as Report };
    } catch (err) {
        const e = err as { status: number; stdout: Buffer };
        return { code: e.status, report: JSON.parse(e.stdout.toString()) as Report };
    }
}

const failed = (report: Report) => report.checks.filter(c => c.state === "fail").map(c => c.id);

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

afterEach(async () => {
    await sim("fault", info.dir, "--clear");
});

test("a host ready for the upgrade passes every check, and preflight changes nothing", async () => {
    const before = await simWorld<Record<string, unknown>>(info.dir);
    const { code, report } = preflight();
    expect(failed(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.checks.map(c => c.id)).toEqual(expect.arrayContaining([
        "host-tools", "host-packages", "global-maintenance", "ha-metadata", "ha-conf-level", "engine-vm-here", "spm-vdsm", "engine-ca", "admin-password",
        "compatibility-levels", "spm-engine", "appliance", "versions", "backup", "aaa-domains", "disk-size", "storage-space", "temp-space",
        "engine-vm-network", "engine-vm-conf", "tool-paths"]));
    expect(report.checks.find(c => c.id === "engine-ca")?.detail.english).toMatch(/SHA-256 fingerprint ([0-9A-F]{2}:){31}/);
    // the versions as the host reports them: vdsm's capabilities and the rpm database
    expect(report.checks.find(c => c.id === "host-packages")?.detail.english)
        .toMatch(/vdsm 4\.18\.21-1\.el7\.centos, .*ovirt-hosted-engine-setup 2\.0\.4\.1-1\.el7\.centos, ovirt-hosted-engine-ha 2\.0\.6-1\.el7\.centos/);
    const after = await simWorld<Record<string, unknown>>(info.dir);
    expect(after.engine).toEqual(before.engine);
    expect(after.vm).toEqual(before.vm);
    expect(after.tasks).toEqual(before.tasks);
});

test.each([
    ["not-spm", ["spm-vdsm", "spm-engine"], /not the SPM/],
    ["ha-conf-not-3.6", ["ha-conf-level"], /did not reach 3.6 level/],
    ["stale-metadata-host", ["ha-metadata"], /hosted-engine --clean-metadata --host-id=3/],
    ["dc-version-unsupported", ["compatibility-levels"], /Data center Default is at version 3.5/],
    ["legacy-aaa-domain", ["aaa-domains"], /example.com is configured the legacy way/],
    ["sd-no-space", ["storage-space"], /Extend the hosted-engine storage domain/],
    ["vm-on-other-host", ["engine-vm-here"], /not running on this host/],
    ["guestfish-missing", ["host-tools"], /\/usr\/bin\/guestfish does not exist: install the package libguestfs-tools-c\.$/],
    ["vdsm-too-old", ["host-packages"],
     /^vdsm 4\.16\.30-0\.el7\.centos is installed; the upgrade needs 4\.17\.0 or later: update the package vdsm\. qemu-kvm 1\.5\.3-\S+ is installed; the upgrade needs 2\.3\.0 or later: update the package qemu-kvm-rhev\./],
    ["host-not-updated", ["host-packages"],
     /^ovirt-hosted-engine-setup 1\.3\.7\.3-1\.el7\.centos is installed; the upgrade needs 2\.0\.0 or later: update the package ovirt-hosted-engine-setup\. ovirt-hosted-engine-ha 1\.3\.5\.7-1\.el7\.centos is installed; the upgrade needs 2\.0\.0 or later: update the package ovirt-hosted-engine-ha\.$/],
])("fault %s fails %j and says what to do", async (fault, checks, detail) => {
    await sim("fault", info.dir, fault);
    const { code, report } = preflight();
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(failed(report)).toEqual(checks);
    expect(report.checks.find(c => c.id === checks[0])?.detail.english).toMatch(detail);
});

test("outside global maintenance, with a wrong password, a missing backup or a smaller disk, the right checks fail", async () => {
    execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=none"]);
    try {
        expect(failed(preflight().report)).toEqual(["global-maintenance"]);
    } finally {
        execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    }
    expect(failed(preflight({ adminPassword: "wrong" }).report)).toEqual(["admin-password"]);
    expect(failed(preflight({ backupArchive: "/root/absent.tar.gz" }).report)).toEqual(["backup"]);
    expect(failed(preflight({ diskSizeGiB: 1 }).report)).toEqual(["disk-size"]);
});

test("an upgrade on a host that lacks guestfish and 4.0's hosted-engine packages does not start, and nothing changes", async () => {
    await sim("fault", info.dir, "guestfish-missing", "host-not-updated");
    const before = await simWorld<Record<string, unknown>>(info.dir);
    const input = JSON.stringify({
        backupArchive: "/root/engine_backup.tar.gz",
        appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        vmNetwork: { mode: "dhcp" },
        adminPassword: info.adminPassword,
    });
    let code = 0;
    let out: string;
    try {
        out = execFileSync(HELPER_NODE, [HELPER, "upgrade"], { input, env: { ...process.env, HE_HELPER_CONFIG: info.helperConfig } }).toString();
    } catch (err) {
        const e = err as { status: number; stdout: Buffer };
        code = e.status;
        out = e.stdout.toString();
    }
    const started = JSON.parse(out) as { job: string | null; preflight: Report };
    expect(code).toBe(1);
    expect(started.job).toBeNull();
    expect(failed(started.preflight)).toEqual(["host-tools", "host-packages"]);
    const after = await simWorld<Record<string, unknown>>(info.dir);
    expect(after.engine).toEqual(before.engine);
    expect(after.vm).toEqual(before.vm);
    expect(after.tasks).toEqual(before.tasks);
});

test("a bad plan is refused before any check runs", () => {
    const { code, report } = preflight({ backupArchive: "relative.tar.gz" });
    expect(code).toBe(2);
    expect((report as unknown as { error: { what: string } }).error.what).toBe("plan: backupArchive");
});

test("asked to add this host to the new VM's /etc/hosts, preflight names the line: the bridge's address, the engine's name", () => {
    const { code, report } = preflight({ addHostToEtcHosts: true });
    expect(code).toBe(0);
    expect(report.checks.find(c => c.id === "etc-hosts")).toMatchObject({
        state: "pass", detail: { english: "The new engine VM's /etc/hosts gets the line \"192.168.1.11 host1.example.com\"." },
    });
    expect(preflight().report.checks.some(c => c.id === "etc-hosts")).toBe(false);
});
