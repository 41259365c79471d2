// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `status`: the hosted-engine cluster as ovirt-ha sees it. A host without
 * hosted-engine.conf is reported as such: the page says so instead of failing.
 */

import type { StatusReport } from "../../protocol/reports";
import { hostPath, type HelperConfig } from "../config";
import { readVmStatus } from "../host/ha-command";
import { HOSTED_ENGINE_CONF, hostedEngineConfIfAny } from "../host/hosted-engine-conf";

// TRANSITIONAL: today's upgrade/preflight.ts imports it from here; it goes with that file

export async function status(config: HelperConfig): Promise<StatusReport> {
    const configPath = hostPath(config, HOSTED_ENGINE_CONF);
    const conf = hostedEngineConfIfAny(config);
    if (conf === null) {
        return {
            hostedEngineHost: false,
            configPath,
            engineFqdn: null,
            hostId: null,
            globalMaintenance: null,
            engineHostId: null,
            engineVmOnThisHost: false,
            hosts: [],
        };
    }
    const vmStatus = await readVmStatus(config);
    // ovirt-ha's own notion of "the engine is up somewhere": VM up, reported by a live agent
    const engineHost = vmStatus.hosts.find(h => h.engineStatus.vm === "up" && h.liveData);
    return {
        hostedEngineHost: true,
        configPath,
        engineFqdn: conf.fqdn,
        hostId: conf.hostId,
        globalMaintenance: vmStatus.globalMaintenance,
        engineHostId: engineHost?.id ?? null,
        engineVmOnThisHost: engineHost?.id === conf.hostId,
        hosts: vmStatus.hosts,
    };
}
