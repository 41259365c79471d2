// SPDX-License-Identifier: LGPL-2.1-or-later

import { parsePlan } from "../../src/bridge-helper/upgrade/plan";

const PLAN = {
    backupArchive: "/root/engine_backup.tar.gz",
    appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
    adminPassword: "Admin-Pass-1",
    rootPassword: "Root-Pass-1",
    rootSshKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx admin@example.com",
    rootSshAccess: "without-password",
    addHostToEtcHosts: true,
    diskSizeGiB: 50,
    acceptUnsupportedVersions: false,
};

describe("parsePlan", () => {
    test("splits the secrets from the plan that may be stored", () => {
        const { plan, secrets } = parsePlan(JSON.stringify(PLAN));
        expect(secrets).toEqual({ adminPassword: "Admin-Pass-1", rootPassword: "Root-Pass-1" });
        expect(JSON.stringify(plan)).not.toContain("Pass-1");
        expect(plan).toMatchObject({ backupArchive: "/root/engine_backup.tar.gz", diskSizeGiB: 50, rootSshAccess: "without-password" });
    });

    test("optional fields default to leaving things as they are", () => {
        const { plan, secrets } = parsePlan(JSON.stringify({ backupArchive: "/root/b.tgz", appliance: { ova: "/tmp/a.ova" }, adminPassword: "x" }));
        expect(plan).toEqual({ backupArchive: "/root/b.tgz", appliance: { ova: "/tmp/a.ova", sha1: null }, rootSshKey: null, rootSshAccess: null,
            addHostToEtcHosts: false, vmNetwork: null, diskSizeGiB: null, acceptUnsupportedVersions: false });
        expect(secrets.rootPassword).toBeNull();
    });

    test("keeps the review's downtime estimate with the plan, for the job's result", () => {
        const estimate = { dataSeconds: 31, bytesPerSecond: 104857600, rateSource: "measured", otherSeconds: 30, applianceSeconds: 600, totalSeconds: 661 };
        expect(parsePlan(JSON.stringify({ ...PLAN, estimate })).plan.estimate).toEqual(estimate);
    });

    test.each([
        [{ ...PLAN, estimate: { dataSeconds: -1 } }, "estimate must hold non-negative numbers"],
        [{ ...PLAN, estimate: { dataSeconds: 1, bytesPerSecond: 1, rateSource: "guessed", otherSeconds: 1, applianceSeconds: 1, totalSeconds: 3 } },
            "estimate must hold non-negative numbers"],
        [{ ...PLAN, extra: 1 }, "The upgrade plan's extra is not a field it has"],
        [{ ...PLAN, backupArchive: "engine_backup.tar.gz" }, "backupArchive must be a normalized absolute path"],
        [{ ...PLAN, backupArchive: "/root/../etc/shadow" }, "backupArchive must be a normalized absolute path"],
        [{ ...PLAN, diskSizeGiB: 2.5 }, "diskSizeGiB must be a whole number"],
        [{ ...PLAN, diskSizeGiB: "50" }, "diskSizeGiB must be a whole number"],
        [{ ...PLAN, appliance: { ova: "/a.ova", sha1: "abc" } }, "appliance.sha1 must be 40 hex digits"],
        [{ ...PLAN, appliance: { installed: "/x", ova: "/y" } }, "appliance.ova is not a field it has"],
        [{ ...PLAN, rootSshKey: "ssh-rsa AAAA\nssh-rsa BBBB" }, "rootSshKey must be one OpenSSH public key line"],
        [{ ...PLAN, rootSshAccess: "sometimes" }, "rootSshAccess must be yes, no or without-password"],
        [{ ...PLAN, adminPassword: "" }, "adminPassword must be the engine's admin@internal password"],
        [{ ...PLAN, addHostToEtcHosts: "yes" }, "addHostToEtcHosts must be true or false"],
    ])("refuses %j", (plan, message) => {
        expect(() => parsePlan(JSON.stringify(plan))).toThrow(message);
    });

    test("a plan that is not JSON is refused without echoing it", () => {
        expect(() => parsePlan("{adminPassword: secret")).toThrow("The upgrade plan on stdin is not JSON");
    });
});
