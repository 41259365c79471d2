// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated appliance's first boot as far as its network, host name and
 * time zone go (test/sim/guest-network.ts, guest-commands.ts): what the
 * original tool's seed makes of eth0, and what a seed without a network
 * configuration leaves, per variant of the sim's network.
 */

import YAML from "yaml";

import { applyUserData, type GuestFiles } from "../sim/guest-cloud-init";
import { GuestNetwork, IFCFG, readSysconfig, SYSCONFIG_CLOCK, SYSCONFIG_NETWORK } from "../sim/guest-network";
import { newNetwork } from "../sim/network";
import type { NetworkVariant } from "../sim/world";

const VM_ID = "4f0b3c2d-1e2f-4a5b-8c7d-6e5f4a3b2c1d";
const ETH0 = IFCFG + "eth0";
const SSHD = "/etc/ssh/sshd_config";
const FIREWALLD = "/etc/firewalld/firewalld.conf";

/* The meta-data ovirt-hosted-engine-setup 2.0 writes for 192.168.1.222/24 (cloud_init.py _misc). */
const STATIC_META = "instance-id: " + VM_ID + "\nlocal-hostname: engine.example.com\nnetwork-interfaces: |\n" +
    "  auto eth0\n  iface eth0 inet static\n    address 192.168.1.222\n    network 192.168.1.0\n" +
    "    netmask 255.255.255.0\n    broadcast 192.168.1.255\n    gateway 192.168.1.1\n";

/* Its bootcmd for that address with DNS 192.168.1.1 (2.2 adds the GATEWAY and DEFROUTE lines). */
const STATIC_BOOTCMD = [
    "echo \"DNS1=192.168.1.1\" >> " + ETH0,
    "echo \"DOMAIN=example.com\" >> " + ETH0,
    "if ! grep -Gq \"^GATEWAY\" " + ETH0 + "; then echo \"GATEWAY=192.168.1.1\" >> " + ETH0 + "; fi",
    "if ! grep -Gq \"^DEFROUTE\" " + ETH0 + "; then echo \"DEFROUTE=yes\" >> " + ETH0 + "; fi",
    "ifdown eth0",
    "ifup eth0",
    "setenforce 0",
    "if grep -Gq \"^\\s*PermitRootLogin\" " + SSHD + "; then sed -re \"s/^\\s*(PermitRootLogin)\\s+(yes|no|without-password)/\\1 no/\" -i.$(date -u +%Y%m%d%H%M%S) " + SSHD + "; else echo \"PermitRootLogin no\" >> " + SSHD + "; fi",
];

function guest(): GuestFiles & { files: Map<string, string> } {
    const files = new Map<string, string>([[SSHD, "#PermitRootLogin yes\nPermitRootLogin yes\n"], [FIREWALLD, "DefaultZone=public\nIndividualCalls=no\n"]]);
    return {
        files,
        read: p => files.get(p) ?? null,
        write: (p, c) => { files.set(p, c); },
        writeBytes: (p, c) => { files.set(p, c.toString("latin1")); },
        remove: p => files.delete(p),
    };
}

/* NoCloud's local stage with the meta-data, network.target, then the user-data's modules. */
function firstBoot(variant: NetworkVariant, meta: string | null, userData: Record<string, unknown>) {
    const g = guest();
    const log: string[] = [];
    const network = new GuestNetwork(g, newNetwork(variant, "engine.example.com"), m => log.push(m));
    const md = meta === null ? {} : YAML.parse(meta) as Record<string, unknown>;
    if (typeof md["network-interfaces"] === "string")
        network.applyNetworkInterfaces(md["network-interfaces"]);
    network.boot();
    applyUserData(userData, g, VM_ID, m => log.push(m), { network, localHostname: md["local-hostname"] as string | undefined });
    return { ...g, log, result: network.result() };
}

