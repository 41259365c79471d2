// SPDX-License-Identifier: LGPL-2.1-or-later

import net from "node:net";

/** A TCP port on loopback that nothing listens on right now. */
export function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}
