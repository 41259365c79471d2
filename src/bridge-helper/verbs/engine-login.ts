// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `engine-login`: checks the admin@internal password against the engine (the
 * wizard asks before going on, so a typo is caught before the review, not by a
 * failing job: bz1525854), and shows the engine's CA fingerprint.
 */

import type { HelperConfig } from "../config";
import { EngineApi, type EngineCa } from "../engine-api";
import { engineUrlOf } from "./backups";

export interface EngineLoginResult {
    engineUrl: string;
    engineVersion: string;
    ca: Pick<EngineCa, "subject" | "sha256Fingerprint">;
}

export async function checkEngineLogin(config: HelperConfig, adminPassword: string): Promise<EngineLoginResult> {
    const engineUrl = engineUrlOf(config);
    const ca = await EngineApi.fetchCa(engineUrl);
    const api = new EngineApi(engineUrl, ca.pem, adminPassword, 3);
    const engineVersion = await api.productVersion();
    return { engineUrl, engineVersion, ca: { subject: ca.subject, sha256Fingerprint: ca.sha256Fingerprint } };
}
