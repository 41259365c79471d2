// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What every simulated service gets from the sim daemon: the world (mutable;
 * call commit() after changing it so it is persisted), the directory layout,
 * the TLS material of the sim's CA, armed faults and a log.
 */

import type { SimLayout } from "./layout";
import type { SimWorld } from "./world";

export interface SimTls {
    /** PEM file of the sim's CA; clients verify against it */
    caFile: string;
    /** PEM files of the server certificate (CN and SAN: localhost, 127.0.0.1 and the engine FQDN) and its key */
    serverCertFile: string;
    serverKeyFile: string;
    /** PEM files of a client certificate signed by the CA (vdsm requires one, like vdsmcert.pem) */
    clientCertFile: string;
    clientKeyFile: string;
}

export interface SimContext {
    layout: SimLayout;
    world: SimWorld;
    tls: SimTls;
    /** persists the world after a change */
    commit(): void;
    hasFault(name: string): boolean;
    log(component: string, message: string): void;
}
