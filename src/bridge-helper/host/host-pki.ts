// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The host's PKI, the one trust the helper has: the engine CA as this host's
 * vdsm has it (/etc/pki/vdsm/certs/cacert.pem, config.vdsm.caFile). It signed
 * vdsm's certificate and the engine's web certificate alike. Nothing is ever
 * fetched unverified and then trusted.
 *
 * The 3.6 and 4.0 engine CA signs with SHA-1 (ovirt-engine packaging/pki/
 * openssl.conf, default_md = sha1 up to 4.0.x), which OpenSSL 3 (Node 18 and
 * later) refuses at its default security level; vdsm 4.17 and 4.18 speak TLS
 * 1.0 only (lib/vdsm/m2cutils.py with config.py.in's ssl_protocol 'tlsv1'),
 * which OpenSSL 3 allows only at security level 0 too. So these two
 * connections, and no other, get security level 0, per connection:
 *  - vdsm (localhost:54321): the chain must lead to the host's CA, and the
 *    helper presents vdsm's own certificate and key, as vdsm's own clients do
 *    (lib/vdsm/sslutils.py: ssl.wrap_socket, cert_reqs=CERT_REQUIRED). Like
 *    them it does not check the name: the certificate names the host's address
 *    as it was added to the engine, never localhost, with no subjectAltName.
 *  - the engine: the chain must lead to the host's CA and the certificate must
 *    name the engine's fqdn from hosted-engine.conf, whatever address the URL
 *    dials.
 */

import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import tls from "node:tls";

import type { MessageCode } from "../../protocol/messages";
import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";

/** Security level 0: SHA-1 signatures and TLS 1.0. For the host's two connections only. */
const HOST_PKI_CIPHERS = "DEFAULT@SECLEVEL=0";

/** The engine CA as this host has it, and how the administrator recognises it. */
export interface HostCa {
    pem: string;
    subject: string;
    sha1Fingerprint: string;
    sha256Fingerprint: string;
}

function readFile(file: string, unreadable: MessageCode): Buffer {
    try {
        return fs.readFileSync(file);
    } catch (err) {
        throw new HelperError("config-invalid", file, text(unreadable, { file }), (err as Error).message);
    }
}

/** A CA certificate, read before, with its fingerprints. */
export function describeCa(pem: string, file: string): HostCa {
    let cert: X509Certificate;
    try {
        cert = new X509Certificate(pem);
    } catch (err) {
        throw new HelperError("format-invalid", file, text("pki.ca-invalid", { file }), (err as Error).message);
    }
    return { pem, subject: cert.subject, sha1Fingerprint: cert.fingerprint, sha256Fingerprint: cert.fingerprint256 };
}

/** The engine CA from the host's vdsm PKI. */
export function hostCa(config: HelperConfig): HostCa {
    const file = config.vdsm.caFile;
    return describeCa(readFile(file, "pki.ca-unreadable").toString("utf8"), file);
}

/** TLS to vdsm: the host's CA, vdsm's certificate as the client's, any name, TLS 1.0 and SHA-1 allowed. */
export function vdsmTls(config: HelperConfig): tls.ConnectionOptions {
    const { caFile, certFile, keyFile } = config.vdsm;
    return {
        ca: readFile(caFile, "vdsm.ca-unreadable"),
        cert: readFile(certFile, "vdsm.cert-unreadable"),
        key: readFile(keyFile, "vdsm.key-unreadable"),
        rejectUnauthorized: true,
        minVersion: "TLSv1",
        ciphers: HOST_PKI_CIPHERS,
        // the chain is verified all the same: this only replaces the name check
        checkServerIdentity: () => undefined,
    };
}

/** TLS to the engine: the host's CA, and the fqdn as the name the certificate must carry. */
export function engineTls(caPem: string, fqdn: string): tls.ConnectionOptions {
    return {
        ca: caPem,
        rejectUnauthorized: true,
        ciphers: HOST_PKI_CIPHERS,
        // SNI takes names only; the name check below does not depend on it
        servername: net.isIP(fqdn) === 0 ? fqdn : undefined,
        checkServerIdentity: (_dialled, cert) => tls.checkServerIdentity(fqdn, cert),
    };
}

/* OpenSSL's certificate verification errors as Node names them, and Node's own name check. */
const TRUST_FAILURE = /^(ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_|CERT_|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|INVALID_CA|HOSTNAME_MISMATCH|PATH_LENGTH_EXCEEDED|INVALID_PURPOSE)/;

/** Whether a connection failed because the peer's certificate is not what the host's PKI vouches for. */
export function isTrustFailure(err: unknown): boolean {
    const code = (err as { code?: unknown } | null)?.code;
    return typeof code === "string" && TRUST_FAILURE.test(code);
}
