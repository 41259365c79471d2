// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Hostile vm.conf files (issue 14, findings 4a and 12): vmconf-attach-cdrom
 * refuses each with its line number and none of its text, a commented-out
 * cdrom never becomes the one attached; and the preflight fails its
 * engine-vm-conf check on the host's own vm.conf when the appliance could not
 * boot from it, before anything is overwritten.
 */

import fs from "node:fs";
import path from "node:path";

import { expectCleanRefusal, hostSnapshot, runHelper, snapshotChanges } from "../../support/hostile";
import { sim, startSim, type SimInfo } from "../../support/sim-control";

let info: SimInfo & { adminPassword: string };
let vmConfFile: string;
let original: string;

/* Distinctive text in every hostile file: it must never show up in what the helper prints. */
const SECRET = "HOSTILE-VMCONF-7f3a";

beforeAll(async () => {
    info = await startSim() as SimInfo & { adminPassword: string };
    vmConfFile = path.join(info.root, "var/run/ovirt-hosted-engine-ha/vm.conf");
    original = fs.readFileSync(vmConfFile, "utf8");
}, 120_000);

afterEach(() => {
    fs.writeFileSync(vmConfFile, original);
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

const lines = () => original.split("\n");
const cdromLine = () => lines().findIndex(l => l.includes("device:cdrom"));
const diskLine = () => lines().findIndex(l => l.includes("device:disk"));

/** The host's vm.conf with line `index` replaced by `replacement` (several lines, or none). */
function withLine(index: number, replacement: string[]): string {
    const all = lines();
    all.splice(index, 1, ...replacement);
    return all.join("\n");
}

/* name, the hostile vm.conf, what the refusal says */
const CASES: [string, () => string, RegExp][] = [
    ["the cdrom only on a commented-out line", () => withLine(cdromLine(), [`# ${lines()[cdromLine()]} ${SECRET}`]), /no cdrom device/],
    ["the cdrom only in a comment after the disk", () => withLine(cdromLine(), []).replace(/(device:disk[^\n]*)/, `$1 # devices={device:cdrom,path:${SECRET}}`),
        /no cdrom device/],
    ["an extra }", () => withLine(cdromLine(), [`${lines()[cdromLine()]}}`]), /line \d+: its \{ \} or \[ \] do not pair up/],
    ["a missing }", () => withLine(diskLine(), [lines()[diskLine()].replace(/}$/, "")]), /line \d+: /],
    ["a } on a scalar line", () => original.replace("memSize=4096", `memSize=4096}${SECRET}`), /line \d+: its \{ \} or \[ \] do not pair up/],
    ["no cdrom device", () => withLine(cdromLine(), [`vmName=${SECRET}`]), /no cdrom device/],
    ["a 400 KB line", () => `${original}\nvmName=${SECRET}${"A".repeat(400 << 10)}\n`, /line \d+: longer than/],
    ["a 10 MB file", () => `${original}\nvmName=${SECRET}${"A".repeat(10 << 20)}\n`, /is larger than 1 MiB/],
    ["NUL bytes", () => original.replace("vmName=HostedEngine", `vmName=Hosted\0\0${SECRET}`), /line \d+: has a NUL byte/],
    ["devices= with garbage", () => `${original}\ndevices=${SECRET} ][ <>& \u0001\u0002\n`, /line \d+: /],
    ["devices= with a value but no name", () => `${original}\ndevices={device:cdrom,${SECRET}}\n`, /line \d+: expected name:value/],
];

test.each(CASES)("vmconf-attach-cdrom refuses %s", (_name, content, message) => {
    const file = path.join(info.root, "var/tmp/hostile-vm.conf");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content());
    const before = hostSnapshot(info);
    const run = runHelper(info.helperConfig, ["vmconf-attach-cdrom", file, "/var/tmp/seed.iso"]);
    expectCleanRefusal(run, { secrets: [SECRET] });
    expect(run.json?.error?.message).toMatch(message);
    expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
    fs.rmSync(file);
});

test("a comment after the cdrom is kept as it was, and a cdrom in a comment is not the one attached", () => {
    const file = path.join(info.root, "var/tmp/commented-vm.conf");
    const cdrom = lines()[cdromLine()];
    const content = withLine(cdromLine(), [`${cdrom} # devices={device:cdrom,path:/old.iso}`, "#devices={device:cdrom,path:/older.iso}"]);
    fs.writeFileSync(file, content);
    const run = runHelper(info.helperConfig, ["vmconf-attach-cdrom", file, "/var/tmp/seed.iso"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(withLine(cdromLine(), [`${cdrom.replace("path:,", "path:/var/tmp/seed.iso,")} # devices={device:cdrom,path:/old.iso}`,
        "#devices={device:cdrom,path:/older.iso}"]).trim());
    fs.rmSync(file);
});

function preflight(): ReturnType<typeof runHelper> {
    const plan = {
        backupArchive: "/root/engine_backup.tar.gz", appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        vmNetwork: { mode: "dhcp" }, adminPassword: info.adminPassword,
    };
    return runHelper(info.helperConfig, ["preflight"], JSON.stringify(plan));
}

const vmConfCheck = (run: ReturnType<typeof runHelper>) =>
    (run.json as unknown as { checks: { id: string; state: string; detail: { english: string } }[] }).checks.find(c => c.id === "engine-vm-conf");

test("the preflight passes the host's own vm.conf", () => {
    expect(vmConfCheck(preflight())).toMatchObject({ state: "pass" });
}, 120_000);

/* The host's vm.conf itself, as ovirt-ha-agent could have left it: the preflight fails before the engine disk is touched. */
test.each([
    ...CASES.filter(([name]) => ["the cdrom only on a commented-out line", "an extra }", "no cdrom device", "NUL bytes"].includes(name)),
    ["no disk device for the engine disk", () => withLine(diskLine(), [`vmName=${SECRET}`]), /no disk device for the engine disk/],
    ["the engine disk only in a comment", () => withLine(diskLine(), [`# ${lines()[diskLine()]} ${SECRET}`]), /no disk device for the engine disk/],
] as typeof CASES)("the preflight fails its vm.conf check on %s", (_name, content, message) => {
    fs.writeFileSync(vmConfFile, content());
    const run = preflight();
    expectCleanRefusal(run, { secrets: [SECRET] });
    const check = vmConfCheck(run);
    expect(check?.state).toBe("fail");
    expect(check?.detail.english).toMatch(message);
}, 120_000);

test.each([
    ["missing", () => fs.rmSync(vmConfFile), /cannot be read/],
    ["a directory", () => {
        fs.rmSync(vmConfFile);
        fs.mkdirSync(vmConfFile);
    }, /not a regular file/],
])("the preflight fails its vm.conf check when vm.conf is %s", (_name, make, message) => {
    make();
    try {
        const run = preflight();
        expectCleanRefusal(run);
        expect(vmConfCheck(run)?.detail.english).toMatch(message);
    } finally {
        fs.rmSync(vmConfFile, { recursive: true, force: true });
    }
}, 120_000);
