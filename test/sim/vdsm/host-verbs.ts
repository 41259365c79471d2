// SPDX-License-Identifier: LGPL-2.1-or-later

/* vdsm's Host verbs that are about the machine itself. */

import type { SimContext } from "../context";
import { hwInfoError } from "./errors";
import type { VerbTable } from "./jsonrpc";

export function hostVerbs(ctx: SimContext): VerbTable {
    return {
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
