// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * engine-backup archives (ovirt-formats.md section 1) as the sim's engine makes
 * them (`sim make-backup`, like `engine-backup --mode=backup` on the engine VM)
 * and as the appliance's `engine-backup --mode=restore` reads them. The DB dump
 * is "PGDMP" followed by the sim engine's database as JSON, standing in for
 * pg_dump's custom format.
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { EngineDatabase } from "./engine-disk";

const DB_MAGIC = "PGDMP";

/** The authz extension every engine has; legacy (kerberos/ldap) domains have no extension file. */
export const INTERNAL_AUTHZ = "internal-authz";

export interface BackupOptions {
    dwh: boolean;
    /** what `engine-backup` runs on: el6 for the 3.6 engine VM */
    osVersion: string;
}

function md5(file: string): string {
    return createHash("md5").update(fs.readFileSync(file)).digest("hex");
}

function walk(dir: string, base = ""): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
        const rel = base ? `${base}/${entry.name}` : entry.name;
        return entry.isDirectory() ? walk(path.join(dir, entry.name), rel) : [rel];
    });
}

function extensionProperties(name: string): string {
    return `ovirt.engine.extension.name = ${name}\n` +
        "ovirt.engine.extension.bindings.method = jbossmodule\n" +
        "ovirt.engine.extension.binding.jbossmodule.module = org.ovirt.engine.extension.aaa.jdbc\n" +
        "ovirt.engine.extension.binding.jbossmodule.class = org.ovirt.engine.extension.aaa.jdbc.binding.api.AuthzExtension\n" +
        "ovirt.engine.extension.provides = org.ovirt.engine.api.extensions.aaa.Authz\n";
}

