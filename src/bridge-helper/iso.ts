// SPDX-License-Identifier: LGPL-2.1-or-later

/* Building the cloud-init seed ISO with genisoimage (volume id "cidata", Joliet and Rock Ridge). */

import fs from "node:fs";
import path from "node:path";

import type { HelperConfig } from "./config";
import { runChecked } from "./process";

/** Writes user-data and meta-data into `dir` and makes `dir`/seed.iso of them; returns the ISO's path. */
export async function buildSeedIso(config: HelperConfig, dir: string, userData: string, metaData: string): Promise<string> {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // user-data may carry a password hash: readable by root only
    fs.writeFileSync(path.join(dir, "user-data"), userData, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, "meta-data"), metaData, { mode: 0o600 });
    const iso = path.join(dir, "seed.iso");
    await runChecked(config.commands.genisoimage, ["-quiet", "-output", iso, "-volid", "cidata", "-joliet", "-rock",
        "-input-charset", "utf-8", "-graft-points", `user-data=${path.join(dir, "user-data")}`, `meta-data=${path.join(dir, "meta-data")}`]);
    fs.chmodSync(iso, 0o600);
    return iso;
}
