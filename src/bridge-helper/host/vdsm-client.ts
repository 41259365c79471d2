// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * vdsm's JSON-RPC over STOMP on TLS (localhost:54321, trusted and presenting
 * certificates as host-pki.ts vdsmTls says), the interface the upgrade uses for
 * VMs, volumes and SPM tasks (ovirt-upgrade-flow.md section 6). Requests go to
 * jms.topic.vdsm_requests with reply-to jms.topic.vdsm_responses, where we
 * subscribe for the answers.
 */

import { randomUUID } from "node:crypto";
import tls from "node:tls";

import type { HelperConfig } from "../config";
import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { encodeFrame, StompDecoder, type StompFrame } from "../formats/stomp";
import { isTrustFailure, vdsmTls } from "./host-pki";

export const BLANK_UUID = "00000000-0000-0000-0000-000000000000";
const REQUESTS = "jms.topic.vdsm_requests";
const RESPONSES = "jms.topic.vdsm_responses";

/** vdsm's error for a call: code 1 is "no such VM", 100 and up storage errors. */
export class VdsmCallError extends HelperError {
    readonly vdsmCode: number;

    constructor(method: string, code: number, message: string) {
        super("command-failed", `vdsm ${method}`, text("vdsm.call-failed", { method, reason: message }), `vdsm error code ${code}`);
        this.vdsmCode = code;
    }
}

interface Pending {
    method: string;
    resolve(result: unknown): void;
    reject(err: Error): void;
    timer: NodeJS.Timeout;
}

export class VdsmClient {
    private readonly socket: tls.TLSSocket;
    private readonly decoder = new StompDecoder();
    private readonly pending = new Map<string, Pending>();
    private connected: Promise<void>;
    private failure: Error | null = null;
    private readonly where: string;

    private constructor(socket: tls.TLSSocket, where: string) {
        this.socket = socket;
        this.where = where;
        let onConnected: () => void = () => {};
        let onFailed: (err: Error) => void = () => {};
        this.connected = new Promise((resolve, reject) => {
            onConnected = resolve;
            onFailed = reject;
        });
        // awaited once the handshake is done; a failure before that is connect()'s to report
        this.connected.catch(() => undefined);
        socket.on("data", (chunk: Buffer) => {
            let frames: StompFrame[];
            try {
                frames = this.decoder.push(chunk);
            } catch (err) {
                this.fail(new HelperError("format-invalid", where, text("vdsm.malformed", { where }), (err as Error).message));
                return;
            }
            for (const frame of frames) {
                if (frame.command === "CONNECTED")
                    onConnected();
                else if (frame.command === "ERROR")
                    this.fail(new HelperError("command-failed", where, text("vdsm.refused", { where, reason: frame.headers.message ?? frame.body.toString() })));
                else if (frame.command === "MESSAGE")
                    this.deliver(frame.body.toString("utf8"));
            }
        });
        socket.on("error", err => {
            const failure = new HelperError("command-failed", where, text("vdsm.unreachable", { where, reason: err.message }));
            onFailed(failure);
            this.fail(failure);
        });
        socket.on("close", () => {
            const failure = new HelperError("command-failed", where, text("vdsm.closed", { where }));
            onFailed(failure);
            this.fail(failure);
        });
    }

    static async connect(config: HelperConfig, timeoutMs = 15_000): Promise<VdsmClient> {
        const { host, port } = config.vdsm;
        const where = `${host}:${port}`;
        const options = vdsmTls(config);
        const failure = (err: unknown) => {
            if (err instanceof HelperError)
                return err;
            const reason = (err as Error).message;
            return new HelperError("command-failed", where, text(isTrustFailure(err) ? "vdsm.untrusted" : "vdsm.unreachable", { where, reason }));
        };
        let socket: tls.TLSSocket;
        try {
            socket = tls.connect({ host, port, ...options });
        } catch (err) {
            throw failure(err); // a certificate or key that OpenSSL refuses to load
        }
        const client = new VdsmClient(socket, where);
        const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        try {
            await new Promise<void>((resolve, reject) => {
                socket.once("secureConnect", resolve);
                socket.once("error", reject);
            });
            socket.write(encodeFrame("CONNECT", { "accept-version": "1.2", host, "heart-beat": "0,0" }));
            await client.connected;
            socket.write(encodeFrame("SUBSCRIBE", { destination: RESPONSES, id: randomUUID(), ack: "auto" }));
        } catch (err) {
            socket.destroy();
            throw failure(err);
        } finally {
            clearTimeout(timer);
        }
        return client;
    }

    private fail(err: Error): void {
        this.failure ??= err;
        for (const [id, pending] of this.pending) {
            clearTimeout(pending.timer);
            pending.reject(err);
            this.pending.delete(id);
        }
    }

    private deliver(body: string): void {
        let messages: unknown;
        try {
            messages = JSON.parse(body);
        } catch {
            return;
        }
        for (const message of Array.isArray(messages) ? messages : [messages]) {
            const { id, result, error } = message as { id?: string; result?: unknown; error?: { code: number; message: string } };
            const pending = id === undefined ? undefined : this.pending.get(id);
            if (!pending || id === undefined)
                continue; // events and answers to others
            this.pending.delete(id);
            clearTimeout(pending.timer);
            if (error)
                pending.reject(new VdsmCallError(pending.method, error.code, error.message));
            else
                pending.resolve(result);
        }
    }

