// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated host's vdsm: JSON-RPC over STOMP 1.2 over TLS, on loopback,
 * behaving like vdsm 4.18 (oVirt 4.0; lib/yajsonrpc/stompreactor.py):
 *  - TLS as vdsm 4.18 on EL7 sets it up (see vdsmTlsOptions below);
 *  - frames are served in any order, SEND before CONNECT included, as vdsm does;
 *  - CONNECT with accept-version exactly "1.2" (anything else: ERROR
 *    "Version unsupported"); CONNECTED answers heart-beat "<cy>,0": vdsm sends
 *    heart-beats every cy ms (at least 1000) when the client asks for them and
 *    never expects any. The STOMP command is not accepted: 4.18 does not know it;
 *  - SUBSCRIBE needs destination and id; subscriptions are the server's, not the
 *    connection's: an answer goes to every subscriber of its destination;
 *  - SEND to jms.topic.vdsm_requests (or jms.topic.vdsm_irs_requests) is a
 *    JSON-RPC message; its answer goes, as MESSAGE frames, to the subscribers of
 *    the destination named by the SEND's reply-to header. Without reply-to vdsm
 *    4.18 has nowhere to send the answer and drops it; so does the sim. The
 *    3.5 engine's /queue/_local/vdsm/requests is answered on
 *    /queue/_local/vdsm/reponses (sic). A SEND to any other destination goes to
 *    its subscribers, or is an ERROR "Subscription not available";
 *  - DISCONNECT with a receipt header gets its RECEIPT; then the connection ends;
 *  - a frame that cannot be read, or an unknown command, gets an ERROR and the
 *    connection is closed (vdsm just closes it).
 */

import type net from "node:net";
import tls from "node:tls";

import type { SimContext } from "../context";
import { hostVerbs } from "./host-verbs";
import { encodeResponses, serveMessage, type RpcObserver, type RpcResponse, type VerbTable } from "./jsonrpc";
import {
    encodeFrame, HEARTBEAT, StompFrameError, StompFrameParser, textFrame, type StompFrame,
} from "./stomp-frame";
import { storageVerbs } from "./storage-verbs";
import { nextTaskDue, settleTasks } from "./tasks";
import { vdsmTlsOptions } from "./tls";
import { VmContainer } from "./vm-verbs";

export const REQUEST_QUEUES: readonly string[] = ["jms.topic.vdsm_requests", "jms.topic.vdsm_irs_requests"];
/** Where clients conventionally ask for answers (reply-to); vdsm's own client subscribes to it. */
export const RESPONSE_QUEUE = "jms.topic.vdsm_responses";
const LEGACY_REQUEST_QUEUE = "/queue/_local/vdsm/requests";
const LEGACY_RESPONSE_QUEUE = "/queue/_local/vdsm/reponses";

/** vdsm never sends heart-beats more often than this. */
const MIN_HEARTBEAT_MS = 1000;

/** How often the service looks at the engine VM, which also changes outside vdsm's verbs. */
const VM_WATCH_MS = 500;

/** How much of a request's params goes into the log. */
const LOG_PARAMS_LIMIT = 300;

interface Subscription {
    connection: StompConnection;
    id: string;
    destination: string;
}

/** The server's subscriptions, by destination. */
class SubscriptionMap {
    private readonly byDestination = new Map<string, Set<Subscription>>();

    add(sub: Subscription): void {
        let set = this.byDestination.get(sub.destination);
        if (!set) {
            set = new Set();
            this.byDestination.set(sub.destination, set);
        }
        set.add(sub);
    }

    remove(sub: Subscription): void {
        const set = this.byDestination.get(sub.destination);
        set?.delete(sub);
        if (set?.size === 0)
            this.byDestination.delete(sub.destination);
    }

    of(destination: string): Subscription[] {
        return [...this.byDestination.get(destination) ?? []];
    }
}

function parseHeartBeat(value: string | undefined): [number, number] {
    const parts = (value ?? "0,0").split(",");
    if (parts.length < 2)
        return [0, 0];
    const number = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : 0);
    return [number(parts[0]), number(parts[1])];
}

class StompConnection {
    private readonly parser = new StompFrameParser();
    private readonly subscriptions = new Map<string, Subscription>();
    private heartbeat: NodeJS.Timeout | null = null;
    private lastSent = Date.now();
    private closed = false;

    constructor(
        private readonly socket: tls.TLSSocket,
        private readonly service: VdsmService,
    ) {
        socket.on("data", (chunk: Buffer) => this.receive(chunk));
        socket.on("error", err => {
            service.log(`connection error: ${err.message}`);
            socket.destroy();
        });
        socket.on("close", () => this.cleanup());
    }

