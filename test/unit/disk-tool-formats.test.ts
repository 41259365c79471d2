// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Issue 14: every qemu-img and qemu-io the helper runs is told the image's
 * format (-f, and -O for a convert's target), and guestfish its --format: a
 * probed format lets a raw disk whose first bytes look like qcow2 name a
 * backing file on the host. This reads the helper's sources for each command
 * line given to those tools.
 */

import fs from "node:fs";
import path from "node:path";

import { guestPathProblem, hostPathProblem } from "../../src/bridge-helper/guestfish";
import { seedDirProblem } from "../../src/bridge-helper/iso";

const SRC = path.join(__dirname, "../../src");

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? sources(full) : /\.tsx?$/.test(e.name) ? [full] : [];
    });
}

/* The bracketed array literal starting at `from` in `content`. */
function arrayAt(content: string, from: number): string {
    let depth = 0;
    for (let end = from; end < content.length; end++) {
        depth += content[end] === "[" ? 1 : content[end] === "]" ? -1 : 0;
        if (depth === 0)
            return content.slice(from, end + 1);
    }
    return "";
}

/*
 * The arguments given with `commands.<tool>` at each use: the array literal
 * that follows, or when a variable follows, the array literal it was set to.
 */
function invocations(tool: string): { file: string; args: string }[] {
    const found: { file: string; args: string }[] = [];
    for (const file of sources(SRC)) {
        const content = fs.readFileSync(file, "utf8");
        for (const m of content.matchAll(new RegExp(`commands\\.${tool}\\s*,\\s*(\\[|([A-Za-z_]\\w*))`, "g"))) {
            const variable = m[2];
            const at = variable ? content.lastIndexOf(`const ${variable} = [`, m.index) : m.index + m[0].length - 1;
            const args = at < 0 ? "" : arrayAt(content, variable ? content.indexOf("[", at) : at);
            found.push({ file: path.relative(SRC, file), args });
        }
    }
    return found;
}

test("the helper runs qemu-img in several places, each with -f, and a convert with -O", () => {
    const uses = invocations("qemuImg");
    expect(uses.length).toBeGreaterThanOrEqual(3);
    for (const use of uses) {
        expect({ ...use, hasFormat: /"-f"/.test(use.args) }).toMatchObject({ hasFormat: true });
        if (/^\[\s*"convert"/.test(use.args))
            expect(use.args).toMatch(/"-O"/);
    }
});

test("qemu-img convert names both formats, and qemu-io its format", () => {
    const qemuImg = fs.readFileSync(path.join(SRC, "bridge-helper/qemu-img.ts"), "utf8");
    const convert = /\["convert",[^\]]*\]/.exec(qemuImg)?.[0] ?? "";
    expect(convert).toMatch(/"-f"/);
    expect(convert).toMatch(/"-O"/);
    for (const use of invocations("qemuIo"))
        expect(use.args).toMatch(/"-f"/);
});

test("guestfish is told the image's format", () => {
    const guestfish = fs.readFileSync(path.join(SRC, "bridge-helper/guestfish.ts"), "utf8");
    expect(guestfish).toMatch(/`--format=\$\{format\}`/);
});

/* Issue 14, finding 4a: the paths the job hands to guestfish, qemu and genisoimage, refused when a tool would misread them. */
test.each(["/var/lib/he/a b", "/var/lib/he/a,b", "/var/lib/he/a\"b", "/var/lib/he/a\nb", "relative"])("guestfish is not given %j", file => {
    expect(hostPathProblem(file)?.code).toBe("guestfish.host-path-invalid");
});

test("plain paths pass; genisoimage's graft points refuse = and \\", () => {
    expect(hostPathProblem("/var/lib/cockpit-hosted-engine/jobs/20260101T000000-000000/work/inject/engine_backup.tar.gz")).toBeNull();
    expect(guestPathProblem("/root/engine backup.tar.gz")?.code).toBe("guestfish.path-invalid");
    expect(seedDirProblem("/var/lib/he=x/seed")?.code).toBe("iso.dir-invalid");
    expect(seedDirProblem("/var/lib/he\\x/seed")?.code).toBe("iso.dir-invalid");
    expect(seedDirProblem("/var/lib/he/seed")).toBeNull();
});
