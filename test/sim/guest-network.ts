// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The 4.0 appliance's eth0, host name and time zone as its first boot leaves
 * them. Sources:
 *  - ovirt-appliance (ovirt-4.0) engine-appliance/data/ovirt-engine-appliance.ks.in:
 *    no `network` line, `timezone --utc Etc/UTC`, and %post removes
 *    /etc/sysconfig/network-scripts/ifcfg-e*: the image has no ifcfg-eth0;
 *  - NetworkManager on CentOS 7 (NetworkManager.conf(5) no-auto-default unset):
 *    an ethernet device without a configuration gets "Wired connection 1",
 *    DHCP; the network's DHCP server answers by the NIC's MAC (network.ts);
 *  - cloud-init 0.7.5 sources/DataSourceNoCloud.py: the local datasource
 *    applies meta-data network-interfaces (distro.apply_network, then ifup);
 *    distros/net_util.py translate_network reads the Debian-style text
 *    (iface DEV inet static|dhcp; address, netmask, gateway, broadcast,
 *    hwaddress, dns-*; `auto DEV` sets ONBOOT; `network` is ignored);
 *    distros/rhel.py _write_network merges them into ifcfg-DEV with
 *    rhel_util.update_sysconfig_file (keys without a value left out, a new
 *    file gets cloud-init's header) and sets NETWORKING=yes in
 *    /etc/sysconfig/network; nameservers go to /etc/resolv.conf;
 *  - cc_set_hostname (init stage, after bootcmd): local-hostname; rhel.py
 *    writes the fqdn as HOSTNAME= to /etc/sysconfig/network (CentOS's
 *    dist name is "CentOS Linux", not "Red Hat Enterprise Linux", so
 *    _dist_uses_systemd is false) and runs `hostname` with the short name;
 *  - cc_timezone (config stage): rhel.py set_timezone, non-systemd branch:
 *    ZONE= in /etc/sysconfig/clock and /usr/share/zoneinfo/TZ copied to
 *    /etc/localtime; a zone without a zoneinfo file raises "Invalid timezone".
 * ifup and ifdown are initscripts': ifup brings eth0 up from ifcfg-eth0 (a
 * file sourced by the shell: a later line wins), and without one says
 * "configuration for eth0 not found".
 */

import fs from "node:fs";

import type { GuestFiles } from "./guest-cloud-init";
import type { CommandResult } from "./guest-commands";
import { dhcpLease } from "./network";
import type { SimNetwork, VmNetwork } from "./world";

export const IFCFG = "/etc/sysconfig/network-scripts/ifcfg-";
export const SYSCONFIG_NETWORK = "/etc/sysconfig/network";
export const SYSCONFIG_CLOCK = "/etc/sysconfig/clock";
export const ZONEINFO = "/usr/share/zoneinfo/";

