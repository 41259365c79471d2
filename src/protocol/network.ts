// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The new engine VM's network (issue 13): what the first deploy's answers say
 * (fhanswers.conf on the configuration volume), or what the administrator
 * chose where they say nothing, as the original asked it
 * (gr-he-common/vm/cloud_init.py `_customize_vm_addressing`, `_customize_vm_dns`):
 * DHCP or a static IPv4 address with its prefix, the gateway, up to three DNS
 * servers. The validators here are the helper's and the page's both, so a
 * field the page accepts as typed is one the helper accepts.
 */

import type { MessageCode } from "./messages";
import type { Text } from "./text";

export type VmNetwork =
    | { mode: "dhcp" }
    | { mode: "static"; address: string; prefix: number; gateway: string; dns: string[] };

/** What `vm-network` reports: the engine VM's identity as the answers on the configuration volume give it. */
export interface VmNetworkReport {
    /** the answers' network; null when they do not say (a deploy without cloud-init): the plan must give it */
    network: VmNetwork | null;
    /** the engine VM's host name (cloudinitInstanceHostName, else hosted-engine.conf's fqdn) */
    hostName: string;
    /** cloudinitInstanceDomainName, else the host name's domain */
    domain: string | null;
    /** the MAC address the old VM used (vmMACAddr); the new VM keeps the VM's definition, so DHCP sees the same */
    macAddress: string | null;
    /** cloudinitVMTZ, else this host's time zone; null when neither is known (the appliance keeps UTC) */
    timeZone: string | null;
    /** cloudinitVMETCHOSTS: whether the deploy added this host to the VM's /etc/hosts; null when not answered */
    etcHosts: boolean | null;
    /** why the answers could not be read; then everything above is what the host alone gives */
    problem: Text | null;
}

export const MAX_DNS = 3;

/** Dotted-quad IPv4 with decimal parts 0-255 and no leading zeros, as a number; null when it is not one. */
export function ipv4ToNumber(value: string): number | null {
    const parts = value.split(".");
    if (parts.length !== 4 || !parts.every(p => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255))
        return null;
    return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function numberToIpv4(value: number): string {
    return [24, 16, 8, 0].map(shift => Math.floor(value / 2 ** shift) % 256).join(".");
}

export function isIpv4(value: string): boolean {
    return ipv4ToNumber(value) !== null;
}

/** An IPv6 address in any of its usual written forms (for DNS servers, as the original allowed them). */
export function isIpv6(value: string): boolean {
    if (!/^[0-9A-Fa-f:.]+$/.test(value) || !value.includes(":"))
        return false;
    const halves = value.split("::");
    if (halves.length > 2)
        return false;
    const groups = halves.flatMap(h => (h === "" ? [] : h.split(":")));
    const last = groups[groups.length - 1] ?? "";
    const v4 = last.includes(".");
    if (v4 && !isIpv4(last))
        return false;
    const hex = v4 ? groups.slice(0, -1) : groups;
    if (!hex.every(g => /^[0-9A-Fa-f]{1,4}$/.test(g)))
        return false;
    const count = hex.length + (v4 ? 2 : 0);
    return halves.length === 2 ? count < 8 : count === 8;
}

export interface Ipv4Subnet {
    network: string;
    netmask: string;
    broadcast: string;
}

/** The subnet of address/prefix, as the original's meta-data names it (netaddr network, netmask, broadcast). */
export function subnetOf(address: string, prefix: number): Ipv4Subnet {
    const ip = ipv4ToNumber(address) ?? 0;
    const size = 2 ** (32 - prefix);
    const network = Math.floor(ip / size) * size;
    return { network: numberToIpv4(network), netmask: numberToIpv4(2 ** 32 - size), broadcast: numberToIpv4(network + size - 1) };
}

/** The VM's address: a unicast, non-loopback IPv4 address that is neither its subnet's network nor broadcast address. */
export function addressProblem(address: string, prefix: number | null): MessageCode | null {
    const ip = ipv4ToNumber(address);
    if (ip === null)
        return "network.address-invalid";
    const first = Math.floor(ip / 2 ** 24);
    if (ip === 0 || first === 127 || first >= 224)
        return "network.address-not-unicast";
    if (prefix !== null && prefix <= 30) {
        const { network, broadcast } = subnetOf(address, prefix);
        if (address === network || address === broadcast)
            return "network.address-network-or-broadcast";
    }
    return null;
}

/** A prefix length as typed: 1 to 32. */
export function parsePrefix(value: string): number | null {
    return /^[0-9]{1,2}$/.test(value) && Number(value) >= 1 && Number(value) <= 32 ? Number(value) : null;
}

/** The gateway: an IPv4 address in the VM's subnet, as the original required (static routes are not configured). */
export function gatewayProblem(gateway: string, address: string, prefix: number | null): MessageCode | null {
    if (!isIpv4(gateway))
        return "network.gateway-invalid";
    if (prefix !== null && isIpv4(address) && subnetOf(gateway, prefix).network !== subnetOf(address, prefix).network)
        return "network.gateway-other-subnet";
    if (gateway === address)
        return "network.gateway-is-address";
    return null;
}

/** The DNS servers as typed: comma-separated, at most three, each an IPv4 or IPv6 address; empty is none. */
export function parseDns(value: string): { servers: string[]; problem: MessageCode | null } {
    const servers = value.split(",").map(s => s.trim()).filter(s => s !== "");
    if (servers.length > MAX_DNS)
        return { servers, problem: "network.dns-too-many" };
    if (!servers.every(s => isIpv4(s) || isIpv6(s)))
        return { servers, problem: "network.dns-invalid" };
    return { servers, problem: null };
}

/** Every problem of a static network, or none. */
export function staticNetworkProblems(net: { address: string; prefix: number; gateway: string; dns: string[] }): MessageCode[] {
    const problems: MessageCode[] = [];
    const address = addressProblem(net.address, net.prefix);
    if (address)
        problems.push(address);
    if (!Number.isInteger(net.prefix) || net.prefix < 1 || net.prefix > 32)
        problems.push("network.prefix-invalid");
    const gateway = gatewayProblem(net.gateway, net.address, net.prefix);
    if (gateway)
        problems.push(gateway);
    const dns = parseDns(net.dns.join(",")).problem;
    if (dns || net.dns.some(s => s.trim() !== s || s === ""))
        problems.push(dns ?? "network.dns-invalid");
    return problems;
}
