// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The one way the helper reaches the engine: its URL (from hosted-engine.conf's
 * fqdn, or the configuration), the CA it is trusted by (the host's engine CA,
 * host-pki.ts), the name its certificate must carry (the fqdn, even when the
 * URL dials an address), and a login as admin@internal. Every verb and step
 * opens the engine through here, so what the helper trusts is decided in
 * host/ only.
 */

import type { HelperConfig } from "../config";
import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { EngineApi, probeEngine, type ApiVersion, type EngineTrust } from "./engine-api";
import { hostedEngineConf } from "./hosted-engine-conf";
import { describeCa, hostCa, type HostCa } from "./host-pki";

export type { ApiVersion, EngineApi };
/** The CA the engine is trusted by: the host's engine CA, shown with its fingerprint. */
export type EngineCa = HostCa;

export function engineUrl(config: HelperConfig): string {
    return config.engineUrl ?? `https://${hostedEngineConf(config).fqdn}/ovirt-engine`;
}

function trustOf(config: HelperConfig, ca: EngineCa): EngineTrust {
    return { caPem: ca.pem, fqdn: hostedEngineConf(config).fqdn };
}

/*
 * The host's engine CA, once the engine proved to be its fqdn with a
 * certificate from it: what the administrator is shown, with its fingerprint.
 */
export async function engineCa(config: HelperConfig): Promise<EngineCa> {
    const ca = hostCa(config);
    await probeEngine(engineUrl(config), trustOf(config, ca));
    return ca;
}

export interface EngineSession {
    url: string;
    ca: EngineCa;
    api: EngineApi;
}

/*
 * A session as admin@internal. `caPem` is the CA a job recorded in its
 * preflight: a job keeps trusting what was checked before it started. API
 * version 3 is the 3.6 engine's, 4 the new engine's.
 */
export async function openEngine(config: HelperConfig, adminPassword: string,
                                 options: { version?: ApiVersion; caPem?: string } = {}): Promise<EngineSession> {
    const url = engineUrl(config);
    const ca = options.caPem ? describeCa(options.caPem, config.vdsm.caFile) : hostCa(config);
    return { url, ca, api: new EngineApi(url, trustOf(config, ca), adminPassword, options.version ?? 3) };
}

/** A session with an engine that answers its health check; refused when it does not. */
export async function openHealthyEngine(config: HelperConfig, adminPassword: string): Promise<EngineApi> {
    const { url, api } = await openEngine(config, adminPassword);
    const health = await api.health();
    if (!health.up)
        throw new HelperError("refused", "engine health",
                              health.body ? text("engine.not-up", { url, reason: health.body }) : text("engine.not-up-silent", { url }));
    return api;
}
