// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated oVirt 3.6 hosted-engine host.
 *   npm run --silent sim -- start --dir DIR [--disk-size SIZE] [--appliance-size SIZE] [--network static|dhcp|missing]
 *                                                                build DIR if new, start its daemon, print one JSON line;
 *                                                                --network: how the engine VM's network was deployed (network.ts)
 *                                               [--storage-mbps N]  the storage domain's throughput, MB/s each way, as its
 *                                                                network limits a real one (1 GbE ~110); default unlimited.
 *                                                                For this start's mount: not kept, not for a running sim
 *   npm run --silent sim -- stop --dir DIR                       stop it; start resumes the same state
 *   npm run --silent sim -- inspect --dir DIR                    the whole state as JSON
 *   npm run --silent sim -- fault --dir DIR NAME... | --clear    arm failures, or clear them
 *   npm run --silent sim -- make-backup --dir DIR --out FILE [--no-dwh]
 *                                                                what engine-backup --mode=backup on the engine VM gives
 *   npm run --silent sim -- guest-login --dir DIR USER < PASSWORD
 *                                                                a password login on the engine VM's disk as it is now:
 *                                                                {"login": "ok" | "wrong-password" | "locked" | "expired" | "unknown-user"}
 */

import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";

import { buildHost, installCommands, simEngineUrl, writeHelperConfig } from "./build-host";
import { buildSquashDaemon, mountSquashed, unmountStale } from "./nfs-squash";
import { checkReachable } from "./privileges";
import { ensureHostPki } from "./ca";
import { FAULTS, applyRootFaults } from "./faults";
import { ensureRpmDb } from "./host-packages";
import { simLayout, type SimLayout } from "./layout";
import { GiB } from "./world";
import { askBroker } from "./sim-client";
import { readWorld, updateWorld } from "./state";
import { allVolumes, exportDomainDir, mountDir, volumePath } from "./storage";
import { makeBackup } from "./engine-backup";
import type { NetworkVariant, SimWorld } from "./world";
import { HOST_ETC_HOSTS, NETWORK_VARIANTS, simNetwork, writeHostEtcHosts } from "./network";

function fail(message: string): never {
    process.stderr.write(`sim: ${message}\n`);
    process.exit(2);
}

function parseSize(text: string): number {
    const match = /^([0-9]+)([KMGT]?)(i?B)?$/i.exec(text);
    if (!match)
        fail(`"${text}" is not a size such as 2G or 512M`);
    const unit = { "": 1, K: 1024, M: 1024 ** 2, G: GiB, T: 1024 * GiB }[match[2].toUpperCase()] ?? 1;
    return Number(match[1]) * unit;
}

function daemonPid(layout: SimLayout): number | null {
    try {
        const pid = Number(fs.readFileSync(layout.pidFile, "utf8"));
        process.kill(pid, 0);
        return pid;
    } catch {
        return null;
    }
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
        });
    });
}

async function waitForDaemon(layout: SimLayout, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await askBroker(layout.brokerSocket, { op: "world" }, 1000))
            return;
        await new Promise(resolve => setTimeout(resolve, 50));
    }
    const log = path.join(layout.logDir, "simd.out");
    fail(`the sim daemon did not answer within ${timeoutMs} ms; see ${log}`);
}

