// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated host driven through an upgrade and a rollback by hand, with
 * the host's own commands and real tools (not through our helper): the sim must
 * end with the 4.0 engine holding the backup's data, and the old disk must bring
 * the 3.6 engine back. A seed that would not work ends in the FAIL marker.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import YAML from "yaml";

import { vdsmPkiFiles } from "../sim/ca";
import { hostIds } from "../sim/host-ids";
import { engineClientTlsOptions } from "../sim/engine-api/tls";
import { VdsmTestClient } from "../sim/vdsm/client";
import { sim, simWorld, startSim, type SimInfo } from "../support/sim-control";

interface World {
    ports: { vdsm: number; engineHttps: number };
    storage: { sdUUID: string; spUUID: string; engineDisk: { imgUUID: string; volUUID: string } };
    vm: { vmId: string; status: string; bootedSystem: string | null };
    engine: { version: string; health: string; fqdn: string; data: { marker: string } };
    appliance: { path: string; imgUUID: string; volUUID: string; virtualSize: number };
}

const CHANNEL = "org.ovirt.hosted-engine-setup.0";
const PORT = `/dev/virtio-ports/${CHANNEL}`;

let info: SimInfo & { adminPassword: string; caFile: string; engineUrl: string };
let work: string;
let channelsDir: string;

const run = (command: string, args: string[], cwd?: string) =>
    execFileSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 }).toString();
/* The wiki's disk commands on the host's root-squashed domain run as vdsm, as the tool ran them (sudo -u vdsm -g kvm). */
const asVdsm = (command: string, args: string[]) => run("sudo", ["-n", "-u", "vdsm", "-g", "kvm", "--", command, ...args]);

async function world(): Promise<World> {
    return await simWorld<World>(info.dir);
}

async function waitFor(what: string, check: (w: World) => boolean, timeoutMs = 20_000): Promise<World> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const w = await world();
        if (check(w))
            return w;
        if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what}: ${JSON.stringify(w.vm)} ${JSON.stringify(w.engine.health)}`);
        await new Promise(resolve => setTimeout(resolve, 200));
    }
}

function volume(w: World, imgUUID: string, volUUID: string): string {
    return path.join(info.root, "rhev/data-center/mnt/nfs.example.com:_exports_he", w.storage.sdUUID, "images", imgUUID, volUUID);
}

function engineVolume(w: World): string {
    return volume(w, w.storage.engineDisk.imgUUID, w.storage.engineDisk.volUUID);
}

/** One call to the engine's REST API (v3 XML), as the original tool's SDK made it. */
async function engine(method: string, apiPath: string, body?: string, version = "3"): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
        const req = https.request(`${info.engineUrl}/api/${apiPath}`, {
            method,
            ...engineClientTlsOptions(info.caFile, info.engineFqdn),
            headers: { Authorization: "Basic " + Buffer.from(`admin@internal:${info.adminPassword}`).toString("base64"),
                Accept: "application/xml", "Content-Type": "application/xml", Version: version },
        }, res => {
            let text = "";
            res.on("data", c => { text += c; });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on("error", reject);
        req.end(body);
    });
}

async function waitForDiskOk(id: string, version = "3"): Promise<void> {
    for (let i = 0; i < 100; i++) {
        const { text } = await engine("GET", `disks/${id}`, undefined, version);
        if (/<status>\s*(<state>)?ok/.test(text))
            return;
        await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(`disk ${id} never became ok`);
}

/** Asks the API until it answers: right after its health page does, a started engine's API still answers 503. */
async function waitForApi(version: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
        if ((await engine("GET", "", undefined, version)).status === 200)
            return;
        await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error("the engine's API never answered");
}

/** Reads the setup channel until a SETUP marker (or the FAIL of the restore when setup follows anyway). */
async function readChannel(vmId: string, timeoutMs = 30_000): Promise<string[]> {
    // qemu makes the socket when libvirt starts it, after VM.create answered: retried as the original does
    const socketPath = path.join(channelsDir, `${vmId}.${CHANNEL}`);
    for (let i = 0; i < 50 && !fs.existsSync(socketPath); i++)
        await new Promise(resolve => setTimeout(resolve, 100));
    return new Promise((resolve, reject) => {
        const socket = net.createConnection(socketPath);
        let text = "";
        const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no setup marker on the channel:\n${text}`)); }, timeoutMs);
        socket.setEncoding("utf8");
        socket.on("data", chunk => {
            text += chunk;
            if (/HE_APPLIANCE_ENGINE_SETUP_(SUCCESS|FAIL)\n/.test(text) || /HE_APPLIANCE_ENGINE_RESTORE_FAIL\n/.test(text) && text.includes("cloud-init:")) {
                clearTimeout(timer);
                socket.end();
                resolve(text.trim().split("\n"));
            }
        });
        socket.on("error", err => { clearTimeout(timer); reject(err); });
    });
}

