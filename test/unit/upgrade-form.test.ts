// SPDX-License-Identifier: LGPL-2.1-or-later

import type { ApplianceEntry, BackupReport, MessageCode, OvaReport, ReadinessReport, Text, VmNetworkReport } from "../../src/protocol";
import {
    applianceProblems, backupProblems, chosenOvaPath, emptyFindings, emptyForm, expectedBackupLabel, GiB, isAbsolutePath,
    minimumDiskGiB, planOf, readinessProblems, settingsProblems, wizardStepFromPath, WIZARD_STEPS,
    type UpgradeFindings, type UpgradeForm,
} from "../../src/plugin/upgrade/upgrade-form";

const CONF = "/etc/ovirt-hosted-engine/10-appliance.conf";
const INSTALLED_OVA = "/usr/share/ovirt-engine-appliance/ovirt-engine-appliance-4.0-20160928.1.el7.centos.ova";
const SHA1 = "0123456789ABCDEF0123456789abcdef01234567";
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx admin@example.com";

/* What a helper newer than the page wrote: a code the page does not know, shown in the helper's English. */
const said = (english: string): Text => ({ code: "newer.helper" as MessageCode, params: {}, english });

const readiness = (overrides: Partial<ReadinessReport> = {}): ReadinessReport => ({
    globalMaintenance: true, engineVmOnThisHost: true, spm: true, spmStatus: "SPM", engineDiskBytes: 25 * GiB, vdsmError: null,
    ...overrides,
});

const backupReport = (path: string, problems: Text[] = []): BackupReport => ({
    path, sizeBytes: 12345678, compression: "gzip", version: "3.6.7.5", majorMinor: "3.6", osVersion: "centos6",
    dwh: true, reports: false, authzExtensions: [], members: ["files", "version", "md5sum", "db/engine_backup.db", "config"], problems,
});

const appliance = (overrides: Partial<ApplianceEntry> = {}): ApplianceEntry => ({
    conf: CONF, description: "oVirt Engine Appliance image for oVirt-4.0", version: "4.0-20160928.1.el7.centos",
    path: INSTALLED_OVA, sha1sum: SHA1.toLowerCase(), installed: true, sizeBytes: 900 * 1024 ** 2, ...overrides,
});

const ovaReport = (path: string, diskSizeGiB: number | null = 50, problems: Text[] = []): OvaReport => ({
    path, sizeBytes: 900 * 1024 ** 2, bytesRead: 900 * 1024 ** 2, sha1: SHA1.toLowerCase(), sha1Matches: true, ovfMember: "master/vms/x/x.ovf",
    ovf: diskSizeGiB === null ? null : {
        diskMember: "images/a/b", fileRef: "a/b", diskSizeGiB, virtualSize: diskSizeGiB * GiB, volumeFormat: "COW",
        diskAlias: "virtio-disk0", cpus: 4, memoryMiB: 16384,
    },
    disk: null,
    problems,
});

/* The engine VM's network as the deploy's answers give it: the Settings step asks nothing of it. */
const vmNetwork = (overrides: Partial<VmNetworkReport> = {}): VmNetworkReport => ({
    network: { mode: "dhcp" }, hostName: "engine.example.com", domain: "example.com", macAddress: "00:16:3e:6a:7a:f9",
    timeZone: "Europe/Berlin", etcHosts: false, problem: null, ...overrides,
});

const form = (overrides: Partial<UpgradeForm> = {}): UpgradeForm => ({ ...emptyForm(), ...overrides });
const findings = (overrides: Partial<UpgradeFindings> = {}): UpgradeFindings => ({ ...emptyFindings(), vmNetwork: vmNetwork(), ...overrides });

describe("wizardStepFromPath", () => {
    test("the second path element names the step", () => {
        for (const step of WIZARD_STEPS)
            expect(wizardStepFromPath(["upgrade", step])).toBe(step);
        expect(wizardStepFromPath(["upgrade", "settings", "extra"])).toBe("settings");
    });

    test("anything else is the first step", () => {
        expect(wizardStepFromPath([])).toBe("readiness");
        expect(wizardStepFromPath(["upgrade"])).toBe("readiness");
        expect(wizardStepFromPath(["upgrade", "bogus"])).toBe("readiness");
        expect(wizardStepFromPath(["upgrade", "Settings"])).toBe("readiness");
        expect(wizardStepFromPath(["settings"])).toBe("readiness");
    });
});

