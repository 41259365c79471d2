// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The sim's ovirt-ha-broker: a unix socket at the real broker's path that the
 * simulated `hosted-engine` command asks, one JSON request and one JSON answer
 * per line. (The real broker's protocol is private to ovirt-hosted-engine-ha;
 * only the command's behaviour is the contract.)
 */

import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import type { SimContext } from "./context";
import { destroyVm, requestShutdown, settleVm, startVm } from "./engine-vm";
import { applyFault } from "./faults";
import { guestLogin, imageFiles } from "./guest-cloud-init";
import { metadataVolume, vmStatusJson } from "./ha-metadata";
import { domainDir, volumePath } from "./storage";

export interface BrokerRequest {
    /* vm-status and set-maintenance serve `hosted-engine`; world, faults and guest-login serve the sim commands */
    op: "vm-status" | "set-maintenance" | "vm-start" | "vm-shutdown" | "vm-poweroff" | "world" | "faults" | "guest-login";
    mode?: string;
    /** for "vm-start": the VM parameters parsed from vm.conf */
    params?: Record<string, unknown>;
    /** for "faults": the faults to arm, or [] with clear */
    arm?: string[];
    clear?: boolean;
    /** for "guest-login": who logs in to the engine VM's disk as it is, with what password */
    user?: string;
    password?: string;
}

export interface BrokerAnswer {
    ok: boolean;
    stdout?: string;
    stderr?: string;
}

/* What the agents keep on the shared storage, refreshed when anyone asks for the status. */
function writeMetadata(ctx: SimContext): void {
    const s = ctx.world.storage;
    const file = volumePath(domainDir(ctx.layout, s), s.metadataVolume.imgUUID, s.metadataVolume.volUUID);
    const fd = fs.openSync(file, "r+");
    try {
        const data = metadataVolume(ctx.world);
        fs.writeSync(fd, data, 0, data.length, 0);
    } finally {
        fs.closeSync(fd);
    }
}

export function handleBrokerRequest(ctx: SimContext, request: BrokerRequest): BrokerAnswer {
    const world = ctx.world;
    settleVm(ctx);
    switch (request.op) {
    case "vm-status":
        writeMetadata(ctx);
        return { ok: true, stdout: vmStatusJson(world) + "\n" };
    case "set-maintenance": {
        const mode = request.mode;
        if (mode === "local" && world.vm.hostId === world.ha.thisHostId && world.vm.status !== "Down") {
            return {
                ok: false,
                stderr: "Unable to enter local maintenance mode: the engine VM is running on the current host, " +
                        "please migrate it before entering local maintenance mode.\n",
            };
        }
        // like ovirt-ha: the local flag is this host's, the global flag is the cluster's
        const me = world.ha.hosts.find(h => h.id === world.ha.thisHostId);
        if (me)
            me.localMaintenance = mode === "local";
        // with the fault armed the broker accepts the request but the flag never changes
        if (!(mode === "global" && ctx.hasFault("not-global-maintenance")))
            world.ha.globalMaintenance = mode === "global";
        ctx.commit();
        ctx.log("ha", `maintenance mode ${mode}`);
        return { ok: true };
    }
    case "vm-start": {
        const result = startVm(ctx, request.params ?? {});
        return result.ok ? { ok: true, stdout: `VM ${world.vm.vmId} started\n` } : { ok: false, stderr: `${result.message}\n` };
    }
    case "vm-shutdown": {
        const result = requestShutdown(ctx);
        return result.ok ? { ok: true, stdout: "Machine shutting down\n" } : { ok: false, stderr: `${result.message}\n` };
    }
    case "vm-poweroff": {
        const result = destroyVm(ctx);
        return result.ok ? { ok: true, stdout: "Machine destroyed\n" } : { ok: false, stderr: `${result.message}\n` };
    }
    case "world":
        return { ok: true, stdout: JSON.stringify(world) };
    case "guest-login": {
        const disk = volumePath(domainDir(ctx.layout, world.storage), world.storage.engineDisk.imgUUID, world.storage.engineDisk.volUUID);
        return { ok: true, stdout: guestLogin(imageFiles(disk), request.user ?? "", request.password ?? "") };
    }
    case "faults":
        if (request.clear) {
            for (const name of world.faults)
                applyFault(ctx, name, false);
            world.faults = [];
        }
        for (const name of request.arm ?? []) {
            if (!world.faults.includes(name)) {
                world.faults.push(name);
                applyFault(ctx, name, true);
            }
        }
        ctx.commit();
        ctx.log("sim", `faults armed: ${world.faults.join(", ") || "none"}`);
        return { ok: true, stdout: JSON.stringify(world.faults) };
    default:
        return { ok: false, stderr: `unknown broker request ${JSON.stringify(request)}\n` };
    }
}

export function startBroker(ctx: SimContext): Promise<net.Server> {
    const socketPath = ctx.layout.brokerSocket;
    fs.mkdirSync(path.dirname(socketPath), { recursive: true });
    fs.rmSync(socketPath, { force: true });
    const server = net.createServer(socket => {
        let buffer = "";
        socket.setEncoding("utf8");
        socket.on("data", chunk => {
            buffer += chunk;
            let newline;
            while ((newline = buffer.indexOf("\n")) >= 0) {
                const line = buffer.slice(0, newline);
                buffer = buffer.slice(newline + 1);
                let answer: BrokerAnswer;
                try {
                    answer = handleBrokerRequest(ctx, JSON.parse(line) as BrokerRequest);
                } catch (err) {
                    answer = { ok: false, stderr: `broker error: ${(err as Error).message}\n` };
                }
                socket.write(JSON.stringify(answer) + "\n");
            }
        });
        socket.on("error", () => socket.destroy());
    });
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(socketPath, () => resolve(server));
    });
}
