// SPDX-License-Identifier: LGPL-2.1-or-later

import fs from "node:fs";

import { hostPath, type HelperConfig } from "../config";
import { HelperError } from "../errors";
import { readEngineBackup, type BackupReport } from "../formats/engine-backup";

export const SUPPORTED_BACKUP_VERSIONS = ["3.6"];

/** Reads an engine-backup archive and says whether the 4.0 appliance can restore it. Changes nothing. */
export async function validateBackup(config: HelperConfig, archive: string): Promise<BackupReport> {
    if (!archive.startsWith("/"))
        throw new HelperError("usage", archive, `The backup path "${archive}" must be absolute`);
    const file = hostPath(config, archive);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile())
        throw new HelperError("usage", archive, `${archive} does not exist or is not a file`);
    const report = await readEngineBackup(file, { xz: config.commands.xz, bzip2: config.commands.bzip2 });
    if (report.majorMinor !== null && !SUPPORTED_BACKUP_VERSIONS.includes(report.majorMinor))
        report.problems.push(`The backup is of engine ${report.version}; the 4.0 appliance restores backups of 3.6 engines only`);
    return { ...report, path: archive };
}