/** Writes a gzip engine-backup archive of `database` to `out`. */
export function makeBackup(database: EngineDatabase, out: string, options: BackupOptions): void {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "he-sim-backup-"));
    try {
        const top = path.join(tmp, "archive");
        const tree = path.join(tmp, "files-tree");
        const files: Record<string, string> = {
            "etc/ovirt-engine/engine.conf.d/10-setup-database.conf":
                "ENGINE_DB_HOST=\"localhost\"\nENGINE_DB_PORT=\"5432\"\nENGINE_DB_USER=\"engine\"\nENGINE_DB_PASSWORD=\"sim-db-password\"\nENGINE_DB_DATABASE=\"engine\"\n",
            "etc/ovirt-engine-setup.conf.d/20-setup-ovirt-post.conf": "[environment:default]\nOVESETUP_APACHE/configured=bool:True\n",
            "etc/pki/ovirt-engine/ca.pem": "-----BEGIN CERTIFICATE-----\nsim engine CA\n-----END CERTIFICATE-----\n",
            "var/lib/ovirt-engine/setup-history.txt": `${database.version} installed\n`,
        };
        // legacy AAA domains (configured in vdc_options, not as extensions) get no properties file
        for (const domain of database.data.aaaDomains.filter(d => d.endsWith("-authz")))
            files[`etc/ovirt-engine/extensions.d/${domain}.properties`] = extensionProperties(domain);
        if (options.dwh)
            files["etc/ovirt-engine-dwh/ovirt-engine-dwhd.conf.d/10-setup-database.conf"] = "DWH_DB_DATABASE=\"ovirt_engine_history\"\n";
        for (const [rel, content] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
            fs.writeFileSync(path.join(tree, rel), content);
        }
        fs.mkdirSync(path.join(top, "db"), { recursive: true });
        // ./files is a nested tar, xz by default, without leading "/"
        execFileSync("tar", ["-C", tree, "-cJf", path.join(top, "files"), ...Object.keys(files).map(f => f.split("/")[0]).filter((v, i, a) => a.indexOf(v) === i)]);
        fs.writeFileSync(path.join(top, "db", "engine_backup.db"), `${DB_MAGIC}\n${JSON.stringify(database)}\n`);
        if (options.dwh)
            fs.writeFileSync(path.join(top, "db", "dwh_backup.db"), `${DB_MAGIC}\n{"dwh": true}\n`);
        fs.writeFileSync(path.join(top, "version"), `${database.version}\n`);
        fs.writeFileSync(path.join(top, "os_version"), `${options.osVersion}\n`);
        fs.writeFileSync(path.join(top, "config"), "DB_DUMP_COMPRESSOR=\nDB_DUMP_FORMAT=custom\nDWH_DB_DUMP_COMPRESSOR=\n" +
            "DWH_DB_DUMP_FORMAT=custom\nREPORTS_DB_DUMP_COMPRESSOR=\nREPORTS_DB_DUMP_FORMAT=custom\n");
        const sums = walk(top).map(rel => `${md5(path.join(top, rel))}  ${rel}\n`).join("");
        fs.writeFileSync(path.join(top, "md5sum"), sums);
        execFileSync("tar", ["-C", top, "-czpSf", out, "."]);
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

export interface RestoreResult {
    ok: boolean;
    /** what engine-backup --mode=restore prints */
    lines: string[];
    database: EngineDatabase | null;
    dwh: boolean;
}

/** engine-backup --mode=restore on a 4.0 appliance: unpack, md5sum -c, version rule, restore the dump. */
export function restoreBackup(file: string, guestName: string, installedVersion: string): RestoreResult {
    const lines = ["Preparing to restore:", `- Unpacking file '${guestName}'`];
    const fail = (why: string): RestoreResult => ({ ok: false, lines: [...lines, `FATAL: ${why}`], database: null, dwh: false });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "he-sim-restore-"));
    try {
        try {
            execFileSync("tar", ["-C", tmp, "-xf", file], { stdio: ["ignore", "ignore", "pipe"] });
        } catch (err) {
            return fail(`Failed to unpack '${guestName}': ${String((err as { stderr?: Buffer }).stderr ?? "").trim()}`);
        }
        for (const member of ["files", "version", "md5sum", "db/engine_backup.db", "config"]) {
            if (!fs.existsSync(path.join(tmp, member)))
                return fail(`Backup is missing '${member}'`);
        }
        lines.push("Verifying hash");
        for (const line of fs.readFileSync(path.join(tmp, "md5sum"), "utf8").split("\n").filter(Boolean)) {
            const [sum, rel] = [line.slice(0, 32), line.slice(34)];
            const target = path.join(tmp, rel);
            if (!fs.existsSync(target) || md5(target) !== sum)
                return fail("Md5sum check failed");
        }
        const version = fs.readFileSync(path.join(tmp, "version"), "utf8").trim();
        const backupMajorMinor = version.split(".").slice(0, 2).join(".");
        const installedMajorMinor = installedVersion.split(".").slice(0, 2).join(".");
        const validPair = backupMajorMinor === installedMajorMinor || (backupMajorMinor === "3.6" && installedMajorMinor === "4.0");
        if (!validPair)
            return fail(`Backup was created by version '${backupMajorMinor}' and can not be restored using the installed version ${installedMajorMinor}`);
        lines.push("Verifying version");
        const dump = fs.readFileSync(path.join(tmp, "db/engine_backup.db"), "utf8");
        if (!dump.startsWith(`${DB_MAGIC}\n`))
            return fail("Engine database dump is not in custom format");
        let database: EngineDatabase;
        try {
            database = JSON.parse(dump.slice(DB_MAGIC.length + 1)) as EngineDatabase;
        } catch {
            return fail("pg_restore failed: the engine database dump is damaged");
        }
        const dwh = fs.existsSync(path.join(tmp, "db/dwh_backup.db"));
        lines.push("Restoring:", "- Files", "Provisioning PostgreSQL users/databases:", "- user 'engine', database 'engine'");
        if (dwh)
            lines.push("- user 'ovirt_engine_history', database 'ovirt_engine_history'");
        lines.push("Restoring:", "- Engine database 'engine'", "  - Cleaning up temporary tables in engine database 'engine'",
                   "  - Resetting DwhCurrentlyRunning in dwh_history_timekeeping in engine database");
        if (dwh)
            lines.push("- DWH database 'ovirt_engine_history'");
        lines.push("You should now run engine-setup.", "Done.");
        return { ok: true, lines, database, dwh };
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}
