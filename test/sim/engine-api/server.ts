// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated oVirt engine's web side (ovirt-formats.md section 7): the REST
 * API (v3 XML on a 3.6 engine; v3 and v4 on 4.0, chosen by path prefix or the
 * Version header, default 4), Basic auth as admin@internal, 4.0's SSO token
 * endpoint, /services/health and /services/pki-resource. It answers only
 * while the engine VM is up, the engine running and the VM at the address the
 * host resolves the engine's fqdn to (network.ts); otherwise connections are
 * dropped, like an engine that is not there. Right after a start its API and
 * hosts are not ready yet (startup.ts).
 */

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type net from "node:net";

import { XMLBuilder, XMLParser } from "fast-xml-parser";

import type { SimContext } from "../context";
import { settleVm } from "../engine-vm";
import { engineReachable } from "../network";
import { allVolumes, createVolume, domainDir, engineDiskDescription, removeImage, usedBytes } from "../storage";
import { engineTlsOptions } from "./tls";
import type { EngineDisk, EngineVersion } from "../world";
import { APACHE_503, apiDeploying, shownHostStatus } from "./startup";

type ApiVersion = 3 | 4;
type Xml = Record<string, unknown>;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@", format: true, suppressEmptyNode: true });
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseTagValue: false });

/** How long a new disk stays locked (the engine's SPM task), and with the disk-create-slow fault. */
export const DISK_LOCKED_MS = 1500;
export const DISK_LOCKED_SLOW_MS = 10 * 60_000;
const TOKEN_LIFETIME_MS = 3600_000;
const LEGACY_DOMAIN = "example.com";

class ApiError extends Error {
    constructor(readonly status: number, readonly reason: string, readonly detail: string) {
        super(reason);
    }
}

function versionXml(version: EngineVersion, api: ApiVersion): Xml {
    return api === 3 ? { "@major": String(version.major), "@minor": String(version.minor) }
        : { major: String(version.major), minor: String(version.minor) };
}

function statusXml(state: string, api: ApiVersion): unknown {
    return api === 3 ? { state } : state;
}

function engineRunning(ctx: SimContext): boolean {
    settleVm(ctx);
    return ctx.world.vm.status === "Up" && ctx.world.engine.health !== "down" && engineReachable(ctx);
}

function is40(ctx: SimContext): boolean {
    return ctx.world.engine.version.startsWith("4.");
}

/** Locked disks become ok once their time has come. */
function settleDisks(ctx: SimContext): void {
    let changed = false;
    for (const disk of ctx.world.engine.data.disks) {
        if (disk.status === "locked" && disk.readyAt !== null && Date.now() >= disk.readyAt) {
            disk.status = "ok";
            disk.readyAt = null;
            changed = true;
        }
    }
    if (changed)
        ctx.commit();
}

function diskXml(disk: EngineDisk, api: ApiVersion): Xml {
    return {
        "@id": disk.id,
        "@href": `/ovirt-engine/api/disks/${disk.id}`,
        name: disk.alias,
        alias: disk.alias,
        description: disk.description,
        image_id: disk.imageId,
        storage_domains: { storage_domain: { "@id": disk.storageDomainId } },
        provisioned_size: String(disk.provisionedSize),
        ...(api === 3 ? { size: String(disk.provisionedSize) } : {}),
        format: "raw",
        sparse: "false",
        status: statusXml(disk.status, api),
    };
}

function text(value: unknown): string | null {
    if (value === undefined || value === null)
        return null;
    if (typeof value === "object")
        return text((value as Xml)["#text"]);
    return String(value);
}

export class EngineApiHandler {
    constructor(private readonly ctx: SimContext) {}

    private get world() {
        return this.ctx.world;
    }

    private authorized(req: http.IncomingMessage): boolean {
        const header = req.headers.authorization ?? "";
        if (header.startsWith("Basic ")) {
            const [user, ...rest] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
            return user === "admin@internal" && rest.join(":") === this.world.engine.adminPassword;
        }
        if (header.startsWith("Bearer ") && is40(this.ctx)) {
            const expiry = this.world.engine.tokens[header.slice(7)];
            return expiry !== undefined && expiry > Date.now();
        }
        return false;
    }

    private apiVersion(req: http.IncomingMessage, path: string): { api: ApiVersion; rest: string } {
        const match = /^\/(v3|v4)(\/.*|$)/.exec(path);
        const requested = match ? Number(match[1].slice(1)) : req.headers.version ? Number(req.headers.version) : null;
        const rest = match ? match[2] : path;
        if (!is40(this.ctx)) {
            // 3.6 knows only v3 and no prefixes
            if (match)
                throw new ApiError(404, "Not Found", `No resource ${path}`);
            return { api: 3, rest };
        }
        const api = (requested ?? 4) as ApiVersion;
        if (api !== 3 && api !== 4)
            throw new ApiError(400, "Bad Request", `Version ${String(requested)} is not supported`);
        return { api, rest };
    }

