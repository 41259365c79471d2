// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Issue 14, findings 2 and 4b: the upgrade works from the private copy of the
 * backup its preflight checked. The user owns the archive and swaps it for
 * garbage as soon as the job has started: the job still injects the archive
 * that was checked. The archive's name has spaces and brackets, which
 * guestfish could not take; the copy has a fixed name.
 */

import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { readGuestBytes } from "../sim/disk-image";
import { helperSync, sim, simWorld, startSim, type SimInfo } from "../support/sim-control";
import { followToEnd } from "../support/job-control";

let info: SimInfo & { adminPassword: string };
const NAME = "my backup (1).tar.gz";

interface World {
    storage: { sdUUID: string; engineDisk: { imgUUID: string; volUUID: string } };
}

const md5 = (data: Buffer) => createHash("md5").update(data).digest("hex");

beforeAll(async () => {
    info = await startSim() as typeof info;
    execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    fs.mkdirSync(path.join(info.root, "home/admin"), { recursive: true });
    await sim("make-backup", info.dir, "--out", path.join(info.root, "home/admin", NAME));
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

test("a backup named with spaces validates", () => {
    const out = helperSync(info.helperConfig, ["validate-backup", `/home/admin/${NAME}`]);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ path: `/home/admin/${NAME}`, version: "3.6.7.5", problems: [] });
});

test("the job injects the backup its preflight checked, though the user swapped the file after the start", async () => {
    const local = path.join(info.root, "home/admin", NAME);
    const original = fs.readFileSync(local);
    const started = helperSync(info.helperConfig, ["upgrade"], JSON.stringify({
        backupArchive: `/home/admin/${NAME}`,
        appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
        vmNetwork: { mode: "dhcp" },
        adminPassword: info.adminPassword,
    }));
    expect(started.code).toBe(0);
    const { job } = JSON.parse(started.stdout) as { job: string };

    // the owner swaps the archive: a new file renamed over it, and the old inode rewritten too
    const swapped = Buffer.from("swapped after the preflight\n".repeat(100));
    fs.writeFileSync(local, swapped);
    fs.writeFileSync(`${local}.new`, swapped);
    fs.renameSync(`${local}.new`, local);

    const { result } = await followToEnd(info.helperConfig, job);
    expect(result).toMatchObject({ ok: true });
    const w = await simWorld<World>(info.dir);
    const volume = path.join(info.nfsExport, w.storage.sdUUID, "images", w.storage.engineDisk.imgUUID, w.storage.engineDisk.volUUID);
    const injected = readGuestBytes(volume, "/root/engine-backup.tar.gz");
    expect(injected && md5(injected)).toBe(md5(original));
});
