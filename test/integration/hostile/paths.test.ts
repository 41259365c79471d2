// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Hostile paths and plans (issue 14, findings 9 and 10, stdin bounded): an
 * appliance .conf that is a secret file or no file at all, an OVA that is a
 * device or a pipe, plans that are too large, mistyped or polluted. Each is
 * one JSON refusal that quotes nothing of what it read, and changes nothing.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { expectCleanRefusal, hostSnapshot, runHelper, snapshotChanges } from "../../support/hostile";
import { sim, startSim, type SimInfo } from "../../support/sim-control";

let info: SimInfo & { adminPassword: string };
const SECRET = "HOSTILE-PATHS-SECRET-41be07";
const BACKUP = "/root/engine_backup.tar.gz";

function put(name: string, content: Buffer | string): string {
    const local = path.join(info.root, "root/hostile", name);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.writeFileSync(local, content);
    return `/root/hostile/${name}`;
}

function plan(fields: Record<string, unknown>): string {
    return JSON.stringify({
        backupArchive: BACKUP, appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" }, vmNetwork: { mode: "dhcp" },
        adminPassword: info.adminPassword, ...fields,
    });
}

const installed = (conf: () => string) => () => plan({ appliance: { installed: conf() } });
const ova = (file: () => string) => () => plan({ appliance: { ova: file(), sha1: null } });

/* [what, the plan on stdin, the exit code]: checked by the dry-run preflight */
const CASES: [string, () => string, number][] = [
    ["a shadow file as the appliance conf", installed(() => put("shadow", `root:$6$${SECRET}:17000:0:99999:7:::\nbin:*:17000::::::\n`)), 1],
    ["a conf whose path is a secret", installed(() => put("path.conf", `description=x\nversion=4.0\nsha1sum=${"a".repeat(40)}\npath=${SECRET}\n`)), 1],
    ["a conf whose version is a secret", installed(() => put("version.conf", `description=x\nversion=${SECRET} $(id)\nsha1sum=${"a".repeat(40)}\npath=/x.ova\n`)), 1],
    ["a conf with a 60 KiB line", installed(() => put("long-line.conf", `description=${SECRET.repeat(2000)}\n`)), 1],
    ["a conf above 64 KiB", installed(() => put("huge.conf", `# ${SECRET}\n`.repeat(3000))), 1],
    ["a named pipe as the appliance conf", installed(() => {
        const host = "/root/hostile/conf-fifo";
        fs.mkdirSync(path.join(info.root, "root/hostile"), { recursive: true });
        execFileSync("mkfifo", [path.join(info.root, host)]);
        return host;
    }), 1],
    ["a directory as the appliance conf", installed(() => "/etc"), 1],
    ["a symbolic link as the appliance conf", installed(() => {
        fs.symlinkSync(path.join(info.root, "root/hostile/shadow"), path.join(info.root, "root/hostile/conf-link"));
        return "/root/hostile/conf-link";
    }), 1],
    ["/dev/zero as the OVA", ova(() => "/dev/zero"), 1],
    ["a named pipe as the OVA", ova(() => "/root/hostile/conf-fifo"), 1],
    ["/proc/self/environ as the OVA", ova(() => "/proc/self/environ"), 1],
    ["a shadow file as the OVA", ova(() => "/root/hostile/shadow"), 1],
    ["a relative backup path", () => plan({ backupArchive: "root/engine_backup.tar.gz" }), 2],
    ["a backup path with NUL", () => plan({ backupArchive: "/root/engine_backup.tar.gz\0.x" }), 2],
    ["a backup path with a newline", () => plan({ backupArchive: "/root/x\n/etc/shadow" }), 2],
    ["an OVA path with ..", () => plan({ appliance: { ova: "/root/../etc/shadow", sha1: null } }), 2],
    ["a plan of 2 MiB", () => plan({ rootSshKey: `ssh-rsa ${"A".repeat(2 << 20)} ${SECRET}` }), 2],
    ["a plan with an unknown field", () => plan({ backupArchve: SECRET }), 2],
    ["a plan with __proto__", () => plan({}).replace(/^\{/, `{"__proto__": {"admin": "${SECRET}"}, `), 2],
    ["an appliance with __proto__", () => plan({}).replace(`"appliance":{`, `"appliance":{"__proto__":{"x":"${SECRET}"},`), 2],
    ["a backup path of the wrong type", () => plan({ backupArchive: 42 }), 2],
    ["an admin password of the wrong type", () => plan({ adminPassword: { value: SECRET } }), 2],
    ["a root password of the wrong type", () => plan({ rootPassword: [SECRET] }), 2],
    ["an admin password with a newline", () => plan({ adminPassword: `${SECRET}\nroot` }), 2],
    ["a plan that is not JSON", () => `{"backupArchive": "${SECRET}"`, 2],
    ["a plan that is an array", () => JSON.stringify([SECRET]), 2],
];

beforeAll(async () => {
    info = await startSim() as typeof info;
    fs.mkdirSync(path.join(info.root, "root"), { recursive: true });
    await sim("make-backup", info.dir, "--out", path.join(info.root, BACKUP));
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

test.each(CASES)("preflight refuses %s cleanly", (_what, input, code) => {
    const stdin = input();
    const before = hostSnapshot(info);
    const run = runHelper(info.helperConfig, ["preflight"], stdin, 300_000);
    expectCleanRefusal(run, { secrets: [SECRET, info.adminPassword], code });
    // the preflight itself touches the sim (rpm's shared memory, the HA agents' metadata volume): what it must leave
    // as it was is the helper's state (no job, no private copy) and the files under /root and /etc
    expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
});

test.each([
    ["a named pipe", () => "/root/hostile/conf-fifo"],
    ["a directory", () => "/root/hostile"],
    ["/dev/zero", () => "/dev/zero"],
])("vmconf-attach-cdrom refuses %s as vm.conf", (_what, file) => {
    const host = file();
    const local = host.startsWith("/root/") ? path.join(info.root, host) : host;
    const run = runHelper(info.helperConfig, ["vmconf-attach-cdrom", local, "/var/tmp/seed.iso"]);
    expectCleanRefusal(run, { secrets: [SECRET] });
});
