// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The qcow2 header reader (issue 14, finding 3): images qemu-img itself makes
 * with a backing file, an external data file or encryption are reported, so no
 * appliance disk makes qemu-img read another file of the host; and headers made
 * in memory for what qemu-img will not create (qcow v1, cut short, huge, unknown
 * features).
 */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { QCOW2_HEAD_BYTES, readQcow2Header } from "../../src/bridge-helper/formats/qcow2";
import { qemuImgCreate } from "../support/qemu-img-create";

let dir: string;

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-qcow2-test-"));
});

afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
});

/** An image made by qemu-img create with `options`, read as the OVA reader reads it: its first QCOW2_HEAD_BYTES. */
function made(name: string, options: string[]): ReturnType<typeof readQcow2Header> {
    const file = path.join(dir, name);
    qemuImgCreate(["-f", "qcow2", ...options.map(o => o.replace("DIR", dir)), file, "1M"]);
    const head = fs.readFileSync(file).subarray(0, QCOW2_HEAD_BYTES);
    return readQcow2Header(head, fs.statSync(file).size <= head.length);
}

/** A version 3 header of 104 bytes, 64 KiB clusters, 1 MiB, then an end-of-extensions marker. */
function header(edit: (b: Buffer) => void = () => undefined, version = 3): Buffer {
    const b = Buffer.alloc(4096);
    b.writeUInt32BE(0x514649fb, 0);
    b.writeUInt32BE(version, 4);
    b.writeUInt32BE(16, 20);
    b.writeBigUInt64BE(1n << 20n, 24);
    b.writeUInt32BE(4, 96);
    b.writeUInt32BE(104, 100);
    edit(b);
    return b;
}

test.each([
    ["a plain qcow2 v3", ["-o", "compat=1.1"]],
    ["a plain qcow2 v2", ["-o", "compat=0.10"]],
])("%s has no problem and its virtual size", (name, options) => {
    expect(made(name.replace(/ /g, "-"), options)).toEqual({ version: options[1] === "compat=1.1" ? 3 : 2, virtualSize: 1 << 20, problems: [] });
});

test.each([
    ["a backing file", ["-b", "/etc/shadow", "-F", "raw", "-u"], "backing-file"],
    ["a backing file without its format", ["-o", "compat=0.10", "-b", "/etc/shadow", "-F", "raw", "-u"], "backing-file"],
    ["an external data file", ["-o", "data_file=DIR/data.raw"], "data-file"],
    ["LUKS encryption", ["--object", "secret,id=s0,data=abc", "-o", "encrypt.format=luks,encrypt.key-secret=s0,encrypt.iter-time=100"], "encrypted"],
    ["AES encryption", ["--object", "secret,id=s0,data=abc", "-o", "encryption=on,encrypt.key-secret=s0"], "encrypted"],
])("an image made with %s is reported", (name, options, problem) => {
    expect(made(name.replace(/ /g, "-"), options).problems).toContain(problem);
});

test.each([
    ["qcow version 1", header(() => undefined, 1), "version"],
    ["qcow2 version 4", header(() => undefined, 4), "version"],
    ["a header cut at 40 bytes", header().subarray(0, 40), "truncated"],
    ["only the magic", header().subarray(0, 6), "truncated"],
    ["a virtual size of 2^63", header(b => b.writeBigUInt64BE(1n << 63n, 24)), "size"],
    ["a virtual size of 0", header(b => b.writeBigUInt64BE(0n, 24)), "size"],
    ["a cluster size of 2^40", header(b => b.writeUInt32BE(40, 20)), "cluster-bits"],
    ["a backing file offset only", header(b => b.writeBigUInt64BE(512n, 8)), "backing-file"],
    ["the external data file bit", header(b => b.writeBigUInt64BE(4n, 72)), "data-file"],
    ["the corrupt bit", header(b => b.writeBigUInt64BE(2n, 72)), "corrupt"],
    ["an unknown incompatible feature", header(b => b.writeBigUInt64BE(1n << 40n, 72)), "features"],
    ["crypt_method 1", header(b => b.writeUInt32BE(1, 32)), "encrypted"],
    ["a data file name extension alone", header(b => {
        b.writeUInt32BE(0x44415441, 104);
        b.writeUInt32BE(11, 108);
        b.write("/etc/shadow", 112);
    }), "data-file"],
    ["a header length that is no multiple of 8", header(b => b.writeUInt32BE(105, 100)), "extensions"],
    ["extensions running past the first cluster", header(b => {
        b.writeUInt32BE(9, 20);
        b.writeUInt32BE(0x12345678, 104);
        b.writeUInt32BE(1000, 108);
    }), "extensions"],
])("a header with %s is reported", (_name, head, problem) => {
    expect(readQcow2Header(head).problems).toContain(problem);
});

test("a dirty image is fine: qemu-img rebuilds its refcounts", () => {
    expect(readQcow2Header(header(b => b.writeBigUInt64BE(1n, 72))).problems).toEqual([]);
});

test("a whole file ending before its extensions end is cut short", () => {
    const head = header(b => {
        b.writeUInt32BE(0x12345678, 104);
        b.writeUInt32BE(8, 108);
    }).subarray(0, 116);
    expect(readQcow2Header(head, true).problems).toContain("truncated");
});