async function start(dir: string, sizes: { diskSize?: number; applianceSize?: number; network?: NetworkVariant },
                     storageMBps?: number): Promise<Record<string, unknown>> {
    const layout = simLayout(dir);
    // the sim's vdsm and qemu are other users: they must reach the host's files below the sim's directory
    checkReachable(layout.dir);
    fs.mkdirSync(layout.dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(layout.dir, 0o755);
    if (!fs.existsSync(layout.stateFile))
        buildHost(layout, sizes);
    else if (sizes.network && simNetwork(readWorld(layout.stateFile)).variant !== sizes.network)
        fail(`${layout.dir} was built with --network ${simNetwork(readWorld(layout.stateFile)).variant}; build a new one for ${sizes.network}`);
    ensureRpmDb(layout);
    // a sim built before the network was modelled: the host resolves the engine's name all the same
    if (!fs.existsSync(path.join(layout.root, HOST_ETC_HOSTS)))
        writeHostEtcHosts(layout, readWorld(layout.stateFile));
    // its domain is mounted already, at whatever throughput it was given then
    if (storageMBps !== undefined && daemonPid(layout) !== null)
        fail(`the sim in ${layout.dir} runs already: stop it to mount its storage with --storage-mbps`);
    if (daemonPid(layout) === null) {
        // vdsm's connectStorageServer: the export mounted, root squashed (nfs-squash.ts); a crashed run's mount goes first
        await unmountStale(layout.dir);
        await mountSquashed(layout.exportDir, mountDir(layout, readWorld(layout.stateFile).storage),
                            { binary: buildSquashDaemon(), writeMBps: storageMBps, readMBps: storageMBps });
        const [vdsm, engineHttps, engineHttp] = [await freePort(), await freePort(), await freePort()];
        updateWorld(layout.stateFile, w => {
            w.running = true;
            w.ports = { vdsm, engineHttps, engineHttp };
        });
        installCommands(layout);
        fs.mkdirSync(layout.logDir, { recursive: true });
        const out = fs.openSync(path.join(layout.logDir, "simd.out"), "a");
        const daemon = spawn(process.execPath, [path.join(layout.lib, "simd.cjs"), layout.dir],
                             { detached: true, stdio: ["ignore", out, out] });
        daemon.unref();
        fs.closeSync(out);
        await waitForDaemon(layout, 10_000);
    }
    const world = readWorld(layout.stateFile);
    const tls = ensureHostPki(layout, world);
    writeHelperConfig(layout, world, tls);
    return {
        dir: layout.dir,
        helperConfig: layout.helperConfig,
        root: layout.root,
        // the storage domain on the NFS server, where tests look at volumes (the host side squashes root)
        nfsExport: layout.exportDir,
        hostedEngine: layout.hostedEngineCommand,
        engineFqdn: world.engine.fqdn,
        engineUrl: simEngineUrl(world),
        adminPassword: world.engine.adminPassword,
        vdsm: { host: "localhost", port: world.ports.vdsm },
        caFile: tls.caFile,
        appliance: world.appliance,
        network: simNetwork(world),
        hosts: world.ha.hosts.map(h => ({ id: h.id, hostname: h.hostname })),
    };
}

async function stop(dir: string): Promise<Record<string, unknown>> {
    const layout = simLayout(dir);
    if (!fs.existsSync(layout.stateFile))
        fail(`${layout.dir} is not a simulated host`);
    const pid = daemonPid(layout);
    if (pid !== null) {
        process.kill(pid, "SIGTERM");
        for (let i = 0; i < 100 && daemonPid(layout) !== null; i++)
            await new Promise(resolve => setTimeout(resolve, 50));
    }
    await unmountStale(layout.dir);
    updateWorld(layout.stateFile, w => { w.running = false; });
    return { dir: layout.dir, stopped: true };
}

async function inspect(dir: string): Promise<Record<string, unknown>> {
    const layout = simLayout(dir);
    if (!fs.existsSync(layout.stateFile))
        fail(`${layout.dir} is not a simulated host`);
    const answer = await askBroker(layout.brokerSocket, { op: "world" });
    const world = (answer?.stdout ? JSON.parse(answer.stdout) : readWorld(layout.stateFile)) as SimWorld;
    // what is on the storage, read from the volumes themselves on the NFS server's side (root is squashed on the host's)
    const domain = exportDomainDir(layout, world.storage);
    const volumes = allVolumes(domain).map(v => ({ image: v.imgUUID, volume: v.volUUID, path: v.path, apparentSize: v.apparentSize, meta: v.meta }));
    const known = new Set(world.engine.data.disks.map(d => d.id));
    const engineDiskPath = volumePath(domain, world.storage.engineDisk.imgUUID, world.storage.engineDisk.volUUID);
    return {
        ...world,
        engine: {
            ...world.engine,
            disks: [
                ...world.engine.data.disks.map(d => ({ ...d, registered: true })),
                ...volumes.filter(v => !known.has(v.image) && v.meta.DESCRIPTION?.startsWith("{\"DiskAlias\"")).map(v => {
                    const description = JSON.parse(v.meta.DESCRIPTION) as { DiskAlias: string; DiskDescription: string };
                    return { id: v.image, imageId: v.volume, alias: description.DiskAlias, description: description.DiskDescription, status: "ok", registered: false };
                }),
            ],
        },
        storage: { ...world.storage, engineDiskPath, engineDiskSize: fs.statSync(engineDiskPath).size, volumes },
        // the engine VM's address and how it got it (network.ts, guest-network.ts)
        network: simNetwork(world),
        daemonRunning: answer !== null,
    };
}

async function fault(dir: string, names: string[], clear: boolean): Promise<Record<string, unknown>> {
    const layout = simLayout(dir);
    for (const name of names) {
        if (!FAULTS.includes(name))
            fail(`unknown fault "${name}"; known faults: ${FAULTS.join(", ")}`);
    }
    if (!clear && names.length === 0)
        fail("name a fault to arm, or --clear");
    const answer = await askBroker(layout.brokerSocket, { op: "faults", arm: names, clear });
    if (answer === null) {
        // not running: arm them in the state file for the next start
        const world = updateWorld(layout.stateFile, w => {
            w.faults = clear ? [] : w.faults;
            w.faults.push(...names.filter(n => !w.faults.includes(n)));
        });
        applyRootFaults(layout, world);
        return { faults: world.faults };
    }
    const world = JSON.parse((await askBroker(layout.brokerSocket, { op: "world" }))?.stdout ?? "null") as SimWorld | null;
    if (world)
        applyRootFaults(layout, world);
    return { faults: JSON.parse(answer.stdout ?? "[]") };
}

async function makeBackupFile(dir: string, out: string | undefined, noDwh: boolean): Promise<Record<string, unknown>> {
    const layout = simLayout(dir);
    if (!out)
        fail("--out FILE is required");
    const answer = await askBroker(layout.brokerSocket, { op: "world" });
    if (answer === null)
        fail("the sim is not running: start it first");
    const world = JSON.parse(answer.stdout ?? "{}") as SimWorld;
    // engine-backup runs on the engine VM against its running database
    if (world.vm.status !== "Up" || world.engine.health === "down")
        fail("the engine VM is not running, so engine-backup cannot run on it");
    const dwh = world.engine.data.dwh && !noDwh;
    const file = path.resolve(out);
    makeBackup({ version: world.engine.version, data: world.engine.data }, file,
               { dwh, osVersion: world.vm.bootedSystem === "el7-appliance-4.0" ? "centos7" : "centos6" });
    return { file, version: world.engine.version, dwh, marker: world.engine.data.marker };
}

/* The password comes on stdin (one line), never on the command line; the daemon checks it. */
async function guestLoginCommand(dir: string, user: string | undefined): Promise<Record<string, unknown>> {
    if (!user)
        fail("name the user: guest-login --dir DIR USER < PASSWORD");
    const password = fs.readFileSync(0, "utf8").replace(/\r?\n$/, "");
    const answer = await askBroker(simLayout(dir).brokerSocket, { op: "guest-login", user, password });
    if (answer === null)
        fail("the sim is not running: start it first");
    return { user, login: answer.stdout };
}

async function main(): Promise<void> {
    const [command, ...rest] = process.argv.slice(2);
    const { values, positionals } = parseArgs({
        args: rest,
        options: {
            dir: { type: "string" },
            "disk-size": { type: "string" },
            "appliance-size": { type: "string" },
            clear: { type: "boolean" },
            out: { type: "string" },
            "no-dwh": { type: "boolean" },
            network: { type: "string" },
            "storage-mbps": { type: "string" },
        },
        allowPositionals: command === "fault" || command === "guest-login",
        strict: true,
    });
    if (!values.dir)
        fail("--dir DIR is required");
    const network = values.network as NetworkVariant | undefined;
    if (network !== undefined && !NETWORK_VARIANTS.includes(network))
        fail(`--network must be one of ${NETWORK_VARIANTS.join(", ")}`);
    const storageMBps = values["storage-mbps"] === undefined ? undefined : Number(values["storage-mbps"]);
    if (storageMBps !== undefined && !/^[0-9]+$/.test(values["storage-mbps"] ?? ""))
        fail(`--storage-mbps must be a whole number of MB/s (0: unlimited), not "${values["storage-mbps"]}"`);
    let result: Record<string, unknown>;
    switch (command) {
    case "start":
        result = await start(values.dir, {
            ...(network === undefined ? {} : { network }),
            ...(values["disk-size"] === undefined ? {} : { diskSize: parseSize(values["disk-size"]) }),
            ...(values["appliance-size"] === undefined ? {} : { applianceSize: parseSize(values["appliance-size"]) }),
        }, storageMBps);
        break;
    case "stop":
        result = await stop(values.dir);
        break;
    case "inspect":
        result = await inspect(values.dir);
        break;
    case "fault":
        result = await fault(values.dir, positionals, values.clear ?? false);
        break;
    case "make-backup":
        result = await makeBackupFile(values.dir, values.out, values["no-dwh"] ?? false);
        break;
    case "guest-login":
        result = await guestLoginCommand(values.dir, positionals[0]);
        break;
    default:
        fail(`unknown command "${command ?? ""}"; use start, stop, inspect, fault, make-backup or guest-login`);
    }
    process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch(err => fail((err as Error).message));
