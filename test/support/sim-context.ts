// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * A simulated host's context without the daemon, for tests of one sim service
 * in-process: a fresh world and storage domain in a temporary directory, the
 * host's and the engine's PKI, and a log kept in memory.
 */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { hostedEngineConf } from "../sim/host-config";
import { ensureHostPki } from "../sim/ca";
import type { SimContext } from "../sim/context";
import { simLayout } from "../sim/layout";
import { launchAsQemu } from "../sim/libvirt";
import { createStorage, newWorld } from "../sim/new-world";
import { giveVdsmTheDomain } from "../sim/privileges";
import { mountDir } from "../sim/storage";
import { GiB } from "../sim/world";
import { writeWorld } from "../sim/state";
import { writeHostEtcHosts } from "../sim/network";
import type { NetworkVariant } from "../sim/world";

export interface TestContext {
    ctx: SimContext;
    logLines: string[];
    cleanup(): void;
}

export function createTestContext(options: { diskSize?: number; network?: NetworkVariant } = {}): TestContext {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-sim-ctx-"));
    const layout = simLayout(dir);
    const world = newWorld(options.network ? { network: options.network } : {});
    world.running = true;
    createStorage(layout, world, options.diskSize ?? GiB);
    // the path down to the domain is open to vdsm and qemu, as on a host
    fs.chmodSync(dir, 0o755);
    giveVdsmTheDomain(mountDir(layout, world.storage));
    fs.mkdirSync(path.dirname(layout.hostedEngineConf), { recursive: true });
    fs.writeFileSync(layout.hostedEngineConf, hostedEngineConf(world));
    writeHostEtcHosts(layout, world);
    writeWorld(layout.stateFile, world);
    const logLines: string[] = [];
    const ctx: SimContext = {
        layout,
        world,
        tls: ensureHostPki(layout, world),
        commit: () => writeWorld(layout.stateFile, world),
        hasFault: name => world.faults.includes(name),
        log: (component, message) => { logLines.push(`${component}: ${message}`); },
        // this process is root, and can start qemu as qemu as libvirtd does
        launch: launchAsQemu,
    };
    return { ctx, logLines, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
