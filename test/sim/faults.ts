// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Failures `sim fault --dir DIR NAME` can arm. Each leaves the sim consistent:
 * it changes what a service answers, never the files behind it.
 */

import fs from "node:fs";

import type { SimContext } from "./context";
import type { SimLayout } from "./layout";
import type { SimWorld } from "./world";
import { hostedEngineConf } from "./host-config";

export const FAULTS: readonly string[] = [
    "not-global-maintenance",   // set-maintenance --mode=global has no effect
    "vm-on-other-host",         // the engine VM runs on host 2
    "not-spm",                  // this host is not the SPM
    "ha-conf-not-3.6",          // hosted-engine.conf has a real spUUID (not at 3.6 level)
    "stale-metadata-host",      // a decommissioned host lingers in the HA metadata
    "dc-version-unsupported",   // a data center at 3.5
    "legacy-aaa-domain",        // the engine has a legacy (kerberos/ldap) AAA domain
    "sd-no-space",              // the storage domain is nearly full
    "disk-create-fails",        // POST /disks fails
    "disk-create-slow",         // a new disk stays locked for a long time
    "vm-wont-stop",             // the engine VM ignores shutdown
    "extend-fails",             // Volume.extendSize's task fails
    "restore-fails",            // engine-backup --mode=restore fails in the appliance
    "setup-fails",              // engine-setup fails in the appliance
    "setup-stalls",             // engine-setup never finishes
    "engine-never-healthy",     // the new engine never answers health
    "engine-api-unavailable",   // a started engine's API keeps answering 503 (engine-api/startup.ts)
    "host-never-up",            // this host stays non_responsive in the engine
    "register-fails",           // registering the backup disk fails
];

/*
 * Faults that are a state of the host rather than a failing answer change the
 * world (and the files) when armed, and put it back when cleared.
 */


export const STALE_HOST_ID = 3;

/*
 * ha-conf-not-3.6: a host deployed before 3.6 that never got the configuration
 * onto shared storage. hosted-engine.conf is root's on a host (setup writes
 * it), so the sim's command line, as root, writes it; the daemon, as vdsm, may not.
 */
export function writeHostedEngineConf(layout: SimLayout, world: SimWorld): void {
    let text = hostedEngineConf(world);
    if (world.faults.includes("ha-conf-not-3.6")) {
        text = text.replace(/^spUUID=.*$/m, `spUUID=${world.storage.spUUID}`)
                .replace(/^conf_(volume|image)_UUID=.*\n/gm, "");
    }
    fs.writeFileSync(layout.hostedEngineConf, text);
}

export function applyFault(ctx: SimContext, name: string, armed: boolean): void {
    const world = ctx.world;
    switch (name) {
    case "vm-on-other-host":
        // the engine VM runs on host 2: this host's vdsm does not have it
        if (world.vm.status !== "Down")
            world.vm.hostId = armed ? 2 : world.ha.thisHostId;
        break;
    case "stale-metadata-host":
        if (armed && !world.ha.hosts.some(h => h.id === STALE_HOST_ID)) {
            world.ha.hosts.push({
                id: STALE_HOST_ID,
                hostname: "host3.example.com",
                localMaintenance: false,
                agentStopped: false,
                // its agent last reported long ago
                agentStartedAt: Math.floor(Date.now() / 1000) - 9_000_000,
                hardwareUuid: "00000000-0000-0000-0000-0000000000d3",
                engineHostId: "00000000-0000-0000-0000-0000000000e3",
                stale: true,
            });
        } else if (!armed) {
            world.ha.hosts = world.ha.hosts.filter(h => h.id !== STALE_HOST_ID);
        }
        break;
    default:
        break;
    }
}
