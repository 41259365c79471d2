// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The oVirt engine's REST API (ovirt-formats.md section 7), as the upgrade uses
 * it: API v3 XML on a 3.6 engine, v4 on 4.0, Basic auth as admin@internal over
 * HTTPS. The engine must prove to be its fqdn with a certificate from the
 * host's engine CA (host-pki.ts engineTls) before anything is sent; unlike the
 * original tool, nothing here fetches a CA from the engine.
 */

import https from "node:https";

import { XMLBuilder, XMLParser } from "fast-xml-parser";

import { text as t } from "../../protocol/text";
import { HelperError } from "../errors";
import { asArray, text, type XmlNode } from "../formats/xml-nodes";
import { engineTls, isTrustFailure } from "./host-pki";

export type ApiVersion = 3 | 4;

type Node = XmlNode;

/** What the engine's certificate must be: signed by this CA (PEM), for this name (hosted-engine.conf's fqdn). */
export interface EngineTrust {
    caPem: string;
    fqdn: string;
}

export interface Version {
    major: number;
    minor: number;
}

export interface DataCenter {
    id: string;
    name: string;
    version: Version;
    status: string;
}

export interface Cluster {
    id: string;
    name: string;
    version: Version;
    dataCenterId: string | null;
}

export interface EngineHost {
    id: string;
    name: string;
    /** the address the engine reaches the host at: hosted-engine --deploy adds it by its FQDN */
    address: string | null;
    status: string;
    spm: string;
    hardwareUuid: string | null;
    clusterId: string | null;
}

export interface EngineDisk {
    id: string;
    imageId: string | null;
    alias: string;
    description: string;
    status: string;
    provisionedSize: number | null;
}

export interface SpaceInfo {
    available: number;
    used: number;
    committed: number;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseTagValue: false, parseAttributeValue: false });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@" });


/** v3: <status><state>up</state></status>; v4: <status>up</status>. */
function statusOf(value: unknown): string {
    if (value !== null && typeof value === "object" && "state" in (value as Node))
        return text((value as Node).state) ?? "unknown";
    return text(value) ?? "unknown";
}

/** v3: <version major="3" minor="6"/>; v4: <version><major>4</major><minor>0</minor></version>. */
function versionOf(value: unknown): Version {
    const node = (value ?? {}) as Node;
    const major = Number(node["@major"] ?? text(node.major));
    const minor = Number(node["@minor"] ?? text(node.minor));
    return { major, minor };
}

const idOf = (node: Node | undefined): string | null => (node?.["@id"] === undefined ? null : String(node["@id"]));

interface Response {
    status: number;
    body: string;
}

function request(url: URL, options: https.RequestOptions, body?: string): Promise<Response> {
    return new Promise((resolve, reject) => {
        const req = https.request(url, { timeout: 60_000, ...options }, res => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error("timed out")));
        req.on("error", reject);
        req.end(body);
    });
}

/** A connection failure as the administrator should read it: an engine that is not trusted, or not reached. */
function connectionFailure(url: URL, trust: EngineTrust, err: unknown, what: string, unreachable: "engine.unreachable" | "engine.api-unreachable"): HelperError {
    const reason = (err as Error).message;
    if (isTrustFailure(err))
        return new HelperError("command-failed", what, t("engine.untrusted", { origin: url.origin, fqdn: trust.fqdn, reason }));
    return new HelperError("command-failed", what, t(unreachable, { origin: url.origin, reason }));
}

