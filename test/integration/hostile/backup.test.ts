// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Hostile engine backups (issue 14, findings 4c, 7, 8, 9, 10): whatever a user
 * hands validate-backup or the upgrade as its backup, the helper answers with
 * one JSON document, no stack trace, none of the file's contents, bounded
 * memory, and the host as it was.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

import { expectCleanRefusal, hostSnapshot, runHelper, snapshotChanges } from "../../support/hostile";
import { sim, startSim, type SimInfo } from "../../support/sim-control";

let info: SimInfo & { adminPassword: string };
const SECRET = "HOSTILE-BACKUP-SECRET-7f3a9c";

/** One ustar member: a 512-byte header (name as raw bytes) and its data padded to 512. */
function member(name: Buffer | string, data: Buffer | string = "", type = "0"): Buffer {
    const header = Buffer.alloc(512);
    const raw = Buffer.isBuffer(name) ? name : Buffer.from(name);
    raw.copy(header, 0, 0, Math.min(raw.length, 100));
    const body = Buffer.isBuffer(data) ? data : Buffer.from(data);
    header.write("0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(body.length.toString(8).padStart(11, "0") + "\0", 124);
    header.write("00000000000\0", 136);
    header.write(type, 156);
    header.write("ustar\0", 257);
    header.write("00", 263);
    header.fill(" ", 148, 156);
    let sum = 0;
    for (const b of header)
        sum += b;
    header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    return Buffer.concat([header, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

/** A pax header giving `name` to the member after it (how long names travel). */
function paxNamed(name: Buffer, data: string): Buffer {
    const record = (body: Buffer) => {
        let length = body.length + 3;
        while (`${length} `.length + body.length + 1 !== length)
            length = `${length} `.length + body.length + 1;
        return Buffer.concat([Buffer.from(`${length} `), body, Buffer.from("\n")]);
    };
    return Buffer.concat([member("PaxHeader", record(Buffer.concat([Buffer.from("path="), name])), "x"), member("placeholder", data)]);
}

const tarOf = (...members: Buffer[]) => Buffer.concat([...members, Buffer.alloc(1024)]);
const gz = (data: Buffer) => zlib.gzipSync(data);

/** A file under the sim's root for the helper to be given, by its host path. */
function put(name: string, content: Buffer | string): string {
    const local = path.join(info.root, "root/hostile", name);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.writeFileSync(local, content);
    return `/root/hostile/${name}`;
}

/** /root/hostile/NAME, a symbolic link to the real /NAME: how a sim's host path reaches /dev and /proc. */
function hostDir(name: string): string {
    const link = path.join(info.root, "root/hostile", name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    if (!fs.existsSync(link))
        fs.symlinkSync(`/${name}`, link);
    return `/root/hostile/${name}`;
}

const secretVersion = `3.6.7.5 ${SECRET}`;

/* what each case gives validate-backup: a host path made in the sim's root */
const CASES: [string, () => string][] = [
    ["a named pipe", () => {
        const host = "/root/hostile/fifo";
        fs.mkdirSync(path.join(info.root, "root/hostile"), { recursive: true });
        execFileSync("mkfifo", [path.join(info.root, host)]);
        return host;
    }],
    ["a directory", () => {
        fs.mkdirSync(path.join(info.root, "root/hostile/dir.tar.gz"), { recursive: true });
        return "/root/hostile/dir.tar.gz";
    }],
    ["a symbolic link to a secret file", () => {
        put("shadow-target", `root:${SECRET}:17000:0:99999:7:::\n`);
        fs.symlinkSync(path.join(info.root, "root/hostile/shadow-target"), path.join(info.root, "root/hostile/link.tar.gz"));
        return "/root/hostile/link.tar.gz";
    }],
    // the helper looks host paths up under the sim's root: reached there through a symbolic link among the parents, which is followed
    ["/dev/zero", () => `${hostDir("dev")}/zero`],
    ["/dev/null", () => `${hostDir("dev")}/null`],
    ["/proc/self/mem", () => `${hostDir("proc")}/self/mem`],
    ["/proc/self/environ", () => `${hostDir("proc")}/self/environ`],
    ["a 3 GB sparse file", () => {
        const host = put("sparse.tar.gz", "");
        fs.truncateSync(path.join(info.root, host), 3 * 1000 ** 3);
        return host;
    }],
    ["garbage after a gzip magic", () => put("garbage.tar.gz", Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from(SECRET.repeat(50))]))],
    ["garbage after an xz magic", () => put("garbage.tar.xz", Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]), Buffer.from(SECRET.repeat(50))]))],
    ["a text file such as /etc/shadow", () => put("shadow.tar.gz", `root:$6$${SECRET}:17000:0:99999:7:::\nbin:*:17000::::::\n`)],
    ["a tar with a ../ member", () => put("climb.tar.gz", gz(tarOf(member("./version", secretVersion), member("../../etc/cron.d/x", SECRET))))],
    ["a tar with an absolute member", () => put("absolute.tar.gz", gz(tarOf(member("/etc/cron.d/x", SECRET), member("./version", secretVersion))))],
    ["a member name of 5000 characters", () => put("long.tar.gz", gz(tarOf(paxNamed(Buffer.from("./" + "a".repeat(5000)), SECRET))))],
    ["a member name with control characters", () => put("control.tar.gz", gz(tarOf(member("./ver\x1b[2Jsion\x07", SECRET))))],
    ["a member name that is not UTF-8", () => put("latin1.tar.gz", gz(tarOf(member(Buffer.from([0x2e, 0x2f, 0xff, 0xfe, 0x41]), SECRET))))],
    ["a 1 GiB sparse ./version", () => {
        const host = put("big-version.tar", tarOf(member("./version", "")));
        const local = path.join(info.root, host);
        // the header says 1 GiB; the data is a hole, then the end-of-archive blocks
        const header = member("./version", "").subarray(0, 512);
        const size = 1024 ** 3;
        header.write(size.toString(8).padStart(11, "0") + "\0", 124);
        header.fill(" ", 148, 156);
        let sum = 0;
        for (const b of header)
            sum += b;
        header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
        fs.writeFileSync(local, header);
        fs.truncateSync(local, 512 + size + 1024);
        return host;
    }],
    ["a binary ./version", () => put("binary-version.tar.gz", gz(tarOf(member("./version", Buffer.concat([Buffer.from(SECRET), Buffer.from([0, 1, 2, 0xff, 0xfe])])))))],
    ["a ./version with shell metacharacters", () => put("shell-version.tar.gz", gz(tarOf(member("./version", `3.6.7.5$(touch /tmp/${SECRET});\`id\``))))],
    ["a ./version of 300 bytes", () => put("long-version.tar.gz", gz(tarOf(member("./version", `3.6.7.5-${SECRET}${"x".repeat(300)}`))))],
    ["an ./md5sum whose lines are secrets", () => put("md5sum.tar.gz", gz(tarOf(member("./version", "3.6.7.5\n"), member("./md5sum", `${SECRET}\n${SECRET}-2\n`))))],
    ["a backup missing its members", () => put("missing.tar.gz", gz(tarOf(member("./config", `${SECRET}\n`))))],
    ["a truncated gzip", () => put("truncated.tar.gz", gz(tarOf(member("./version", "3.6.7.5\n"), member("./config", SECRET.repeat(4000)))).subarray(0, 300))],
    ["a hard link member", () => put("hardlink.tar.gz", gz(tarOf(member("./files", "", "1"), member("./version", secretVersion))))],
];

