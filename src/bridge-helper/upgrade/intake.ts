// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The private copies an upgrade works from (issue 14): the preflight of
 * `upgrade` copies the engine backup and extracts the appliance's disk into a
 * directory only root can enter, checks THOSE, and the job uses only them, so
 * a user who owns the backup or the OVA cannot swap it after it was checked.
 * The directory is made next to the jobs (the same file system, so it moves
 * into the job's work directory with a rename) and removed when the preflight
 * fails; the dry-run `preflight` makes none and reads through the one open
 * descriptor instead.
 */

import fs from "node:fs";
import path from "node:path";

import type { DiskFormat } from "../../protocol/reports";
import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import { PRIVATE_COPIES_DIR } from "../jobs/store";
import type { Survey } from "./survey";

/** What the job uses instead of the user's files; names inside `dir`. */
export interface PrivateCopies {
    dir: string;
    /** the engine backup's copy, e.g. engine-backup.tar.gz: also its name inside the appliance */
    backup: string;
    backupMd5: string;
    /** the appliance disk extracted from the OVA */
    applianceDisk: string;
    applianceFormat: DiskFormat;
}

/** A new root-only (0700) directory for the preflight's copies. */
export function newIntakeDir(config: HelperConfig): string {
    fs.mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
    const dir = fs.mkdtempSync(path.join(config.stateDir, "intake-"));
    fs.chmodSync(dir, 0o700);
    return dir;
}

export function removeIntakeDir(dir: string | null): void {
    if (dir)
        fs.rmSync(dir, { recursive: true, force: true });
}

/** The private copies, moved from the preflight's directory into the job's work directory (root-only below it). */
export function adoptCopies(survey: Survey, workDir: string): Survey {
    if (!survey.copies)
        return survey;
    const dir = path.join(workDir, PRIVATE_COPIES_DIR);
    fs.mkdirSync(workDir, { recursive: true, mode: 0o711 });
    fs.renameSync(survey.copies.dir, dir);
    return { ...survey, copies: { ...survey.copies, dir } };
}

/** A private copy's host path; a job stored without copies (or whose copies are gone) cannot go on. */
export function privateCopy(survey: Survey, which: "backup" | "applianceDisk"): string {
    if (!survey.copies)
        throw new HelperError("refused", "private copies", text("backup.copy-missing"));
    return path.join(survey.copies.dir, survey.copies[which]);
}
