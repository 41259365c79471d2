// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `engine-login`: checks the admin@internal password against the engine (the
 * wizard asks before going on, so a typo is caught before the review, not by a
 * failing job: bz1525854), and shows the fingerprint of the CA the engine was
 * trusted by: the host's engine CA, never one the engine handed out.
 */

import type { EngineLoginResult } from "../../protocol/reports";
import type { HelperConfig } from "../config";
import { openEngine } from "../host/engine-session";

export async function checkEngineLogin(config: HelperConfig, adminPassword: string): Promise<EngineLoginResult> {
    const { url, ca, api } = await openEngine(config, adminPassword);
    const engineVersion = await api.productVersion();
    return { engineUrl: url, engineVersion, ca: { subject: ca.subject, sha256Fingerprint: ca.sha256Fingerprint } };
}
