/** SPDX-License-Identifier: LGPL-2.1-or-later
 * (jest reads its pragma only from a docblock at the very start)
 * @jest-environment jsdom
 */

import React from "react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";

import {
    text, type AppliancesReport, type BackupReport, type ChecksReport, type EngineLoginResult, type ErrorOutput,
    type JobStart, type OvaReport, type ReadinessReport, type VmNetworkReport,
} from "../../src/protocol";
import { UpgradeWizard } from "../../src/plugin/upgrade/upgrade-wizard";
import { mockCockpit, resetMockCockpit, rootOwnedStat, setSpawnHandler, type SpawnCall, spawnCalls, type SpawnOutcome } from "../support/mock-cockpit";

const BACKUP = "/root/engine_backup.tar.gz";
const OVA = "/usr/share/ovirt-engine-appliance/ovirt-engine-appliance-4.0.ova";
const SHA1 = "0123456789abcdef0123456789abcdef01234567";
const GiB = 1024 ** 3;
const PASSWORD = "engine-pass";

const said = (reason: string) => text("internal.unexpected", { reason });

function failed(reason: string): string {
    const t = said(reason);
    return JSON.stringify({ error: { code: "command-failed", text: t, message: t.english, what: "x" } } satisfies ErrorOutput);
}

const READINESS: ReadinessReport = {
    globalMaintenance: true, engineVmOnThisHost: true, spm: true, spmStatus: "SPM", engineDiskBytes: 50 * GiB, vdsmError: null,
};

const BACKUP_REPORT: BackupReport = {
    path: BACKUP, sizeBytes: 12345, compression: "gzip", version: "3.6.7.5", majorMinor: "3.6", osVersion: "centos6",
    dwh: true, reports: false, authzExtensions: [], members: [], problems: [],
};

const APPLIANCES: AppliancesReport = {
    appliances: [{ conf: "/etc/ovirt-hosted-engine/10-appliance.conf", description: "oVirt Engine Appliance", version: "4.0.6",
        path: OVA, sha1sum: SHA1, installed: true, sizeBytes: GiB }],
    problems: [],
};

const OVA_REPORT: OvaReport = {
    path: OVA, sizeBytes: GiB, bytesRead: GiB, sha1: SHA1, sha1Matches: true, ovfMember: "master/vms/x/x.ovf",
    ovf: { diskMember: "images/d/v", fileRef: "d/v", diskSizeGiB: 50, virtualSize: 50 * GiB, volumeFormat: "COW",
        diskAlias: null, cpus: 4, memoryMiB: 16384 },
    disk: { member: "images/d/v", sizeBytes: GiB, format: "qcow2", virtualSize: 50 * GiB, extractedTo: null },
    problems: [],
};

const LOGIN: EngineLoginResult = {
    engineUrl: "https://engine.example.com/ovirt-engine", engineVersion: "3.6.7.5",
    ca: { subject: "CN=engine.example.com", sha256Fingerprint: "AA:BB" },
};

const PREFLIGHT: ChecksReport = {
    ok: true,
    checks: [{ id: "backup", title: "Engine backup", state: "pass", detail: said("3.6.7.5") }],
};

/* What the deploy's answers say of the engine VM: by default nothing of its network (a deploy without cloud-init). */
const ASKED: VmNetworkReport = {
    network: null, hostName: "engine.example.com", domain: "example.com", macAddress: "00:16:3e:6a:7a:f9", timeZone: "Europe/Berlin",
    etcHosts: null, problem: null,
};
let vmNetworkReport: VmNetworkReport = ASKED;

