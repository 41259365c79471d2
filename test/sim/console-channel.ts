// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM's virtio-serial port org.ovirt.hosted-engine-setup.0 as the
 * host sees it: a listening unix socket <channels>/<vmId>.org.ovirt.hosted-engine-setup.0
 * (what the hostedengine vdsm hook adds; <channels> is /var/lib/libvirt/qemu/channels on
 * a real host and the helper configuration's channelsDir here). The guest's writes are kept, so a reader
 * that connects late still gets every line from the start of the boot.
 */

import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import type { SimContext } from "./context";

export const CHANNEL_NAME = "org.ovirt.hosted-engine-setup.0";

export function channelPath(ctx: SimContext): string {
    return path.join(ctx.layout.channelsDir, `${ctx.world.vm.vmId}.${CHANNEL_NAME}`);
}

export class ConsoleChannel {
    private readonly server: net.Server;
    private readonly clients = new Set<net.Socket>();
    private backlog = "";
    readonly socketPath: string;

    constructor(socketPath: string) {
        this.socketPath = socketPath;
        fs.mkdirSync(path.dirname(socketPath), { recursive: true });
        fs.rmSync(socketPath, { force: true });
        this.server = net.createServer(socket => {
            this.clients.add(socket);
            socket.on("close", () => this.clients.delete(socket));
            socket.on("error", () => socket.destroy());
            if (this.backlog)
                socket.write(this.backlog);
        });
        this.server.listen(socketPath);
    }

    /** What the guest echoes to /dev/virtio-ports/org.ovirt.hosted-engine-setup.0. */
    writeLine(line: string): void {
        const text = line + "\n";
        this.backlog += text;
        for (const client of this.clients)
            client.write(text);
    }

    close(): void {
        for (const client of this.clients)
            client.destroy();
        this.server.close();
        fs.rmSync(this.socketPath, { force: true });
    }
}
