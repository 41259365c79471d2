// SPDX-License-Identifier: LGPL-2.1-or-later

/* `validate-backup PATH`: whether the 4.0 appliance can restore an engine-backup archive, read through one descriptor. Changes nothing. */

import type { BackupReport } from "../../protocol/reports";
import { text } from "../../protocol/text";
import { hostPath, type HelperConfig } from "../config";
import { HelperError } from "../errors";
import { USER_FILE_LIMITS, userPathProblem, withUserFile } from "../host/user-file";
import { readBackupForUpgrade } from "../upgrade/checks/backup";

export async function validateBackup(config: HelperConfig, archive: string): Promise<BackupReport> {
    if (userPathProblem(archive) === "relative")
        throw new HelperError("usage", archive, text("verbs.backup-relative", { path: archive }));
    const host = userPathProblem(archive) === null ? hostPath(config, archive) : archive;
    return withUserFile(archive, host, USER_FILE_LIMITS.backup, file => readBackupForUpgrade(config, file));
}
