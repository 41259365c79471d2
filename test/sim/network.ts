// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM's management network. The first deploy (ovirt-hosted-engine-
 * setup 1.3 for a 3.6 cluster; 1.2 and 3.5 before the configuration volume
 * existed) either gave the VM a static address through cloud-init or left it to
 * DHCP; the answers it kept say which (host-config.ts). The sim's variants:
 *  - "static": setup 1.3 answered Static, 192.168.1.222/24 and DNS 192.168.1.1
 *    (gr-he-common/vm/cloud_init.py _customize_vm_addressing/_customize_vm_dns);
 *  - "dhcp": setup 1.3 answered DHCP (cloudinitVMStaticCIDR and cloudinitVMDNS
 *    become False); the network's DHCP server has a fixed lease for the VM's MAC
 *    (the address the fqdn resolves to), as an administrator must set up for it;
 *  - "missing": a 3.5-era deploy (setup 1.2 knows no cloud-init answers) that
 *    configured the engine VM statically by hand: 192.168.1.222/24, gateway and
 *    DNS 192.168.1.1. Nothing on the configuration volume says so, and the DHCP
 *    server has no lease for it: the new VM must be told the address.
 * In every variant the DHCP server serves other MACs from a pool, so a VM
 * without a static configuration gets an address, just not the engine's.
 * The host resolves the engine's fqdn through root/etc/hosts; the engine
 * answers only when the VM's address is that one (engine-api/server.ts).
 */

import fs from "node:fs";
import path from "node:path";

import type { SimContext } from "./context";
import type { SimLayout } from "./layout";
import type { NetworkVariant, SimNetwork, SimWorld, VmNetwork } from "./world";

export const NETWORK_VARIANTS: readonly NetworkVariant[] = ["static", "dhcp", "missing"];
/** The variant `sim start` builds without --network. */
export const DEFAULT_NETWORK_VARIANT: NetworkVariant = "static";
export const ENGINE_VM_MAC = "00:16:3e:6a:7a:f9";
export const HOST_ETC_HOSTS = "etc/hosts";

export function newNetwork(variant: NetworkVariant, fqdn: string): SimNetwork {
    const engineAddress = "192.168.1.222";
    return {
        variant,
        vmMac: ENGINE_VM_MAC,
        engineAddress,
        prefix: 24,
        gateway: "192.168.1.1",
        dns: "192.168.1.1",
        domain: fqdn.includes(".") ? fqdn.slice(fqdn.indexOf(".") + 1) : "",
        dhcpReservations: variant === "dhcp" ? { [ENGINE_VM_MAC]: engineAddress } : {},
    };
}

/** The world's network; a sim built before the network was modelled is a DHCP one. */
export function simNetwork(world: SimWorld): SimNetwork {
    return world.network ?? newNetwork("dhcp", world.engine.fqdn);
}

/** The network the deployed 3.6 engine VM runs with: the engine's address, static or leased. */
export function deployedVmNetwork(world: SimWorld): VmNetwork {
    const net = simNetwork(world);
    return {
        address: net.engineAddress,
        source: net.variant === "dhcp" ? "dhcp" : "static",
        hostname: world.engine.fqdn,
        timezone: null,
        detail: net.variant === "dhcp" ? `leased to ${net.vmMac} (a fixed lease)` : "configured statically when it was deployed",
    };
}

/** The sim's DHCP server: a fixed lease for a reserved MAC, else one from 192.168.1.100-199. */
export function dhcpLease(net: SimNetwork, mac: string): { address: string; reserved: boolean } {
    const reserved = net.dhcpReservations[mac.toLowerCase()];
    if (reserved)
        return { address: reserved, reserved: true };
    const last = parseInt(mac.split(":").pop() ?? "0", 16) || 0;
    return { address: `192.168.1.${100 + (last % 100)}`, reserved: false };
}

/** The host's /etc/hosts: EL7's two lines and the engine's name (written by the CLI, as root). */
export function writeHostEtcHosts(layout: SimLayout, world: SimWorld): void {
    const file = path.join(layout.root, HOST_ETC_HOSTS);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n" +
        "::1         localhost localhost.localdomain localhost6 localhost6.localdomain6\n" +
        `${simNetwork(world).engineAddress} ${world.engine.fqdn}\n`);
}

/** What the host resolves a name to through its /etc/hosts (the sim has no DNS server), or null. */
export function resolveOnHost(layout: SimLayout, name: string): string | null {
    let text: string;
    try {
        text = fs.readFileSync(path.join(layout.root, HOST_ETC_HOSTS), "utf8");
    } catch {
        return null;
    }
    for (const line of text.split("\n")) {
        const [address, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
        if (address && names.some(n => n.toLowerCase() === name.toLowerCase()))
            return address;
    }
    return null;
}

const lastVerdict = new WeakMap<SimContext, string>();

/**
 * Whether a client on the host reaches the engine at its fqdn: the VM must have
 * the address the host resolves the fqdn to. The reason is logged when it changes.
 */
export function engineReachable(ctx: SimContext): boolean {
    const world = ctx.world;
    const vmAddress = world.vm.network === undefined ? simNetwork(world).engineAddress : world.vm.network?.address ?? null;
    const resolved = resolveOnHost(ctx.layout, world.engine.fqdn);
    let why = "";
    if (resolved === null)
        why = `this host cannot resolve ${world.engine.fqdn} (no line in /etc/hosts)`;
    else if (vmAddress === null)
        why = `${world.engine.fqdn} is ${resolved}, and the engine VM has no address (${world.vm.network?.detail ?? "down"})`;
    else if (vmAddress !== resolved)
        why = `${world.engine.fqdn} is ${resolved}, but the engine VM has ${vmAddress} (${world.vm.network?.detail ?? ""}): no route to host`;
    if (lastVerdict.get(ctx) !== why) {
        lastVerdict.set(ctx, why);
        if (why)
            ctx.log("network", `the engine is unreachable: ${why}`);
        else
            ctx.log("network", `${world.engine.fqdn} is ${resolved}, the engine VM's address`);
    }
    return why === "";
}
