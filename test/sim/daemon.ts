// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The sim daemon: holds the world, persists every change, and serves the
 * simulated host's services (the HA broker socket, vdsm, the engine) until
 * SIGTERM. Started detached by `sim start`, bundled to <dir>/lib/simd.cjs.
 * It starts as root, does what root does on a host before the services run
 * (libvirtd, vdsm's key and run directories), then runs as vdsm (privileges.ts).
 */

import fs from "node:fs";
import path from "node:path";

import { startBroker } from "./broker";
import { ensureHostPki } from "./ca";
import type { SimContext } from "./context";
import { simLayout } from "./layout";
import { readWorld, writeWorld } from "./state";
import { haAgentTick, resumeVm } from "./engine-vm";
import { serveLibvirtd, startLibvirtd } from "./libvirt";
import { dropToVdsm, giveVdsmItsFiles } from "./privileges";
import { startEngine } from "./engine-api/server";
import { startVdsm } from "./vdsm/server";

interface Closable {
    close(): unknown;
}

async function main(dir: string): Promise<void> {
    const layout = simLayout(dir);
    const world = readWorld(layout.stateFile);
    fs.mkdirSync(layout.logDir, { recursive: true });
    const logFile = path.join(layout.logDir, "sim.log");
    const tls = ensureHostPki(layout, world);
    giveVdsmItsFiles(layout, tls.vdsmKeyFile);
    const libvirtd = startLibvirtd(__filename, dir);
    dropToVdsm();
    const ctx: SimContext = {
        layout,
        world,
        tls,
        launch: libvirtd.launch,
        commit: () => writeWorld(layout.stateFile, world),
        hasFault: name => world.faults.includes(name),
        log: (component, message) =>
            fs.appendFileSync(logFile, `${new Date().toISOString()} ${component}: ${message}\n`),
    };

    resumeVm(ctx);
    // the broker last: `sim start` takes its answer as "every service is up"
    const services: Closable[] = [
        await startVdsm(ctx, world.ports.vdsm),
        await startEngine(ctx, { https: world.ports.engineHttps, http: world.ports.engineHttp }),
    ];
    services.push(await startBroker(ctx));
    ctx.log("simd", `started, pid ${process.pid}`);
    fs.mkdirSync(layout.run, { recursive: true });
    fs.writeFileSync(layout.pidFile, `${process.pid}\n`);

    // the HA agent's cycle (the real one runs every 10 s; the sim's acts on its own clock)
    const agent = setInterval(() => {
        try {
            haAgentTick(ctx);
        } catch (err) {
            ctx.log("ha", `agent cycle failed: ${(err as Error).message}`);
        }
    }, 1000);
    services.push({ close: () => clearInterval(agent) }, libvirtd);

    const stop = () => {
        ctx.log("simd", "stopping");
        for (const service of services)
            service.close();
        fs.rmSync(layout.pidFile, { force: true });
        fs.rmSync(layout.socketDir, { recursive: true, force: true });
        process.exit(0);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
}

if (process.argv[3] === "--libvirtd") {
    serveLibvirtd();
} else {
    main(process.argv[2] ?? path.resolve(__dirname, "..")).catch(err => {
        process.stderr.write(`simd: ${(err as Error).stack ?? err}\n`);
        process.exit(1);
    });
}
