// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The built helper trusts exactly the host's engine CA
 * (/etc/pki/vdsm/certs/cacert.pem) on a simulated host whose PKI is a 3.6
 * host's (sim-pki.test.ts): a SHA-1 CA, vdsm's certificate named after the
 * host's address and not localhost, the engine's after its fqdn while the
 * helper dials 127.0.0.1, no subjectAltName anywhere. A man in the middle
 * (a throwaway server on loopback) gets no STOMP frame and no password.
 *
 * Which test breaks when a part of the fix (src/bridge-helper/host/host-pki.ts)
 * is taken out; each was tried once:
 *  - vdsm without ciphers DEFAULT@SECLEVEL=0: "vdsm ... SHA-1" (ca md too weak,
 *    already when loading vdsm's SHA-1 certificate as the client's);
 *  - vdsm without minVersion TLSv1: the same (vdsm 4.18 speaks TLS 1.0 only);
 *  - vdsm with Node's host-name check (no checkServerIdentity): the same
 *    ("Host: localhost. is not cert's CN: host1.example.com");
 *  - vdsm without chain verification (rejectUnauthorized: false): "a vdsm
 *    with a certificate from another CA";
 *  - the engine without SECLEVEL=0: "the engine ... 127.0.0.1" (CA signature
 *    digest algorithm too weak);
 *  - the engine checked against the address dialled (no servername and
 *    checkServerIdentity with the fqdn): the same ("IP: 127.0.0.1 is not in
 *    the cert's list");
 *  - the engine's name not checked (a checkServerIdentity accepting any):
 *    "an engine certificate from the host's CA for another name";
 *  - the engine's CA fetched from pki-resource without verification and then
 *    trusted (the old EngineApi.fetchCa): "an engine with a certificate from
 *    another CA gets no password";
 *  - SHA-1 allowed for the whole process (tls.DEFAULT_CIPHERS) instead of per
 *    connection: "the security level is lowered on those two connections
 *    only", and test/unit/tls-defaults.test.ts.
 */

import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import tls from "node:tls";

import { EngineApi } from "../../src/bridge-helper/host/engine-api";
import { type CertFiles, issueCertificate, makeCa } from "../sim/ca";
import { simLayout } from "../sim/layout";
import { helper, helperWithInput, sim, startSim, type SimInfo } from "../support/sim-control";

interface Info extends SimInfo {
    adminPassword: string;
    engineUrl: string;
}

interface HelperConfigFile {
    engineUrl: string;
    vdsm: { host: string; port: number; caFile: string; certFile: string; keyFile: string };
}

interface Rogue {
    port: number;
    /** what reached the application layer: STOMP bytes, or HTTP requests with their Authorization */
    received: string[];
    close(): Promise<void>;
}

let info: Info;
let config: HelperConfigFile;
let rogueCa: CertFiles;

const read = (file: string) => fs.readFileSync(file);

/** The engine VM's /etc/pki/ovirt-engine in the sim: its CA's certificate and key. */
function pkiFile(...names: string[]): string {
    return path.join(simLayout(info.dir).pki, ...names);
}

/** A helper configuration like the sim's with some settings changed. */
function configWith(name: string, change: (c: HelperConfigFile) => void): string {
    const copy = JSON.parse(fs.readFileSync(info.helperConfig, "utf8")) as HelperConfigFile;
    change(copy);
    const file = path.join(info.dir, `helper-config-${name}.json`);
    fs.writeFileSync(file, JSON.stringify(copy, null, 2));
    return file;
}

function certificate(name: string, ca: CertFiles, subject: string): CertFiles {
    const files = { certFile: path.join(info.dir, "rogue", `${name}.pem`), keyFile: path.join(info.dir, "rogue", `${name}.key`) };
    issueCertificate(ca, files, subject);
    return files;
}

async function listen(server: tls.Server, received: string[]): Promise<Rogue> {
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    return {
        port: (server.address() as { port: number }).port,
        received,
        close: () => new Promise<void>(resolve => server.close(() => resolve())),
    };
}

/** A vdsm impostor: any TLS client is welcome, whatever it sends is kept. */
function rogueVdsm(cert: CertFiles): Promise<Rogue> {
    const received: string[] = [];
    const server = tls.createServer({ cert: read(cert.certFile), key: read(cert.keyFile), requestCert: true, rejectUnauthorized: false,
        minVersion: "TLSv1", ciphers: "DEFAULT@SECLEVEL=0" }, socket => {
        socket.on("data", (chunk: Buffer) => received.push(chunk.toString()));
        socket.on("error", () => undefined);
    });
    return listen(server, received);
}

/** An engine impostor: hands out its own CA, says it is healthy, answers the API, keeps every request. */
function rogueEngine(cert: CertFiles, caFile: string): Promise<Rogue> {
    const received: string[] = [];
    const server = https.createServer({ cert: read(cert.certFile), key: read(cert.keyFile), ciphers: "DEFAULT@SECLEVEL=0" }, (req, res) => {
        received.push(`${req.method} ${req.url} ${req.headers.authorization ?? "(no Authorization)"}`);
        if (req.url?.includes("pki-resource"))
            res.end(fs.readFileSync(caFile, "utf8"));
        else if (req.url?.includes("health"))
            res.end("DB Up!Welcome to Health Status!");
        else
            res.end("<api><product_info><version major=\"3\" minor=\"6\" build=\"7\" revision=\"5\"/></product_info></api>");
    });
    return listen(server, received);
}

function engineLogin(helperConfig: string) {
    return helperWithInput(helperConfig, ["engine-login"], JSON.stringify({ adminPassword: info.adminPassword }));
}

function preflight(helperConfig: string) {
    return helperWithInput(helperConfig, ["preflight"], JSON.stringify({
        backupArchive: "/root/engine_backup.tar.gz",
        appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        vmNetwork: { mode: "dhcp" },
        adminPassword: info.adminPassword,
    }));
}

const opensslText = (file: string) => execFileSync("openssl", ["x509", "-in", file, "-noout", "-text"]).toString();

beforeAll(async () => {
    info = await startSim() as Info;
    config = JSON.parse(fs.readFileSync(info.helperConfig, "utf8")) as HelperConfigFile;
    rogueCa = { certFile: path.join(info.dir, "rogue", "ca.pem"), keyFile: path.join(info.dir, "rogue", "ca.key") };
    // the impostor's CA looks like the engine's in every way but its key
    const hostCa = new X509Certificate(read(config.vdsm.caFile));
    makeCa(rogueCa, "/" + hostCa.subject.split("\n").join("/"));
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

test("the config the sim writes points at the host's PKI where a host has it", () => {
    expect(config.vdsm).toMatchObject({
        host: "localhost",
        caFile: path.join(info.root, "etc/pki/vdsm/certs/cacert.pem"),
        certFile: path.join(info.root, "etc/pki/vdsm/certs/vdsmcert.pem"),
        keyFile: path.join(info.root, "etc/pki/vdsm/keys/vdsmkey.pem"),
    });
    expect(new URL(config.engineUrl).hostname).toBe("127.0.0.1");
});

test("vdsm: the helper talks to it although its certificate names the host's address, not localhost, and is SHA-1-signed", async () => {
    const cert = new X509Certificate(read(config.vdsm.certFile));
    expect(cert.subject).toBe("O=example.com\nCN=host1.example.com");
    expect(cert.subjectAltName).toBeUndefined();
    expect(opensslText(config.vdsm.certFile)).toMatch(/Signature Algorithm: sha1WithRSAEncryption/);

    const { json } = await helper<{ vdsmError: unknown; spmStatus: string; engineVmOnThisHost: boolean }>(info.helperConfig, "readiness");
    expect(json).toMatchObject({ vdsmError: null, spmStatus: "SPM", engineVmOnThisHost: true });
});

test("the engine: the helper dials 127.0.0.1 and wants engine.example.com, and shows the host's CA", async () => {
    const ca = new X509Certificate(read(config.vdsm.caFile));
    const out = await engineLogin(info.helperConfig);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
        engineUrl: config.engineUrl,
        engineVersion: "3.6.7.5",
        ca: { subject: ca.subject, sha256Fingerprint: ca.fingerprint256 },
    });
});

test("a vdsm with a certificate from another CA gets refused, and not one STOMP frame", async () => {
    const rogue = await rogueVdsm(certificate("vdsm", rogueCa, "/O=example.com/CN=host1.example.com"));
    try {
        const { json } = await helper<{ vdsmError: { english: string } | null }>(configWith("rogue-vdsm", c => { c.vdsm.port = rogue.port; }), "readiness");
        expect(json.vdsmError?.english).toMatch(/vdsm at localhost:\d+ is not trusted: its certificate is not signed by this host's engine CA/);
        expect(rogue.received).toEqual([]);
    } finally {
        await rogue.close();
    }
});

test("an engine with a certificate from another CA gets no password, in engine-login and in the preflight", async () => {
    const rogue = await rogueEngine(certificate("engine", rogueCa, "/C=US/O=example.com/CN=engine.example.com"), rogueCa.certFile);
    try {
        const rogueConfig = configWith("rogue-engine", c => { c.engineUrl = `https://127.0.0.1:${rogue.port}/ovirt-engine`; });
        const login = await engineLogin(rogueConfig);
        expect(login.code).not.toBe(0);
        expect(login.stdout).toMatch(/is not trusted: its certificate is not one for engine\.example\.com signed by this host's engine CA/);

        const checks = (JSON.parse((await preflight(rogueConfig)).stdout) as { checks: { id: string; state: string; detail: { english: string } }[] }).checks;
        expect(checks.find(c => c.id === "engine-ca")).toMatchObject({ state: "fail", detail: { english: expect.stringMatching(/is not trusted/) } });
        expect(checks.find(c => c.id === "admin-password" && c.state === "pass")).toBeUndefined();
        expect(rogue.received).toEqual([]);
    } finally {
        await rogue.close();
    }
});

test("an engine certificate from the host's CA for another name (another host's) is refused", async () => {
    const hostsCa = { certFile: pkiFile("ca.pem"), keyFile: pkiFile("private/ca.pem") };
    const rogue = await rogueEngine(certificate("host2", hostsCa, "/O=example.com/CN=host2.example.com"), hostsCa.certFile);
    try {
        const login = await engineLogin(configWith("other-name", c => { c.engineUrl = `https://127.0.0.1:${rogue.port}/ovirt-engine`; }));
        expect(login.code).not.toBe(0);
        expect(login.stdout).toMatch(/is not trusted: its certificate is not one for engine\.example\.com.*host2\.example\.com/);
        expect(rogue.received).toEqual([]);
    } finally {
        await rogue.close();
    }
});

test("the security level is lowered on those two connections only", async () => {
    const caPem = fs.readFileSync(config.vdsm.caFile, "utf8");
    const api = new EngineApi(config.engineUrl, { caPem, fqdn: info.engineFqdn }, info.adminPassword, 3);
    expect(await api.productVersion()).toBe("3.6.7.5");
    // the same engine, the same CA and name, Node's default options: refused in this very process
    const plain = await new Promise<string>(resolve => {
        https.get(`${config.engineUrl}/services/health`, { ca: caPem, servername: info.engineFqdn }, res => resolve(`HTTP ${res.statusCode}`))
            .on("error", err => resolve(err.message));
    });
    expect(plain).toMatch(/too weak/);
    // and vdsm's SHA-1 certificate cannot even be loaded as a client certificate with the defaults
    expect(() => tls.connect({ host: "localhost", port: 1, ca: caPem, cert: read(config.vdsm.certFile), key: read(config.vdsm.keyFile) }))
            .toThrow(/too weak/);
});