function helper(call: SpawnCall): SpawnOutcome {
    if (call.args[0] === "stat")
        return rootOwnedStat(call);
    const verb = call.args[2];
    if (verb === "readiness")
        return { stdout: JSON.stringify(READINESS) };
    if (verb === "validate-backup")
        return { stdout: JSON.stringify({ ...BACKUP_REPORT, path: call.args[3] }) };
    if (verb === "vm-network")
        return { stdout: JSON.stringify(vmNetworkReport) };
    if (verb === "appliances")
        return { stdout: JSON.stringify(APPLIANCES) };
    if (verb === "inspect-ova") {
        const progress = JSON.stringify({ type: "progress", done: GiB / 2, total: GiB });
        return { stdout: `${progress}\n${JSON.stringify(OVA_REPORT)}\n` };
    }
    if (verb === "engine-login") {
        const input = JSON.parse(call.input ?? "{}") as { adminPassword?: string };
        return input.adminPassword === PASSWORD
            ? { stdout: JSON.stringify(LOGIN) }
            : { fail: { exit_status: 1 }, stdout: failed("The engine refused the password") };
    }
    if (verb === "preflight")
        return { stdout: JSON.stringify(PREFLIGHT) };
    if (verb === "upgrade")
        return { stdout: JSON.stringify({ job: "20261201T101500-abc123", preflight: PREFLIGHT } satisfies JobStart) };
    return { fail: { exit_status: 2 }, stdout: failed("Unknown verb") };
}

beforeEach(() => {
    vmNetworkReport = ASKED;
    resetMockCockpit();
    setSpawnHandler(helper);
});

const byId = (container: HTMLElement, id: string) => container.querySelector(`#${id}`) as HTMLInputElement | null;
const type = (container: HTMLElement, id: string, value: string) => fireEvent.change(byId(container, id) as Element, { target: { value } });

async function next(container: HTMLElement, step: string) {
    await waitFor(() => expect(byId(container, `he-upgrade-next-${step}`)?.disabled).toBe(false), { timeout: 3000 });
    fireEvent.click(byId(container, `he-upgrade-next-${step}`) as Element);
}

/* Readiness, backup and appliance done: the settings step is shown. */
async function toSettings(container: HTMLElement) {
    await next(container, "readiness");
    expect(mockCockpit.location.path).toEqual(["upgrade", "backup"]);
    type(container, "he-backup-path", BACKUP);
    await waitFor(() => expect(byId(container, "he-backup-version")?.textContent).toBe("3.6.7.5"), { timeout: 3000 });
    expect(byId(container, "he-backup-dwh")?.textContent).toMatch(/Included/);
    await next(container, "backup");

    await waitFor(() => expect(byId(container, "he-appliance-installed-0")?.checked).toBe(true));
    fireEvent.click(byId(container, "he-ova-check") as Element);
    await waitFor(() => expect(byId(container, "he-ova-ok")).not.toBeNull());
    expect(byId(container, "he-ova-sha1")?.textContent).toMatch(/as expected/);
    expect(spawnCalls.find(c => c.args[2] === "inspect-ova")?.args.slice(2)).toEqual(["inspect-ova", OVA, "--sha1", SHA1, "--progress"]);
    await next(container, "appliance");
    await waitFor(() => expect(byId(container, "he-upgrade-settings")).not.toBeNull());
}

