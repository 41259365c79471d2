// SPDX-License-Identifier: LGPL-2.1-or-later

/* The helper's qemu-img module with the real qemu-img: copies with progress, verification, info. */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { defaultConfig, type HelperConfig } from "../../src/bridge-helper/config";
import { checkPlainImage, convert, imageInfo, sameContent } from "../../src/bridge-helper/qemu-img";

let dir: string;
const config: HelperConfig = { ...defaultConfig(), diskUser: "root", diskGroup: "root" };

beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-qemu-img-")); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A sparse raw image with some data at scattered offsets. */
function sparseImage(file: string, size: number): void {
    fs.writeFileSync(file, "");
    fs.truncateSync(file, size);
    const fd = fs.openSync(file, "r+");
    for (let offset = 0; offset < size; offset += 64 << 20)
        fs.writeSync(fd, Buffer.alloc(1 << 20, offset / (64 << 20) + 1), 0, 1 << 20, offset);
    fs.closeSync(fd);
}

test("a raw copy reports progress, keeps holes, and verifies equal; a changed byte verifies different", async () => {
    const source = path.join(dir, "source.raw");
    const target = path.join(dir, "target.raw");
    sparseImage(source, 512 << 20);
    fs.writeFileSync(target, "");
    fs.truncateSync(target, 512 << 20);
    const fractions: number[] = [];
    await convert(config, source, target, { sourceFormat: "raw", targetFormat: "raw", existingTarget: true, onProgress: f => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(0);
    expect(fractions[fractions.length - 1]).toBe(1);
    expect(await sameContent(config, source, target)).toBe(true);
    expect(fs.statSync(target).blocks * 512).toBeLessThan(64 << 20);

    const fd = fs.openSync(target, "r+");
    fs.writeSync(fd, Buffer.from([0xff]), 0, 1, 300 << 20);
    fs.closeSync(fd);
    expect(await sameContent(config, source, target)).toBe(false);
});

test("qcow2 to raw and image info", async () => {
    const raw = path.join(dir, "a.raw");
    const qcow2 = path.join(dir, "a.qcow2");
    sparseImage(raw, 256 << 20);
    execFileSync("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", raw, qcow2]);
    const info = await imageInfo(config, qcow2, "qcow2");
    expect(info).toMatchObject({ format: "qcow2", virtualSize: 256 << 20 });
    await convert(config, qcow2, path.join(dir, "b.raw"), { sourceFormat: "qcow2", targetFormat: "raw", existingTarget: false });
    expect(await sameContent(config, raw, path.join(dir, "b.raw"))).toBe(true);
});

test("a missing source is an error naming the command", async () => {
    await expect(convert(config, path.join(dir, "absent.raw"), path.join(dir, "x.raw"), { sourceFormat: "raw", targetFormat: "raw", existingTarget: false }))
            .rejects.toThrow(/qemu-img convert .* failed with exit code 1/);
});

/* Issue 14, finding 3: what qemu-img itself says of the appliance disk, before anything converts it. */
test.each([
    ["names a backing file", ["-b", "MARKER", "-F", "raw"], /names a backing file/],
    ["names an external data file", ["-o", "data_file=MARKER"], /names an external data file/],
])("an image that %s is refused, and the file it names is never shown", async (_name, options, message) => {
    const marker = path.join(dir, "marker.raw");
    fs.writeFileSync(marker, "HOSTILE-MARKER-CONTENT");
    const image = path.join(dir, "hostile.qcow2");
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", ...options.map(o => o.replace("MARKER", marker)), image, "1M"]);
    const refusal = checkPlainImage(config, image, "qcow2");
    await expect(refusal).rejects.toThrow(message);
    await refusal.catch((err: Error) => expect(JSON.stringify(err)).not.toMatch(/marker\.raw|HOSTILE-MARKER/));
});

test("a plain qcow2 image passes; a raw one is not read as qcow2", async () => {
    const qcow2 = path.join(dir, "plain.qcow2");
    const raw = path.join(dir, "plain.raw");
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", qcow2, "1M"]);
    fs.writeFileSync(raw, Buffer.alloc(1 << 20));
    await expect(checkPlainImage(config, qcow2, "qcow2")).resolves.toBeUndefined();
    await expect(checkPlainImage(config, raw, "raw")).resolves.toBeUndefined();
    await expect(checkPlainImage(config, raw, "qcow2")).rejects.toThrow(/qemu-img info/);
});
