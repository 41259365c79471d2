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
import { createStorage, DEFAULT_DISK_SIZE, newWorld, type WorldOptions } from "./new-world";
import { writeWorld } from "./state";
import { hostedEngineConf, writeConfVolume, writeLocalVmConf } from "./host-config";
import { GiB, type SimWorld } from "./world";
import { APPLIANCE_OVA, installAppliance } from "./appliance";
import { giveVdsmTheDomain } from "./privileges";
import { mountDir } from "./storage";
import { MISSING_GUESTFISH } from "./faults";
import { makeRpmDb } from "./host-packages";
import { writeHostEtcHosts } from "./network";

/** Builds the simulated host in layout.dir: its world, storage domain and host files. */
export function buildHost(layout: SimLayout, options: WorldOptions & { applianceSize?: number } = {}): SimWorld {
    const world = newWorld(options);
    const diskSize = options.diskSize ?? DEFAULT_DISK_SIZE;
    createStorage(layout, world, diskSize);
    writeConfVolume(layout, world, diskSize);
    // made by vdsm on a real host: theirs, on an export owned 36:36, which the NFS server keeps
    const mountPoint = mountDir(layout, world.storage);
    giveVdsmTheDomain(mountPoint);
    fs.renameSync(mountPoint, layout.exportDir);
    fs.mkdirSync(mountPoint, { mode: 0o755 });
    // EL7's filesystem package: /root is dr-xr-x---, so vdsm and qemu cannot read a backup an administrator keeps there
    fs.mkdirSync(path.join(layout.root, "root"), { recursive: true });
    fs.chmodSync(path.join(layout.root, "root"), 0o550);
    fs.mkdirSync(path.dirname(layout.hostedEngineConf), { recursive: true });
    fs.writeFileSync(layout.hostedEngineConf, hostedEngineConf(world));
    writeLocalVmConf(layout, world);
    writeHostEtcHosts(layout, world);
    makeRpmDb(layout);
    // the appliance is bigger than the engine disk, so an upgrade must extend the volume
    const applianceSize = options.applianceSize ?? Math.max(3 * GiB, Math.ceil(diskSize / GiB) * GiB + GiB);
    const appliance = installAppliance(layout, applianceSize);
    world.appliance = {
        path: APPLIANCE_OVA,
        sha1: appliance.sha1,
        imgUUID: appliance.imgUUID,
        volUUID: appliance.volUUID,
        templateId: appliance.templateId,
        virtualSize: appliance.virtualSize,
        ovfSizeGiB: appliance.ovfSizeGiB,
    };
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

/** Where the sim's engine answers: its HTTPS port on loopback, by address. */
export function simEngineUrl(world: SimWorld): string {
    return `https://127.0.0.1:${world.ports.engineHttps}/ovirt-engine`;
}

export function writeHelperConfig(layout: SimLayout, world: SimWorld, tls: SimTls): void {
    const config = {
        root: layout.root,
        // the other commands are this machine's, at the helper's default paths, and so is rpm, which reads
        // the host's database under root (host-packages.ts)
        commands: {
            hostedEngine: layout.hostedEngineCommand,
            ...(world.faults.includes("guestfish-missing") ? { guestfish: path.join(layout.root, MISSING_GUESTFISH) } : {}),
        },
        // the engine is dialled by address, so its certificate's name (the fqdn) is not the name dialled
        engineUrl: simEngineUrl(world),
        // vdsm on localhost, with the host's PKI where a real host has it (the helper's defaults, under root)
        vdsm: {
            host: "localhost",
            port: world.ports.vdsm,
            caFile: tls.caFile,
            certFile: tls.vdsmCertFile,
            keyFile: tls.vdsmKeyFile,
        },
        channelsDir: layout.channelsDir,
        // the helper's defaults: the domain's volumes are vdsm:kvm's, and root may not write them
        diskUser: "vdsm",
        diskGroup: "kvm",
        // KVM does not work on our machines: libguestfs must use TCG
        libguestfs: { backend: "direct", backendSettings: "force_tcg" },
        // the sim's VM and engine are quick: a stall or a hang shows within seconds
        timeouts: { setupStallSeconds: 8, engineHealthSeconds: 15, engineApiSeconds: 15, hostUpSeconds: 20, diskCreateSeconds: 20, vmShutdownSeconds: 8 },
        stateDir: path.join(layout.dir, "helper", "state"),
        logDir: path.join(layout.dir, "helper", "log"),
    };
    // like /var/lib and /var/log on a host: open to pass through, whatever the helper makes below
    fs.mkdirSync(path.join(layout.dir, "helper"), { recursive: true, mode: 0o755 });
    fs.writeFileSync(layout.helperConfig, JSON.stringify(config, null, 2) + "\n");
}