describe("isAbsolutePath", () => {
    test("accepts normalized absolute paths", () => {
        expect(isAbsolutePath("/root/a.tar.gz")).toBe(true);
        expect(isAbsolutePath("/root/engine_backup.tar.gz")).toBe(true);
        expect(isAbsolutePath("/root/..hidden/a")).toBe(true);
    });

    test("rejects relative, dotted, doubled-slash, empty and NUL paths", () => {
        for (const bad of ["", "root/a.tar.gz", "./a.tar.gz", "a.tar.gz", " /root/a", "/root/../etc/shadow", "/root/..", "/..",
            "/root/./a", "/root/.", "//root/a", "/root//a", "/root/a\0b"])
            expect([bad, isAbsolutePath(bad)]).toEqual([bad, false]);
    });
});

describe("readinessProblems", () => {
    test("nothing read yet", () => {
        expect(readinessProblems(null)).toEqual(["The host's state has not been read yet."]);
    });

    test("a ready host has none", () => {
        expect(readinessProblems(readiness())).toEqual([]);
    });

    test("every reason, in order", () => {
        expect(readinessProblems(readiness({
            globalMaintenance: false, vdsmError: said("Cannot connect to vdsm: ECONNREFUSED"), engineVmOnThisHost: false, spm: false, spmStatus: "Free",
        }))).toEqual([
            "The cluster is not in global maintenance.",
            "Cannot connect to vdsm: ECONNREFUSED",
            "The engine VM does not run on this host. Open this page on the host that runs it.",
            "This host is not the SPM (Free). Select it as the SPM in the engine.",
        ]);
    });

    test("unknown (null) answers are not problems by themselves", () => {
        expect(readinessProblems(readiness({ engineVmOnThisHost: null, spm: null, spmStatus: null }))).toEqual([]);
        expect(readinessProblems(readiness({ spm: false, spmStatus: null }))).toEqual(["This host is not the SPM (?). Select it as the SPM in the engine."]);
    });
});

describe("backupProblems", () => {
    const ARCHIVE = "/root/engine_backup.tar.gz";

    test("a path that is not absolute", () => {
        expect(backupProblems(form({ backupArchive: "engine_backup.tar.gz" }), backupReport("engine_backup.tar.gz")))
                .toEqual(["Enter the absolute path of the engine-backup archive on this host."]);
        expect(backupProblems(form(), null)).toEqual(["Enter the absolute path of the engine-backup archive on this host."]);
    });

    test("an archive not checked yet, or checked under another path", () => {
        expect(backupProblems(form({ backupArchive: ARCHIVE }), null)).toEqual(["The archive has not been checked yet."]);
        expect(backupProblems(form({ backupArchive: ARCHIVE }), backupReport("/root/other.tar.gz"))).toEqual(["The archive has not been checked yet."]);
    });

    test("the checked archive's own problems", () => {
        expect(backupProblems(form({ backupArchive: ARCHIVE }), backupReport(ARCHIVE))).toEqual([]);
        expect(backupProblems(form({ backupArchive: ARCHIVE }), backupReport(ARCHIVE, [said("The backup is of engine 3.5, not 3.6")])))
                .toEqual(["The backup is of engine 3.5, not 3.6"]);
    });
});

describe("applianceProblems: an installed appliance", () => {
    const installed = form({ applianceSource: "installed", installedConf: CONF });

    test("none chosen, or one that is not listed", () => {
        expect(applianceProblems(form(), findings({ appliances: [appliance()] }))).toEqual(["Choose an installed appliance."]);
        expect(applianceProblems(installed, findings())).toEqual(["Choose an installed appliance."]);
        expect(applianceProblems(form({ installedConf: "/etc/ovirt-hosted-engine/20-other.conf" }), findings({ appliances: [appliance()] })))
                .toEqual(["Choose an installed appliance."]);
    });

    test("a listed appliance whose OVA is missing", () => {
        expect(applianceProblems(installed, findings({ appliances: [appliance({ installed: false })] })))
                .toEqual([`The appliance's OVA ${INSTALLED_OVA} is missing.`]);
    });

    test("an installed OVA not inspected yet, or another OVA inspected", () => {
        expect(applianceProblems(installed, findings({ appliances: [appliance()] }))).toEqual(["The appliance has not been checked yet."]);
        expect(applianceProblems(installed, findings({ appliances: [appliance()], ova: ovaReport("/root/other.ova") })))
                .toEqual(["The appliance has not been checked yet."]);
    });

    test("the inspected OVA's problems", () => {
        expect(chosenOvaPath(installed, findings({ appliances: [appliance()] }))).toBe(INSTALLED_OVA);
        expect(applianceProblems(installed, findings({ appliances: [appliance()], ova: ovaReport(INSTALLED_OVA) }))).toEqual([]);
        expect(applianceProblems(installed, findings({ appliances: [appliance()], ova: ovaReport(INSTALLED_OVA, 50, [said("sha1 mismatch")]) })))
                .toEqual(["sha1 mismatch"]);
    });
});

