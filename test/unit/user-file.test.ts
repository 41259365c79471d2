// SPDX-License-Identifier: LGPL-2.1-or-later

/* A file a user named (issue 14): opened once, only a regular file within its limit, read in bounded amounts. */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { HelperError } from "../../src/bridge-helper/errors";
import { sizeLimit, UserFile } from "../../src/bridge-helper/host/user-file";

let dir: string;

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "user-file-"));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function refusal(file: string, limit = 1 << 20): string {
    try {
        UserFile.open(file, file, limit).close();
    } catch (err) {
        expect(err).toBeInstanceOf(HelperError);
        return (err as HelperError).text.code;
    }
    return "opened";
}

test("a named pipe is refused at once, without waiting for a writer", () => {
    const fifo = path.join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const started = Date.now();
    expect(refusal(fifo)).toBe("user-file.fifo");
    expect(Date.now() - started).toBeLessThan(2000);
});

test.each([
    ["a directory", () => dir, "user-file.directory"],
    ["a device", () => "/dev/null", "user-file.device"],
    ["a missing file", () => path.join(dir, "none"), "verbs.not-a-file"],
    ["a relative path", () => "relative/file", "user-file.relative"],
    ["a path with a newline", () => `${dir}/a\nb`, "user-file.characters"],
])("%s is refused", (_what, file, code) => {
    expect(refusal(file())).toBe(code);
});

test("a symbolic link as the last component is refused; one among the parents is followed", () => {
    const target = path.join(dir, "target");
    fs.writeFileSync(target, "content");
    fs.symlinkSync(target, path.join(dir, "link"));
    expect(refusal(path.join(dir, "link"))).toBe("user-file.symlink");
    fs.mkdirSync(path.join(dir, "real"));
    fs.writeFileSync(path.join(dir, "real/file"), "through a parent link");
    fs.symlinkSync(path.join(dir, "real"), path.join(dir, "parent"));
    const file = UserFile.open("/p/file", path.join(dir, "parent/file"), 100);
    expect(file.readText()).toBe("through a parent link");
    file.close();
});

test("a file above the limit is refused, naming the limit", () => {
    const big = path.join(dir, "big");
    fs.writeFileSync(big, "");
    fs.truncateSync(big, 3 * 1024 ** 3);
    try {
        UserFile.open("/big", big, 64 * 1024);
        throw new Error("opened");
    } catch (err) {
        expect((err as HelperError).text.english).toBe("/big is larger than 64 KiB");
    }
    expect(sizeLimit(64 * 1024 ** 3)).toBe("64 GiB");
});

test("reads stop at the size the file had when opened, and a copy is of that same content", async () => {
    const file = path.join(dir, "growing");
    fs.writeFileSync(file, "original");
    const opened = UserFile.open("/growing", file, 1024);
    // the owner renames another file over it and appends to the old one: the one descriptor still reads the original
    fs.appendFileSync(file, " and more");
    fs.writeFileSync(path.join(dir, "other"), "swapped!");
    fs.renameSync(path.join(dir, "other"), file);
    expect(opened.head(1024).toString()).toBe("original");
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream())
        chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("original");
    const copy = path.join(dir, "copy");
    expect(opened.copyTo(copy).bytes).toBe(8);
    expect(fs.readFileSync(copy, "utf8")).toBe("original");
    expect(fs.statSync(copy).mode & 0o777).toBe(0o600);
    opened.close();
});
