// SPDX-License-Identifier: LGPL-2.1-or-later

import fs from "node:fs";

import type { StatusReport } from "../api";
import { hostPath, type HelperConfig } from "../config";
import { HelperError } from "../errors";
import { parseHostedEngineConf } from "../formats/hosted-engine-conf";
import { readVmStatus } from "../ha";

export const HOSTED_ENGINE_CONF = "/etc/ovirt-hosted-engine/hosted-engine.conf";

export async function status(config: HelperConfig): Promise<StatusReport> {
    const configPath = hostPath(config, HOSTED_ENGINE_CONF);
    let text: string;
    try {
        text = fs.readFileSync(configPath, "utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
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
        throw new HelperError("config-invalid", configPath, `Cannot read ${configPath}`, (err as Error).message);
    }

    const conf = parseHostedEngineConf(text, configPath);
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