describe("applianceProblems: an OVA file", () => {
    const OVA = "/root/ovirt-engine-appliance.ova";

    test("a path that is not absolute", () => {
        expect(applianceProblems(form({ applianceSource: "ova", ovaPath: "appliance.ova" }), findings()))
                .toEqual(["Enter the absolute path of the appliance OVA on this host."]);
    });

    test("a sha1 that is not 40 hex digits; an empty or upper-case one is fine", () => {
        const sha1Problem = "The sha1 must be 40 hexadecimal digits.";
        for (const bad of [SHA1.slice(1), `${SHA1}0`, `g${SHA1.slice(1)}`, ` ${SHA1.slice(1)}`])
            expect(applianceProblems(form({ applianceSource: "ova", ovaPath: OVA, ovaSha1: bad }), findings())).toEqual([sha1Problem]);
        expect(applianceProblems(form({ applianceSource: "ova", ovaPath: "x.ova", ovaSha1: "abc" }), findings()))
                .toEqual(["Enter the absolute path of the appliance OVA on this host.", sha1Problem]);
        for (const good of ["", SHA1, SHA1.toUpperCase()])
            expect(applianceProblems(form({ applianceSource: "ova", ovaPath: OVA, ovaSha1: good }), findings()))
                    .toEqual(["The appliance has not been checked yet."]);
    });

    test("an OVA not checked yet, or checked under another path", () => {
        const ova = form({ applianceSource: "ova", ovaPath: OVA });
        expect(applianceProblems(ova, findings())).toEqual(["The appliance has not been checked yet."]);
        expect(applianceProblems(ova, findings({ ova: ovaReport(INSTALLED_OVA) }))).toEqual(["The appliance has not been checked yet."]);
        // the installed list does not matter for an OVA choice
        expect(applianceProblems(ova, findings({ appliances: [appliance()], ova: ovaReport(INSTALLED_OVA) })))
                .toEqual(["The appliance has not been checked yet."]);
    });

    test("the checked OVA's problems", () => {
        const ova = form({ applianceSource: "ova", ovaPath: OVA, ovaSha1: SHA1 });
        expect(chosenOvaPath(ova, findings())).toBe(OVA);
        expect(applianceProblems(ova, findings({ ova: ovaReport(OVA) }))).toEqual([]);
        expect(applianceProblems(ova, findings({ ova: ovaReport(OVA, null, [said("The OVA has no OVF")]) }))).toEqual(["The OVA has no OVF"]);
    });
});

describe("minimumDiskGiB", () => {
    test("nothing known", () => {
        expect(minimumDiskGiB(emptyFindings())).toBeNull();
        expect(minimumDiskGiB(findings({ readiness: readiness({ engineDiskBytes: null }), ova: ovaReport("/a.ova", null) }))).toBeNull();
    });

    test("the current disk rounded up to whole GiB", () => {
        expect(minimumDiskGiB(findings({ readiness: readiness({ engineDiskBytes: 25 * GiB }) }))).toBe(25);
        expect(minimumDiskGiB(findings({ readiness: readiness({ engineDiskBytes: 25 * GiB + 1 }) }))).toBe(26);
        expect(minimumDiskGiB(findings({ readiness: readiness({ engineDiskBytes: 1 }) }))).toBe(1);
    });

    test("the larger of the current disk and the OVF's size", () => {
        expect(minimumDiskGiB(findings({ readiness: readiness({ engineDiskBytes: 25 * GiB }), ova: ovaReport("/a.ova", 50) }))).toBe(50);
        expect(minimumDiskGiB(findings({ readiness: readiness({ engineDiskBytes: 60 * GiB + 512 }), ova: ovaReport("/a.ova", 50) }))).toBe(61);
        expect(minimumDiskGiB(findings({ ova: ovaReport("/a.ova", 10) }))).toBe(10);
    });
});

