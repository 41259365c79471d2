// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The oVirt engine's REST API (ovirt-formats.md section 7), as the upgrade uses
 * it: API v3 XML on a 3.6 engine, v4 on 4.0, Basic auth as admin@internal over
 * HTTPS verified against the engine's own CA. The CA is fetched once from
 * pki-resource without verification, like the original, and shown to the
 * administrator with its fingerprint before anything trusts it.
 */

import { X509Certificate } from "node:crypto";
import https from "node:https";

import { XMLBuilder, XMLParser } from "fast-xml-parser";

import { text as t } from "../../protocol/text";
import { HelperError } from "../errors";
import { asArray, text, type XmlNode } from "../formats/xml-nodes";

export type ApiVersion = 3 | 4;

type Node = XmlNode;

export interface EngineCa {
    pem: string;
    sha1Fingerprint: string;
    sha256Fingerprint: string;
    subject: string;
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

function fingerprints(pem: string): EngineCa {
    let cert: X509Certificate;
    try {
        cert = new X509Certificate(pem);
    } catch (err) {
        throw new HelperError("format-invalid", "engine CA", t("engine.ca-unreadable"), (err as Error).message);
    }
    return { pem, sha1Fingerprint: cert.fingerprint, sha256Fingerprint: cert.fingerprint256, subject: cert.subject };
}

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

export class EngineApi {
    readonly base: URL;
    readonly version: ApiVersion;
    private readonly ca: string;
    private readonly auth: string;

    constructor(baseUrl: string, ca: string, password: string, version: ApiVersion, user = "admin@internal") {
        this.base = new URL(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.ca = ca;
        this.version = version;
        this.auth = "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
    }

    /** A CA certificate read before, with its fingerprints. */
    static describeCa(pem: string): EngineCa {
        return fingerprints(pem);
    }

    /** The engine's CA from pki-resource, fetched without verification (there is nothing to verify it with yet). */
    static async fetchCa(baseUrl: string): Promise<EngineCa> {
        const url = new URL("services/pki-resource?resource=ca-certificate&format=X509-PEM-CA", baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        let res: Response;
        try {
            res = await request(url, { method: "GET", rejectUnauthorized: false });
        } catch (err) {
            throw new HelperError("command-failed", url.href, t("engine.unreachable", { origin: url.origin, reason: (err as Error).message }));
        }
        if (res.status !== 200 || !res.body.includes("BEGIN CERTIFICATE"))
            throw new HelperError("command-failed", url.href, t("engine.no-ca", { status: res.status }));
        return fingerprints(res.body);
    }

    /** GET /services/health: the engine is up when the body says "DB Up". */
    async health(): Promise<{ up: boolean; body: string }> {
        try {
            const res = await request(new URL("services/health", this.base), { method: "GET", ca: this.ca });
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
                ca: this.ca,
                headers: {
                    Authorization: this.auth,
                    Accept: "application/xml",
                    Version: String(this.version),
                    ...(payload === undefined ? {} : { "Content-Type": "application/xml" }),
                    ...headers,
                },
            }, payload);
        } catch (err) {
            throw new HelperError("command-failed", `engine ${method} ${path}`,
                                  t("engine.api-unreachable", { origin: url.origin, reason: (err as Error).message }));
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
