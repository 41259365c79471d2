// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Hostile appliance OVAs (issue 14): each is refused by inspect-ova with a
 * clean JSON report, within bounded memory, naming the problem and never what
 * the OVA or a file it points at holds, and the host is left as it was. A
 * qcow2 disk naming a backing or data file (here a marker file standing for
 * /etc/shadow) is refused by the preflight as well, before qemu-img ever runs.
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expectCleanRefusal, hostSnapshot, runHelper, snapshotChanges, type HostileRun } from "../../support/hostile";
import { sim, startSim, type SimInfo } from "../../support/sim-control";
import { qemuImgCreate } from "../../support/qemu-img-create";

let info: SimInfo & { adminPassword: string };
let work: string;
let appliance: { path: string; imgUUID: string; volUUID: string; virtualSize: number };
let diskMember: string;

/* What the marker file holds: it must never show up in anything the helper prints. */
const MARKER = "HOSTILE-MARKER-shadow-root:$6$notahash:17000::::::";
const OVF_SECRET = "HOSTILE-OVF-CONTENT-7d1e";

beforeAll(async () => {
    info = await startSim() as SimInfo & { adminPassword: string };
    appliance = (await sim("inspect", info.dir)).appliance as typeof appliance;
    diskMember = `images/${appliance.imgUUID}/${appliance.volUUID}`;
    work = fs.mkdtempSync(path.join(os.tmpdir(), "he-hostile-ova-"));
    fs.mkdirSync(path.join(work, "orig"));
    execFileSync("tar", ["-xzf", path.join(info.root, appliance.path), "-C", path.join(work, "orig")]);
    fs.writeFileSync(path.join(work, "shadow"), MARKER);
}, 120_000);

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
});

const ovfMember = (dir: string) => {
    const master = path.join(dir, "master/vms");
    const tpl = fs.readdirSync(master)[0];
    return path.join("master/vms", tpl, `${tpl}.ovf`);
};

interface Variant {
    /** the disk member's new content, or a function making it at the given path */
    disk?: Buffer | ((file: string) => void);
    ovf?: Buffer | string | null;
    /** more changes to the staging directory, before packing */
    edit?: (dir: string) => void;
    /** the finished OVA from the staging dir (default: tar -czf of master and images) */
    pack?: (dir: string, out: string) => void;
}