describe("settingsProblems", () => {
    const accepted = findings({ acceptedPassword: "Admin-Pass-1", readiness: readiness({ engineDiskBytes: 25 * GiB }), ova: ovaReport("/a.ova", 50) });
    const ok = form({ adminPassword: "Admin-Pass-1" });

    test("a complete form has none", () => {
        expect(settingsProblems(ok, accepted)).toEqual({});
        expect(settingsProblems(form({ adminPassword: "Admin-Pass-1", rootPassword: "r", rootPasswordConfirm: "r", rootSshKey: `  ${SSH_KEY}\n`,
            diskSizeGiB: "50" }), accepted)).toEqual({});
    });

    test("the admin password: missing, or not yet accepted by the engine", () => {
        expect(settingsProblems(form(), accepted)).toEqual({ adminPassword: "The engine's admin@internal password is needed." });
        expect(settingsProblems(ok, findings())).toEqual({ adminPassword: "Check the password against the engine." });
        // a password changed after the check is checked again
        expect(settingsProblems(form({ adminPassword: "Admin-Pass-2" }), accepted)).toEqual({ adminPassword: "Check the password against the engine." });
    });

    test("root passwords that differ", () => {
        expect(settingsProblems(form({ ...ok, rootPassword: "one", rootPasswordConfirm: "two" }), accepted))
                .toEqual({ rootPasswordConfirm: "The passwords differ." });
        expect(settingsProblems(form({ ...ok, rootPassword: "one", rootPasswordConfirm: "" }), accepted))
                .toEqual({ rootPasswordConfirm: "The passwords differ." });
    });

    test("an ssh key that is not one OpenSSH public key line", () => {
        for (const bad of ["AAAAC3NzaC1lZDI1NTE5", "ssh-ed25519", "ssh-foo AAAA x", "ssh-ed25519 AAAA!! x", `${SSH_KEY}\n${SSH_KEY}`,
            "-----BEGIN OPENSSH PRIVATE KEY-----"])
            expect([bad, settingsProblems(form({ ...ok, rootSshKey: bad }), accepted).rootSshKey]).toEqual([bad, expect.stringMatching(/OpenSSH public key/)]);
        for (const good of [SSH_KEY, "ssh-rsa AAAAB3NzaC1yc2E=", "ecdsa-sha2-nistp256 AAAAE2VjZHNh root@host", "   "])
            expect([good, settingsProblems(form({ ...ok, rootSshKey: good }), accepted)]).toEqual([good, {}]);
    });

    test("a disk size below the minimum", () => {
        expect(settingsProblems(form({ ...ok, diskSizeGiB: "49" }), accepted)).toEqual({ diskSizeGiB: "The disk cannot be smaller than 50 GiB." });
        expect(settingsProblems(form({ ...ok, diskSizeGiB: "50" }), accepted)).toEqual({});
        // with nothing known of the disks, any whole size goes (the helper checks again)
        expect(settingsProblems(form({ ...ok, diskSizeGiB: "2" }), findings({ acceptedPassword: "Admin-Pass-1" }))).toEqual({});
    });

    test("a disk size that is not a whole number of GiB", () => {
        for (const bad of ["abc", "50.5", "0", "-5", "65537", " "])
            expect([bad, settingsProblems(form({ ...ok, diskSizeGiB: bad }), accepted)]).toEqual([bad, { diskSizeGiB: "Enter a whole number of GiB." }]);
        // the whole-number check comes first, even below the minimum
        expect(settingsProblems(form({ ...ok, diskSizeGiB: "10.5" }), accepted)).toEqual({ diskSizeGiB: "Enter a whole number of GiB." });
    });

    test("the network: not read yet; given by the answers, nothing asked; else chosen and checked as typed", () => {
        expect(settingsProblems(ok, findings({ ...accepted, vmNetwork: null }))).toEqual({ networkMode: "The engine VM's network has not been read yet." });
        const asked = findings({ ...accepted, vmNetwork: vmNetwork({ network: null }) });
        expect(settingsProblems(ok, asked)).toEqual({ networkMode: "Choose how the engine VM gets its address." });
        expect(settingsProblems(form({ ...ok, networkMode: "dhcp" }), asked)).toEqual({});
        const good = { networkMode: "static" as const, vmAddress: "192.168.1.222", vmPrefix: "24", vmGateway: "192.168.1.1", vmDns: "192.168.1.1, 192.168.1.2" };
        expect(settingsProblems(form({ ...ok, ...good }), asked)).toEqual({});
        expect(settingsProblems(form({ ...ok, networkMode: "static" }), asked)).toEqual({
            vmAddress: "Enter an IPv4 address such as 192.168.1.222", vmPrefix: "Enter a prefix length from 1 to 32, such as 24",
            vmGateway: "Enter the gateway's IPv4 address",
        });
        expect(settingsProblems(form({ ...ok, ...good, vmAddress: "192.168.1.255", vmGateway: "10.0.0.1", vmDns: "a,b" }), asked)).toEqual({
            vmAddress: "The address is its subnet's network or broadcast address",
            vmGateway: "The gateway is not in the engine VM's subnet: static routes are not configured",
            vmDns: "Enter IP addresses separated by commas",
        });
        expect(planOf(form({ ...ok, ...good })).vmNetwork).toEqual(
            { mode: "static", address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: ["192.168.1.1", "192.168.1.2"] });
        expect(planOf(form({ ...ok, networkMode: "dhcp" })).vmNetwork).toEqual({ mode: "dhcp" });
    });

    test("several problems at once", () => {
        expect(Object.keys(settingsProblems(form({ rootPassword: "a", rootSshKey: "nope", diskSizeGiB: "x" }), accepted)).sort())
                .toEqual(["adminPassword", "diskSizeGiB", "rootPasswordConfirm", "rootSshKey"]);
    });
});

