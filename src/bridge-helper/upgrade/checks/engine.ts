// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the running engine says (ovirt-upgrade-flow.md steps 3, 6 and 7):
 * whether it proves to be its fqdn with a certificate from the host's engine
 * CA (the CA shown with its fingerprint), the admin password, the data center and
 * cluster levels, this host as the SPM, the AAA domains and the space on the
 * hosted-engine storage domain. Nothing is changed in the engine.
 */

import type { UpgradeSecrets } from "../../../protocol/plans";
import { text, type Text } from "../../../protocol/text";
import type { HelperConfig } from "../../config";
import { HelperError } from "../../errors";
import { type EngineApi, type EngineCa, engineCa, engineUrl, openEngine } from "../../host/engine-session";
import { type CheckList, listOf, reasonOf } from "./check-list";

export interface EngineFacts {
    ca: EngineCa | null;
    /** the engine's product version; null when it could not be asked */
    version: string | null;
    /** the AAA domains the engine has configured */
    domains: string[] | null;
    /** free bytes on the hosted-engine storage domain */
    available: number | null;
    /** the address the engine knows this host by */
    hostAddress: string | null;
}

const SUPPORTED_LEVELS = ["3.6", "4.0"];

async function checkLevels(api: EngineApi, checks: CheckList): Promise<void> {
    const level = (v: { major: number; minor: number }) => `${v.major}.${v.minor}`;
    const levels = [
        ...(await api.dataCenters()).map(dc => ({ code: "preflight.compatibility-levels.data-center" as const, name: dc.name, version: level(dc.version) })),
        ...(await api.clusters()).map(c => ({ code: "preflight.compatibility-levels.cluster" as const, name: c.name, version: level(c.version) })),
    ];
    const unsupported: Text[] = levels.filter(l => !SUPPORTED_LEVELS.includes(l.version))
            .map(l => text(l.code, { name: l.name, version: l.version }));
    if (unsupported.length === 0) {
        const all = [...new Set(levels.map(l => l.version))].join(", ");
        checks.add("compatibility-levels", "pass", text("preflight.compatibility-levels.pass", { levels: all }));
    } else {
        checks.add("compatibility-levels", "fail",
                   text("preflight.compatibility-levels.fail", { levels: listOf(unsupported, "list.semicolons") }));
    }
}

async function checkSpm(api: EngineApi, hardwareUuid: string | null, checks: CheckList): Promise<string | null> {
    const me = (await api.hosts()).find(h => h.hardwareUuid !== null && h.hardwareUuid === hardwareUuid);
    if (me === undefined) {
        checks.add("spm-engine", "fail", text("preflight.spm-engine.unknown-host"));
        return null;
    }
    checks.verdict("spm-engine", me.spm === "spm", text("preflight.spm-engine.pass", { name: me.name }),
                   text("preflight.spm-engine.fail", { name: me.name, spm: me.spm }));
    return me.address;
}

/* Logs in trusting the CA just shown; a refused password is its own finding. */
async function logIn(config: HelperConfig, secrets: UpgradeSecrets, ca: EngineCa, facts: EngineFacts,
                     checks: CheckList): Promise<EngineApi | null> {
    try {
        const { api } = await openEngine(config, secrets.adminPassword, { caPem: ca.pem });
        facts.version = await api.productVersion();
        checks.add("admin-password", "pass", text("preflight.admin-password.pass"));
        return api;
    } catch (err) {
        const refused = err instanceof HelperError && err.code === "refused";
        checks.add("admin-password", "fail", refused ? text("preflight.admin-password.fail") : reasonOf(err));
        return null;
    }
}

export async function checkEngine(config: HelperConfig, secrets: UpgradeSecrets, hardwareUuid: string | null,
                                  sdUUID: string, checks: CheckList): Promise<EngineFacts> {
    const facts: EngineFacts = { ca: null, version: null, domains: null, available: null, hostAddress: null };
    try {
        facts.ca = await engineCa(config);
    } catch (err) {
        checks.add("engine-ca", "fail", text("preflight.engine-ca.fail", { url: engineUrl(config), reason: reasonOf(err) }));
        return facts;
    }
    checks.add("engine-ca", "pass", text("preflight.engine-ca.pass",
                                         { subject: facts.ca.subject.replace(/\n/g, ", "), fingerprint: facts.ca.sha256Fingerprint }));
    const api = await logIn(config, secrets, facts.ca, facts, checks);
    if (api === null)
        return facts;
    try {
        await checkLevels(api, checks);
        facts.hostAddress = await checkSpm(api, hardwareUuid, checks);
        facts.domains = await api.domains();
        facts.available = (await api.storageDomainSpace(sdUUID)).available;
    } catch (err) {
        checks.add("engine-api", "fail", reasonOf(err));
    }
    return facts;
}
