// SPDX-License-Identifier: LGPL-2.1-or-later

/* Archives whose members could write outside their place (absolute paths, .., links, devices) are refused. */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";

import tar from "tar-stream";

import { readEngineBackup } from "../../src/bridge-helper/formats/engine-backup";
import { readOva } from "../../src/bridge-helper/formats/ova";
import { USER_FILE_LIMITS, withUserFile } from "../../src/bridge-helper/host/user-file";

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-archive-")); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

type Entry = { name: string; type?: "file" | "symlink" | "link" | "character-device"; linkname?: string; content?: string };

async function gzipTar(file: string, entries: Entry[]): Promise<void> {
    const pack = tar.pack();
    for (const e of entries)
        pack.entry({ name: e.name, type: e.type ?? "file", ...(e.linkname ? { linkname: e.linkname } : {}) }, e.content ?? "");
    pack.finalize();
    await pipeline(pack, zlib.createGzip(), fs.createWriteStream(file));
}

test.each<[string, Entry]>([
    ["an absolute path", { name: "/etc/cron.d/evil", content: "x" }],
    ["a path with ..", { name: "images/../../root/.ssh/authorized_keys", content: "x" }],
    ["a symlink", { name: "images/IMG/VOL", type: "symlink", linkname: "/dev/sda" }],
    ["a link", { name: "images/IMG/VOL2", type: "link", linkname: "/etc/shadow" }],
    ["a character-device", { name: "images/IMG/dev", type: "character-device" }],
])("an OVA with %s is refused", async (what, entry) => {
    const file = path.join(dir, "evil.ova");
    await gzipTar(file, [{ name: "master/vms/T/T.ovf", content: "<ovf:Envelope/>" }, entry]);
    const report = await withUserFile(file, file, USER_FILE_LIMITS.ova, ova => readOva(ova, { extractDiskTo: dir }));
    expect(report.problems.some(p => p.code === "ova.unsafe-member" && p.english.includes("could write outside its place") && p.english.includes(what))).toBe(true);
    expect(fs.readdirSync(dir).filter(n => n.startsWith("ova-disk"))).toEqual([]);
});

test("an engine backup with a symlink member is refused", async () => {
    const file = path.join(dir, "evil-backup.tar.gz");
    await gzipTar(file, [{ name: "./version", content: "3.6.7.5\n" }, { name: "./files", type: "symlink", linkname: "/etc/shadow" }]);
    const report = await withUserFile(file, file, USER_FILE_LIMITS.backup, backup => readEngineBackup(backup, { xz: "/usr/bin/xz", bzip2: "/usr/bin/bzip2" }));
    expect(report.problems.map(p => p.english).join(" ")).toMatch(/could write outside its place: \.\/files \(a symlink entry\)/);
});