/** A sysconfig file as the shell sources it: the last assignment of a key wins, quotes removed. */
export function readSysconfig(text: string | null): Record<string, string> {
    const values: Record<string, string> = {};
    for (const line of (text ?? "").split("\n")) {
        const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
        if (m)
            values[m[1]] = m[2].trim().replace(/^(["'])(.*)\1$/, "$2");
    }
    return values;
}

/* rhel_util.update_sysconfig_file: set the keys that have a value, keep the rest of the file. */
function updateSysconfig(files: GuestFiles, file: string, changes: Record<string, string | undefined>): void {
    const text = files.read(file);
    const lines = text === null ? [`# Created by cloud-init v. 0.7.5 on ${new Date().toUTCString()}`] : text.replace(/\n$/, "").split("\n");
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || value === "")
            continue;
        const quoted = /[\s]/.test(value) ? `"${value}"` : value;
        const at = lines.findIndex(l => l.startsWith(`${key}=`));
        if (at >= 0)
            lines[at] = `${key}=${quoted}`;
        else
            lines.push(`${key}=${quoted}`);
    }
    files.write(file, lines.join("\n") + "\n");
}

/** net_util.translate_network: device name to its settings. */
export function translateNetwork(text: string): Record<string, Record<string, string>> {
    const entries = text.split("\n").map(l => l.trim()).filter(l => l && !l.startsWith("#"))
        .map(l => l.split(/\s+/)).filter(w => w.length > 1).map(w => [w[0], w.slice(1).join(" ")] as const);
    const devices: Record<string, Record<string, string>> = {};
    let current: Record<string, string> | null = null;
    for (const [cmd, args] of entries) {
        if (cmd === "iface") {
            const [dev, , proto] = args.toLowerCase().split(/\s+/);
            current = devices[dev] = {};
            if (proto === "dhcp" || proto === "static")
                current.bootproto = proto;
        } else if (current && ["netmask", "address", "gateway", "broadcast"].includes(cmd)) {
            current[cmd] = args.toLowerCase();
        } else if (current && cmd === "dns-nameservers") {
            current.dns = args;
        }
    }
    for (const [cmd, args] of entries) {
        const dev = args.split(/\s+/)[0].toLowerCase();
        if (cmd === "auto" && devices[dev])
            devices[dev].auto = "yes";
    }
    return devices;
}

function prefixOf(netmask: string | undefined): number | null {
    if (!netmask)
        return null;
    return netmask.split(".").reduce((n, octet) => n + (Number(octet) >>> 0).toString(2).replace(/0/g, "").length, 0);
}

/** The engine VM's guest as its network comes up: eth0, the host name, the time zone. */
export class GuestNetwork {
    private up = false;
    private state: VmNetwork = { address: null, source: "none", hostname: null, timezone: null, detail: "eth0 is down" };

    constructor(private readonly files: GuestFiles, private readonly net: SimNetwork, private readonly log: (m: string) => void) {}

    /** NoCloud's local stage with meta-data network-interfaces. */
    applyNetworkInterfaces(text: string): void {
        const devices = translateNetwork(text);
        for (const [dev, info] of Object.entries(devices)) {
            updateSysconfig(this.files, IFCFG + dev, {
                DEVICE: dev, NETMASK: info.netmask, IPADDR: info.address, BOOTPROTO: info.bootproto, GATEWAY: info.gateway,
                BROADCAST: info.broadcast, ONBOOT: info.auto ?? "no",
            });
        }
        if (Object.keys(devices).length > 0)
            updateSysconfig(this.files, SYSCONFIG_NETWORK, { NETWORKING: "yes" });
        for (const dev of Object.keys(devices))
            this.ifup(["ifup", dev]);
    }

    /** network.target: eth0 from its ifcfg when it has one, else NetworkManager's automatic DHCP connection. */
    boot(): void {
        if (this.up)
            return;
        if (this.files.read(IFCFG + "eth0") !== null)
            this.ifup(["ifup", "eth0"]);
        else
            this.bringUp({}, "no ifcfg-eth0: NetworkManager's automatic connection");
    }

    private bringUp(cfg: Record<string, string>, how: string): void {
        this.up = true;
        const proto = (cfg.BOOTPROTO ?? "").toLowerCase();
        if ((proto === "static" || proto === "none") && cfg.IPADDR) {
            const prefix = cfg.PREFIX ?? String(prefixOf(cfg.NETMASK) ?? "");
            this.state = { ...this.state, address: cfg.IPADDR, source: "static",
                detail: `${how}: static ${cfg.IPADDR}${prefix ? "/" + prefix : ""}, gateway ${cfg.GATEWAY ?? "none"}, DNS ${cfg.DNS1 ?? "none"}` };
            return;
        }
        const lease = dhcpLease(this.net, this.net.vmMac);
        this.state = { ...this.state, address: lease.address, source: "dhcp",
            detail: `${how}: DHCP from the network's server, ${lease.reserved ? "the fixed lease" : "a pool address"} for ${this.net.vmMac}` };
    }

    ifup(words: string[]): CommandResult {
        const dev = words[1] ?? "";
        const text = this.files.read(IFCFG + dev);
        if (text === null) {
            this.log(`/usr/sbin/ifup: configuration for ${dev} not found.`);
            return { status: 1 };
        }
        if (dev === "eth0")
            this.bringUp(readSysconfig(text), `ifup ${dev}`);
        return { status: 0 };
    }

    ifdown(words: string[]): CommandResult {
        const dev = words[1] ?? "";
        if (this.files.read(IFCFG + dev) === null) {
            this.log(`/usr/sbin/ifdown: configuration for ${dev} not found.`);
            return { status: 1 };
        }
        if (dev === "eth0") {
            this.up = false;
            this.state = { ...this.state, address: null, source: "none", detail: "ifdown eth0" };
        }
        return { status: 0 };
    }

    /** cc_set_hostname with meta-data local-hostname. */
    setHostname(localHostname: string): void {
        const short = localHostname.split(".")[0];
        updateSysconfig(this.files, SYSCONFIG_NETWORK, { HOSTNAME: localHostname });
        this.state = { ...this.state, hostname: short };
    }

    /** cc_timezone. */
    setTimezone(tz: string): void {
        const zoneinfo = ZONEINFO + tz;
        // the guest's tzdata: the same names as this machine's
        if (!/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(tz) || !fs.existsSync(zoneinfo) || !fs.statSync(zoneinfo).isFile()) {
            this.log(`Running module timezone failed: Invalid timezone ${tz}`);
            return;
        }
        updateSysconfig(this.files, SYSCONFIG_CLOCK, { ZONE: tz });
        this.files.writeBytes?.("/etc/localtime", fs.readFileSync(zoneinfo));
        this.state = { ...this.state, timezone: tz };
    }

    result(): VmNetwork {
        return { ...this.state };
    }
}

/** A later boot (cloud-init masked by the first one): eth0 from the disk, the host name and zone the first boot wrote. */
export function laterBootNetwork(files: GuestFiles, net: SimNetwork, log: (m: string) => void): VmNetwork {
    const network = new GuestNetwork(files, net, log);
    network.boot();
    const hostname = readSysconfig(files.read(SYSCONFIG_NETWORK)).HOSTNAME;
    const zone = readSysconfig(files.read(SYSCONFIG_CLOCK)).ZONE;
    return { ...network.result(), hostname: hostname ? hostname.split(".")[0] : null, timezone: zone ?? null };
}
