// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Lays out a new simulated 3.6 hosted-engine host in a directory: the host's
 * /etc/ovirt-hosted-engine/hosted-engine.conf under root/, the cluster state,
 * the fake commands and the helper configuration that points the unmodified
 * helper at all of it.
 */

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import * as esbuild from "esbuild";

import type { SimLayout } from "./layout";
import { writeState, type SimState } from "./state";

const BLANK_UUID = "00000000-0000-0000-0000-000000000000";

export interface HostIdentity {
    engineFqdn: string;
    vmId: string;
    sdUUID: string;
}

function hostedEngineConf(identity: HostIdentity, hostId: number): string {
    // the template order of ovirt-hosted-engine-setup 2.0, at "3.6 level" (blank spUUID, conf volume ids set)
    return [
        `fqdn=${identity.engineFqdn}`,
        `vm_disk_id=${randomUUID()}`,
        `vm_disk_vol_id=${randomUUID()}`,
        `vmid=${identity.vmId}`,
        "storage=nfs.example.com:/exports/he",
        "mnt_options=",
        "conf=/var/run/ovirt-hosted-engine-ha/vm.conf",
        `host_id=${hostId}`,
        "console=vnc",
        "domainType=nfs3",
        `spUUID=${BLANK_UUID}`,
        `sdUUID=${identity.sdUUID}`,
        `connectionUUID=${randomUUID()}`,
        "ca_cert=/etc/pki/vdsm/libvirt-spice/ca-cert.pem",
        "ca_subject=\"C=EN, L=Test, O=Test, CN=Test\"",
        "vdsm_use_ssl=true",
        "gateway=192.168.1.1",
        "bridge=ovirtmgmt",
        `metadata_volume_UUID=${randomUUID()}`,
        `metadata_image_UUID=${randomUUID()}`,
        `lockspace_volume_UUID=${randomUUID()}`,
        `lockspace_image_UUID=${randomUUID()}`,
        `conf_volume_UUID=${randomUUID()}`,
        `conf_image_UUID=${randomUUID()}`,
        "",
        "# The following are used only for iSCSI storage",
        "iqn=",
        "portal=",
        "user=",
        "password=",
        "port=",
        "",
    ].join("\n");
}

export function initialState(engineFqdn: string, now: number): SimState {
    return {
        running: false,
        globalMaintenance: false,
        thisHostId: 1,
        engineFqdn,
        engineVm: { hostId: 1, health: "good" },
        hosts: [
            { id: 1, hostname: "host1.example.com", localMaintenance: false, agentStopped: false, agentStartedAt: now - 612345 },
            { id: 2, hostname: "host2.example.com", localMaintenance: false, agentStopped: false, agentStartedAt: now - 598101 },
        ],
    };
}

export function buildHost(layout: SimLayout): void {
    const identity: HostIdentity = { engineFqdn: "engine.example.com", vmId: randomUUID(), sdUUID: randomUUID() };
    fs.mkdirSync(path.dirname(layout.hostedEngineConf), { recursive: true });
    fs.writeFileSync(layout.hostedEngineConf, hostedEngineConf(identity, 1));
    writeState(layout.stateFile, initialState(identity.engineFqdn, Math.floor(Date.now() / 1000)));
}

/* Single-quoted for /bin/sh: the only character that needs care is the quote itself. */
function shQuote(text: string): string {
    return "'" + text.replace(/'/g, "'\\''") + "'";
}

/** (Re)installs the fake commands from the current sources, so a restarted sim runs new code. */
export function installCommands(layout: SimLayout): void {
    fs.mkdirSync(layout.bin, { recursive: true });
    fs.mkdirSync(layout.lib, { recursive: true });
    const bundle = path.join(layout.lib, "hosted-engine.cjs");
    esbuild.buildSync({
        entryPoints: [path.join(__dirname, "hosted-engine-command.ts")],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: ["node18"],
        outfile: bundle,
        logLevel: "error",
    });
    fs.writeFileSync(layout.hostedEngineCommand,
                     `#!/bin/sh\nexec ${shQuote(process.execPath)} ${shQuote(bundle)} "$@"\n`, { mode: 0o755 });
}

export function writeHelperConfig(layout: SimLayout): void {
    const config = {
        root: layout.root,
        commands: { hostedEngine: layout.hostedEngineCommand },
        stateDir: path.join(layout.dir, "helper", "state"),
        logDir: path.join(layout.dir, "helper", "log"),
    };
    fs.writeFileSync(layout.helperConfig, JSON.stringify(config, null, 2) + "\n");
}
