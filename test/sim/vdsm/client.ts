// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * A small vdsm JSON-RPC client for tests of the sim's vdsm: TLS as vdsm's own
 * client sets it up (./tls.ts), STOMP CONNECT, a subscription to the response
 * queue, and calls sent to jms.topic.vdsm_requests with reply-to naming that
 * queue, the way vdsm's own client and the engine talk to vdsm. It also gives tests the raw
 * frames, to drive the protocol by hand.
 */

import { randomUUID } from "node:crypto";
import tls from "node:tls";

import { encodeFrame, StompFrameParser, textFrame, type StompFrame } from "./stomp-frame";
import { type TlsClientFiles, vdsmClientTlsOptions } from "./tls";

export { clientFiles, type TlsClientFiles } from "./tls";

export class VdsmCallError extends Error {
    constructor(readonly code: number, message: string, readonly method: string) {
        super(`${method}: vdsm error ${code}: ${message}`);
    }
}

/** A TLS connection that speaks STOMP frames, nothing more. */
export class StompTestConnection {
    readonly frames: StompFrame[] = [];
    private readonly parser = new StompFrameParser();
    private waiters: (() => void)[] = [];
    /** set when the connection ended, with the error if any */
    ended: { error: Error | null } | null = null;

    private constructor(readonly socket: tls.TLSSocket) {
        socket.on("data", (chunk: Buffer) => {
            this.frames.push(...this.parser.push(chunk));
            this.wake();
        });
        socket.on("error", err => {
            this.ended = { error: err };
            this.wake();
        });
        socket.on("close", () => {
            this.ended ??= { error: null };
            this.wake();
        });
    }

    static open(port: number, files: TlsClientFiles): Promise<StompTestConnection> {
        return new Promise((resolve, reject) => {
            const socket = tls.connect({
                host: "127.0.0.1",
                port,
                ...vdsmClientTlsOptions(files),
            }, () => {
                socket.off("error", reject);
                resolve(new StompTestConnection(socket));
            });
            socket.once("error", reject);
        });
    }

    private wake(): void {
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters)
            w();
    }

    write(data: Buffer | string): void {
        this.socket.write(data);
    }

    sendFrame(frame: StompFrame): void {
        this.socket.write(encodeFrame(frame));
    }

    /** Waits for the first received frame that matches, and takes it out of the list. */
    async nextFrame(match: (f: StompFrame) => boolean = () => true, timeoutMs = 5000): Promise<StompFrame> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const index = this.frames.findIndex(match);
            if (index >= 0)
                return this.frames.splice(index, 1)[0];
            if (this.ended)
                throw new Error(`the connection ended (${this.ended.error?.message ?? "closed"}) before the frame came`);
            const left = deadline - Date.now();
            if (left <= 0)
                throw new Error("no such frame in time");
            await new Promise<void>(resolve => {
                const timer = setTimeout(resolve, left);
                this.waiters.push(() => {
                    clearTimeout(timer);
                    resolve();
                });
            });
        }
    }

    /** Waits until the server ends the connection. */
    async closedByServer(timeoutMs = 5000): Promise<{ error: Error | null }> {
        const deadline = Date.now() + timeoutMs;
        while (!this.ended) {
            const left = deadline - Date.now();
            if (left <= 0)
                throw new Error("the connection is still open");
            await new Promise<void>(resolve => {
                const timer = setTimeout(resolve, left);
                this.waiters.push(() => {
                    clearTimeout(timer);
                    resolve();
                });
            });
        }
        return this.ended;
    }

    close(): void {
        this.socket.destroy();
    }
}

/** JSON-RPC calls over a StompTestConnection. */
export class VdsmTestClient {
    private nextId = 1;

    private constructor(readonly connection: StompTestConnection, readonly responseQueue: string) {}

    static async connect(port: number, files: TlsClientFiles, responseQueue = "jms.topic.vdsm_responses"): Promise<VdsmTestClient> {
        const connection = await StompTestConnection.open(port, files);
        connection.sendFrame(textFrame("CONNECT", { "accept-version": "1.2", host: "localhost", "heart-beat": "0,0" }, null));
        const connected = await connection.nextFrame();
        if (connected.command !== "CONNECTED")
            throw new Error(`vdsm answered CONNECT with ${connected.command}: ${connected.body?.toString() ?? ""}`);
        connection.sendFrame(textFrame("SUBSCRIBE", { destination: responseQueue, id: randomUUID(), ack: "auto" }, null));
        return new VdsmTestClient(connection, responseQueue);
    }

    /** Sends a raw message and returns the raw answer's parsed body. */
    async rawCall(body: string, ids: (string | number)[], timeoutMs = 5000): Promise<unknown> {
        this.connection.sendFrame(textFrame("SEND", {
            destination: "jms.topic.vdsm_requests",
            "reply-to": this.responseQueue,
            "content-type": "application/json",
        }, body));
        const hasId = (r: unknown) => typeof r === "object" && r !== null && ids.includes((r as { id: string | number }).id);
        const frame = await this.connection.nextFrame(f => {
            if (f.command !== "MESSAGE")
                return false;
            const parsed = JSON.parse(f.body?.toString("utf8") ?? "null") as unknown;
            return Array.isArray(parsed) ? parsed.some(hasId) : hasId(parsed);
        }, timeoutMs);
        return JSON.parse(frame.body?.toString("utf8") ?? "null");
    }

    async call<T = unknown>(method: string, params: Record<string, unknown> | unknown[] = {}): Promise<T> {
        const id = `call-${this.nextId++}`;
        const response = await this.rawCall(JSON.stringify({ jsonrpc: "2.0", method, params, id }), [id]) as
            { result?: T; error?: { code: number; message: string } };
        if (response.error)
            throw new VdsmCallError(response.error.code, response.error.message, method);
        return response.result as T;
    }

    close(): void {
        this.connection.close();
    }
}
