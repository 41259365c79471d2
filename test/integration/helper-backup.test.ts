// SPDX-License-Identifier: LGPL-2.1-or-later

/* validate-backup on real engine-backup archives made by the sim's engine, and damaged variants of them. */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { ErrorOutput } from "../../src/protocol/errors";
import type { BackupReport } from "../../src/protocol/reports";
import { helper, sim, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo;
let unpacked: string;

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: ["ignore", "pipe", "pipe"] });

/** A host path under the sim root for a test archive. */
function hostFile(name: string): { host: string; local: string } {
    const local = path.join(info.root, "root", name);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    return { host: `/root/${name}`, local };
}

/** Re-packs the unpacked backup after `change` edits a copy of it. */
function variant(name: string, change: (dir: string) => void, compressFlag = "-z"): string {
    const dir = path.join(unpacked, "..", `variant-${name}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(unpacked, dir, { recursive: true });
    change(dir);
    const { host, local } = hostFile(name);
    run("tar", ["-C", dir, `-c${compressFlag.slice(1)}f`, local, "."]);
    return host;
}

function rewriteMd5(dir: string, member: string): void {
    const sums = fs.readFileSync(path.join(dir, "md5sum"), "utf8").split("\n").map(line =>
        line.endsWith(`  ${member}`) ? `${createHash("md5").update(fs.readFileSync(path.join(dir, member))).digest("hex")}  ${member}` : line);
    fs.writeFileSync(path.join(dir, "md5sum"), sums.join("\n"));
}

beforeAll(async () => {
    info = await startSim();
    const { local } = hostFile("engine_backup.tar.gz");
    await sim("make-backup", info.dir, "--out", local);
    unpacked = path.join(info.dir, "unpacked-backup");
    fs.mkdirSync(unpacked);
    run("tar", ["-xzf", local, "-C", unpacked]);
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

test("a backup of the sim's 3.6 engine is valid, with DWH and its Authz extension", async () => {
    const out = await helper<BackupReport>(info.helperConfig, "validate-backup", "/root/engine_backup.tar.gz");
    expect(out.code).toBe(0);
    expect(out.json).toMatchObject({
        compression: "gzip", version: "3.6.7.5", majorMinor: "3.6", osVersion: "centos6",
        dwh: true, reports: false, authzExtensions: ["internal-authz"], problems: [],
    });
});

test("a backup without DWH says so", async () => {
    const { host, local } = hostFile("no-dwh.tar.gz");
    await sim("make-backup", info.dir, "--out", local, "--no-dwh");
    const out = await helper<BackupReport>(info.helperConfig, "validate-backup", host);
    expect(out.code).toBe(0);
    expect(out.json.dwh).toBe(false);
});

test("an xz outer archive and a gzip ./files are read too", async () => {
    const host = variant("xz.tar.xz", dir => {
        const tree = path.join(dir, "..", "files-tree");
        fs.rmSync(tree, { recursive: true, force: true });
        fs.mkdirSync(tree);
        run("tar", ["-xJf", path.join(dir, "files"), "-C", tree]);
        run("tar", ["-czf", path.join(dir, "files"), "-C", tree, "."]);
        rewriteMd5(dir, "files");
    }, "-J");
    const out = await helper<BackupReport>(info.helperConfig, "validate-backup", host);
    expect(out.json.problems).toEqual([]);
    expect(out.json.compression).toBe("xz");
    expect(out.json.authzExtensions).toEqual(["internal-authz"]);
});

test("a member that does not match its MD5 makes the archive corrupted", async () => {
    const host = variant("corrupt.tar.gz", dir => fs.appendFileSync(path.join(dir, "db/engine_backup.db"), "garbage"));
    const out = await helper<BackupReport>(info.helperConfig, "validate-backup", host);
    expect(out.code).toBe(1);
    expect(out.json.problems.map(p => p.english)).toEqual(["./db/engine_backup.db does not match its MD5 in ./md5sum: the archive is corrupted"]);
});

test("a backup without its database dump is not complete", async () => {
    const host = variant("incomplete.tar.gz", dir => {
        fs.rmSync(path.join(dir, "db/engine_backup.db"));
        fs.writeFileSync(path.join(dir, "md5sum"), fs.readFileSync(path.join(dir, "md5sum"), "utf8").split("\n").filter(l => !l.endsWith("db/engine_backup.db")).join("\n"));
    });
    const out = await helper<BackupReport>(info.helperConfig, "validate-backup", host);
    expect(out.code).toBe(1);
    expect(out.json.problems[0].english).toMatch(/is not a complete engine backup: it lacks \.\/db\/engine_backup\.db/);
});

test("a backup of another version than 3.6 is refused", async () => {
    const host = variant("v35.tar.gz", dir => {
        fs.writeFileSync(path.join(dir, "version"), "3.5.6.2\n");
        rewriteMd5(dir, "version");
    });
    const out = await helper<BackupReport>(info.helperConfig, "validate-backup", host);
    expect(out.code).toBe(1);
    expect(out.json.problems.map(p => p.english)).toEqual(["The backup is of engine 3.5.6.2; the 4.0 appliance restores backups of 3.6 engines only"]);
});

test("a file that is no tar at all is refused; a missing one is a usage error", async () => {
    const { host, local } = hostFile("notes.txt");
    fs.writeFileSync(local, "not a backup\n");
    const out = await helper<BackupReport>(info.helperConfig, "validate-backup", host);
    expect(out.code).toBe(1);
    expect(out.json.problems[0]).toMatchObject({ code: "backup.not-tar" });
    const missing = await helper<ErrorOutput>(info.helperConfig, "validate-backup", "/root/absent.tar.gz");
    expect(missing.code).toBe(2);
    expect(missing.json.error.message).toMatch(/does not exist/);
});