    /** One JSON-RPC call with named parameters. */
    call<T>(method: string, params: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
        if (this.failure)
            return Promise.reject(this.failure);
        const id = randomUUID();
        const request = JSON.stringify({ jsonrpc: "2.0", id, method, params });
        return new Promise<T>((resolve, reject) => {
            const timer = setTimeout(() => {
                this.pending.delete(id);
                reject(new HelperError("command-failed", `vdsm ${method}`, text("vdsm.timeout", { method, seconds: timeoutMs / 1000 })));
            }, timeoutMs);
            this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject, timer });
            this.socket.write(encodeFrame("SEND", { destination: REQUESTS, "reply-to": RESPONSES, "content-type": "application/json" }, request));
        });
    }

    close(): void {
        if (!this.socket.destroyed) {
            this.socket.end(encodeFrame("DISCONNECT", {}));
            this.socket.destroy();
        }
    }

    /* The verbs the upgrade and rollback use, with vdsm's parameter names. */

    vmList(): Promise<string[]> {
        return this.call<string[]>("Host.getVMList", { onlyUUID: true });
    }

    async vmStatus(vmId: string): Promise<string | null> {
        try {
            const stats = await this.call<{ status: string }[]>("VM.getStats", { vmID: vmId });
            return stats[0]?.status ?? null;
        } catch (err) {
            if (err instanceof VdsmCallError && err.vdsmCode === 1)
                return null; // noVM: not on this host
            throw err;
        }
    }

    /**
     * The host's key packages as vdsm reports them (Host.getCapabilities
     * "packages2": rpm name or vdsm's key, e.g. "qemu-kvm" for qemu-kvm-rhev,
     * -> version, release, buildtime; vdsm 4.17 vdsm/caps.py _getKeyPackages,
     * 4.18 lib/vdsm/osinfo.py package_versions). A package not installed is absent.
     */
    async packageVersions(): Promise<Map<string, { version: string; release: string }>> {
        const caps = await this.call<{ packages2?: unknown }>("Host.getCapabilities");
        const listed = caps.packages2;
        if (typeof listed !== "object" || listed === null || Array.isArray(listed))
            throw new HelperError("format-invalid", "vdsm Host.getCapabilities: packages2", text("vdsm.no-packages"));
        const packages = new Map<string, { version: string; release: string }>();
        for (const [name, value] of Object.entries(listed as Record<string, unknown>)) {
            const { version, release } = (value ?? {}) as { version?: unknown; release?: unknown };
            if (typeof version === "string" && typeof release === "string")
                packages.set(name, { version, release });
        }
        return packages;
    }

    /** The IPv4 address of a network (bridge) as Host.getCapabilities' networks list it; null when it has none. */
    async networkAddress(network: string): Promise<string | null> {
        const caps = await this.call<{ networks?: Record<string, { addr?: unknown }> }>("Host.getCapabilities");
        const addr = caps.networks?.[network]?.addr;
        return typeof addr === "string" && addr !== "" ? addr : null;
    }

    hardwareUuid(): Promise<string> {
        return this.call<{ systemUUID: string }>("Host.getHardwareInfo").then(info => info.systemUUID);
    }

    spmStatus(poolId: string): Promise<{ spmStatus: string; spmId: number }> {
        return this.call("StoragePool.getSpmStatus", { storagepoolID: poolId });
    }

    domainInfo(domainId: string): Promise<{ pool: string[]; [key: string]: unknown }> {
        return this.call("StorageDomain.getInfo", { storagedomainID: domainId });
    }

    images(domainId: string): Promise<string[]> {
        return this.call("StorageDomain.getImages", { storagedomainID: domainId });
    }

    volumes(domainId: string, poolId: string, imageId: string): Promise<string[]> {
        return this.call("Image.getVolumes", { imageID: imageId, storagepoolID: poolId, storagedomainID: domainId });
    }

    volumeInfo(domainId: string, poolId: string, imageId: string, volumeId: string): Promise<Record<string, unknown>> {
        return this.call("Volume.getInfo", { volumeID: volumeId, storagepoolID: poolId, storagedomainID: domainId, imageID: imageId });
    }

    prepareImage(domainId: string, poolId: string, imageId: string, volumeId: string): Promise<{ path: string }> {
        return this.call("Image.prepare", { storagepoolID: poolId, storagedomainID: domainId, imageID: imageId, volumeID: volumeId });
    }

    teardownImage(domainId: string, poolId: string, imageId: string): Promise<unknown> {
        return this.call("Image.teardown", { storagepoolID: poolId, storagedomainID: domainId, imageID: imageId });
    }

    extendSize(domainId: string, poolId: string, imageId: string, volumeId: string, newSize: number): Promise<string> {
        return this.call("Volume.extendSize", { storagepoolID: poolId, storagedomainID: domainId, imageID: imageId, volumeID: volumeId, newSize: String(newSize) });
    }

    taskStatus(taskId: string): Promise<{ taskState: string; taskResult: string; code: number; message: string }> {
        return this.call("Task.getStatus", { taskID: taskId });
    }

    createVm(vmId: string, params: Record<string, unknown>): Promise<unknown> {
        return this.call("VM.create", { vmID: vmId, vmParams: params });
    }

    shutdownVm(vmId: string): Promise<unknown> {
        return this.call("VM.shutdown", { vmID: vmId });
    }

    destroyVm(vmId: string): Promise<unknown> {
        return this.call("VM.destroy", { vmID: vmId });
    }
}
