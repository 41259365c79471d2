// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM's network as the preflight checks it (issue 13): the
 * validators the page and the helper share, how the host resolves the FQDN
 * (its /etc/hosts under root, then DNS), the host's time zone, the plan's
 * vmNetwork, and the engine-vm-network check for each variant.
 */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { defaultConfig, type HelperConfig } from "../../src/bridge-helper/config";
import { resolveHostName } from "../../src/bridge-helper/host/resolver";
import { hostTimeZone } from "../../src/bridge-helper/host/time-zone";
import { CheckList } from "../../src/bridge-helper/upgrade/checks/check-list";
import { checkEngineVmNetwork } from "../../src/bridge-helper/upgrade/checks/engine-vm-network";
import { parsePlan } from "../../src/bridge-helper/upgrade/plan";
import { addressProblem, gatewayProblem, isIpv6, parseDns, parsePrefix, subnetOf, type VmNetworkReport } from "../../src/protocol/network";
import type { UpgradePlan } from "../../src/protocol/plans";
import { text } from "../../src/protocol/text";

const FQDN = "engine.example.com";
let root: string;
let config: HelperConfig;

beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "he-vm-network-"));
    fs.mkdirSync(path.join(root, "etc"));
    fs.writeFileSync(path.join(root, "etc/hosts"),
                     "127.0.0.1 localhost\n# 10.9.9.9 engine.example.com\n192.168.1.222   Engine.Example.com engine # the engine VM\n");
    config = { ...defaultConfig(), root };
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the shared validators", () => {
    test("addresses, prefixes, gateways, DNS lists", () => {
        expect(addressProblem("192.168.1.222", 24)).toBeNull();
        expect(addressProblem("192.168.1.255", 24)).toBe("network.address-network-or-broadcast");
        expect(addressProblem("192.168.1.0", 24)).toBe("network.address-network-or-broadcast");
        expect(addressProblem("127.0.0.2", 8)).toBe("network.address-not-unicast");
        expect(addressProblem("224.0.0.1", null)).toBe("network.address-not-unicast");
        for (const bad of ["192.168.1", "192.168.01.1", "192.168.1.256", " 192.168.1.1", "192.168.1.1\n"])
            expect(addressProblem(bad, 24)).toBe("network.address-invalid");
        expect(parsePrefix("24")).toBe(24);
        expect(["0", "33", "2 4", "", "024"].map(parsePrefix)).toEqual([null, null, null, null, null]);
        expect(gatewayProblem("192.168.1.1", "192.168.1.222", 24)).toBeNull();
        expect(gatewayProblem("192.168.2.1", "192.168.1.222", 24)).toBe("network.gateway-other-subnet");
        expect(gatewayProblem("192.168.1.222", "192.168.1.222", 24)).toBe("network.gateway-is-address");
        expect(parseDns(" 192.168.1.1, 2001:db8::53 ")).toEqual({ servers: ["192.168.1.1", "2001:db8::53"], problem: null });
        expect(parseDns("").servers).toEqual([]);
        expect(parseDns("1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4").problem).toBe("network.dns-too-many");
        expect(parseDns("1.1.1.1;reboot").problem).toBe("network.dns-invalid");
        expect(["::1", "fe80::1:2", "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8"].every(isIpv6)).toBe(true);
        expect(["1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "$(x)"].some(isIpv6)).toBe(false);
        expect(subnetOf("192.168.1.222", 24)).toEqual({ network: "192.168.1.0", netmask: "255.255.255.0", broadcast: "192.168.1.255" });
        expect(subnetOf("10.1.2.3", 12)).toEqual({ network: "10.0.0.0", netmask: "255.240.0.0", broadcast: "10.15.255.255" });
    });
});

describe("the host", () => {
    test("resolves the FQDN from its /etc/hosts first, without regard to case, comments left out", async () => {
        expect(await resolveHostName(config, FQDN)).toEqual({ addresses: ["192.168.1.222"], source: "hosts" });
    });

    test("then asks DNS; a name nothing knows resolves to nothing", async () => {
        expect(await resolveHostName(config, "localhost")).toEqual({ addresses: ["127.0.0.1"], source: "hosts" });
        expect(await resolveHostName(config, "no-such-host.invalid")).toEqual({ addresses: [], source: null });
    });

    test("time zone: the zoneinfo file /etc/localtime links to, else /etc/timezone, else nothing", () => {
        const localtime = path.join(root, "etc/localtime");
        fs.symlinkSync("../usr/share/zoneinfo/Europe/Berlin", localtime);
        expect(hostTimeZone(config)).toBe("Europe/Berlin");
        fs.rmSync(localtime);
        fs.symlinkSync("/usr/share/zoneinfo/America/Argentina/Buenos_Aires", localtime);
        expect(hostTimeZone(config)).toBe("America/Argentina/Buenos_Aires");
        fs.rmSync(localtime);
        fs.writeFileSync(localtime, "TZif2");
        expect(hostTimeZone(config)).toBeNull();
        fs.writeFileSync(path.join(root, "etc/timezone"), "Asia/Tokyo\n");
        expect(hostTimeZone(config)).toBe("Asia/Tokyo");
        fs.writeFileSync(path.join(root, "etc/timezone"), "Asia/Tokyo; reboot\n");
        expect(hostTimeZone(config)).toBeNull();
        fs.rmSync(localtime);
        fs.rmSync(path.join(root, "etc/timezone"));
    });
});

