// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The one way the helper talks to vdsm on this host: a session opened for a
 * piece of work and closed after it, whatever happens. How the session is
 * secured (the host's PKI) is decided in host-pki.ts vdsmTls and nowhere else.
 */

import type { HelperConfig } from "../config";
import { VdsmClient } from "./vdsm-client";

export { BLANK_UUID, VdsmCallError, type VdsmClient } from "./vdsm-client";

export async function withVdsm<T>(config: HelperConfig, work: (vdsm: VdsmClient) => Promise<T>): Promise<T> {
    const vdsm = await VdsmClient.connect(config);
    try {
        return await work(vdsm);
    } finally {
        vdsm.close();
    }
}