    private domains(): string[] {
        const names = [...this.world.engine.data.aaaDomains];
        if (this.ctx.hasFault("legacy-aaa-domain"))
            names.push(LEGACY_DOMAIN);
        return names;
    }

    private spaceXml(): Xml {
        const s = this.world.storage;
        const used = usedBytes(domainDir(this.ctx.layout, s));
        const available = this.ctx.hasFault("sd-no-space") ? 512 << 20 : Math.max(0, s.capacityBytes - used);
        return { available: String(available), used: String(used), committed: String(used) };
    }

    /** Volumes the engine created (engine JSON description) whose image it does not know. */
    private unregistered(): { imgUUID: string; volUUID: string; alias: string; description: string; size: number }[] {
        const known = new Set(this.world.engine.data.disks.map(d => d.id));
        const out = [];
        for (const v of allVolumes(domainDir(this.ctx.layout, this.world.storage))) {
            if (known.has(v.imgUUID))
                continue;
            try {
                const d = JSON.parse(v.meta.DESCRIPTION ?? "") as { DiskAlias?: string; DiskDescription?: string };
                if (typeof d.DiskAlias === "string")
                    out.push({ imgUUID: v.imgUUID, volUUID: v.volUUID, alias: d.DiskAlias, description: d.DiskDescription ?? "", size: v.capacity });
            } catch {
                // setup-created volumes have plain-text descriptions
            }
        }
        return out;
    }