function seedIso(w: World, backupName: string, options: { setup?: boolean } = {}): string {
    const dir = fs.mkdtempSync(path.join(work, "seed-"));
    const runcmd = [
        `engine-backup --mode=restore --file=/root/${backupName} --log=engine_restore.log --restore-permissions --provision-db --provision-dwh-db 1>${PORT} 2>&1`,
        `if [ $? -eq 0 ]; then echo "HE_APPLIANCE_ENGINE_RESTORE_SUCCESS" >${PORT}; else echo "HE_APPLIANCE_ENGINE_RESTORE_FAIL" >${PORT}; fi`,
        ...(options.setup === false ? [] : [
            `/usr/bin/engine-setup --offline --config-append=/root/ovirt-engine-answers --config-append=/root/heanswers.conf 1>${PORT} 2>&1`,
            `if [ $? -eq 0 ]; then echo "HE_APPLIANCE_ENGINE_SETUP_SUCCESS" >${PORT}; else echo "HE_APPLIANCE_ENGINE_SETUP_FAIL" >${PORT}; fi`,
        ]),
        "rm /root/heanswers.conf",
    ];
    const userData = {
        write_files: [{
            content: `[environment:init]\nDIALOG/autoAcceptDefault=bool:True\n[environment:default]\nOVESETUP_CONFIG/fqdn=str:${w.engine.fqdn}\nOVESETUP_PKI/organization=str:example.com\n`,
            path: "/root/heanswers.conf",
            owner: "root:root",
            permissions: "0640",
        }],
        runcmd,
    };
    fs.writeFileSync(path.join(dir, "user-data"), "#cloud-config\n# vim: syntax=yaml\n" + YAML.stringify(userData));
    // the deploy gave the engine VM a static address: the seed configures it as the tool's did (cloud_init.py meta-data)
    const networkInterfaces = "auto eth0\niface eth0 inet static\n  address 192.168.1.222\n  network 192.168.1.0\n" +
        "  netmask 255.255.255.0\n  broadcast 192.168.1.255\n  gateway 192.168.1.1\n";
    fs.writeFileSync(path.join(dir, "meta-data"), YAML.stringify({
        "instance-id": w.vm.vmId, "local-hostname": w.engine.fqdn, "network-interfaces": networkInterfaces,
    }));
    run("genisoimage", ["-quiet", "-output", "seed.iso", "-volid", "cidata", "-joliet", "-rock", "-input-charset", "utf-8",
        "user-data", "meta-data"], dir);
    // qemu opens it as qemu: the wiki's administrator hands it over as the tool did (qemu:qemu 0600)
    const ids = hostIds();
    fs.chmodSync(work, 0o711);
    fs.chmodSync(dir, 0o711);
    fs.chownSync(path.join(dir, "seed.iso"), ids.qemu, ids.qemuGroup);
    fs.chmodSync(path.join(dir, "seed.iso"), 0o600);
    return path.join(dir, "seed.iso");
}

/** The host's vm.conf with the cdrom pointed at the seed. */
function vmConfWithCdrom(iso: string): string {
    const vmConf = fs.readFileSync(path.join(info.root, "var/run/ovirt-hosted-engine-ha/vm.conf"), "utf8");
    const patched = vmConf.replace(/path:,device:cdrom/, `path:${iso},device:cdrom`);
    expect(patched).not.toBe(vmConf);
    const file = path.join(work, `vm-${Date.now()}.conf`);
    fs.writeFileSync(file, patched);
    return file;
}

