// SPDX-License-Identifier: LGPL-2.1-or-later

/* Talking to a running sim daemon through its broker socket (used by the sim CLI and the fake commands). */

import net from "node:net";

import type { BrokerAnswer, BrokerRequest } from "./broker";

/** One request to the broker socket; null when nothing listens there. */
export function askBroker(socketPath: string, request: BrokerRequest, timeoutMs = 10_000): Promise<BrokerAnswer | null> {
    return new Promise(resolve => {
        const socket = net.createConnection(socketPath);
        let buffer = "";
        const timer = setTimeout(() => { socket.destroy(); resolve(null); }, timeoutMs);
        socket.setEncoding("utf8");
        socket.on("connect", () => socket.write(JSON.stringify(request) + "\n"));
        socket.on("data", chunk => {
            buffer += chunk;
            const newline = buffer.indexOf("\n");
            if (newline >= 0) {
                clearTimeout(timer);
                socket.end();
                resolve(JSON.parse(buffer.slice(0, newline)) as BrokerAnswer);
            }
        });
        socket.on("error", () => {
            clearTimeout(timer);
            resolve(null);
        });
    });
}