beforeAll(async () => {
    info = await startSim() as typeof info;
    fs.mkdirSync(path.join(info.root, "root"), { recursive: true });
    await sim("make-backup", info.dir, "--out", path.join(info.root, "root/engine_backup.tar.gz"));
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

test.each(CASES)("validate-backup refuses %s cleanly", (_what, make) => {
    const host = make();
    const before = hostSnapshot(info);
    const run = runHelper(info.helperConfig, ["validate-backup", host], "", 60_000);
    expectCleanRefusal(run, { secrets: [SECRET] });
    expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
});

function plan(backupArchive: string): string {
    return JSON.stringify({
        backupArchive, appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" }, vmNetwork: { mode: "dhcp" },
        adminPassword: info.adminPassword,
    });
}

test.each([
    ["a named pipe", "/root/hostile/fifo"],
    ["garbage", "/root/hostile/garbage.tar.gz"],
    ["a ../ member", "/root/hostile/climb.tar.gz"],
])("upgrade refuses %s as its backup, and keeps no copy of it", (_what, host) => {
    const before = hostSnapshot(info);
    const run = runHelper(info.helperConfig, ["upgrade"], plan(host), 300_000);
    expectCleanRefusal(run, { secrets: [SECRET] });
    expect(run.json).toMatchObject({ job: null });
    // the preflight itself touches the sim (rpm's shared memory, the HA agents' metadata volume): what it must leave
    // as it was is the helper's state (no job, no private copy) and the user's files
    expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
    expect(fs.readdirSync(path.join(info.dir, "helper/state")).filter(n => n.startsWith("intake-"))).toEqual([]);
});
