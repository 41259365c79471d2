// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Hostile helper configurations (issue 14): the built helper, pointed at a
 * configuration a user could have written or swapped, refuses it with one JSON
 * error naming the file and the problem, echoes none of it and runs none of
 * its commands.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expectCleanRefusal, runHelper } from "../../support/hostile";

const NOBODY = 65534;
const MARKER = "HOSTILE-CONFIG-MARKER-7f3a";
let dir: string;
let ran: string;

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-hostile-config-"));
    fs.chmodSync(dir, 0o755);
    ran = path.join(dir, "ran");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/* A command that leaves a trace when root runs it. */
function tracingCommand(name: string): string {
    const file = path.join(dir, "bin", name);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    fs.writeFileSync(file, `#!/bin/sh\ntouch ${ran}\necho '{}'\n`, { mode: 0o755 });
    return file;
}

function config(content: string, mode = 0o600): string {
    const file = path.join(dir, "helper.json");
    fs.writeFileSync(file, content, { mode });
    fs.chmodSync(file, mode);
    return file;
}

test.each<[string, () => string, string]>([
    ["owned by a user", () => { const f = config(`{"root": "${dir}"}`); fs.chownSync(f, NOBODY, NOBODY); return f; }, "is not owned by root"],
    ["writable by anyone", () => config(`{"root": "${dir}"}`, 0o666), "can be changed by any user"],
    ["writable by a user's group", () => { const f = config(`{"root": "${dir}"}`, 0o660); fs.chownSync(f, 0, NOBODY); return f; }, "can be changed by the users of its group"],
    ["in a directory a user owns", () => { const f = config(`{"root": "${dir}"}`); fs.chownSync(dir, NOBODY, NOBODY); return f; }, "is not owned by root"],
    ["a symbolic link to /etc/shadow", () => { const f = path.join(dir, "helper.json"); fs.symlinkSync("/etc/shadow", f); return f; }, "Cannot read the helper configuration"],
    ["a named pipe", () => { const f = path.join(dir, "helper.json"); execFileSync("mkfifo", ["-m", "600", f]); return f; }, "is not a regular file"],
    ["a directory", () => { const f = path.join(dir, "helper.json"); fs.mkdirSync(f, { mode: 0o700 }); return f; }, "is not a regular file"],
    ["/dev/zero", () => "/dev/zero", "is not safe for root to read"],
    ["a 4 GiB sparse file", () => { const f = config(""); fs.truncateSync(f, 4 * 1024 ** 3); return f; }, "is larger than 65536 bytes"],
    ["a password file, not JSON", () => config(`root:$6$${MARKER}:19000:0:99999:7:::\n`), "is not valid JSON"],
    ["JSON with a secret on line 2 after a syntax error", () => config(`{"root": "/",\n "x": ${MARKER}}\n`), "is not valid JSON"],
    ["a \"__proto__\" setting", () => config(`{"__proto__": {"root": "/${MARKER}"}}`), "unknown setting \"__proto__\""],
    ["a relative command", () => config(`{"commands": {"qemuImg": "bin/${MARKER}"}}`), "must be an absolute path"],
    ["a command with a NUL byte", () => config(`{"commands": {"qemuImg": "/usr/bin/qemu-img\\u0000${MARKER}"}}`), "must be an absolute path"],
    ["a command in a directory anyone may write", () => {
        const command = tracingCommand("hosted-engine");
        fs.chmodSync(path.dirname(command), 0o777);
        return config(JSON.stringify({ commands: { hostedEngine: command } }));
    }, "is not safe for root to run"],
    ["a command a user owns", () => {
        const command = tracingCommand("hosted-engine");
        fs.chownSync(command, NOBODY, NOBODY);
        return config(JSON.stringify({ commands: { hostedEngine: command } }));
    }, "is not safe for root to run"],
])("a helper configuration that is %s is refused", (_what, make, message) => {
    const file = make();
    const run = runHelper(file, ["status"]);
    expectCleanRefusal(run, { secrets: [MARKER] });
    expect(run.json?.error?.code).toBe("config-invalid");
    expect(run.json?.error?.message).toContain(message);
    expect(fs.existsSync(ran)).toBe(false);
});