function filledForm(overrides: Partial<UpgradeForm> = {}): UpgradeForm {
    return form({
        backupArchive: "/root/engine_backup.tar.gz",
        applianceSource: "installed",
        installedConf: CONF,
        adminPassword: "Admin-Pass-1",
        rootPassword: "Root-Pass-1",
        rootPasswordConfirm: "Root-Pass-1",
        rootSshKey: `  ${SSH_KEY}\n`,
        rootSshAccess: "without-password",
        addHostToEtcHosts: true,
        diskSizeGiB: "60",
        acceptUnsupportedVersions: false,
        ...overrides,
    });
}

describe("planOf", () => {
    test("an installed appliance with only what is needed: the optional fields are null", () => {
        const plan = planOf(form({ backupArchive: "/root/engine_backup.tar.gz", installedConf: CONF, adminPassword: "Admin-Pass-1" }));
        expect(plan).toStrictEqual({
            backupArchive: "/root/engine_backup.tar.gz",
            appliance: { installed: CONF },
            rootSshKey: null,
            rootSshAccess: null,
            addHostToEtcHosts: false,
            vmNetwork: null,
            diskSizeGiB: null,
            acceptUnsupportedVersions: false,
            adminPassword: "Admin-Pass-1",
            rootPassword: null,
        });
    });

    test("an OVA with its sha1 lower-cased, and every optional field", () => {
        const plan = planOf(filledForm({ applianceSource: "ova", ovaPath: "/root/appliance.ova", ovaSha1: SHA1, acceptUnsupportedVersions: true }));
        expect(plan).toStrictEqual({
            backupArchive: "/root/engine_backup.tar.gz",
            appliance: { ova: "/root/appliance.ova", sha1: SHA1.toLowerCase() },
            rootSshKey: SSH_KEY,
            rootSshAccess: "without-password",
            addHostToEtcHosts: true,
            vmNetwork: null,
            diskSizeGiB: 60,
            acceptUnsupportedVersions: true,
            adminPassword: "Admin-Pass-1",
            rootPassword: "Root-Pass-1",
        });
        expect(typeof plan.diskSizeGiB).toBe("number");
    });

    test("an OVA without a sha1 sends null; the installed choice's OVA fields are not sent", () => {
        expect(planOf(form({ applianceSource: "ova", ovaPath: "/root/appliance.ova" })).appliance).toStrictEqual({ ova: "/root/appliance.ova", sha1: null });
        expect(planOf(filledForm({ ovaPath: "/root/appliance.ova", ovaSha1: SHA1 })).appliance).toStrictEqual({ installed: CONF });
    });

    test("a blank ssh key is null; every key the page accepts is sent trimmed", () => {
        expect(planOf(filledForm({ rootSshKey: " \n " })).rootSshKey).toBeNull();
        for (const key of [SSH_KEY, "ssh-rsa AAAAB3NzaC1yc2E=", "ecdsa-sha2-nistp521 AAAAE2VjZHNh root@host  with spaces "]) {
            expect(settingsProblems(filledForm({ rootSshKey: key }), findings({ acceptedPassword: "Admin-Pass-1" })).rootSshKey).toBeUndefined();
            expect(planOf(filledForm({ rootSshKey: key })).rootSshKey).toBe(key.trim());
        }
    });
});

describe("expectedBackupLabel", () => {
    test("hosted-engine-backup-YYYYmmddHHMMSS in local time, zero-padded", () => {
        expect(expectedBackupLabel(new Date(2026, 0, 5, 7, 8, 9))).toBe("hosted-engine-backup-20260105070809");
        expect(expectedBackupLabel(new Date(2026, 10, 25, 23, 59, 30))).toBe("hosted-engine-backup-20261125235930");
    });
});