describe("the appliance's eth0 after its first boot", () => {
    test("the original's static seed: ifcfg-eth0 as cloud-init 0.7.5 and the bootcmd lines write it, the address up", () => {
        const boot = firstBoot("missing", STATIC_META, { bootcmd: STATIC_BOOTCMD });
        const ifcfg = readSysconfig(boot.files.get(ETH0) ?? null);
        expect(ifcfg).toMatchObject({ DEVICE: "eth0", BOOTPROTO: "static", IPADDR: "192.168.1.222", NETMASK: "255.255.255.0",
            BROADCAST: "192.168.1.255", GATEWAY: "192.168.1.1", ONBOOT: "yes", DNS1: "192.168.1.1", DOMAIN: "example.com", DEFROUTE: "yes" });
        // GATEWAY was there already: not appended twice
        expect(boot.files.get(ETH0)?.match(/^GATEWAY=/gm)).toHaveLength(1);
        expect(readSysconfig(boot.files.get(SYSCONFIG_NETWORK) ?? null)).toMatchObject({ NETWORKING: "yes", HOSTNAME: "engine.example.com" });
        expect(boot.result).toMatchObject({ address: "192.168.1.222", source: "static", hostname: "engine" });
        expect(boot.files.get(SSHD)).toBe("#PermitRootLogin yes\nPermitRootLogin no\n");
        expect(boot.log).toEqual([]);
    });

    test("without a network configuration: DHCP, the fixed lease only in the dhcp variant", () => {
        expect(firstBoot("dhcp", null, {}).result).toMatchObject({ address: "192.168.1.222", source: "dhcp" });
        for (const variant of ["static", "missing"] as const) {
            const boot = firstBoot(variant, null, {});
            expect(boot.result.source).toBe("dhcp");
            expect(boot.result.address).not.toBe("192.168.1.222");
            expect(boot.files.has(ETH0)).toBe(false);
        }
    });

    test("ifdown without a working ifup leaves eth0 without an address", () => {
        expect(firstBoot("dhcp", STATIC_META, { bootcmd: ["ifdown eth0"] }).result).toMatchObject({ address: null, source: "none" });
        const noConfig = firstBoot("dhcp", null, { bootcmd: ["ifup eth0"] });
        expect(noConfig.log).toContain("/usr/sbin/ifup: configuration for eth0 not found.");
    });

    test("DNS lines without the static configuration give no static address", () => {
        const boot = firstBoot("static", null, { bootcmd: STATIC_BOOTCMD.slice(0, 4) });
        expect(readSysconfig(boot.files.get(ETH0) ?? null)).toMatchObject({ DNS1: "192.168.1.1" });
        expect(boot.result.source).toBe("dhcp");
        expect(boot.result.address).not.toBe("192.168.1.222");
    });
});

describe("the seed's other commands and modules", () => {
    test("the firewalld IndividualCalls workaround edits the file in place and keeps a copy", () => {
        const boot = firstBoot("dhcp", null, { runcmd: [
            `cp ${FIREWALLD} ${FIREWALLD}.hebck`,
            `if grep -Gq "^\\s*IndividualCalls" ${FIREWALLD}; then sed -re "s/^\\s*(IndividualCalls)\\s*=\\s*(yes|no)/\\1=yes/" -i.$(date -u +%Y%m%d%H%M%S) ${FIREWALLD}; else echo "IndividualCalls=yes" >> ${FIREWALLD}; fi`,
            "systemctl restart firewalld &",
        ] });
        expect(boot.files.get(FIREWALLD)).toBe("DefaultZone=public\nIndividualCalls=yes\n");
        expect(boot.files.get(`${FIREWALLD}.hebck`)).toBe("DefaultZone=public\nIndividualCalls=no\n");
        expect(boot.log).toEqual([]);
    });

    test("a command the appliance does not have is not found, and the script goes on", () => {
        const boot = firstBoot("dhcp", null, { runcmd: ["nmcli con mod eth0 ipv4.addresses 192.168.1.222/24", "echo done > /root/done"] });
        expect(boot.log).toEqual(["/var/lib/cloud/instance/scripts/runcmd: line 1: nmcli: command not found"]);
        expect(boot.files.get("/root/done")).toBe("done\n");
    });

    test("timezone: sets /etc/sysconfig/clock and /etc/localtime; an unknown zone changes nothing", () => {
        const boot = firstBoot("dhcp", null, { timezone: "Europe/Rome" });
        expect(readSysconfig(boot.files.get(SYSCONFIG_CLOCK) ?? null).ZONE).toBe("Europe/Rome");
        expect(boot.files.get("/etc/localtime")?.startsWith("TZif")).toBe(true);
        expect(boot.result.timezone).toBe("Europe/Rome");
        const bad = firstBoot("dhcp", null, { timezone: "Mars/Olympus" });
        expect(bad.files.has(SYSCONFIG_CLOCK)).toBe(false);
        expect(bad.log).toContain("Running module timezone failed: Invalid timezone Mars/Olympus");
    });
});
