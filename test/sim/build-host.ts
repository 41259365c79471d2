// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Lays out a new simulated 3.6 hosted-engine host in a directory: the world,
 * the storage domain with its volumes, the host's hosted-engine.conf under
 * root/, the fake commands, and the helper configuration that points the
 * unmodified helper at all of it.
 */

import fs from "node:fs";
import path from "node:path";

import * as esbuild from "esbuild";

import type { SimTls } from "./context";
import type { SimLayout } from "./layout";
import { createStorage, newWorld, type WorldOptions } from "./new-world";
import { writeWorld } from "./state";
import { BLANK_UUID, type SimWorld } from "./world";

export function hostedEngineConf(world: SimWorld): string {
    const s = world.storage;
    // the template order of ovirt-hosted-engine-setup 2.0, at "3.6 level" (blank spUUID, conf volume ids set)
    return [
        `fqdn=${world.engine.fqdn}`,
        `vm_disk_id=${s.engineDisk.imgUUID}`,
        `vm_disk_vol_id=${s.engineDisk.volUUID}`,
        `vmid=${world.vm.vmId}`,
        `storage=${s.remotePath}`,
        "mnt_options=",
        "conf=/var/run/ovirt-hosted-engine-ha/vm.conf",
        `host_id=${world.ha.thisHostId}`,
        "console=vnc",
        "domainType=nfs3",
        `spUUID=${BLANK_UUID}`,
        `sdUUID=${s.sdUUID}`,
        "connectionUUID=" + s.sdUUID.replace(/^.{8}/, "c0ffee00"),
        "ca_cert=/etc/pki/vdsm/libvirt-spice/ca-cert.pem",
        "ca_subject=\"C=EN, L=Test, O=Test, CN=Test\"",
        "vdsm_use_ssl=true",
        "gateway=192.168.1.1",
        "bridge=ovirtmgmt",
        `metadata_volume_UUID=${s.metadataVolume.volUUID}`,
        `metadata_image_UUID=${s.metadataVolume.imgUUID}`,
        `lockspace_volume_UUID=${s.lockspaceVolume.volUUID}`,
        `lockspace_image_UUID=${s.lockspaceVolume.imgUUID}`,
        `conf_volume_UUID=${s.confVolume.volUUID}`,
        `conf_image_UUID=${s.confVolume.imgUUID}`,
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

/** Builds the simulated host in layout.dir: its world, storage domain and host files. */
export function buildHost(layout: SimLayout, options: WorldOptions = {}): SimWorld {
    const world = newWorld(options);
    createStorage(layout, world, options.diskSize);
    fs.mkdirSync(path.dirname(layout.hostedEngineConf), { recursive: true });
    fs.writeFileSync(layout.hostedEngineConf, hostedEngineConf(world));
    writeWorld(layout.stateFile, world);
    return world;
}

/* Single-quoted for /bin/sh: the only character that needs care is the quote itself. */
function shQuote(text: string): string {
    return "'" + text.replace(/'/g, "'\\''") + "'";
}

/** (Re)builds the daemon and the fake commands from the current sources, so a restarted sim runs new code. */
export function installCommands(layout: SimLayout): void {
    fs.mkdirSync(layout.bin, { recursive: true });
    fs.mkdirSync(layout.lib, { recursive: true });
    esbuild.buildSync({
        entryPoints: {
            "hosted-engine": path.join(__dirname, "hosted-engine-command.ts"),
            simd: path.join(__dirname, "daemon.ts"),
        },
        bundle: true,
        platform: "node",
        format: "cjs",
        target: ["node18"],
        outdir: layout.lib,
        outExtension: { ".js": ".cjs" },
        logLevel: "error",
    });
    fs.writeFileSync(layout.hostedEngineCommand,
                     `#!/bin/sh\nexec ${shQuote(process.execPath)} ${shQuote(path.join(layout.lib, "hosted-engine.cjs"))} "$@"\n`,
                     { mode: 0o755 });
}

export function writeHelperConfig(layout: SimLayout, world: SimWorld, tls: SimTls): void {
    const config = {
        root: layout.root,
        commands: { hostedEngine: layout.hostedEngineCommand },
        engineUrl: `https://localhost:${world.ports.engineHttps}/ovirt-engine`,
        vdsm: {
            host: "localhost",
            port: world.ports.vdsm,
            caFile: tls.caFile,
            certFile: tls.clientCertFile,
            keyFile: tls.clientKeyFile,
        },
        stateDir: path.join(layout.dir, "helper", "state"),
        logDir: path.join(layout.dir, "helper", "log"),
    };
    fs.writeFileSync(layout.helperConfig, JSON.stringify(config, null, 2) + "\n");
}