/** A copy of the appliance with `variant` applied, as an OVA under the sim root's /var/tmp; its path on the host. */
function makeOva(name: string, variant: Variant): string {
    const dir = path.join(work, name);
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync("cp", ["-a", path.join(work, "orig"), dir]);
    const disk = path.join(dir, diskMember);
    if (Buffer.isBuffer(variant.disk))
        fs.writeFileSync(disk, variant.disk);
    else if (variant.disk) {
        fs.rmSync(disk);
        variant.disk(disk);
    }
    if (variant.ovf === null)
        fs.rmSync(path.join(dir, ovfMember(dir)));
    else if (variant.ovf !== undefined)
        fs.writeFileSync(path.join(dir, ovfMember(dir)), variant.ovf);
    variant.edit?.(dir);
    const out = path.join(info.root, "var/tmp", `${name}.ova`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (variant.pack)
        variant.pack(dir, out);
    else
        execFileSync("tar", ["-czf", out, "-C", dir, "master", "images"]);
    return `/var/tmp/${name}.ova`;
}

const qcow2 = (...options: string[]) => (file: string) =>
    qemuImgCreate(["-f", "qcow2", ...options, file, String(appliance.virtualSize)]);

/** A version 3 qcow2 header of the appliance's virtual size, changed by `edit`, `length` bytes long. */
function header(edit: (b: Buffer) => void, length = 64 * 1024): Buffer {
    const b = Buffer.alloc(64 * 1024);
    b.writeUInt32BE(0x514649fb, 0);
    b.writeUInt32BE(3, 4);
    b.writeUInt32BE(16, 20);
    b.writeBigUInt64BE(BigInt(appliance.virtualSize), 24);
    b.writeUInt32BE(4, 96);
    b.writeUInt32BE(104, 100);
    edit(b);
    return b.subarray(0, length);
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "${OVF_SECRET}"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>
<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/">&lol6;</ovf:Envelope>`;

/* name, the variant, the problem code expected, a distinctive content that must not be echoed */
const CASES: [string, () => Variant, RegExp, string][] = [
    ["a qcow2 disk whose backing file is a host file", () => ({ disk: qcow2("-u", "-F", "raw", "-b", path.join(work, "shadow")) }),
        /ova\.qcow2-backing-file/, MARKER],
    ["a qcow2 disk whose backing file has no format", () => ({ disk: qcow2("-u", "-o", "compat=0.10", "-F", "raw", "-b", path.join(work, "shadow")) }),
        /ova\.qcow2-backing-file/, MARKER],
    ["a qcow2 disk with an external data file", () => ({ disk: qcow2("-o", `data_file=${path.join(work, "data-file.raw")}`) }),
        /ova\.qcow2-data-file/, MARKER],
    ["an encrypted qcow2 disk", () => ({ disk: qcow2("--object", "secret,id=s0,data=abc", "-o", "encrypt.format=luks,encrypt.key-secret=s0,encrypt.iter-time=100") }),
        /ova\.qcow2-encrypted/, MARKER],
    ["a qcow v1 disk", () => ({ disk: header(b => b.writeUInt32BE(1, 4)) }), /ova\.qcow2-version/, MARKER],
    ["a disk cut inside its qcow2 header", () => ({ disk: header(() => undefined, 40) }), /ova\.qcow2-truncated/, MARKER],
    ["a qcow2 disk of 2^62 bytes", () => ({ disk: header(b => b.writeBigUInt64BE(1n << 62n, 24)) }), /ova\.qcow2-size/, MARKER],
    ["a qcow2 disk with unknown incompatible features", () => ({ disk: header(b => b.writeBigUInt64BE(1n << 33n, 72)) }), /ova\.qcow2-features/, MARKER],
    ["a qcow2 disk naming a data file in its extensions only", () => ({
        disk: header(b => {
            b.writeUInt32BE(0x44415441, 104);
            b.writeUInt32BE(11, 108);
            b.write("/etc/shadow", 112);
        }),
    }), /ova\.qcow2-data-file/, MARKER],
    ["a raw disk disguised as qcow2 (the OVF says RAW)", () => ({
        disk: qcow2("-u", "-F", "raw", "-b", path.join(work, "shadow")),
        edit: dir => {
            const ovf = path.join(dir, ovfMember(dir));
            fs.writeFileSync(ovf, fs.readFileSync(ovf, "utf8").replace(/ovf:volume-format="COW"/g, 'ovf:volume-format="RAW"'));
        },
    }), /ova\.(format-mismatch|qcow2-backing-file)/, MARKER],
    ["no OVF", () => ({ ovf: null }), /ova\.no-ovf/, MARKER],
    ["a garbage OVF", () => ({ ovf: `<<<${OVF_SECRET} \u0000 not xml` }), /ovf\.xml-invalid/, OVF_SECRET],
    ["a 5 MiB OVF", () => ({ ovf: `<ovf:Envelope>${OVF_SECRET.repeat((5 << 20) / OVF_SECRET.length)}</ovf:Envelope>` }), /ova\.ovf-too-large/, OVF_SECRET],
    ["an OVF of a billion laughs", () => ({ ovf: billionLaughs }), /ovf\.doctype/, OVF_SECRET],
    ["a second disk the OVF does not name", () => ({
        edit: dir => fs.copyFileSync(path.join(dir, diskMember), path.join(dir, `images/${appliance.imgUUID}/second-disk`)),
    }), /ova\.extra-image/, MARKER],
    ["a disk member that is a symlink to a host file", () => ({ disk: file => fs.symlinkSync(path.join(work, "shadow"), file) }),
        /ova\.unsafe-member/, MARKER],
    ["a disk member that is a hard link", () => ({
        disk: file => {
            fs.copyFileSync(path.join(work, "shadow"), `${file}.meta0`);
            fs.linkSync(`${file}.meta0`, file);
        },
        pack: (dir, out) => execFileSync("tar", ["-czf", out, "-C", dir, "master", `${diskMember}.meta0`, diskMember, `${diskMember}.meta`]),
    }), /ova\.unsafe-member/, MARKER],
    ["a disk member that is a device", () => ({ disk: file => execFileSync("mknod", [file, "c", "1", "3"]) }), /ova\.unsafe-member/, MARKER],
    ["a gzip bomb (512 MiB of zeros, twice the memory a refusal may take, no OVF)", () => ({
        pack: (_dir, out) => {
            const bomb = path.join(work, "bomb");
            fs.rmSync(bomb, { recursive: true, force: true });
            fs.mkdirSync(path.join(bomb, "images/x"), { recursive: true });
            fs.writeFileSync(path.join(bomb, "images/x/y"), "");
            fs.truncateSync(path.join(bomb, "images/x/y"), 512 << 20);
            execFileSync("tar", ["-czf", out, "-C", bomb, "images"]);
        },
    }), /ova\.no-ovf/, MARKER],
    ["a file that is no gzip", () => ({ pack: (_dir, out) => fs.writeFileSync(out, `${OVF_SECRET}\n`.repeat(1000)) }), /ova\.not-gzip/, OVF_SECRET],
    ["an empty file", () => ({ pack: (_dir, out) => fs.writeFileSync(out, "") }), /ova\.(not-gzip|unreadable|no-ovf)/, MARKER],
    ["a gzip stream cut in half", () => ({
        pack: (dir, out) => {
            execFileSync("tar", ["-czf", out, "-C", dir, "master", "images"]);
            fs.truncateSync(out, Math.floor(fs.statSync(out).size / 2));
        },
    }), /ova\.(not-gzip|unreadable|no-ovf|disk-missing)/, MARKER],
];

function expectRefused(run: HostileRun, code: RegExp, secret: string): void {
    expectCleanRefusal(run, { secrets: [secret, MARKER] });
    expect(JSON.stringify(run.json)).toMatch(code);
}

test.each(CASES)("inspect-ova refuses %s", (name, variant, code, secret) => {
    const ova = makeOva(name.replace(/[^a-z0-9]+/gi, "-"), variant());
    const before = hostSnapshot(info);
    const run = runHelper(info.helperConfig, ["inspect-ova", ova]);
    expectRefused(run, code, secret);
    expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
}, 120_000);

/* The preflight reads the OVA the plan names, and refuses it in its appliance check, before any job could run qemu-img. */
test.each(CASES.slice(0, 4))("the preflight refuses %s", (name, variant, code, secret) => {
    const ova = makeOva(`${name.replace(/[^a-z0-9]+/gi, "-")}-preflight`, variant());
    const sha1 = createHash("sha1").update(fs.readFileSync(path.join(info.root, ova))).digest("hex");
    const plan = {
        backupArchive: "/root/engine_backup.tar.gz", appliance: { ova, sha1 }, vmNetwork: { mode: "dhcp" }, adminPassword: info.adminPassword,
    };
    const before = hostSnapshot(info);
    const run = runHelper(info.helperConfig, ["preflight"], JSON.stringify(plan));
    expectRefused(run, code, secret);
    const checks = (run.json as unknown as { checks: { id: string; state: string; detail: { english: string } }[] }).checks;
    expect(checks.find(c => c.id === "appliance")).toMatchObject({ state: "fail" });
    // the sim's HA agent and rpm query touch their own files meanwhile; the helper's jobs and the host's temporary files stay
    expect(snapshotChanges(before, hostSnapshot(info))).toEqual([]);
}, 120_000);
