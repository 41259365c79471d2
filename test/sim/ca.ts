// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The PKI of a host added to a 3.6 engine, made with openssl the way the
 * engine makes it:
 *  - the engine CA signs with SHA-1 (ovirt-engine 3.6 and 4.0,
 *    packaging/pki/openssl.conf `default_md = sha1`; sha256 only from 4.1.0),
 *    subject /C=US/O=<org>/CN=<fqdn, at most 55 characters>.<5 random digits>
 *    (packaging/setup/plugins/ovirt-engine-setup/ovirt-engine/pki/ca.py),
 *    extensions of packaging/pki/cacert.template.in's v3_ca;
 *  - vdsm's certificate is /O=<org>/CN=<the host's address as added to the
 *    engine> (backend .../utils/hostinstall/OpenSslCAWrapper.java, called with
 *    the host's getHostName() by VdsDeployPKIUnit.java), no subjectAltName
 *    (from 4.1.2 only); vdsm serves it and its own clients present it;
 *  - the engine's web (apache) certificate is /C=US/O=<org>/CN=<engine fqdn>
 *    (ca.py _enrollCertificate), no subjectAltName;
 *  - both with packaging/pki/cert.template.in's v3_ca extensions.
 * The host has the CA certificate, vdsm's certificate and key where vdsm reads
 * them (vdsm 4.18 lib/vdsm/m2cutils.py create_ssl_context: trust_store_path
 * /etc/pki/vdsm, certs/cacert.pem, certs/vdsmcert.pem, keys/vdsmkey.pem), under
 * the sim root. The engine's side (its copy of the CA, the CA key, the web
 * certificate) is in DIR/pki, standing for the engine VM's /etc/pki/ovirt-engine.
 */

import { execFileSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { SimTls } from "./context";
import type { SimLayout } from "./layout";
import type { SimWorld } from "./world";

export interface CertFiles {
    certFile: string;
    keyFile: string;
}

/** ca.py's MAX_HOST_FQDN_LEN: how much of the fqdn goes into the CA's common name. */
const MAX_HOST_FQDN_LEN = 55;

/* packaging/pki/cacert.template.in and cert.template.in, [v3_ca] (no authorityInfoAccess: nothing here fetches it) */
const CA_EXTENSIONS = [
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid:always,issuer:always",
    "basicConstraints = critical,CA:true",
    "keyUsage = critical,cRLSign,keyCertSign",
];
const CERT_EXTENSIONS = [
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid:always,issuer:always",
    "basicConstraints = CA:false",
    "keyUsage = critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage = critical,serverAuth,clientAuth",
];

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function writeConfig(dir: string, extensions: string[]): string {
    const file = path.join(dir, `.openssl-${randomBytes(4).toString("hex")}.cnf`);
    fs.writeFileSync(file, ["[req]", "distinguished_name = dn", "[dn]", "[ext]", ...extensions, ""].join("\n"));
    return file;
}

/** A self-signed SHA-1 CA like the engine's: certificate and key written to `files`. */
export function makeCa(files: CertFiles, subject: string): void {
    const dir = path.dirname(files.certFile);
    fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(path.dirname(files.keyFile), { recursive: true, mode: 0o700 });
    const config = writeConfig(dir, CA_EXTENSIONS);
    try {
        openssl(["req", "-x509", "-new", "-newkey", "rsa:2048", "-nodes", "-sha1", "-days", "3650", "-subj", subject, "-utf8",
            "-config", config, "-extensions", "ext", "-keyout", files.keyFile, "-out", files.certFile], dir);
    } finally {
        fs.rmSync(config, { force: true });
    }
}

/** A certificate for `subject` signed by `ca` with SHA-1, no subjectAltName, like the engine's enrollments. */
export function issueCertificate(ca: CertFiles, out: CertFiles, subject: string): void {
    const dir = path.dirname(out.certFile);
    fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(path.dirname(out.keyFile), { recursive: true, mode: 0o700 });
    const config = writeConfig(dir, CERT_EXTENSIONS);
    const request = `${out.certFile}.csr`;
    try {
        openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-utf8", "-config", config,
            "-keyout", out.keyFile, "-out", request], dir);
        openssl(["x509", "-req", "-sha1", "-in", request, "-CA", ca.certFile, "-CAkey", ca.keyFile,
            "-set_serial", `0x${randomBytes(8).toString("hex")}`, "-days", "1825",
            "-extfile", config, "-extensions", "ext", "-out", out.certFile], dir);
    } finally {
        fs.rmSync(config, { force: true });
        fs.rmSync(request, { force: true });
    }
}