    send(frame: StompFrame): void {
        if (this.closed || this.socket.destroyed)
            return;
        this.socket.write(encodeFrame(frame));
        this.lastSent = Date.now();
    }

    /** Says why and closes, as STOMP wants after an ERROR the connection cannot recover from. */
    private fail(message: string): void {
        this.service.log(`closing a connection: ${message}`);
        this.send(textFrame("ERROR", {}, message));
        this.closed = true;
        this.socket.end();
    }

    private receive(chunk: Buffer): void {
        if (this.closed)
            return;
        let frames;
        try {
            frames = this.parser.push(chunk);
        } catch (err) {
            if (!(err instanceof StompFrameError))
                throw err;
            this.fail(`malformed frame: ${err.message}`);
            return;
        }
        for (const frame of frames) {
            if (this.closed)
                return;
            try {
                this.handle(frame);
            } catch (err) {
                // a bug in the sim must not take the daemon down: this connection ends, the others go on
                this.fail(`internal error of the simulated vdsm: ${(err as Error).message}`);
            }
        }
    }

    private handle(frame: StompFrame): void {
        const h = frame.headers;
        switch (frame.command) {
        case "CONNECT":
            this.connect(h);
            return;
        case "SUBSCRIBE": {
            if (!h.destination || !h.id) {
                this.send(textFrame("ERROR", {}, "Missing destination or subscription id header"));
                return;
            }
            if (this.subscriptions.has(h.id)) {
                this.send(textFrame("ERROR", {}, "Subscription id already exists"));
                return;
            }
            const sub = { connection: this, id: h.id, destination: h.destination };
            this.subscriptions.set(h.id, sub);
            this.service.subscriptions.add(sub);
            return;
        }
        case "UNSUBSCRIBE": {
            if (!h.id) {
                this.send(textFrame("ERROR", {}, "Missing id header"));
                return;
            }
            const sub = this.subscriptions.get(h.id);
            if (sub) {
                this.subscriptions.delete(h.id);
                this.service.subscriptions.remove(sub);
            }
            return;
        }
        case "SEND":
            this.sendFrame(frame);
            return;
        case "DISCONNECT":
            if (h.receipt)
                this.send(textFrame("RECEIPT", { "receipt-id": h.receipt }, null));
            this.closed = true;
            this.socket.end();
            return;
        default:
            this.fail(`Unknown command ${frame.command}`);
        }
    }

    private connect(headers: Record<string, string>): void {
        if (headers["accept-version"] !== "1.2") {
            this.send(textFrame("ERROR", {}, "Version unsupported"));
            return;
        }
        // the client's second number is how often it wants to hear from the server
        let [, wanted] = parseHeartBeat(headers["heart-beat"]);
        if (wanted !== 0)
            wanted = Math.max(wanted, MIN_HEARTBEAT_MS);
        this.send(textFrame("CONNECTED", { version: "1.2", "heart-beat": `${wanted},0` }, null));
        if (this.heartbeat)
            clearInterval(this.heartbeat);
        this.heartbeat = null;
        if (wanted !== 0) {
            const period = wanted;
            this.heartbeat = setInterval(() => {
                if (Date.now() - this.lastSent >= period - 50 && !this.socket.destroyed) {
                    this.socket.write(HEARTBEAT);
                    this.lastSent = Date.now();
                }
            }, Math.max(period / 2, 100));
            this.heartbeat.unref();
        }
    }

    private sendFrame(frame: StompFrame): void {
        const destination = frame.headers.destination;
        if (destination !== undefined && REQUEST_QUEUES.includes(destination)) {
            this.service.request(frame.body ?? Buffer.alloc(0), frame.headers["reply-to"]);
            return;
        }
        if (destination === LEGACY_REQUEST_QUEUE) {
            this.service.request(frame.body ?? Buffer.alloc(0), LEGACY_RESPONSE_QUEUE);
            return;
        }
        const subs = destination === undefined ? [] : this.service.subscriptions.of(destination);
        if (subs.length === 0) {
            this.send(textFrame("ERROR", {}, "Subscription not available"));
            return;
        }
        for (const sub of subs)
            sub.connection.send({ command: "MESSAGE", headers: { subscription: sub.id, ...frame.headers }, body: frame.body });
    }

    private cleanup(): void {
        this.closed = true;
        if (this.heartbeat)
            clearInterval(this.heartbeat);
        this.heartbeat = null;
        for (const sub of this.subscriptions.values())
            this.service.subscriptions.remove(sub);
        this.subscriptions.clear();
    }
}

