// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Root runs code and reads its configuration only from places only root can
 * change (trusted-path.ts, config.ts): a helper configuration or a command a
 * user could swap is refused, naming the file and why, never its content.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { loadConfig } from "../../src/bridge-helper/config";
import { HelperError } from "../../src/bridge-helper/errors";
import { untrustedReason } from "../../src/bridge-helper/trusted-path";

const NOBODY = 65534;
let dir: string;

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-trusted-"));
    fs.chmodSync(dir, 0o755);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string, mode = 0o644): string {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    fs.writeFileSync(file, content, { mode });
    fs.chmodSync(file, mode);
    return file;
}

function configError(file: string): HelperError {
    try {
        loadConfig({ HE_HELPER_CONFIG: file });
    } catch (err) {
        return err as HelperError;
    }
    throw new Error("the configuration was accepted");
}

const onlyRoot = process.getuid?.() === 0 ? test : test.skip;

describe("untrustedReason", () => {
    onlyRoot("a root-owned file in root-owned directories, /tmp's sticky bit included, is trusted", () => {
        expect(untrustedReason(write("tool", "#!/bin/sh\n", 0o755))).toBeNull();
        expect(untrustedReason("/usr/bin/env")).toBeNull();
    });

    onlyRoot.each<[string, (file: string) => void, string]>([
        ["owned by a user", file => fs.chownSync(file, NOBODY, NOBODY), "trusted-path.not-root-owned"],
        ["in a directory a user owns", file => fs.chownSync(path.dirname(file), NOBODY, NOBODY), "trusted-path.not-root-owned"],
        ["writable by anyone", file => fs.chmodSync(file, 0o757), "trusted-path.writable-by-others"],
        ["in a directory anyone may write (no sticky bit)", file => fs.chmodSync(path.dirname(file), 0o777), "trusted-path.writable-by-others"],
        ["writable by a group other than root's", file => { fs.chownSync(file, 0, NOBODY); fs.chmodSync(file, 0o775); }, "trusted-path.writable-by-group"],
    ])("a file %s is not", (_what, spoil, code) => {
        const file = write("sub/tool", "#!/bin/sh\n", 0o755);
        spoil(file);
        expect(untrustedReason(file)?.code).toBe(code);
    });

    onlyRoot("a root-owned link to a file a user owns is not; a directory is not a file", () => {
        const target = write("user-tool", "#!/bin/sh\n", 0o755);
        fs.chownSync(target, NOBODY, NOBODY);
        const link = path.join(dir, "link");
        fs.symlinkSync(target, link);
        expect(untrustedReason(link)?.code).toBe("trusted-path.not-root-owned");
        expect(untrustedReason(dir)?.code).toBe("trusted-path.not-a-file");
    });
});

describe("the helper configuration", () => {
    onlyRoot("one a user could change is refused before it is read", () => {
        const file = write("helper.json", "{\"stateDir\": \"/tmp/evil\"}");
        fs.chownSync(file, NOBODY, NOBODY);
        expect(configError(file).message).toBe(`${file} is not safe for root to read: ${file} is not owned by root. Only root may be able to change it.`);
    });

    onlyRoot("a command a user could swap is refused, naming the setting", () => {
        const tool = write("bin/qemu-img", "#!/bin/sh\n", 0o755);
        fs.chmodSync(path.dirname(tool), 0o777);
        const file = write("helper.json", JSON.stringify({ commands: { qemuImg: tool } }));
        expect(configError(file).message).toMatch(/"commands\.qemuImg" \(.*bin\/qemu-img\) is not safe for root to run: .*bin can be changed by any user/);
    });

    test("not JSON: the line is told, the content never", () => {
        const file = write("helper.json", "{\n  \"root\": \"/\",\n  root:x:0:0:SECRET-MARKER:/root:/bin/bash\n}\n", 0o600);
        const err = configError(file);
        expect(err.message).toBe(`${file} is not valid JSON (at line 3)`);
        expect(JSON.stringify(err)).not.toContain("SECRET-MARKER");
        expect(String(err.detail ?? "")).not.toContain("SECRET-MARKER");
    });

    test("\"__proto__\" is an unknown setting, and the prototype stays clean", () => {
        const file = write("helper.json", "{\"__proto__\": {\"polluted\": \"yes\"}}", 0o600);
        expect(configError(file).message).toBe(`${file}: unknown setting "__proto__"`);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    test.each<[string, (file: string) => void, string]>([
        ["a directory", file => fs.mkdirSync(file), "is not a regular file"],
        ["a named pipe (opened, it would block)", file => execFileSync("mkfifo", ["-m", "600", file]), "is not a regular file"],
        ["larger than 64 KiB", file => fs.writeFileSync(file, `{"root": "/", "x": "${"y".repeat(70_000)}"}`, { mode: 0o600 }), "is larger than 65536 bytes"],
    ])("%s is refused", (_what, make, message) => {
        const file = path.join(dir, "helper.json");
        make(file);
        expect(configError(file).message).toContain(message);
    });
});
