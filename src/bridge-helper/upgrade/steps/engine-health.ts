// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The new engine's health (ovirt-upgrade-flow.md step 15): its health page
 * says "DB Up", and like the original, this host and its data center are up
 * in the restored engine. The time it first answered ends the downtime.
 */

import { text } from "../../../protocol/text";
import type { HelperConfig } from "../../config";
import { HelperError } from "../../errors";
import type { EngineApi } from "../../host/engine-session";
import { withVdsm } from "../../host/vdsm-session";
import { engineApi, HEALTH_POLL_MS, type Produced, sleep, type UpgradeContext } from "./context";

async function checkHostUp(config: HelperConfig, api: EngineApi): Promise<void> {
    const hardwareUuid = await withVdsm(config, vdsm => vdsm.hardwareUuid());
    const host = (await api.hosts()).find(h => h.hardwareUuid === hardwareUuid);
    const cluster = (await api.clusters()).find(c => c.id === host?.clusterId);
    const dataCenter = (await api.dataCenters()).find(d => d.id === cluster?.dataCenterId);
    if (host?.status !== "up" || dataCenter?.status !== "up") {
        throw new HelperError("command-failed", "engine hosts", text("upgrade.host-not-up", {
            hostStatus: host?.status ?? text("upgrade.status-unknown-host"),
            dataCenterStatus: dataCenter?.status ?? text("upgrade.status-unknown"),
        }));
    }
}

export async function waitForEngineHealth(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"engine-health">> {
    const api = await engineApi(config, ctx, 4);
    const seconds = config.timeouts.engineHealthSeconds;
    const deadline = Date.now() + seconds * 1000;
    let last = "";
    while (Date.now() < deadline) {
        const health = await api.health();
        if (health.up) {
            ctx.log("info", `Engine replied: ${health.body}`);
            const upAt = Date.now();
            await checkHostUp(config, api);
            return { engineUpAt: upAt };
        }
        last = health.body;
        await sleep(HEALTH_POLL_MS);
    }
    throw new HelperError("command-failed", "engine health", text("upgrade.engine-not-healthy", { seconds }), last);
}
