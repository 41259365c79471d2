// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The sim's own certificate authority, made with openssl: a CA, a server
 * certificate for loopback and the engine FQDN (vdsm and the engine both use
 * it), and a client certificate like vdsm's vdsmcert.pem.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { SimTls } from "./context";

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

export function tlsFiles(dir: string): SimTls {
    return {
        caFile: path.join(dir, "ca.pem"),
        serverCertFile: path.join(dir, "server.pem"),
        serverKeyFile: path.join(dir, "server.key"),
        clientCertFile: path.join(dir, "client.pem"),
        clientKeyFile: path.join(dir, "client.key"),
    };
}

/** Creates the CA and both certificates in dir unless they are there already. */
export function ensureCa(dir: string, engineFqdn: string): SimTls {
    const files = tlsFiles(dir);
    if (Object.values(files).every(f => fs.existsSync(f)))
        return files;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/C=US/O=Test/CN=sim-ca",
        "-keyout", "ca.key", "-out", "ca.pem"], dir);
    const sign = (name: string, subject: string, extensions: string) => {
        openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", `${name}.key`, "-out", `${name}.csr`], dir);
        fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
        openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "3650", "-extfile", `${name}.ext`, "-out", `${name}.pem`], dir);
        fs.rmSync(path.join(dir, `${name}.csr`));
        fs.rmSync(path.join(dir, `${name}.ext`));
    };
    sign("server", `/C=US/O=Test/CN=${engineFqdn}`,
         `subjectAltName=DNS:${engineFqdn},DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`);
    sign("client", "/C=US/O=Test/CN=host1.example.com", "extendedKeyUsage=clientAuth\n");
    return files;
}
