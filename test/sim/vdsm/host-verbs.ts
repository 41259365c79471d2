// SPDX-License-Identifier: LGPL-2.1-or-later

/* vdsm's Host verbs that are about the machine itself. */

/** This host's address on the management network: hosted-engine.conf says gateway=192.168.1.1, bridge=ovirtmgmt. */
export function managementAddress(hostId: number): string {
    return `192.168.1.${10 + hostId}`;
}

import type { SimContext } from "../context";
import { vdsmPackages } from "../host-packages";
import { hwInfoError } from "./errors";
import type { VerbTable } from "./jsonrpc";

export function hostVerbs(ctx: SimContext): VerbTable {
    return {
        // vdsm 4.18.21 vdsm/caps.py get(): the keys here, among many more about CPUs, NUMA and storage that
        // nothing of ours reads; software_* and the levels come from lib/vdsm/dsaversion.py.in. Of the networks,
        // the management network's fields the original read: caps["networks"][bridge]["addr"]
        // (ovirt-hosted-engine-setup 2.0 src/plugins/gr-he-common/network/bridge.py _get_hostname_from_bridge_if),
        // the others as vdsm 4.18 reports a bridged network with a static address (lib/api/vdsm-api.yml NetworkInfo).
        "Host.getCapabilities": {
            params: [],
            call: () => {
                const addr = managementAddress(ctx.world.ha.thisHostId);
                return {
                    kvmEnabled: "true",
                    operatingSystem: { release: "3.1611.el7.centos", version: "7", name: "RHEL", pretty_name: "CentOS Linux 7 (Core)" },
                    packages2: vdsmPackages(ctx.hasFault("vdsm-too-old")),
                    vmTypes: ["kvm"],
                    version_name: "Snow Man",
                    software_version: "4.18.21",
                    software_revision: "1",
                    supportedENGINEs: ["3.5", "3.6", "4.0"],
                    clusterLevels: ["3.5", "3.6", "4.0"],
                    networks: {
                        ovirtmgmt: {
                            iface: "ovirtmgmt", bridged: true, ports: ["eth0"], stp: "off", mtu: "1500",
                            addr, netmask: "255.255.255.0", gateway: "192.168.1.1", ipv4addrs: [`${addr}/24`], ipv6addrs: [],
                            dhcpv4: false, dhcpv6: false, switch: "legacy",
                        },
                    },
                };
            },
        },
        "Host.getHardwareInfo": {
            params: [],
            call: () => {
                const me = ctx.world.ha.hosts.find(h => h.id === ctx.world.ha.thisHostId);
                // supervdsm reads DMI; a host the world does not know has nothing to read
                if (!me)
                    throw hwInfoError();
                return {
                    systemManufacturer: "oVirt",
                    systemProductName: "oVirt Node Simulator",
                    systemVersion: "4.0",
                    systemSerialNumber: me.hardwareUuid.toUpperCase(),
                    systemFamily: "Sim",
                    // matched against the engine's host hardware_information/uuid
                    systemUUID: me.hardwareUuid,
                };
            },
        },
    };
}