describe("the plan's vmNetwork", () => {
    const base = { backupArchive: "/root/b.tgz", appliance: { ova: "/tmp/a.ova" }, adminPassword: "x" };
    const plan = (vmNetwork: unknown) => parsePlan(JSON.stringify({ ...base, vmNetwork })).plan.vmNetwork;

    test("DHCP, a static network, or nothing", () => {
        expect(plan(undefined)).toBeNull();
        expect(plan({ mode: "dhcp" })).toEqual({ mode: "dhcp" });
        const stat = { mode: "static", address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: ["192.168.1.1"] };
        expect(plan(stat)).toEqual(stat);
    });

    test.each([
        [{ mode: "manual" }, /must be \{"mode": "dhcp"\}/],
        [{ mode: "dhcp", address: "1.2.3.4" }, /vmNetwork.address is not a field it has/],
        [{ mode: "static", address: "192.168.1.222", prefix: "24", gateway: "192.168.1.1", dns: [] }, /must be \{"mode": "dhcp"\}/],
        [{ mode: "static", address: "192.168.1.222", prefix: 24, gateway: "10.0.0.1", dns: [] }, /not in the engine VM's subnet/],
        [{ mode: "static", address: "192.168.1.222\"; reboot; \"", prefix: 24, gateway: "192.168.1.1", dns: [] }, /IPv4 address/],
        [{ mode: "static", address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: [" 1.1.1.1"] }, /IP addresses/],
        [{ mode: "static", address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: ["$(reboot)"] }, /IP addresses/],
    ])("refuses %j", (vmNetwork, message) => {
        expect(() => plan(vmNetwork)).toThrow(message);
    });
});

describe("the engine-vm-network check", () => {
    const PLAN: UpgradePlan = {
        backupArchive: "/root/engine_backup.tar.gz", appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        rootSshKey: null, rootSshAccess: null, addHostToEtcHosts: false, vmNetwork: null, diskSizeGiB: null, acceptUnsupportedVersions: false,
    };
    const identity = (change: Partial<VmNetworkReport>): VmNetworkReport => ({
        network: null, hostName: FQDN, domain: "example.com", macAddress: "00:16:3e:6a:7a:f9", timeZone: "UTC", etcHosts: null, problem: null, ...change,
    });
    const STATIC = { mode: "static" as const, address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: ["192.168.1.1"] };

    async function run(report: VmNetworkReport, plan = PLAN, fqdn = FQDN) {
        const checks = new CheckList();
        const settings = await checkEngineVmNetwork(config, plan, report, fqdn, checks);
        expect(checks.list.map(c => c.id)).toEqual(["engine-vm-network"]);
        return { settings, state: checks.list[0].state, english: checks.list[0].detail.english };
    }

    test("static from the answers, the FQDN resolving to it", async () => {
        const { settings, state, english } = await run(identity({ network: STATIC }));
        expect(state).toBe("pass");
        expect(english).toBe("The engine VM gets the static address 192.168.1.222/24, gateway 192.168.1.1, DNS 192.168.1.1 (from the deploy's answers); " +
            "engine.example.com resolves to 192.168.1.222 (this host's /etc/hosts).");
        expect(settings).toEqual({ network: STATIC, hostName: FQDN, domain: "example.com", timeZone: "UTC" });
    });

    test("the answers win over the plan", async () => {
        const { settings } = await run(identity({ network: STATIC }), { ...PLAN, vmNetwork: { mode: "dhcp" } });
        expect(settings?.network).toEqual(STATIC);
    });

    test("static to an address the FQDN does not resolve to fails", async () => {
        const { settings, state, english } = await run(identity({}), { ...PLAN, vmNetwork: { ...STATIC, address: "192.168.1.223" } });
        expect(settings).toBeNull();
        expect(state).toBe("fail");
        expect(english).toMatch(/^engine.example.com resolves to 192.168.1.222 on this host, not to the engine VM's static address 192.168.1.223 \(as chosen in Settings\)/);
        expect((await run(identity({ network: STATIC }), PLAN, "other.invalid")).english).toMatch(/resolves to nothing on this host/);
    });

    test("DHCP with the old VM's MAC address; a name that resolves to nothing is a warning", async () => {
        const dhcp = await run(identity({ network: { mode: "dhcp" } }));
        expect(dhcp.state).toBe("pass");
        expect(dhcp.english).toContain("by DHCP (from the deploy's answers), asked with the old engine VM's MAC address 00:16:3e:6a:7a:f9; engine.example.com resolves to 192.168.1.222");
        const unresolved = await run(identity({ macAddress: null }), { ...PLAN, vmNetwork: { mode: "dhcp" } }, "other.invalid");
        expect(unresolved.state).toBe("warn");
        expect(unresolved.settings?.network).toEqual({ mode: "dhcp" });
        expect(unresolved.english).toContain("(as chosen in Settings), asked with the old engine VM's MAC address (unknown), but other.invalid does not resolve");
    });

    test("nothing saying how the VM gets an address fails, saying why", async () => {
        expect(await run(identity({}))).toMatchObject({ settings: null, state: "fail", english: expect.stringMatching(/^Nothing says how/) });
        const unreadable = await run(identity({ problem: text("conf-volume.not-tar") }));
        expect(unreadable.english).toMatch(/^The deploy's answers could not be read \(The configuration volume does not begin with a tar archive\)/);
        const invalid = await run(identity({ problem: text("answers.network-invalid", { key: "K", reason: text("network.dns-too-many") }) }));
        expect(invalid.english).toBe("The deploy's answers give K a value that cannot be used: At most three DNS servers " +
            "Correct the answers on the configuration volume, or choose the network in Settings.");
    });
});
