// SPDX-License-Identifier: LGPL-2.1-or-later

/* `validate-backup PATH`: whether the 4.0 appliance can restore an engine-backup archive. Changes nothing. */

import fs from "node:fs";

import type { BackupReport } from "../../protocol/reports";
import { text } from "../../protocol/text";
import { hostPath, type HelperConfig } from "../config";
import { HelperError } from "../errors";
import { readBackupForUpgrade } from "../upgrade/checks/backup";

export async function validateBackup(config: HelperConfig, archive: string): Promise<BackupReport> {
    if (!archive.startsWith("/"))
        throw new HelperError("usage", archive, text("verbs.backup-relative", { path: archive }));
    const file = hostPath(config, archive);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile())
        throw new HelperError("usage", archive, text("verbs.not-a-file", { path: archive }));
    const report = await readBackupForUpgrade(config, file);
    return { ...report, path: archive };
}
