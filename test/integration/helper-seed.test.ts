// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The seed ISO the helper builds (real genisoimage) as the simulated
 * appliance's cloud-init reads it: what the helper writes must be what the
 * appliance's first boot needs.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { defaultConfig } from "../../src/bridge-helper/config";
import { hashRootPassword, metaData, userData, type SeedOptions } from "../../src/bridge-helper/formats/cloud-init";
import { buildSeedIso } from "../../src/bridge-helper/iso";
import { checkSeed } from "../sim/appliance-boot";
import { applyUserData, guestLogin, SHADOW, type GuestFiles } from "../sim/guest-cloud-init";
import { hostIds } from "../sim/host-ids";
import { newWorld } from "../sim/new-world";

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-seed-")); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function options(world: ReturnType<typeof newWorld>, extra: Partial<SeedOptions> = {}): SeedOptions {
    return {
        vmId: world.vm.vmId,
        engineFqdn: world.engine.fqdn,
        backupGuestPath: "/root/engine_backup.tar.gz",
        restoreDwh: true,
        restoreReports: false,
        rootPasswordHash: null,
        rootSshKey: null,
        rootSshAccess: null,
        etcHosts: [],
        ...extra,
    };
}

test("the helper's seed ISO is a cidata volume the simulated appliance accepts", async () => {
    const world = newWorld();
    const seed = options(world, { rootPasswordHash: hashRootPassword("Root-Pass-1"), rootSshAccess: "yes" });
    const iso = await buildSeedIso(defaultConfig(), path.join(dir, "seed"), userData(seed), metaData(seed));
    expect(execFileSync("isoinfo", ["-d", "-i", iso]).toString()).toMatch(/^Volume id: cidata$/m);
    expect(execFileSync("isoinfo", ["-R", "-f", "-i", iso]).toString().trim().split("\n").sort()).toEqual(["/meta-data", "/user-data"]);
    expect(fs.statSync(iso).mode & 0o777).toBe(0o600);
    expect(checkSeed(iso, world)).toMatchObject({ plan: { backupPath: "/root/engine_backup.tar.gz", provisionDwh: true }, problems: [] });
});

test("a seed for another VM is not taken by the appliance", async () => {
    const world = newWorld();
    const seed = options(world, { vmId: "00000000-0000-0000-0000-00000000beef" });
    const iso = await buildSeedIso(defaultConfig(), path.join(dir, "seed"), userData(seed), metaData(seed));
    expect(checkSeed(iso, world).problems).toEqual([`cloud-init: meta-data instance-id should be the VM id ${world.vm.vmId}`]);
});

test("the seed ISO never holds the root password, and the appliance's cloud-init sets it as typed", async () => {
    const world = newWorld();
    const seed = options(world, { rootPasswordHash: hashRootPassword("Root-Pass-2") });
    const iso = await buildSeedIso(defaultConfig(), path.join(dir, "seed"), userData(seed), metaData(seed));
    expect(fs.readFileSync(iso).includes("Root-Pass-2")).toBe(false);
    const checked = checkSeed(iso, world);
    const files = new Map([[SHADOW, "root:!!:16960:0:99999:7:::\n"]]);
    const guest: GuestFiles = { read: p => files.get(p) ?? null, write: (p, c) => { files.set(p, c); } };
    applyUserData(checked.userData ?? {}, guest, world.vm.vmId, () => undefined);
    expect(guestLogin(guest, "root", "Root-Pass-2")).toBe("ok");
});

test("the seed ISO is handed to qemu as the original does: qemu may open it, vdsm and others may not", async () => {
    const world = newWorld();
    fs.chmodSync(dir, 0o711);
    const iso = await buildSeedIso(defaultConfig(), path.join(dir, "seed"), userData(options(world)), metaData(options(world)));
    const ids = { qemu: hostIds().qemu, qemuGroup: hostIds().qemuGroup, vdsm: hostIds().vdsm };
    const isoStat = fs.statSync(iso);
    const dirStat = fs.statSync(path.dirname(iso));
    // cloud_init.py: the ISO qemu:qemu 0600, its directory vdsm:qemu 0710; the sources stay root's
    expect([isoStat.uid, isoStat.gid, isoStat.mode & 0o777]).toEqual([ids.qemu, ids.qemuGroup, 0o600]);
    expect([dirStat.uid, dirStat.gid, dirStat.mode & 0o777]).toEqual([ids.vdsm, ids.qemuGroup, 0o710]);
    expect(fs.statSync(path.join(path.dirname(iso), "user-data")).mode & 0o077).toBe(0);
    const opens = (user: string, group: string) => {
        try {
            execFileSync("sudo", ["-n", "-u", user, "-g", group, "--", "dd", `if=${iso}`, "of=/dev/null", "count=1", "status=none"], { stdio: "ignore" });
            return true;
        } catch {
            return false;
        }
    };
    expect(opens("qemu", "qemu")).toBe(true);
    expect(opens("vdsm", "kvm")).toBe(false);
    expect(opens("nobody", "nogroup")).toBe(false);
});
