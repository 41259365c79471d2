// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * TLS of the engine's web side, and how the sim's own tests reach it.
 *
 * The server is httpd's mod_ssl on the engine VM with the engine's web
 * certificate: ovirt-engine 3.6 packaging/setup/plugins/ovirt-engine-setup/
 * ovirt-engine-common/apache/ssl.py sets SSLCertificateFile certs/apache.cer
 * and SSLCertificateKeyFile keys/apache.key.nopass and leaves the protocols to
 * the distribution's ssl.conf; OpenSSL 1.0.x of EL6 (the 3.6 engine) and EL7
 * (the 4.0 appliance) speaks up to TLS 1.2. The certificate is SHA-1-signed
 * and names the engine's fqdn only, which Node 20's OpenSSL 3 serves, and
 * accepts, only at security level 0: the sim sets it on these connections.
 */

import fs from "node:fs";
import type https from "node:https";
import tls from "node:tls";

import type { SimTls } from "../context";

export function engineTlsOptions(files: SimTls): https.ServerOptions {
    return {
        key: fs.readFileSync(files.engineKeyFile),
        cert: fs.readFileSync(files.engineCertFile),
        maxVersion: "TLSv1.2",
        ciphers: "DEFAULT@SECLEVEL=0",
    };
}

/** For tests that talk to the sim's engine themselves: its CA, and its fqdn as the name, whatever address is dialled. */
export function engineClientTlsOptions(caFile: string, fqdn: string): https.RequestOptions {
    return {
        ca: fs.readFileSync(caFile),
        servername: fqdn,
        checkServerIdentity: (_host, cert) => tls.checkServerIdentity(fqdn, cert),
        ciphers: "DEFAULT@SECLEVEL=0",
    };
}