describe("UpgradeWizard", () => {
    test("walks from readiness to the start of the job, each step checked by the helper", async () => {
        mockCockpit.location.path = ["upgrade"];
        const onStarted = jest.fn();
        const { container } = render(<UpgradeWizard onStarted={onStarted} />);
        await waitFor(() => expect(container.querySelector('#he-readiness-global-maintenance[data-met="true"]')).not.toBeNull());
        await toSettings(container);

        // a wrong password is caught now, before the engine goes down
        type(container, "he-admin-password", "not-the-password");
        fireEvent.click(byId(container, "he-admin-password-check") as Element);
        await waitFor(() => expect(byId(container, "he-admin-password-error")).not.toBeNull());
        expect(byId(container, "he-upgrade-next-settings")?.disabled).toBe(true);
        type(container, "he-admin-password", PASSWORD);
        fireEvent.click(byId(container, "he-admin-password-check") as Element);
        await waitFor(() => expect(byId(container, "he-admin-password-ok")?.textContent).toMatch(/The engine 3.6.7.5 accepted the password/));
        type(container, "he-root-password", "root-pass");
        type(container, "he-root-password-confirm", "other");
        expect(screen.getByText("The passwords differ.")).toBeTruthy();
        expect(byId(container, "he-upgrade-next-settings")?.disabled).toBe(true);
        type(container, "he-root-password-confirm", "root-pass");
        // the answers do not give the network: it is asked, each field checked as typed
        expect(byId(container, "he-vm-mac")?.textContent).toBe("00:16:3e:6a:7a:f9");
        expect(byId(container, "he-vm-time-zone")?.textContent).toBe("Europe/Berlin");
        expect(byId(container, "he-upgrade-next-settings")?.disabled).toBe(true);
        fireEvent.click(byId(container, "he-vm-network-static") as Element);
        await waitFor(() => expect(byId(container, "he-vm-address")).not.toBeNull());
        type(container, "he-vm-address", "192.168.1.222");
        type(container, "he-vm-prefix", "24");
        type(container, "he-vm-gateway", "10.0.0.1");
        expect(screen.getByText("The gateway is not in the engine VM's subnet: static routes are not configured")).toBeTruthy();
        expect(byId(container, "he-upgrade-next-settings")?.disabled).toBe(true);
        type(container, "he-vm-gateway", "192.168.1.1");
        type(container, "he-vm-dns", "192.168.1.1");
        await next(container, "settings");

        await waitFor(() => expect(container.querySelector('#he-check-backup[data-state="pass"]')).not.toBeNull());
        expect(byId(container, "he-upgrade-start")?.disabled).toBe(true);
        fireEvent.click(byId(container, "he-upgrade-confirm") as Element);
        await waitFor(() => expect(byId(container, "he-upgrade-start")?.disabled).toBe(false));
        fireEvent.click(byId(container, "he-upgrade-start") as Element);
        await waitFor(() => expect(onStarted).toHaveBeenCalledWith("20261201T101500-abc123"));
        const plan = JSON.parse(spawnCalls.find(c => c.args[2] === "upgrade")?.input ?? "null");
        expect(plan).toMatchObject({ backupArchive: BACKUP, appliance: { installed: APPLIANCES.appliances[0].conf },
            adminPassword: PASSWORD, rootPassword: "root-pass",
            vmNetwork: { mode: "static", address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: ["192.168.1.1"] } });
    });

    test("a network the answers give is shown, not asked; their /etc/hosts choice is the checkbox's start", async () => {
        vmNetworkReport = { ...ASKED, etcHosts: true,
            network: { mode: "static", address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: ["192.168.1.1", "192.168.1.2"] } };
        mockCockpit.location.path = ["upgrade"];
        const { container } = render(<UpgradeWizard onStarted={() => undefined} />);
        await waitFor(() => expect(container.querySelector('#he-readiness-global-maintenance[data-met="true"]')).not.toBeNull());
        await toSettings(container);
        await waitFor(() => expect(byId(container, "he-vm-network-fixed")?.textContent)
            .toMatch(/^Static: 192.168.1.222\/24, gateway 192.168.1.1, DNS 192.168.1.1, 192.168.1.2/));
        expect(byId(container, "he-vm-network-static")).toBeNull();
        expect(byId(container, "he-vm-address")).toBeNull();
        expect(byId(container, "he-etc-hosts")?.checked).toBe(true);
    });

    test("a step that cannot be reached yet is not shown: the location says where the wizard is", async () => {
        mockCockpit.location.path = ["upgrade", "review"];
        const { container } = render(<UpgradeWizard onStarted={() => undefined} />);
        await waitFor(() => expect(mockCockpit.location.path).toEqual(["upgrade", "readiness"]));
        expect(byId(container, "he-upgrade-readiness")).not.toBeNull();
        expect(byId(container, "he-upgrade-review")).toBeNull();
    });

    test("Start over forgets what was entered and goes back to readiness", async () => {
        mockCockpit.location.path = ["upgrade"];
        const { container } = render(<UpgradeWizard onStarted={() => undefined} />);
        await toSettings(container);
        type(container, "he-admin-password", PASSWORD);
        fireEvent.click(screen.getByText("Start over"));
        await waitFor(() => expect(mockCockpit.location.path).toEqual(["upgrade", "readiness"]));
        await waitFor(() => expect(byId(container, "he-upgrade-readiness")).not.toBeNull());
        // the host's state is kept; the archive's path is not
        await next(container, "readiness");
        await waitFor(() => expect(byId(container, "he-backup-path")?.value).toBe(""));
    });
});
