// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The host's rpm database, asked as an administrator would: `rpm -q` with a
 * query format, against the database under the configured root
 * (/var/lib/rpm, EL7's %_dbpath). Nothing else in the helper runs rpm.
 */

import { text } from "../../protocol/text";
import { hostPath, type HelperConfig } from "../config";
import { HelperError } from "../errors";
import { parseRpmQuery, RPM_QUERY_FORMAT, rpmVerCmp, type InstalledPackage } from "../formats/rpm";
import { run } from "../process";

export const RPM_DB_PATH = "/var/lib/rpm";

/** The installed packages of these names; a name that is not installed is absent from the map. */
export async function installedPackages(config: HelperConfig, names: readonly string[]): Promise<Map<string, InstalledPackage>> {
    const command = config.commands.rpm;
    const args = ["-q", "--dbpath", hostPath(config, RPM_DB_PATH), "--qf", RPM_QUERY_FORMAT, "--", ...names];
    const result = await run(command, args, { timeoutMs: 60_000 });
    const query = parseRpmQuery(result.stdout);
    const errors = result.stderr.split("\n").filter(line => line.trim() !== "");
    // rpm exits with the count of packages it did not find; anything else is its own failure
    if (result.exitCode !== query.missing.length || query.other.length > 0 || errors.length > 0) {
        const shown = `rpm -q ${names.join(" ")}`;
        throw new HelperError("command-failed", shown, text("program.failed", { command: shown, code: result.exitCode }),
                              [...errors, ...query.other].join("\n").slice(0, 2000));
    }
    const installed = new Map<string, InstalledPackage>();
    // several installed versions of one name (a kernel, say): the newest counts
    for (const found of query.installed) {
        const seen = installed.get(found.name);
        if (!seen || rpmVerCmp(found.version, seen.version) > 0
            || (rpmVerCmp(found.version, seen.version) === 0 && rpmVerCmp(found.release, seen.release) > 0))
            installed.set(found.name, found);
    }
    return installed;
}
