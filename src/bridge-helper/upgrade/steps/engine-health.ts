// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The new engine's health (ovirt-upgrade-flow.md step 15): its health page
 * says "DB Up", then its API answers, then this host and its data center are
 * up in the restored engine. The time health first answered ends the downtime.
 *
 * How the original waits (ovirt-hosted-engine-setup): the health page 20 times
 * 15 s apart (gr-he-common/engine/health.py); then the API connection
 * (engineapi.get_engine_api): one try in 2.0, from 2.1 on (8e66a81,
 * bz1433718) up to 5 tries of 30 s each on a connection error or any answer
 * but 401; then one look at the host and data center status
 * (gr-he-upgradeappliance/engine/misc.py _wait_datacenter_up) that fails at
 * once unattended and asks the administrator to look again when interactive.
 * Right after its start an engine's API may not be there yet (in 4.0
 * restapi.war is a deployment of its own, next to the health page's
 * engine.ear) and a host may not be up before the engine's monitoring reached
 * it, so unattended the original could fail an upgrade that was going well. Here the API is asked again until
 * engineApiSeconds, 150 s by default (the original's 5 x 30 s), and the host
 * and data center are read again every second until hostUpSeconds, 600 s by
 * default, like the deploy flow's wait for a host (gr-he-setup/engine/
 * add_host.py _wait_host_ready: 600 tries a second apart, errors tolerated, a
 * "failed" state fatal at once).
 */

import type { Text } from "../../../protocol/text";
import { text } from "../../../protocol/text";
import type { HelperConfig } from "../../config";
import { errorMessage, errorText, HelperError } from "../../errors";
import type { EngineApi } from "../../host/engine-session";
import { withVdsm } from "../../host/vdsm-session";
import { engineApi, HEALTH_POLL_MS, type Produced, sleep, type UpgradeContext } from "./context";

/** How soon the API is asked again while it does not answer. */
export const API_RETRY_MS = 1000;
/** How soon the host and its data center are read again while they are not up. */
export const HOST_POLL_MS = 1000;

type Note = (line: string) => void;

/* A failure that asking again may cure: anything but a refused password (or a bug of ours). */
function retriable(err: unknown): err is HelperError {
    return err instanceof HelperError && err.code !== "refused";
}

/** Asks the API (its clusters, as the original's connection check does) until it answers, for at most `timeoutMs`. */
export async function waitForApi(api: EngineApi, timeoutMs: number, note: Note): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            await api.clusters();
            return;
        } catch (err) {
            if (!retriable(err))
                throw err;
            if (Date.now() + API_RETRY_MS > deadline) {
                throw new HelperError("command-failed", "engine API",
                                      text("upgrade.engine-api-unavailable", { seconds: timeoutMs / 1000, reason: errorText(err) }), err.detail);
            }
            note(`The engine's API does not answer yet: ${errorMessage(err)}`);
        }
        await sleep(API_RETRY_MS);
    }
}

interface HostState {
    hostStatus: string;
    dataCenterStatus: string | Text;
}

/** This host's status and its data center's in the engine; the host is looked up by its hardware UUID. */
async function hostState(api: EngineApi, hardwareUuid: string): Promise<HostState> {
    const host = (await api.hosts()).find(h => h.hardwareUuid === hardwareUuid);
    if (!host)
        throw new HelperError("command-failed", "engine hosts", text("upgrade.host-not-in-engine", { uuid: hardwareUuid }));
    const cluster = (await api.clusters()).find(c => c.id === host.clusterId);
    const dataCenter = (await api.dataCenters()).find(d => d.id === cluster?.dataCenterId);
    return { hostStatus: host.status, dataCenterStatus: dataCenter?.status ?? text("upgrade.status-unknown") };
}

/** Reads the host's and data center's status until both are up, for at most `timeoutMs`; a failed host fails at once. */
export async function waitForHostUp(api: EngineApi, hardwareUuid: string, timeoutMs: number, note: Note): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const unknown = text("upgrade.status-unknown");
    let last: HostState = { hostStatus: "", dataCenterStatus: unknown };
    let failure: string | undefined;
    for (;;) {
        try {
            const state = await hostState(api, hardwareUuid);
            if (state.hostStatus === "up" && state.dataCenterStatus === "up")
                return;
            if (state.hostStatus.includes("failed"))
                throw new HelperError("command-failed", "engine hosts", text("upgrade.host-not-up", { ...state }));
            if (JSON.stringify(state) !== JSON.stringify(last))
                note(`This host is ${state.hostStatus} in the engine, its data center ${typeof state.dataCenterStatus === "string" ? state.dataCenterStatus : "unknown"}: waiting`);
            last = state;
            failure = undefined;
        } catch (err) {
            // a host the engine does not list is no matter of time; an API that fails for a moment is
            if (!retriable(err) || err.text.code === "upgrade.host-not-in-engine" || err.text.code === "upgrade.host-not-up")
                throw err;
            failure = errorMessage(err);
            note(`Reading this host's status failed: ${failure}`);
        }
        if (Date.now() + HOST_POLL_MS > deadline) {
            const said = text("upgrade.host-not-up-after", { hostStatus: last.hostStatus || unknown, dataCenterStatus: last.dataCenterStatus,
                seconds: timeoutMs / 1000 });
            throw new HelperError("command-failed", "engine hosts", said, failure);
        }
        await sleep(HOST_POLL_MS);
    }
}

export async function waitForEngineHealth(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"engine-health">> {
    const api = await engineApi(config, ctx, 4);
    const seconds = config.timeouts.engineHealthSeconds;
    const deadline = Date.now() + seconds * 1000;
    const note: Note = line => ctx.log("info", line);
    let last = "";
    while (Date.now() < deadline) {
        const health = await api.health();
        if (health.up) {
            ctx.log("info", `Engine replied: ${health.body}`);
            const upAt = Date.now();
            await waitForApi(api, config.timeouts.engineApiSeconds * 1000, note);
            const hardwareUuid = await withVdsm(config, vdsm => vdsm.hardwareUuid());
            await waitForHostUp(api, hardwareUuid, config.timeouts.hostUpSeconds * 1000, note);
            return { engineUpAt: upAt };
        }
        last = health.body;
        await sleep(HEALTH_POLL_MS);
    }
    throw new HelperError("command-failed", "engine health", text("upgrade.engine-not-healthy", { seconds }), last);
}
