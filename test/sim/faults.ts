// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Failures `sim fault --dir DIR NAME` can arm. Each leaves the sim consistent:
 * it changes what a service answers, never the files behind it.
 */

import fs from "node:fs";
import path from "node:path";

import type { SimContext } from "./context";
import type { SimLayout } from "./layout";
import type { SimWorld } from "./world";
import { hostedEngineConf } from "./host-config";
import { setRpmSet } from "./host-packages";

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
    "guestfish-missing",        // no libguestfs-tools-c: the helper's guestfish is not there
    "vdsm-too-old",             // vdsm reports 3.5's vdsm 4.16 and EL7's own qemu-kvm 1.5.3
    "host-not-updated",         // the rpm database has 3.6's ovirt-hosted-engine-setup and -ha
];

/*
 * Where the helper looks for guestfish while "guestfish-missing" is armed: a
 * path under the host's root that nothing creates, as on a host without
 * libguestfs-tools-c (neither vdsm nor ovirt-hosted-engine-setup requires it).
 */
export const MISSING_GUESTFISH = "/usr/bin/guestfish";

/* Points the helper's config at the missing guestfish, or back at the default. */
function helperGuestfish(layout: SimLayout, missing: boolean): void {
    const file = layout.helperConfig;
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as { commands: Record<string, string> };
    if (missing)
        config.commands.guestfish = path.join(layout.root, MISSING_GUESTFISH);
    else
        delete config.commands.guestfish;
    fs.writeFileSync(file, JSON.stringify(config, null, 2) + "\n");
}

/*
 * Faults that are a state of the host rather than a failing answer change the
 * world (and the files) when armed, and put it back when cleared.
 */


export const STALE_HOST_ID = 3;

/*
 * Faults that are root's files on a host: hosted-engine.conf (setup writes
 * it), the rpm database, what is installed (the helper's config names the
 * programs). The sim's command line, as root, makes them match the armed
 * faults; the daemon, as vdsm, may not touch them.
 *   ha-conf-not-3.6: a host deployed before 3.6 that never got the configuration onto shared storage
 *   guestfish-missing: no libguestfs-tools-c
 *   host-not-updated: 3.6's hosted-engine packages (rpm -U --oldpackage, as a downgrade records it)
 */
export function applyRootFaults(layout: SimLayout, world: SimWorld): void {
    let text = hostedEngineConf(world);
    if (world.faults.includes("ha-conf-not-3.6")) {
        text = text.replace(/^spUUID=.*$/m, `spUUID=${world.storage.spUUID}`)
                .replace(/^conf_(volume|image)_UUID=.*\n/gm, "");
    }
    fs.writeFileSync(layout.hostedEngineConf, text);
    if (fs.existsSync(layout.helperConfig))
        helperGuestfish(layout, world.faults.includes("guestfish-missing"));
    setRpmSet(layout, world.faults.includes("host-not-updated") ? "3.6" : "4.0");
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