class VdsmService {
    readonly subscriptions = new SubscriptionMap();
    private readonly verbs: VerbTable;
    private readonly sockets = new Set<net.Socket>();
    private taskTimer: NodeJS.Timeout | null = null;
    private readonly vms: VmContainer;
    private vmWatch: NodeJS.Timeout | null = null;
    private readonly observer: RpcObserver;

    constructor(private readonly ctx: SimContext) {
        this.vms = new VmContainer(ctx);
        const vms = this.vms;
        this.verbs = { ...hostVerbs(ctx), ...storageVerbs(ctx), ...vms.verbs() };
        this.observer = {
            call: (method, params, outcome) => {
                let shown = JSON.stringify(params) ?? "";
                if (shown.length > LOG_PARAMS_LIMIT)
                    shown = shown.slice(0, LOG_PARAMS_LIMIT) + "...";
                const how = "error" in outcome ? `error ${outcome.error.code}: ${outcome.error.message}` : "ok";
                ctx.log("vdsm", `${method} ${shown} -> ${how}`);
            },
        };
    }

    log(message: string): void {
        this.ctx.log("vdsm", message);
    }

    /** Every TCP connection, from before its handshake, so that close() can end them all. */
    track(socket: net.Socket): void {
        this.sockets.add(socket);
        socket.once("close", () => this.sockets.delete(socket));
    }

    accept(socket: tls.TLSSocket): void {
        new StompConnection(socket, this);
    }

    /** A JSON-RPC message from a SEND; its answer goes to the subscribers of replyTo. */
    request(body: Buffer, replyTo: string | undefined): void {
        settleTasks(this.ctx);
        let responses: RpcResponse[];
        try {
            responses = serveMessage(body.toString("utf8"), this.verbs, this.observer);
        } finally {
            this.scheduleTasks();
        }
        // calls are logged by the observer; a message that is not a call at all is logged here
        for (const r of responses.filter(r => r.id === null && r.error))
            this.log(`request refused: error ${r.error?.code}: ${r.error?.message}`);
        const answer = encodeResponses(responses);
        if (answer === null)
            return;
        if (replyTo === undefined) {
            this.log("a request without reply-to: its answer has no destination and is dropped, as vdsm does");
            return;
        }
        const subs = this.subscriptions.of(replyTo);
        if (subs.length === 0)
            this.log(`no subscriber for ${replyTo}: the answer is dropped`);
        const bytes = Buffer.from(answer, "utf8");
        for (const sub of subs) {
            sub.connection.send({
                command: "MESSAGE",
                headers: { destination: replyTo, "content-type": "application/json", subscription: sub.id },
                body: bytes,
            });
        }
    }

    /** Tasks finish on their own time, whether anyone asks or not: wake up when the next one is due. */
    private scheduleTasks(): void {
        if (this.taskTimer)
            clearTimeout(this.taskTimer);
        this.taskTimer = null;
        const due = nextTaskDue(this.ctx);
        if (due === null)
            return;
        this.taskTimer = setTimeout(() => {
            this.taskTimer = null;
            try {
                settleTasks(this.ctx);
            } catch (err) {
                this.log(`finishing tasks failed: ${(err as Error).message}`);
            }
            this.scheduleTasks();
        }, Math.max(due - Date.now(), 0));
        this.taskTimer.unref();
    }

    start(): void {
        settleTasks(this.ctx);
        this.scheduleTasks();
        this.vms.sync();
        // so that a VM that stops between two requests is seen Down here, as vdsm sees it
        this.vmWatch = setInterval(() => {
            try {
                this.vms.sync();
            } catch (err) {
                this.log(`following the VM failed: ${(err as Error).message}`);
            }
        }, VM_WATCH_MS);
        this.vmWatch.unref();
    }

    close(): void {
        if (this.vmWatch)
            clearInterval(this.vmWatch);
        this.vmWatch = null;
        if (this.taskTimer)
            clearTimeout(this.taskTimer);
        this.taskTimer = null;
        for (const socket of this.sockets)
            socket.destroy();
        this.sockets.clear();
    }
}

export async function startVdsm(ctx: SimContext, port: number): Promise<{ close(): Promise<void> }> {
    const service = new VdsmService(ctx);
    const server = tls.createServer(vdsmTlsOptions(ctx.tls), socket => service.accept(socket));
    server.on("connection", socket => service.track(socket));
    server.on("tlsClientError", err => service.log(`TLS handshake refused: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
            server.off("error", reject);
            resolve();
        });
    });
    service.start();
    ctx.log("vdsm", `listening on 127.0.0.1:${port}`);
    return {
        close: () => new Promise<void>(resolve => {
            service.close();
            server.close(() => resolve());
        }),
    };
}
