// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What every simulated service gets from the sim daemon: the world (mutable;
 * call commit() after changing it so it is persisted), the directory layout,
 * the host's and the engine's PKI (ca.ts), armed faults and a log.
 */

import type { SimLayout } from "./layout";
import type { Launcher } from "./libvirt";
import type { SimWorld } from "./world";

export interface SimTls {
    /** the engine CA's certificate where the host has it (<root>/etc/pki/vdsm/certs/cacert.pem): vdsm trusts it */
    caFile: string;
    /** vdsm's certificate and key (<root>/etc/pki/vdsm/certs/vdsmcert.pem, keys/vdsmkey.pem): vdsm serves them and its clients present them */
    vdsmCertFile: string;
    vdsmKeyFile: string;
    /** the engine's copy of its CA (/etc/pki/ovirt-engine/ca.pem on the engine VM), which pki-resource hands out */
    engineCaFile: string;
    /** the CA's key (/etc/pki/ovirt-engine/private/ca.pem): tests sign more certificates with it */
    caKeyFile: string;
    /** the engine's web certificate and key (certs/apache.cer, keys/apache.key.nopass) */
    engineCertFile: string;
    engineKeyFile: string;
    /** the common name of vdsm's certificate: this host's address as added to the engine */
    hostAddress: string;
    /** the common name of the engine's web certificate */
    engineFqdn: string;
}

export interface SimContext {
    layout: SimLayout;
    world: SimWorld;
    tls: SimTls;
    /** persists the world after a change */
    commit(): void;
    hasFault(name: string): boolean;
    log(component: string, message: string): void;
    /** libvirt's side of a VM start: qemu opening the drives as qemu (libvirt.ts) */
    launch: Launcher;
}
