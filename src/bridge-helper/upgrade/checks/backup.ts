// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine-backup archive (ovirt-upgrade-flow.md step 4): complete, intact,
 * of a 3.6 engine; and every AAA domain the engine uses is configured as an
 * extension in it, since 4.0 dropped the legacy domains.
 */

import path from "node:path";

import type { UpgradePlan } from "../../../protocol/plans";
import type { BackupReport, Compression } from "../../../protocol/reports";
import { text } from "../../../protocol/text";
import { hostPath, type HelperConfig } from "../../config";
import { backupCompression, readEngineBackup } from "../../formats/engine-backup";
import { USER_FILE_LIMITS, type UserFile, withUserFile } from "../../host/user-file";
import { SUPPORTED_SOURCE } from "./appliance";
import { type CheckList, listOf, reasonOf } from "./check-list";

function checkDomains(domains: string[], backup: BackupReport, checks: CheckList): void {
    const legacy = domains.filter(d => !backup.authzExtensions.includes(d));
    if (legacy.length === 0) {
        checks.add("aaa-domains", "pass", text("preflight.aaa-domains.pass", { domains: domains.join(", ") }));
    } else {
        checks.add("aaa-domains", "fail", text(legacy.length === 1 ? "preflight.aaa-domains.fail-one" : "preflight.aaa-domains.fail-many",
                                               { domains: legacy.join(", ") }));
    }
}

/** An engine-backup archive read whole through `file`'s descriptor, with the problems that keep the 4.0 appliance from restoring it. */
export async function readBackupForUpgrade(config: HelperConfig, file: UserFile): Promise<BackupReport> {
    const backup = await readEngineBackup(file, { xz: config.commands.xz, bzip2: config.commands.bzip2 });
    if (backup.majorMinor !== null && backup.majorMinor !== SUPPORTED_SOURCE)
        backup.problems.push(text("backup.version-unsupported", { version: backup.version ?? backup.majorMinor }));
    return backup;
}

/** The private copy's name by compression: also its name inside the appliance, whatever the user's file was called. */
export const COPY_NAMES: Record<Compression, string> = {
    gzip: "engine-backup.tar.gz", xz: "engine-backup.tar.xz", bzip2: "engine-backup.tar.bz2", none: "engine-backup.tar",
};

/*
 * The archive as the check reads it: the user's file through its one
 * descriptor, or (`intake` given) a private copy made through that descriptor
 * first, which is what is then checked and what the job injects.
 */
async function readChecked(config: HelperConfig, user: UserFile, intake: string | null): Promise<{ backup: BackupReport; copy: { name: string; md5: string } | null }> {
    if (intake === null)
        return { backup: await readBackupForUpgrade(config, user), copy: null };
    const head = user.head(512);
    const compression = backupCompression(head);
    // not an archive at all: nothing worth copying, the check says so
    if (compression === null)
        return { backup: await readBackupForUpgrade(config, user), copy: null };
    const name = COPY_NAMES[compression];
    const target = path.join(intake, name);
    const { md5 } = user.copyTo(target);
    const backup = await withUserFile(user.name, target, USER_FILE_LIMITS.backup, copy => readBackupForUpgrade(config, copy));
    return { backup: { ...backup, path: user.name }, copy: { name, md5 } };
}

export interface CheckedBackup {
    report: BackupReport;
    /** the private copy's name in the intake directory, and its MD5 */
    copy: { name: string; md5: string } | null;
}

/** `domains`: the engine's AAA domains, null when the engine could not be asked; `intake`: where to copy it, null for none. */
export async function checkBackup(config: HelperConfig, plan: UpgradePlan, domains: string[] | null,
                                  checks: CheckList, intake: string | null = null): Promise<CheckedBackup | null> {
    let checked: { backup: BackupReport; copy: { name: string; md5: string } | null };
    try {
        checked = await withUserFile(plan.backupArchive, hostPath(config, plan.backupArchive), USER_FILE_LIMITS.backup,
                                     user => readChecked(config, user, intake));
    } catch (err) {
        checks.add("backup", "fail", reasonOf(err));
        return null;
    }
    const { backup, copy } = checked;
    if (backup.problems.length > 0) {
        checks.add("backup", "fail", listOf(backup.problems, "list.sentences"));
        return { report: backup, copy };
    }
    checks.add("backup", "pass", text(backup.dwh ? "preflight.backup.pass-dwh" : "preflight.backup.pass", { version: backup.version ?? "" }));
    if (domains !== null)
        checkDomains(domains, backup, checks);
    return { report: backup, copy };
}
