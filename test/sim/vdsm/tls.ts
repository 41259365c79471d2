// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * TLS on vdsm's JSON-RPC/STOMP port, both ends, as on an EL7 host with vdsm
 * 4.18 (oVirt 4.0; 4.17 of oVirt 3.6 is the same):
 *
 * The server. vdsm.spec.in sets ssl_implementation to m2c, so
 * vdsm/clientIF.py _createAcceptor takes lib/vdsm/m2cutils.py
 * create_ssl_context: the host's certs/vdsmcert.pem and keys/vdsmkey.pem under
 * trust_store_path (/etc/pki/vdsm), certs/cacert.pem as the only CA, and
 * SSL.Context(ssl_protocol), whose default in lib/vdsm/config.py.in is
 * 'tlsv1': M2Crypto's TLSv1_method, TLS 1.0 and nothing else (TLS 1.2 only
 * from vdsm 4.19.21, bz1412552; the engine's VdsmSSLProtocol is TLSv1 as
 * well). SSLContext._loadCAs sets verify_peer | verify_fail_if_no_peer_cert:
 * a client must present a certificate the CA signed. Its name is not looked
 * at: m2cutils' SSLHandshakeDispatcher has no _verify_host (sslutils.py's,
 * the non-EL7 implementation, has one that lets 127.0.0.1 through anyway).
 *
 * vdsm's own clients (lib/vdsm/jsonrpcvdscli.py, used by ovirt-hosted-engine-ha
 * and hosted-engine-setup 2.0) take lib/vdsm/sslutils.py create_ssl_context:
 * ssl.wrap_socket with vdsmcert.pem and vdsmkey.pem as their own certificate,
 * cert_reqs=CERT_REQUIRED against cacert.pem, PROTOCOL_TLSv1, and no check of
 * the server's name (they dial localhost; the certificate names the host).
 *
 * Node 20's OpenSSL 3 accepts the engine CA's SHA-1 signatures and TLS 1.0
 * only at security level 0: the sim sets it on these connections alone.
 */

import fs from "node:fs";
import tls from "node:tls";

import type { SimTls } from "../context";

export function vdsmTlsOptions(files: SimTls): tls.TlsOptions {
    return {
        cert: fs.readFileSync(files.vdsmCertFile),
        key: fs.readFileSync(files.vdsmKeyFile),
        ca: fs.readFileSync(files.caFile),
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: "TLSv1",
        maxVersion: "TLSv1",
        ciphers: "DEFAULT@SECLEVEL=0",
    };
}

export interface TlsClientFiles {
    caFile: string;
    /** omitted: connect without a client certificate */
    certFile?: string;
    keyFile?: string;
}

export function clientFiles(files: SimTls): TlsClientFiles {
    return { caFile: files.caFile, certFile: files.vdsmCertFile, keyFile: files.vdsmKeyFile };
}

/** What vdsm's own client sends: the chain is verified, the name is not. */
export function vdsmClientTlsOptions(files: TlsClientFiles): tls.ConnectionOptions {
    return {
        ca: fs.readFileSync(files.caFile),
        cert: files.certFile ? fs.readFileSync(files.certFile) : undefined,
        key: files.keyFile ? fs.readFileSync(files.keyFile) : undefined,
        minVersion: "TLSv1",
        ciphers: "DEFAULT@SECLEVEL=0",
        checkServerIdentity: () => undefined,
    };
}
