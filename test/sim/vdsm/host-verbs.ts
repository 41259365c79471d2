// SPDX-License-Identifier: LGPL-2.1-or-later

/* vdsm's Host verbs that are about the machine itself. */

import type { SimContext } from "../context";
import { vdsmPackages } from "../host-packages";
import { hwInfoError } from "./errors";
import type { VerbTable } from "./jsonrpc";

export function hostVerbs(ctx: SimContext): VerbTable {
    return {
        // vdsm 4.18.21 vdsm/caps.py get(): the keys here, among many more about CPUs, NUMA, networks and
        // storage that nothing of ours reads; software_* and the levels come from lib/vdsm/dsaversion.py.in
        "Host.getCapabilities": {
            params: [],
            call: () => ({
                kvmEnabled: "true",
                operatingSystem: { release: "3.1611.el7.centos", version: "7", name: "RHEL", pretty_name: "CentOS Linux 7 (Core)" },
                packages2: vdsmPackages(ctx.hasFault("vdsm-too-old")),
                vmTypes: ["kvm"],
                version_name: "Snow Man",
                software_version: "4.18.21",
                software_revision: "1",
                supportedENGINEs: ["3.5", "3.6", "4.0"],
                clusterLevels: ["3.5", "3.6", "4.0"],
            }),
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
