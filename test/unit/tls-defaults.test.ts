// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Security level 0 (SHA-1 signatures, TLS 1.0) is for the host's two
 * connections only: host/host-pki.ts puts it into the options of the vdsm and
 * the engine connections, and nothing in the helper lowers Node's defaults or
 * turns certificate verification off. This breaks when someone "fixes" SHA-1
 * globally (tls.DEFAULT_CIPHERS, tls.DEFAULT_MIN_VERSION, the global agent,
 * NODE_TLS_REJECT_UNAUTHORIZED) or sets TLS options outside host-pki.ts.
 */

import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";

import { defaultConfig } from "../../src/bridge-helper/config";

const HELPER = path.resolve(__dirname, "../../src/bridge-helper");
const HOST_PKI = path.join(HELPER, "host/host-pki.ts");

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? sources(full) : entry.name.endsWith(".ts") ? [full] : [];
    });
}

const defaults = () => ({
    ciphers: tls.DEFAULT_CIPHERS,
    minVersion: tls.DEFAULT_MIN_VERSION,
    maxVersion: tls.DEFAULT_MAX_VERSION,
    ecdhCurve: tls.DEFAULT_ECDH_CURVE,
    agent: { ...https.globalAgent.options },
    rejectUnauthorizedEnv: process.env.NODE_TLS_REJECT_UNAUTHORIZED,
});

const peer = (cn: string) => ({ subject: { CN: cn }, subjectaltname: undefined }) as unknown as tls.PeerCertificate;

test("loading the whole helper and building the host's TLS options leaves Node's TLS defaults as they were", () => {
    const before = defaults();
    expect(before.ciphers).not.toMatch(/SECLEVEL=0/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-defaults-"));
    try {
        const files = Object.fromEntries(["caFile", "certFile", "keyFile"].map(name => {
            const file = path.join(dir, name);
            fs.writeFileSync(file, "not read by OpenSSL here");
            return [name, file];
        }));
        jest.isolateModules(() => {
            /* eslint-disable @typescript-eslint/no-require-imports */
            require("../../src/bridge-helper/verbs/cli");
            const pki = require("../../src/bridge-helper/host/host-pki") as typeof import("../../src/bridge-helper/host/host-pki");
            /* eslint-enable @typescript-eslint/no-require-imports */
            const config = defaultConfig();
            pki.vdsmTls({ ...config, vdsm: { ...config.vdsm, ...files } });
            pki.engineTls("PEM", "engine.example.com");
        });
        expect(defaults()).toEqual(before);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

test("only host/host-pki.ts names a security level, a TLS version or a name check, and no helper source turns verification off", () => {
    const lowering = /SECLEVEL|minVersion|maxVersion|secureProtocol|secureOptions|DEFAULT_CIPHERS|DEFAULT_MIN_VERSION|checkServerIdentity/;
    const off = /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED|setDefaultCACertificates/;
    const files = sources(HELPER);
    expect(files).toContain(HOST_PKI);
    const found = files.flatMap(file => {
        const source = fs.readFileSync(file, "utf8");
        const name = path.relative(HELPER, file);
        return [
            ...(file !== HOST_PKI && lowering.test(source) ? [`${name} sets TLS options`] : []),
            ...(off.test(source) ? [`${name} turns verification off`] : []),
        ];
    });
    expect(found).toEqual([]);
});

describe("the host's two connections", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pki = require("../../src/bridge-helper/host/host-pki") as typeof import("../../src/bridge-helper/host/host-pki");

    test("the engine: the host's CA, and the fqdn as the name whatever is dialled", () => {
        const options = pki.engineTls("CA PEM", "engine.example.com");
        expect(options).toMatchObject({ ca: "CA PEM", rejectUnauthorized: true, servername: "engine.example.com", ciphers: "DEFAULT@SECLEVEL=0" });
        expect(options.minVersion).toBeUndefined();
        expect(options.checkServerIdentity?.("127.0.0.1", peer("engine.example.com"))).toBeUndefined();
        expect(options.checkServerIdentity?.("engine.example.com", peer("host1.example.com"))).toHaveProperty("code", "ERR_TLS_CERT_ALTNAME_INVALID");
        expect(options.checkServerIdentity?.("127.0.0.1", peer("127.0.0.1"))).toHaveProperty("code", "ERR_TLS_CERT_ALTNAME_INVALID");
        // SNI carries names only
        expect(pki.engineTls("CA PEM", "192.0.2.7").servername).toBeUndefined();
    });

    test("vdsm: the host's CA, vdsm's own certificate, any name, TLS 1.0 allowed", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-vdsm-"));
        try {
            for (const name of ["ca", "cert", "key"])
                fs.writeFileSync(path.join(dir, name), name);
            const config = defaultConfig();
            const options = pki.vdsmTls({ ...config, vdsm: { ...config.vdsm,
                caFile: path.join(dir, "ca"), certFile: path.join(dir, "cert"), keyFile: path.join(dir, "key") } });
            expect(options).toMatchObject({ rejectUnauthorized: true, minVersion: "TLSv1", ciphers: "DEFAULT@SECLEVEL=0" });
            expect([options.ca, options.cert, options.key].map(b => String(b))).toEqual(["ca", "cert", "key"]);
            expect(options.checkServerIdentity?.("localhost", peer("host1.example.com"))).toBeUndefined();
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
