// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Building the cloud-init seed ISO with genisoimage (volume id "cidata", Joliet
 * and Rock Ridge). qemu opens it as qemu:qemu and libvirt does not change
 * owners on an oVirt host (vdsm sets dynamic_ownership=0), so it is handed to
 * qemu the way the original did (cloud_init.py): the ISO qemu:qemu 0600 in a
 * vdsm:qemu 0710 directory. It may carry a password hash: nobody else reads it.
 */

import fs from "node:fs";
import path from "node:path";

import { text, type Text } from "../protocol/text";
import type { HelperConfig } from "./config";
import { HelperError } from "./errors";
import { handOver, hostIdentities } from "./host/identities";
import { runChecked } from "./process";

/* genisoimage's -graft-points reads "name=path": an = or \\ in the path would split or escape it. */
const GRAFT_UNSAFE = /[=\\\p{Cc}]/u;

/** Why genisoimage cannot be given files in `dir` as graft points, or null. */
export function seedDirProblem(dir: string): Text | null {
    return GRAFT_UNSAFE.test(dir) ? text("iso.dir-invalid", { path: dir }) : null;
}

/** Writes user-data and meta-data into `dir` and makes `dir`/seed.iso of them; returns the ISO's path. */
export async function buildSeedIso(config: HelperConfig, dir: string, userData: string, metaData: string): Promise<string> {
    const problem = seedDirProblem(dir);
    if (problem)
        throw new HelperError("usage", dir, problem);
    const ids = hostIdentities(config);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    // the sources stay root's
    fs.writeFileSync(path.join(dir, "user-data"), userData, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, "meta-data"), metaData, { mode: 0o600 });
    const iso = path.join(dir, "seed.iso");
    await runChecked(config.commands.genisoimage, ["-quiet", "-output", iso, "-volid", "cidata", "-joliet", "-rock",
        "-input-charset", "utf-8", "-graft-points", `user-data=${path.join(dir, "user-data")}`, `meta-data=${path.join(dir, "meta-data")}`]);
    handOver(iso, ids.qemu, 0o600);
    handOver(dir, { uid: ids.disk.uid, gid: ids.qemu.gid }, 0o710);
    return iso;
}
