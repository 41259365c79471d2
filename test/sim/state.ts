// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The world's JSON file. Written atomically (a temporary file, then rename) so
 * a reader never sees half a file.
 */

import fs from "node:fs";
import path from "node:path";

import type { SimWorld } from "./world";

export function readWorld(file: string): SimWorld {
    return JSON.parse(fs.readFileSync(file, "utf8")) as SimWorld;
}

export function writeWorld(file: string, world: SimWorld): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(world, null, 2) + "\n");
    fs.renameSync(tmp, file);
}

export function updateWorld(file: string, change: (world: SimWorld) => void): SimWorld {
    const world = readWorld(file);
    change(world);
    writeWorld(file, world);
    return world;
}
