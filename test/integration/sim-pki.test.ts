// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated host's PKI is a 3.6 host's (test/sim/ca.ts, vdsm/tls.ts,
 * engine-api/tls.ts): the engine CA and every certificate it signed are
 * SHA-1, vdsm's certificate names the host's address and the engine's its
 * fqdn, neither with a subjectAltName; vdsm speaks TLS 1.0 only and wants a
 * client certificate from the CA.
 */

import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import tls from "node:tls";

import { issueCertificate, makeCa } from "../sim/ca";
import { startEngine } from "../sim/engine-api/server";
import { startVdsm } from "../sim/vdsm/server";
import { vdsmClientTlsOptions } from "../sim/vdsm/tls";
import { freeLoopbackPort } from "../support/ports";
import { createTestContext, type TestContext } from "../support/sim-context";

let sim: TestContext;
let vdsm: { close(): Promise<void> };
let engine: { close(): Promise<void> };
let ports: { vdsm: number; https: number; http: number };

beforeAll(async () => {
    sim = createTestContext();
    ports = { vdsm: await freeLoopbackPort(), https: await freeLoopbackPort(), http: await freeLoopbackPort() };
    vdsm = await startVdsm(sim.ctx, ports.vdsm);
    engine = await startEngine(sim.ctx, { https: ports.https, http: ports.http });
});

afterAll(async () => {
    await vdsm?.close();
    await engine?.close();
    sim?.cleanup();
});

function certificateText(file: string): string {
    return execFileSync("openssl", ["x509", "-in", file, "-noout", "-text"]).toString();
}

/** How a TLS handshake with options ends: the protocol, or the error. */
function handshake(port: number, options: tls.ConnectionOptions): Promise<string> {
    return new Promise(resolve => {
        const socket = tls.connect({ host: "127.0.0.1", port, ...options }, () => {
            // a refused client certificate shows only once the server answers
            socket.once("data", () => { resolve(socket.getProtocol() ?? "?"); socket.destroy(); });
            socket.once("close", () => resolve("closed"));
            socket.write("\n");
            setTimeout(() => { resolve(socket.getProtocol() ?? "?"); socket.destroy(); }, 500);
        });
        socket.on("error", err => resolve(`error: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    });
}

test("the files sit where a host has them", () => {
    const root = sim.ctx.layout.root;
    expect(sim.ctx.tls.caFile).toBe(path.join(root, "etc/pki/vdsm/certs/cacert.pem"));
    expect(sim.ctx.tls.vdsmCertFile).toBe(path.join(root, "etc/pki/vdsm/certs/vdsmcert.pem"));
    expect(sim.ctx.tls.vdsmKeyFile).toBe(path.join(root, "etc/pki/vdsm/keys/vdsmkey.pem"));
    expect(fs.readFileSync(sim.ctx.tls.caFile, "utf8")).toBe(fs.readFileSync(sim.ctx.tls.engineCaFile, "utf8"));
});

test("a SHA-1 CA like the 3.6 engine's; vdsm's and the engine's certificates name the host's address and the fqdn, no subjectAltName", () => {
    const ca = new X509Certificate(fs.readFileSync(sim.ctx.tls.caFile));
    expect(ca.subject).toMatch(/^C=US\nO=example\.com\nCN=engine\.example\.com\.\d{5}$/);
    expect(certificateText(sim.ctx.tls.caFile)).toMatch(/Signature Algorithm: sha1WithRSAEncryption/);

    const host = new X509Certificate(fs.readFileSync(sim.ctx.tls.vdsmCertFile));
    expect(host.subject).toBe("O=example.com\nCN=host1.example.com");
    expect(host.subjectAltName).toBeUndefined();
    expect(host.checkIssued(ca) && host.verify(ca.publicKey)).toBe(true);
    expect(certificateText(sim.ctx.tls.vdsmCertFile)).toMatch(/Signature Algorithm: sha1WithRSAEncryption/);

    const web = new X509Certificate(fs.readFileSync(sim.ctx.tls.engineCertFile));
    expect(web.subject).toBe("C=US\nO=example.com\nCN=engine.example.com");
    expect(web.subjectAltName).toBeUndefined();
    expect(web.checkIssued(ca) && web.verify(ca.publicKey)).toBe(true);
    expect(certificateText(sim.ctx.tls.engineCertFile)).toMatch(/Signature Algorithm: sha1WithRSAEncryption/);
});

test("vdsm speaks TLS 1.0 only, and only to a client with a certificate from the CA", async () => {
    const files = { caFile: sim.ctx.tls.caFile, certFile: sim.ctx.tls.vdsmCertFile, keyFile: sim.ctx.tls.vdsmKeyFile };
    expect(await handshake(ports.vdsm, vdsmClientTlsOptions(files))).toBe("TLSv1");
    expect(await handshake(ports.vdsm, { ...vdsmClientTlsOptions(files), minVersion: "TLSv1.2" })).toMatch(/^error: .*PROTOCOL_VERSION/);
    expect(await handshake(ports.vdsm, vdsmClientTlsOptions({ caFile: files.caFile }))).toMatch(/^(error|closed)/);

    const other = path.join(sim.ctx.layout.dir, "other-ca");
    const otherCa = { certFile: path.join(other, "ca.pem"), keyFile: path.join(other, "ca.key") };
    makeCa(otherCa, "/C=US/O=example.com/CN=engine.example.com.54321");
    const stranger = { certFile: path.join(other, "host.pem"), keyFile: path.join(other, "host.key") };
    issueCertificate(otherCa, stranger, "/O=example.com/CN=host1.example.com");
    expect(await handshake(ports.vdsm, vdsmClientTlsOptions({ caFile: files.caFile, ...stranger }))).toMatch(/^(error|closed)/);
});

test("the engine's web side speaks up to TLS 1.2 with its SHA-1 certificate", async () => {
    const options = { ca: fs.readFileSync(sim.ctx.tls.caFile), ciphers: "DEFAULT@SECLEVEL=0", servername: "engine.example.com" };
    expect(await handshake(ports.https, options)).toBe("TLSv1.2");
    // at the default security level, OpenSSL 3 refuses the SHA-1 signature
    expect(await handshake(ports.https, { ca: options.ca, servername: "engine.example.com" })).toMatch(/^error: .*/);
});
