// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated engine right after it started (SimEngine.startedAt: when its
 * health page first said "DB Up"), whichever engine it is: the 3.6 engine the
 * HA agents restarted or the 4.0 engine the appliance just set up.
 *
 * - Its REST API answers later than its health page. In ovirt-engine 4.0 the
 *   API is a deployment of its own (packaging/services/ovirt-engine/
 *   ovirt-engine.conf.in: ENGINE_APPS="engine.ear restapi.war apidoc.war",
 *   each deployed through its own .dodeploy marker by ovirt-engine.py), while
 *   the health servlet is in engine.ear's services.war; 3.6 has the same
 *   layout (ENGINE_APPS="engine.ear restapi.war legacy_restapi.war"). Until
 *   it is deployed, the sim answers /ovirt-engine/api with the 503 page of
 *   the Apache in front (z-ovirt-engine-proxy.conf: ProxyPassMatch to AJP
 *   with retry=5, a worker in error answers 503). Assumption: whether a real
 *   engine answers that window with Apache's 503 or with JBoss's 404 was not
 *   confirmed; either fails a client that asks only once.
 * - Its hosts are not up before its monitoring reached them. At start the
 *   engine takes each host's status from its database (vdsbroker
 *   ResourceManager.addVds: NonResponsive, Connecting, Installing and Reboot
 *   become Unassigned) and VdsManager moves it on from its monitoring cycles
 *   (a host its calls do not reach is Connecting, handleNetworkException).
 *   Assumption: the sim shows a host its database has up as "connecting"
 *   until HOST_MONITOR_MS after the start; the state a real 4.0 engine shows
 *   in that window was not confirmed from its source.
 *
 * Faults: engine-api-unavailable keeps the API at 503 (restapi.war failed to
 * deploy); host-never-up keeps this host non_responsive in the engine.
 */

import type { SimContext } from "../context";
import type { EngineHost } from "../world";

/** How long after the engine's start its API answers 503. */
export const API_DEPLOY_MS = 2500;
/** How long after the engine's start its hosts show "connecting". */
export const HOST_MONITOR_MS = 4000;

/** What httpd 2.4 sends for a 503 (its default error document). */
export const APACHE_503 = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>503 Service Unavailable</title>\n" +
    "</head><body>\n<h1>Service Unavailable</h1>\n<p>The server is temporarily unable to service your\nrequest due to maintenance downtime " +
    "or capacity\nproblems. Please try again later.</p>\n</body></html>\n";

function since(ctx: SimContext): number {
    const startedAt = ctx.world.engine.startedAt;
    return typeof startedAt === "number" ? Date.now() - startedAt : Infinity;
}

/** Whether the REST API is not deployed yet. */
export function apiDeploying(ctx: SimContext): boolean {
    return ctx.hasFault("engine-api-unavailable") || since(ctx) < API_DEPLOY_MS;
}

/** The status the engine shows for a host now. */
export function shownHostStatus(ctx: SimContext, host: EngineHost): string {
    const world = ctx.world;
    const isThisHost = world.ha.hosts.find(h => h.engineHostId === host.id)?.id === world.ha.thisHostId;
    if (isThisHost && ctx.hasFault("host-never-up"))
        return "non_responsive";
    if (host.status === "up" && since(ctx) < HOST_MONITOR_MS)
        return "connecting";
    return host.status;
}