/** Overwrites the engine disk with the appliance, grown to its size by vdsm's SPM task, with the backup at /root/NAME. */
async function writeAppliance(w: World, backup: string, backupName: string): Promise<void> {
    const target = engineVolume(w);
    const ova = path.join(info.root, w.appliance.path);
    const member = `images/${w.appliance.imgUUID}/${w.appliance.volUUID}`;
    run("tar", ["-xzf", ova, "-C", work, member]);
    // vdsm reads what it writes to the domain: the image and the backup, in a directory it may pass
    run("chmod", ["-R", "go+rX", work]);
    fs.chmodSync(backup, 0o644);
    const vdsm = await VdsmTestClient.connect(w.ports.vdsm, vdsmPkiFiles(info.root));
    try {
        const disk = { storagepoolID: w.storage.spUUID, storagedomainID: w.storage.sdUUID, imageID: w.storage.engineDisk.imgUUID, volumeID: w.storage.engineDisk.volUUID };
        const task = await vdsm.call<string>("Volume.extendSize", { ...disk, newSize: String(w.appliance.virtualSize) });
        let status = await vdsm.call<{ taskState: string; taskResult: string }>("Task.getStatus", { taskID: task });
        while (status.taskState !== "finished") {
            await new Promise(resolve => setTimeout(resolve, 100));
            status = await vdsm.call("Task.getStatus", { taskID: task });
        }
        expect(status.taskResult).toBe("success");
    } finally {
        vdsm.close();
    }
    asVdsm("qemu-img", ["convert", "-n", "-f", "qcow2", "-O", "raw", path.join(work, member), target]);
    asVdsm("debugfs", ["-w", "-R", `write ${backup} /root/${backupName}`, `${target}?offset=1048576`]);
}

beforeEach(async () => {
    info = await startSim() as typeof info;
    work = fs.mkdtempSync(path.join(os.tmpdir(), "he-by-hand-"));
    channelsDir = (JSON.parse(fs.readFileSync(info.helperConfig, "utf8")) as { channelsDir: string }).channelsDir;
});

afterEach(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
});