/** Whether the engine answers at baseUrl as trust wants it: any HTTP answer of /services/health will do. */
export async function probeEngine(baseUrl: string, trust: EngineTrust): Promise<void> {
    const url = new URL("services/health", baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    try {
        await request(url, { method: "GET", ...engineTls(trust.caPem, trust.fqdn) });
    } catch (err) {
        throw connectionFailure(url, trust, err, url.href, "engine.unreachable");
    }
}

export class EngineApi {
    readonly base: URL;
    readonly version: ApiVersion;
    private readonly trust: EngineTrust;
    private readonly auth: string;

    constructor(baseUrl: string, trust: EngineTrust, password: string, version: ApiVersion, user = "admin@internal") {
        this.base = new URL(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.trust = trust;
        this.version = version;
        this.auth = "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
    }

    private get tls(): https.RequestOptions {
        return engineTls(this.trust.caPem, this.trust.fqdn);
    }

    /** GET /services/health: the engine is up when the body says "DB Up". */
    async health(): Promise<{ up: boolean; body: string }> {
        try {
            const res = await request(new URL("services/health", this.base), { method: "GET", ...this.tls });
            return { up: res.status === 200 && /DB Up/.test(res.body), body: res.body.trim().slice(0, 200) };
        } catch (err) {
            return { up: false, body: (err as Error).message };
        }
    }

    private async call(method: string, path: string, body?: Node, headers: Record<string, string> = {}): Promise<{ status: number; doc: Node }> {
        const url = new URL(`api/${path}`, this.base);
        const payload = body === undefined ? undefined : builder.build(body) as string;
        let res: Response;
        try {
            res = await request(url, {
                method,
                ...this.tls,
                headers: {
                    Authorization: this.auth,
                    Accept: "application/xml",
                    Version: String(this.version),
                    ...(payload === undefined ? {} : { "Content-Type": "application/xml" }),
                    ...headers,
                },
            }, payload);
        } catch (err) {
            throw connectionFailure(url, this.trust, err, `engine ${method} ${path}`, "engine.api-unreachable");
        }
        if (res.status === 401)
            throw new HelperError("refused", "engine admin password", t("engine.password-refused"));
        let doc: Node = {};
        if (res.body.trim() !== "") {
            try {
                doc = parser.parse(res.body) as Node;
            } catch {
                doc = {};
            }
        }
        if (res.status >= 400) {
            const fault = doc.fault as Node | undefined;
            const reason = text(fault?.reason) ?? `HTTP ${res.status}`;
            const detail = text(fault?.detail);
            throw new HelperError("command-failed", `engine ${method} ${path}`,
                                  t("engine.request-refused", { method, path, reason: detail ? `${reason} ${detail}` : reason }), `HTTP ${res.status}`);
        }
        return { status: res.status, doc };
    }

    /** The engine's version, e.g. "3.6.7.5", from /api's product_info. */
    async productVersion(): Promise<string> {
        const { doc } = await this.call("GET", "");
        const info = ((doc.api as Node | undefined)?.product_info ?? {}) as Node;
        const version = (info.version ?? {}) as Node;
        const parts = ["major", "minor", "build", "revision"].map(k => version[`@${k}`] ?? text(version[k]));
        if (parts[0] === null || parts[0] === undefined)
            throw new HelperError("format-invalid", "engine /api", t("engine.no-version"));
        return parts.filter(p => p !== null && p !== undefined).join(".");
    }

    async dataCenters(): Promise<DataCenter[]> {
        const { doc } = await this.call("GET", "datacenters");
        return asArray((doc.data_centers as Node | undefined)?.data_center).map(dc => ({
            id: idOf(dc) ?? "",
            name: text(dc.name) ?? "",
            version: versionOf(dc.version),
            status: statusOf(dc.status),
        }));
    }

    async clusters(): Promise<Cluster[]> {
        const { doc } = await this.call("GET", "clusters");
        return asArray((doc.clusters as Node | undefined)?.cluster).map(c => ({
            id: idOf(c) ?? "",
            name: text(c.name) ?? "",
            version: versionOf(c.version),
            dataCenterId: idOf(c.data_center as Node | undefined),
        }));
    }

    async hosts(): Promise<EngineHost[]> {
        const { doc } = await this.call("GET", "hosts");
        return asArray((doc.hosts as Node | undefined)?.host).map(h => ({
            id: idOf(h) ?? "",
            name: text(h.name) ?? "",
            address: text(h.address),
            status: statusOf(h.status),
            spm: statusOf((h.spm as Node | undefined)?.status),
            hardwareUuid: text((h.hardware_information as Node | undefined)?.uuid),
            clusterId: idOf(h.cluster as Node | undefined),
        }));
    }

    /** The names of the engine's AAA (authz) domains. */
    async domains(): Promise<string[]> {
        const { doc } = await this.call("GET", "domains");
        return asArray((doc.domains as Node | undefined)?.domain).map(d => text(d.name) ?? "").filter(Boolean);
    }

    async storageDomainSpace(sdId: string): Promise<SpaceInfo> {
        const { doc } = await this.call("GET", `storagedomains/${encodeURIComponent(sdId)}`);
        const sd = (doc.storage_domain ?? {}) as Node;
        return { available: Number(text(sd.available) ?? 0), used: Number(text(sd.used) ?? 0), committed: Number(text(sd.committed) ?? 0) };
    }

    private diskOf(node: Node): EngineDisk {
        return {
            id: idOf(node) ?? "",
            imageId: text(node.image_id),
            alias: text(node.alias) ?? text(node.name) ?? "",
            description: text(node.description) ?? "",
            status: statusOf(node.status),
            provisionedSize: node.provisioned_size === undefined ? null : Number(text(node.provisioned_size)),
        };
    }

    /** A floating, preallocated raw disk on the storage domain (the backup disk). */
    async createDisk(sdId: string, alias: string, description: string, sizeBytes: number): Promise<EngineDisk> {
        const disk: Node = {
            alias,
            description,
            storage_domains: { storage_domain: { "@id": sdId } },
            provisioned_size: String(sizeBytes),
            format: "raw",
            sparse: "false",
        };
        if (this.version === 3)
            Object.assign(disk, { name: alias, size: String(sizeBytes), interface: "virtio", bootable: "true" });
        const { doc } = await this.call("POST", "disks", { disk });
        return this.diskOf((doc.disk ?? {}) as Node);
    }

    async disk(id: string): Promise<EngineDisk | null> {
        try {
            const { doc } = await this.call("GET", `disks/${encodeURIComponent(id)}`);
            return this.diskOf((doc.disk ?? {}) as Node);
        } catch (err) {
            if (err instanceof HelperError && /404|not found/i.test(err.message + (err.detail ?? "")))
                return null;
            throw err;
        }
    }

    async deleteDisk(id: string): Promise<void> {
        await this.call("DELETE", `disks/${encodeURIComponent(id)}`);
    }

    private unregisteredPath(sdId: string): string {
        // v3 knows only the matrix parameter; 4.0 also takes it
        return `storagedomains/${encodeURIComponent(sdId)}/disks;unregistered`;
    }

    async unregisteredDisks(sdId: string): Promise<EngineDisk[]> {
        const { doc } = await this.call("GET", this.unregisteredPath(sdId));
        return asArray((doc.disks as Node | undefined)?.disk).map(d => this.diskOf(d));
    }

    async registerDisk(sdId: string, diskId: string): Promise<EngineDisk> {
        const { doc } = await this.call("POST", this.unregisteredPath(sdId), { disk: { "@id": diskId } });
        return this.diskOf((doc.disk ?? {}) as Node);
    }
}
