// SPDX-License-Identifier: LGPL-2.1-or-later

/* The /etc/hosts line the preflight finds for the new engine VM, and what it refuses to put into a shell command. */

import { checkEtcHosts } from "../../src/bridge-helper/upgrade/checks/etc-hosts";
import { CheckList } from "../../src/bridge-helper/upgrade/checks/check-list";
import type { UpgradePlan } from "../../src/protocol/plans";

const PLAN: UpgradePlan = {
    backupArchive: "/root/engine_backup.tar.gz", appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
    rootSshKey: null, rootSshAccess: null, addHostToEtcHosts: true, vmNetwork: null, diskSizeGiB: null, acceptUnsupportedVersions: false,
};

function run(bridgeAddress: string | null, hostAddress: string | null, plan = PLAN) {
    const checks = new CheckList();
    const entries = checkEtcHosts(plan, { bridge: "ovirtmgmt", bridgeAddress, hostAddress }, checks);
    return { entries, checks: checks.list.map(c => ({ state: c.state, english: c.detail.english })) };
}

test("the bridge's IPv4 address and the engine's name for this host make the line", () => {
    expect(run("192.0.2.5", "host1.example.com")).toEqual({
        entries: [{ ip: "192.0.2.5", fqdn: "host1.example.com" }],
        checks: [{ state: "pass", english: "The new engine VM's /etc/hosts gets the line \"192.0.2.5 host1.example.com\"." }],
    });
});

test("not asked, nothing is looked at", () => {
    expect(run(null, null, { ...PLAN, addHostToEtcHosts: false })).toEqual({ entries: [], checks: [] });
});

test.each([
    [null, "host1.example.com", /management bridge ovirtmgmt no IPv4 address/],
    ["fe80::1", "host1.example.com", /no IPv4 address \(fe80::1\)/],
    ["192.0.2.5", "192.0.2.5", /knows this host by "192.0.2.5", which is not a host name/],
    ["192.0.2.5", "host1.example.com\" >> /etc/passwd; \"", /not a host name/],
    ["192.0.2.5", null, /not a host name/],
])("bridge %p and engine address %p fail the check", (ip, name, english) => {
    const { entries, checks } = run(ip, name);
    expect(entries).toEqual([]);
    expect(checks).toEqual([{ state: "fail", english: expect.stringMatching(english) }]);
});