    async api(method: string, path: string, api: ApiVersion, body: string, headers: http.IncomingHttpHeaders): Promise<{ status: number; doc: Xml }> {
        const data = this.world.engine.data;
        settleDisks(this.ctx);
        const dcVersion = (v: EngineVersion) => (this.ctx.hasFault("dc-version-unsupported") ? { major: 3, minor: 5 } : v);
        const segments = path.split("/").filter(Boolean);
        const route = `${method} /${segments.map((s, i) => (i % 2 === 1 && !s.includes(";") ? ":id" : s)).join("/")}`;
        switch (route) {
        case "GET /": {
            const [major, minor, build, revision] = this.world.engine.version.split(".");
            const version = api === 3 ? { "@major": major, "@minor": minor, "@build": build, "@revision": revision ?? "0" }
                : { major, minor, build, revision: revision ?? "0", full_version: this.world.engine.version };
            return { status: 200, doc: { api: { product_info: { name: "oVirt Engine", vendor: "ovirt.org", version } } } };
        }
        case "GET /datacenters":
            return { status: 200, doc: { data_centers: { data_center: data.dataCenters.map(dc => ({ "@id": dc.id, name: dc.name, version: versionXml(dcVersion(dc.version), api), status: statusXml(dc.status, api), storage_format: dc.storageFormat })) } } };
        case "GET /clusters":
            return { status: 200, doc: { clusters: { cluster: data.clusters.map(c => ({ "@id": c.id, name: c.name, version: versionXml(dcVersion(c.version), api), data_center: { "@id": c.dataCenterId } })) } } };
        case "GET /hosts":
            return { status: 200, doc: { hosts: { host: data.hosts.map(h => {
                // the SPM is this host, or with the not-spm fault another one
                const isThisHost = this.world.ha.hosts.find(x => x.engineHostId === h.id)?.id === this.world.ha.thisHostId;
                const spm = isThisHost !== this.ctx.hasFault("not-spm") ? "spm" : "none";
                return { "@id": h.id, name: h.name, address: h.address, status: statusXml(shownHostStatus(this.ctx, h), api),
                    spm: { priority: String(h.spmPriority), status: statusXml(spm, api) },
                    hardware_information: { uuid: h.hardwareUuid }, cluster: { "@id": h.clusterId } };
            }) } } };
        case "GET /domains":
            return { status: 200, doc: { domains: { domain: this.domains().map(name => ({ "@id": Buffer.from(name).toString("hex"), name })) } } };
        case "GET /storagedomains":
        case "GET /storagedomains/:id": {
            const s = this.world.storage;
            const sd = { "@id": s.sdUUID, name: "hosted_storage", type: "data", ...this.spaceXml() };
            if (segments.length === 2 && segments[1] !== s.sdUUID)
                throw new ApiError(404, "Not Found", `Entity not found: ${segments[1]}`);
            return { status: 200, doc: segments.length === 2 ? { storage_domain: sd } : { storage_domains: { storage_domain: [sd] } } };
        }
        case "GET /disks":
            return { status: 200, doc: { disks: { disk: data.disks.map(d => diskXml(d, api)) } } };
        case "GET /disks/:id": {
            const disk = data.disks.find(d => d.id === segments[1]);
            if (!disk)
                throw new ApiError(404, "Not Found", `Entity not found: ${segments[1]}`);
            return { status: 200, doc: { disk: diskXml(disk, api) } };
        }
        case "DELETE /disks/:id": {
            const disk = data.disks.find(d => d.id === segments[1]);
            if (!disk)
                throw new ApiError(404, "Not Found", `Entity not found: ${segments[1]}`);
            if (disk.status === "locked")
                throw new ApiError(409, "Operation Failed", "[Cannot remove Virtual Disk. Related operation is currently in progress.]");
            if (disk.id === this.world.storage.engineDisk.imgUUID)
                throw new ApiError(409, "Operation Failed", "[Cannot remove Virtual Disk. The disk is used by the hosted engine VM.]");
            removeImage(domainDir(this.ctx.layout, this.world.storage), disk.id);
            data.disks = data.disks.filter(d => d !== disk);
            this.ctx.commit();
            return { status: 200, doc: { action: { status: statusXml("complete", api) } } };
        }
        case "POST /disks": {
            const disk = (parser.parse(body) as Xml).disk as Xml | undefined;
            const sdId = text(((disk?.storage_domains as Xml | undefined)?.storage_domain as Xml | undefined)?.["@id"]);
            const size = Number(text(disk?.provisioned_size) ?? (api === 3 ? text(disk?.size) : null));
            const alias = text(disk?.alias) ?? text(disk?.name);
            if (!disk || !sdId || !Number.isInteger(size) || size <= 0 || !alias)
                throw new ApiError(400, "Incomplete parameters", "Disk [provisionedSize|size, alias, storageDomains] required for add");
            if (sdId !== this.world.storage.sdUUID)
                throw new ApiError(404, "Not Found", `Storage domain ${sdId} not found`);
            if (this.ctx.hasFault("disk-create-fails"))
                throw new ApiError(400, "Operation Failed", "[Cannot add Virtual Disk. Low disk space on Storage Domain hosted_storage.]");
            const id = randomUUID();
            const imageId = randomUUID();
            const description = text(disk.description) ?? "";
            createVolume(domainDir(this.ctx.layout, this.world.storage), sdId, {
                imgUUID: id, volUUID: imageId, sizeBytes: size, format: "RAW",
                type: text(disk.sparse) === "true" ? "SPARSE" : "PREALLOCATED", description: engineDiskDescription(alias, description),
            });
            const created: EngineDisk = { id, imageId, alias, description, status: "locked", provisionedSize: size, storageDomainId: sdId,
                readyAt: Date.now() + (this.ctx.hasFault("disk-create-slow") ? DISK_LOCKED_SLOW_MS : DISK_LOCKED_MS) };
            data.disks.push(created);
            this.ctx.commit();
            return { status: headers.expect === "201-created" ? 201 : 202, doc: { disk: diskXml(created, api) } };
        }
        default:
            break;
        }
        // storagedomains/{sd}/disks;unregistered (and ?unregistered=true on 4.0)
        if (segments[0] === "storagedomains" && segments.length === 3 && /^disks(;unregistered)?$/.test(segments[2])) {
            if (segments[1] !== this.world.storage.sdUUID)
                throw new ApiError(404, "Not Found", `Storage domain ${segments[1]} not found`);
            if (!segments[2].includes(";unregistered"))
                return { status: 200, doc: { disks: { disk: data.disks.filter(d => d.storageDomainId === segments[1]).map(d => diskXml(d, api)) } } };
            if (method === "GET") {
                return { status: 200, doc: { disks: { disk: this.unregistered().map(u => diskXml({ id: u.imgUUID, imageId: u.volUUID, alias: u.alias,
                    description: u.description, status: "ok", provisionedSize: u.size, storageDomainId: segments[1], readyAt: null }, api)) } } };
            }
            if (method === "POST") {
                const id = text(((parser.parse(body) as Xml).disk as Xml | undefined)?.["@id"]);
                const found = this.unregistered().find(u => u.imgUUID === id);
                if (!found)
                    throw new ApiError(404, "Not Found", `Disk ${String(id)} is not an unregistered disk of the storage domain`);
                if (this.ctx.hasFault("register-fails"))
                    throw new ApiError(400, "Operation Failed", "[Cannot register Virtual Disk. Storage Domain is not active.]");
                const registered: EngineDisk = { id: found.imgUUID, imageId: found.volUUID, alias: found.alias, description: found.description,
                    status: "ok", provisionedSize: found.size, storageDomainId: segments[1], readyAt: null };
                data.disks.push(registered);
                this.ctx.commit();
                return { status: 201, doc: { disk: diskXml(registered, api) } };
            }
        }
        throw new ApiError(404, "Not Found", `No resource ${method} ${path}`);
    }