/** The organization engine-setup proposes: the fqdn without its first label. */
export function engineOrganization(fqdn: string): string {
    const dot = fqdn.indexOf(".");
    return dot > 0 && dot < fqdn.length - 1 ? fqdn.slice(dot + 1) : "Test";
}

/** This host's address as it was added to the engine: the name in vdsm's certificate. */
export function hostAddress(world: SimWorld): string {
    const me = world.ha.hosts.find(h => h.id === world.ha.thisHostId);
    const address = world.engine.data.hosts.find(h => h.id === me?.engineHostId)?.address;
    if (!address)
        throw new Error("the sim's world does not know this host's address in the engine");
    return address;
}

/** Where a host has vdsm's PKI, under the simulated root. */
export function vdsmPkiFiles(root: string): { caFile: string; certFile: string; keyFile: string } {
    const vdsmPki = path.join(root, "etc/pki/vdsm");
    return {
        caFile: path.join(vdsmPki, "certs/cacert.pem"),
        certFile: path.join(vdsmPki, "certs/vdsmcert.pem"),
        keyFile: path.join(vdsmPki, "keys/vdsmkey.pem"),
    };
}

export function tlsFiles(layout: SimLayout, world: SimWorld): SimTls {
    const vdsm = vdsmPkiFiles(layout.root);
    return {
        caFile: vdsm.caFile,
        vdsmCertFile: vdsm.certFile,
        vdsmKeyFile: vdsm.keyFile,
        engineCaFile: path.join(layout.pki, "ca.pem"),
        caKeyFile: path.join(layout.pki, "private/ca.pem"),
        engineCertFile: path.join(layout.pki, "certs/apache.cer"),
        engineKeyFile: path.join(layout.pki, "keys/apache.key.nopass"),
        hostAddress: hostAddress(world),
        engineFqdn: world.engine.fqdn,
    };
}

/** Creates the engine's PKI and this host's part of it unless they are there already. */
export function ensureHostPki(layout: SimLayout, world: SimWorld): SimTls {
    const files = tlsFiles(layout, world);
    const paths = [files.caFile, files.vdsmCertFile, files.vdsmKeyFile, files.engineCaFile, files.caKeyFile, files.engineCertFile, files.engineKeyFile];
    if (paths.every(f => fs.existsSync(f)))
        return files;
    const fqdn = world.engine.fqdn;
    const org = engineOrganization(fqdn);
    const ca = { certFile: files.engineCaFile, keyFile: files.caKeyFile };
    makeCa(ca, `/C=US/O=${org}/CN=${fqdn.slice(0, MAX_HOST_FQDN_LEN)}.${randomInt(10000, 100000)}`);
    issueCertificate(ca, { certFile: files.engineCertFile, keyFile: files.engineKeyFile }, `/C=US/O=${org}/CN=${fqdn}`);
    // ovirt-host-deploy puts the CA and the host's certificate into /etc/pki/vdsm
    issueCertificate(ca, { certFile: files.vdsmCertFile, keyFile: files.vdsmKeyFile }, `/O=${org}/CN=${files.hostAddress}`);
    fs.copyFileSync(files.engineCaFile, files.caFile);
    return files;
}
