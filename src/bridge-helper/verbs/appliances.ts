// SPDX-License-Identifier: LGPL-2.1-or-later

/* `appliances`: the installed engine appliances, as hosted-engine-setup finds them. */

import fs from "node:fs";
import path from "node:path";

import type { ApplianceEntry, AppliancesReport } from "../../protocol/reports";
import { text, type Text } from "../../protocol/text";
import { hostPath, type HelperConfig } from "../config";
import { HelperError } from "../errors";
import { parseApplianceConf } from "../formats/appliance-conf";

export const APPLIANCE_CONF_DIR = "/etc/ovirt-hosted-engine";

/** /etc/ovirt-hosted-engine/*-appliance.conf; a snippet that cannot be used is a problem, not a failure. */
export function appliances(config: HelperConfig): AppliancesReport {
    const dir = hostPath(config, APPLIANCE_CONF_DIR);
    let names: string[];
    try {
        names = fs.readdirSync(dir).filter(n => n.endsWith("-appliance.conf")).sort();
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT")
            return { appliances: [], problems: [] };
        throw new HelperError("config-invalid", dir, text("verbs.dir-unreadable", { path: dir }), (err as Error).message);
    }
    const found: ApplianceEntry[] = [];
    const problems: Text[] = [];
    for (const name of names) {
        const file = path.join(dir, name);
        try {
            const conf = parseApplianceConf(fs.readFileSync(file, "utf8"), file);
            const ova = hostPath(config, conf.path);
            const stat = fs.statSync(ova, { throwIfNoEntry: false });
            // conf is the host path, as an upgrade plan names the appliance (the helper looks it up under its root)
            found.push({ ...conf, conf: path.posix.join(APPLIANCE_CONF_DIR, name), installed: stat?.isFile() ?? false, sizeBytes: stat?.size ?? null });
            if (!stat)
                problems.push(text("verbs.appliance-ova-missing", { conf: file, ova: conf.path }));
        } catch (err) {
            problems.push(err instanceof HelperError ? err.text : text("verbs.appliance-unreadable", { file, reason: (err as Error).message }));
        }
    }
    return { appliances: found, problems };
}
