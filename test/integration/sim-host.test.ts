// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated host's files and payloads, checked with the real tools an
 * administrator (or the original hosted-engine code) would use on them, against
 * the formats of ovirt-formats.md.
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { parseHostedEngineConf } from "../../src/bridge-helper/formats/hosted-engine-conf";
import { sim, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo;
let world: {
    storage: { sdUUID: string; remotePath: string; engineDisk: { imgUUID: string; volUUID: string }; confVolume: { imgUUID: string; volUUID: string } };
    vm: { vmId: string };
    appliance: { path: string; sha1: string; ovfSizeGiB: number; virtualSize: number; imgUUID: string; volUUID: string };
};
let domain: string;

const run = (command: string, args: string[], input?: Buffer) =>
    execFileSync(command, args, { input, maxBuffer: 256 << 20, stdio: ["pipe", "pipe", "pipe"] });

beforeAll(async () => {
    info = await startSim();
    world = await sim("inspect", info.dir) as unknown as typeof world;
    domain = path.join(info.nfsExport, world.storage.sdUUID);
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

function volume(ref: { imgUUID: string; volUUID: string }): string {
    return path.join(domain, "images", ref.imgUUID, ref.volUUID);
}

describe("simulated host files", () => {
    test("hosted-engine.conf is at 3.6 level and names the volumes that exist", () => {
        const text = fs.readFileSync(path.join(info.root, "etc/ovirt-hosted-engine/hosted-engine.conf"), "utf8");
        const conf = parseHostedEngineConf(text, "hosted-engine.conf");
        expect(conf.spUUID).toBe("00000000-0000-0000-0000-000000000000");
        expect(conf.sdUUID).toBe(world.storage.sdUUID);
        expect(conf.vmId).toBe(world.vm.vmId);
        for (const [img, vol] of [["vm_disk_id", "vm_disk_vol_id"], ["conf_image_UUID", "conf_volume_UUID"],
            ["metadata_image_UUID", "metadata_volume_UUID"], ["lockspace_image_UUID", "lockspace_volume_UUID"]])
            expect(fs.existsSync(path.join(domain, "images", conf.values.get(img) ?? "?", conf.values.get(vol) ?? "?"))).toBe(true);
    });

    test("the domain metadata carries a valid _SHA_CKSUM", () => {
        const lines = fs.readFileSync(path.join(domain, "dom_md/metadata"), "utf8").trim().split("\n");
        const checksum = lines.pop();
        expect(lines).toEqual([...lines].sort());
        expect(lines).toContain(`SDUUID=${world.storage.sdUUID}`);
        expect(checksum).toBe(`_SHA_CKSUM=${createHash("sha1").update(lines.join("")).digest("hex")}`);
    });

    test("every volume has a vdsm .meta: sorted keys, EOF, at most 512 bytes", () => {
        const metas = fs.readdirSync(path.join(domain, "images")).flatMap(img =>
            fs.readdirSync(path.join(domain, "images", img)).filter(f => f.endsWith(".meta")).map(f => path.join(domain, "images", img, f)));
        expect(metas.length).toBeGreaterThanOrEqual(6);
        for (const meta of metas) {
            const text = fs.readFileSync(meta, "utf8");
            expect(Buffer.byteLength(text)).toBeLessThanOrEqual(512);
            const lines = text.trim().split("\n");
            expect(lines.pop()).toBe("EOF");
            expect(lines.map(l => l.split("=")[0])).toEqual(["CTIME", "DESCRIPTION", "DISKTYPE", "DOMAIN", "FORMAT", "IMAGE",
                "LEGALITY", "MTIME", "POOL_UUID", "PUUID", "SIZE", "TYPE", "VOLTYPE"]);
            expect(text).toContain("PUUID=00000000-0000-0000-0000-000000000000\n");
        }
    });

    test("the engine disk is partitioned and boots an el6 system with a 3.6 engine", () => {
        const disk = volume(world.storage.engineDisk);
        const table = JSON.parse(run("sfdisk", ["--json", disk]).toString()).partitiontable;
        expect(table.label).toBe("dos");
        expect(table.partitions[0]).toMatchObject({ start: 2048, type: "83", bootable: true });
        const release = run("debugfs", ["-R", "cat /etc/redhat-release", `${disk}?offset=1048576`]).toString();
        expect(release).toBe("CentOS release 6.8 (Final)\n");
        expect(fs.statSync(disk).size).toBe(2 * 1024 ** 3);
    });

    test("the configuration volume is a tar at offset 0 that dd | tar reads, members in setup's order", () => {
        const head = Buffer.alloc(64 * 1024);
        const fd = fs.openSync(volume(world.storage.confVolume), "r");
        fs.readSync(fd, head, 0, head.length, 0);
        fs.closeSync(fd);
        const listing = run("tar", ["-tvf", "-"], head).toString().trim().split("\n");
        expect(listing.map(l => l.split(/\s+/).pop())).toEqual(["version", "fhanswers.conf", "hosted-engine.conf", "broker.conf", "vm.conf"]);
        expect(listing.every(l => l.startsWith("-rw-r--r-- 0/0"))).toBe(true);
        const answers = run("tar", ["-xOf", "-", "fhanswers.conf"], head).toString();
        expect(answers).toMatch(/^\[environment:default\]\n/);
        expect(answers).toContain("OVEHOSTED_STORAGE/imgSizeGB=str:2\n");
        expect(answers).toContain(`OVEHOSTED_STORAGE/imgUUID=str:${world.storage.engineDisk.imgUUID}\n`);
    });

    test("the host's vm.conf has an empty cdrom device and the engine disk", () => {
        const vmConf = fs.readFileSync(path.join(info.root, "var/run/ovirt-hosted-engine-ha/vm.conf"), "utf8");
        expect(vmConf).toMatch(/^devices=\{index:2,iface:ide,.*path:,device:cdrom,.*\}$/m);
        expect(vmConf).toContain(`volumeID:${world.storage.engineDisk.volUUID},imageID:${world.storage.engineDisk.imgUUID}`);
        expect(vmConf).toContain(`vmId=${world.vm.vmId}\n`);
    });

    test("the appliance OVA is a gzip tar with a qcow2 el7 disk larger than the engine disk and a true sha1", () => {
        const conf = fs.readFileSync(path.join(info.root, "etc/ovirt-hosted-engine/10-appliance.conf"), "utf8");
        const ova = path.join(info.root, world.appliance.path);
        expect(conf).toContain(`path=${world.appliance.path}\n`);
        expect(conf).toContain(`sha1sum=${createHash("sha1").update(fs.readFileSync(ova)).digest("hex")}\n`);

        const members = run("tar", ["-tzf", ova]).toString().trim().split("\n");
        const disk = `images/${world.appliance.imgUUID}/${world.appliance.volUUID}`;
        expect(members).toEqual(expect.arrayContaining([disk, `${disk}.meta`]));
        const ovfMember = members.find(m => m.startsWith("master/") && m.endsWith(".ovf")) ?? "";
        const ovf = run("tar", ["-xzOf", ova, ovfMember]).toString();
        expect(ovf).toMatch(/^<ovf:Envelope /);
        expect(ovf).toContain(`ovf:fileRef="${world.appliance.imgUUID}/${world.appliance.volUUID}"`);
        const ovfSize = Number(/<Disk [^>]*ovf:size="([0-9]+)"/.exec(ovf)?.[1]);
        expect(ovfSize).toBe(world.appliance.ovfSizeGiB);
        expect(ovfSize).toBeGreaterThan(2);

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-ova-"));
        try {
            run("tar", ["-xzf", ova, "-C", dir, disk]);
            const qcow2 = path.join(dir, disk);
            const qinfo = JSON.parse(run("qemu-img", ["info", "--output", "json", qcow2]).toString());
            expect(qinfo.format).toBe("qcow2");
            expect(qinfo["virtual-size"]).toBe(ovfSize * 1024 ** 3);
            run("qemu-img", ["convert", "-O", "raw", qcow2, path.join(dir, "raw")]);
            const release = run("debugfs", ["-R", "cat /etc/redhat-release", `${path.join(dir, "raw")}?offset=1048576`]).toString();
            expect(release).toMatch(/^CentOS Linux release 7\./);
            const answers = run("debugfs", ["-R", "cat /root/ovirt-engine-answers", `${path.join(dir, "raw")}?offset=1048576`]).toString();
            expect(answers).toMatch(/^\[environment:default\]\n/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    test("inspect shows every volume with its .meta, and the HA metadata volume has the agents' slots", async () => {
        const inspected = await sim("inspect", info.dir) as unknown as {
            storage: { engineDiskPath: string; engineDiskSize: number; volumes: { image: string; meta: Record<string, string> }[]; metadataVolume: { imgUUID: string; volUUID: string } };
            engine: { disks: unknown[] };
        };
        expect(inspected.storage.engineDiskSize).toBe(2 * 1024 ** 3);
        expect(inspected.storage.engineDiskPath).toBe(volume(world.storage.engineDisk));
        expect(inspected.storage.volumes.find(v => v.image === world.storage.engineDisk.imgUUID)?.meta.DESCRIPTION).toBe("Hosted Engine Image");
        expect(inspected.engine.disks).toEqual([]);

        execFileSync(info.hostedEngine, ["--vm-status", "--json"]);
        const metadata = fs.readFileSync(volume(inspected.storage.metadataVolume));
        expect(metadata.subarray(0, 13).toString()).toBe("maintenance=0");
        const slot1 = metadata.subarray(4096, 4096 + 512).toString().replace(/\0+$/, "");
        expect(slot1).toMatch(/^1\|1\|[0-9]+\|1\|3400\|\{"health": "good", "vm": "up", "detail": "up"\}\|host1.example.com\|0\|0\|[0-9a-f]{8}\|1\|[0-9]+$/);
        expect(metadata.subarray(4096 + 512, 8192).toString()).toMatch(/^metadata_parse_version=1\n/);
    });

    test("the domain is the export mounted root-squashed: on the host root may not touch a volume, vdsm may, qemu reads through kvm", () => {
        const onHost = path.join(info.root, "rhev/data-center/mnt/nfs.example.com:_exports_he", world.storage.sdUUID);
        const engineVolume = path.join("images", world.storage.engineDisk.imgUUID, world.storage.engineDisk.volUUID);
        // the same volume, owned vdsm:kvm 0660 as vdsm made it
        const st = fs.statSync(path.join(onHost, engineVolume));
        expect(st.mode & 0o777).toBe(0o660);
        expect(fs.statSync(path.join(domain, engineVolume)).ino).toBe(st.ino);
        const code = (f: () => unknown) => {
            try {
                f();
                return "ok";
            } catch (err) {
                return (err as NodeJS.ErrnoException).code;
            }
        };
        expect(code(() => fs.closeSync(fs.openSync(path.join(onHost, engineVolume), "r")))).toBe("EACCES");
        expect(code(() => fs.closeSync(fs.openSync(path.join(onHost, engineVolume), "r+")))).toBe("EACCES");
        expect(code(() => fs.writeFileSync(path.join(onHost, "images", "by-root"), ""))).toBe("EACCES");
        const as = (user: string, group: string, args: string[]) =>
            code(() => execFileSync("sudo", ["-n", "-u", user, "-g", group, "--", ...args], { stdio: "ignore" }));
        expect(as("vdsm", "kvm", ["dd", `if=${path.join(onHost, engineVolume)}`, "of=/dev/null", "count=1", "status=none"])).toBe("ok");
        expect(as("qemu", "qemu", ["dd", `if=${path.join(onHost, engineVolume)}`, "of=/dev/null", "count=1", "status=none"])).toBe("ok");
    });

    test("stop and start resume the same host", async () => {
        await sim("stop", info.dir);
        const stopped = await sim("inspect", info.dir);
        expect(stopped.daemonRunning).toBe(false);
        const again = await startSim(info.dir);
        expect(again.dir).toBe(info.dir);
        const resumed = await sim("inspect", info.dir) as unknown as typeof world & { daemonRunning: boolean };
        expect(resumed.daemonRunning).toBe(true);
        expect(resumed.vm.vmId).toBe(world.vm.vmId);
        expect(resumed.storage.sdUUID).toBe(world.storage.sdUUID);
    });
});
