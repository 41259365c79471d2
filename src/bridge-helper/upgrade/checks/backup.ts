// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine-backup archive (ovirt-upgrade-flow.md step 4): complete, intact,
 * of a 3.6 engine; and every AAA domain the engine uses is configured as an
 * extension in it, since 4.0 dropped the legacy domains.
 */

import fs from "node:fs";

import type { UpgradePlan } from "../../../protocol/plans";
import type { BackupReport } from "../../../protocol/reports";
import { text } from "../../../protocol/text";
import { hostPath, type HelperConfig } from "../../config";
import { readEngineBackup } from "../../formats/engine-backup";
import { SUPPORTED_SOURCE } from "./appliance";
import { type CheckList, listOf } from "./check-list";

function checkDomains(domains: string[], backup: BackupReport, checks: CheckList): void {
    const legacy = domains.filter(d => !backup.authzExtensions.includes(d));
    if (legacy.length === 0) {
        checks.add("aaa-domains", "pass", text("preflight.aaa-domains.pass", { domains: domains.join(", ") }));
    } else {
        checks.add("aaa-domains", "fail", text(legacy.length === 1 ? "preflight.aaa-domains.fail-one" : "preflight.aaa-domains.fail-many",
                                               { domains: legacy.join(", ") }));
    }
}

/** An engine-backup archive read whole, with the problems that keep the 4.0 appliance from restoring it. */
export async function readBackupForUpgrade(config: HelperConfig, file: string): Promise<BackupReport> {
    const backup = await readEngineBackup(file, { xz: config.commands.xz, bzip2: config.commands.bzip2 });
    if (backup.majorMinor !== null && backup.majorMinor !== SUPPORTED_SOURCE)
        backup.problems.push(text("backup.version-unsupported", { version: backup.version ?? backup.majorMinor }));
    return backup;
}

/** `domains`: the engine's AAA domains, null when the engine could not be asked. */
export async function checkBackup(config: HelperConfig, plan: UpgradePlan, domains: string[] | null,
                                  checks: CheckList): Promise<BackupReport | null> {
    const archive = hostPath(config, plan.backupArchive);
    if (!fs.existsSync(archive)) {
        checks.add("backup", "fail", text("preflight.backup.missing", { path: plan.backupArchive }));
        return null;
    }
    const backup = await readBackupForUpgrade(config, archive);
    if (backup.problems.length > 0) {
        checks.add("backup", "fail", listOf(backup.problems, "list.sentences"));
        return backup;
    }
    checks.add("backup", "pass", text(backup.dwh ? "preflight.backup.pass-dwh" : "preflight.backup.pass", { version: backup.version ?? "" }));
    if (domains !== null)
        checkDomains(domains, backup, checks);
    return backup;
}
