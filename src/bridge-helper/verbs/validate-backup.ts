// SPDX-License-Identifier: LGPL-2.1-or-later

/* `validate-backup PATH`: whether the 4.0 appliance can restore an engine-backup archive. Changes nothing. */

import fs from "node:fs";

import type { BackupReport } from "../../protocol/reports";
import { text } from "../../protocol/text";
import { hostPath, type HelperConfig } from "../config";
import { HelperError } from "../errors";
import { readEngineBackup } from "../formats/engine-backup";
import { asTexts } from "./texts";

export const SUPPORTED_BACKUP_VERSIONS = ["3.6"];

export async function validateBackup(config: HelperConfig, archive: string): Promise<BackupReport> {
    if (!archive.startsWith("/"))
        throw new HelperError("usage", archive, text("verbs.backup-relative", { path: archive }));
    const file = hostPath(config, archive);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile())
        throw new HelperError("usage", archive, text("verbs.not-a-file", { path: archive }));
    const report = await readEngineBackup(file, { xz: config.commands.xz, bzip2: config.commands.bzip2 });
    const problems = asTexts(report.problems);
    if (report.majorMinor !== null && !SUPPORTED_BACKUP_VERSIONS.includes(report.majorMinor))
        problems.push(text("verbs.backup-version", { version: report.version ?? report.majorMinor }));
    return { ...report, path: archive, problems };
}