test("upgrade by hand to 4.0 with the backup's data, register the backup disk, then roll back to the 3.6 engine", async () => {
    const before = await world();
    expect(before.engine.version).toBe("3.6.7.5");
    run(info.hostedEngine, ["--set-maintenance", "--mode=global"]);

    const backup = path.join(work, "engine_backup.tar.gz");
    const made = await sim("make-backup", info.dir, "--out", backup);
    expect(made.marker).toBe(before.engine.data.marker);

    // the backup disk, through the engine, before the engine goes down
    const size = fs.statSync(engineVolume(before)).size;
    const created = await engine("POST", "disks", `<disk><name>virtio-disk0</name><alias>virtio-disk0</alias><description>hosted-engine-backup-20261125031500</description><storage_domains><storage_domain id="${before.storage.sdUUID}"/></storage_domains><size>${size}</size><interface>virtio</interface><format>raw</format><sparse>false</sparse><bootable>true</bootable></disk>`);
    expect(created.status).toBe(202);
    const backupImg = /<disk [^>]*id="([^"]+)"/.exec(created.text)?.[1] ?? "";
    const backupVol = /<image_id>([^<]+)<\/image_id>/.exec(created.text)?.[1] ?? "";
    await waitForDiskOk(backupImg);

    run(info.hostedEngine, ["--vm-shutdown"]);
    await waitFor("the engine VM down", w => w.vm.status === "Down");
    const backupVolume = volume(before, backupImg, backupVol);
    asVdsm("qemu-img", ["convert", "-n", "-f", "raw", "-O", "raw", engineVolume(before), backupVolume]);
    asVdsm("qemu-img", ["compare", "-f", "raw", "-F", "raw", engineVolume(before), backupVolume]);

    await writeAppliance(before, backup, "engine_backup.tar.gz");
    const iso = seedIso(before, "engine_backup.tar.gz");
    run(info.hostedEngine, ["--vm-start", `--vm-conf=${vmConfWithCdrom(iso)}`]);
    const console = await readChannel(before.vm.vmId);
    expect(console).toContain("HE_APPLIANCE_ENGINE_RESTORE_SUCCESS");
    expect(console[console.length - 1]).toBe("HE_APPLIANCE_ENGINE_SETUP_SUCCESS");

    const upgraded = await waitFor("the 4.0 engine healthy", w => w.engine.health === "good");
    expect(upgraded.engine.version).toMatch(/^4\.0\./);
    expect(upgraded.vm.bootedSystem).toBe("el7-appliance-4.0");
    expect(upgraded.engine.data.marker).toBe(before.engine.data.marker);

    // the restored engine's database predates the backup disk: find it among the unregistered ones, register it
    await waitForApi("4");
    const unregistered = await engine("GET", `storagedomains/${before.storage.sdUUID}/disks;unregistered`, undefined, "4");
    expect(unregistered.text).toContain(`id="${backupImg}"`);
    const registered = await engine("POST", `storagedomains/${before.storage.sdUUID}/disks;unregistered`, `<disk id="${backupImg}"/>`, "4");
    expect(registered.status).toBeLessThan(300);
    await waitForDiskOk(backupImg, "4");

    // roll back: the backup disk's bytes over the engine volume, then the 3.6 engine boots again
    run(info.hostedEngine, ["--vm-shutdown"]);
    await waitFor("the 4.0 engine VM down", w => w.vm.status === "Down");
    asVdsm("qemu-img", ["convert", "-n", "-f", "raw", "-O", "raw", backupVolume, engineVolume(before)]);
    // a volume never shrinks: the old disk's bytes are the first part of the grown volume
    asVdsm("cmp", ["-n", String(size), backupVolume, engineVolume(before)]);
    run(info.hostedEngine, ["--vm-start"]);
    const rolledBack = await waitFor("the 3.6 engine healthy", w => w.engine.health === "good");
    expect(rolledBack.engine.version).toBe("3.6.7.5");
    expect(rolledBack.vm.bootedSystem).toBe("el6-engine-3.6");
    expect(rolledBack.engine.data.marker).toBe(before.engine.data.marker);
});

test("a seed without engine-setup ends in the FAIL marker with the reason", async () => {
    const before = await world();
    run(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    const backup = path.join(work, "engine_backup.tar.gz");
    await sim("make-backup", info.dir, "--out", backup);
    run(info.hostedEngine, ["--vm-poweroff"]);
    await writeAppliance(before, backup, "engine_backup.tar.gz");
    run(info.hostedEngine, ["--vm-start", `--vm-conf=${vmConfWithCdrom(seedIso(before, "engine_backup.tar.gz", { setup: false }))}`]);
    const console = await readChannel(before.vm.vmId);
    expect(console.some(l => l.includes("lacks engine-setup --offline"))).toBe(true);
    expect(console[console.length - 1]).toBe("HE_APPLIANCE_ENGINE_RESTORE_FAIL");
    expect((await world()).engine.health).toBe("down");
});

test("a backup missing from /root fails the restore with engine-backup's message", async () => {
    const before = await world();
    run(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    const backup = path.join(work, "engine_backup.tar.gz");
    await sim("make-backup", info.dir, "--out", backup);
    run(info.hostedEngine, ["--vm-poweroff"]);
    await writeAppliance(before, backup, "engine_backup.tar.gz");
    run(info.hostedEngine, ["--vm-start", `--vm-conf=${vmConfWithCdrom(seedIso(before, "other-name.tar.gz"))}`]);
    const console = await readChannel(before.vm.vmId);
    expect(console).toContain("FATAL: Backup file '/root/other-name.tar.gz' not found");
    expect(console).toContain("HE_APPLIANCE_ENGINE_RESTORE_FAIL");
    expect(console[console.length - 1]).toBe("HE_APPLIANCE_ENGINE_SETUP_FAIL");
});
