// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The helper's guestfish module with real libguestfs (TCG here: KVM does not
 * work on our machines): the backup lands in the appliance disk's root file
 * system and its checksum is read back. Slow: one appliance launch, ~12 s.
 */

import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { defaultConfig, type HelperConfig } from "../../src/bridge-helper/config";
import { uploadIntoGuest } from "../../src/bridge-helper/guestfish";
import { buildRawImage, readGuestBytes } from "../sim/disk-image";

let dir: string;
const config: HelperConfig = {
    ...defaultConfig(),
    diskUser: "root",
    diskGroup: "root",
    libguestfs: { backend: "direct", backendSettings: "force_tcg" },
};

beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-guestfish-")); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("uploads a file into /root of the image's first partition and reads its MD5 back", async () => {
    const image = path.join(dir, "appliance.raw");
    buildRawImage(image, 512 << 20, { "etc/redhat-release": "CentOS Linux release 7.2.1511 (Core)\n", "root/.keep": "" }, "rootfs");
    const backup = path.join(dir, "engine_backup.tar.gz");
    fs.writeFileSync(backup, Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251)));
    const md5 = await uploadIntoGuest(config, image, "raw", backup, "/root/engine_backup.tar.gz");
    const expected = createHash("md5").update(fs.readFileSync(backup)).digest("hex");
    expect(md5).toBe(expected);
    expect(createHash("md5").update(readGuestBytes(image, "/root/engine_backup.tar.gz") ?? Buffer.alloc(0)).digest("hex")).toBe(expected);
});

test("a guest path that is not plain is refused before libguestfs starts", async () => {
    await expect(uploadIntoGuest(config, path.join(dir, "x.raw"), "raw", "/etc/hostname", "/root/../etc/passwd"))
            .rejects.toThrow(/is not a plain absolute path/);
});