    /** Everything under /ovirt-engine (and the legacy /api alias). */
    async handle(req: http.IncomingMessage, res: http.ServerResponse, secure: boolean): Promise<void> {
        const url = new URL(req.url ?? "/", "https://localhost");
        const chunks: Buffer[] = [];
        for await (const chunk of req)
            chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks).toString("utf8");
        const send = (status: number, contentType: string, text: string) => {
            res.writeHead(status, { "Content-Type": contentType });
            res.end(text);
        };
        let path = url.pathname;
        if (path.startsWith("/api"))
            path = "/ovirt-engine" + path;
        this.ctx.log("engine", `${req.method} ${url.pathname}${url.search}`);

        if (path === "/ovirt-engine/services/health") {
            const healthy = this.world.engine.health === "good" && !this.ctx.hasFault("engine-never-healthy");
            return send(healthy ? 200 : 500, "text/html", healthy ? "DB Up!Welcome to Health Status!" : "DB Down!");
        }
        if (!secure)
            return send(404, "text/html", "Not Found");
        if (path === "/ovirt-engine/services/pki-resource") {
            if (url.searchParams.get("resource") === "ca-certificate" && url.searchParams.get("format") === "X509-PEM-CA")
                return send(200, "application/x-x509-ca-cert", fs.readFileSync(this.ctx.tls.engineCaFile, "utf8"));
            return send(400, "text/html", "Unsupported resource or format");
        }
        if (path === "/ovirt-engine/sso/oauth/token" && req.method === "POST") {
            if (!is40(this.ctx))
                return send(404, "text/html", "Not Found");
            const form = new URLSearchParams(body);
            if (form.get("grant_type") !== "password" || form.get("username") !== "admin@internal" || form.get("password") !== this.world.engine.adminPassword)
                return send(200, "application/json", JSON.stringify({ error_code: "access_denied", error: "Cannot authenticate user 'admin@internal': The username or password is incorrect.." }));
            const token = randomUUID().replace(/-/g, "");
            this.world.engine.tokens[token] = Date.now() + TOKEN_LIFETIME_MS;
            this.ctx.commit();
            return send(200, "application/json", JSON.stringify({ access_token: token, scope: form.get("scope") ?? "ovirt-app-api", exp: String(Date.now() + TOKEN_LIFETIME_MS), token_type: "bearer" }));
        }
        if (path === "/ovirt-engine/api" || path.startsWith("/ovirt-engine/api/")) {
            if (apiDeploying(this.ctx))
                return send(503, "text/html; charset=iso-8859-1", APACHE_503);
            const xml = (status: number, doc: Xml) => send(status, "application/xml", builder.build(doc) as string);
            if (!this.authorized(req)) {
                res.setHeader("WWW-Authenticate", "Basic realm=\"RESTAPI\"");
                return xml(401, { fault: { reason: "Unauthorized", detail: "Authentication failed" } });
            }
            try {
                const { api, rest } = this.apiVersion(req, path.slice("/ovirt-engine/api".length));
                const restPath = rest + (url.search.includes("unregistered") && !rest.endsWith(";unregistered") ? ";unregistered" : "");
                const answer = await this.api(req.method ?? "GET", restPath, api, body, req.headers);
                return xml(answer.status, answer.doc);
            } catch (err) {
                if (err instanceof ApiError)
                    return xml(err.status, { fault: { reason: err.reason, detail: err.detail } });
                return xml(500, { fault: { reason: "Internal Server Error", detail: (err as Error).message } });
            }
        }
        return send(404, "text/html", "Not Found");
    }
}

export async function startEngine(ctx: SimContext, ports: { https: number; http: number }): Promise<{ close(): Promise<void> }> {
    const handler = new EngineApiHandler(ctx);
    const serve = (secure: boolean) => (req: http.IncomingMessage, res: http.ServerResponse) => {
        // kept-alive connections too: an engine that went down answers nothing
        if (!engineRunning(ctx)) {
            req.socket.destroy();
            return;
        }
        handler.handle(req, res, secure).catch(err => {
            res.writeHead(500);
            res.end(String(err));
        });
    };
    // nothing answers while the engine VM is down or the engine not running
    const gate = (socket: net.Socket) => {
        if (!engineRunning(ctx))
            socket.destroy();
    };
    const secure = https.createServer(engineTlsOptions(ctx.tls), serve(true));
    const plain = http.createServer(serve(false));
    secure.on("connection", gate);
    plain.on("connection", gate);
    await Promise.all([
        new Promise<void>(resolve => secure.listen(ports.https, "127.0.0.1", resolve)),
        new Promise<void>(resolve => plain.listen(ports.http, "127.0.0.1", resolve)),
    ]);
    return {
        close: () => Promise.all([secure, plain].map(s => new Promise<void>(resolve => {
            s.closeAllConnections();
            s.close(() => resolve());
        }))).then(() => undefined),
    };
}
