// SPDX-License-Identifier: LGPL-2.1-or-later

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { defaultConfig, hostPath, loadConfig } from "../../src/bridge-helper/config";

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-config-")); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeJson(name: string, value: unknown): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
}

describe("loadConfig", () => {
    test("without any file the defaults are a real oVirt host", () => {
        const config = loadConfig({}, path.join(dir, "absent.json"));
        expect(config.root).toBe("/");
        expect(config.commands.hostedEngine).toBe("/usr/sbin/hosted-engine");
        expect(config.vdsm.port).toBe(54321);
        expect(config.loadedFrom).toBeNull();
        expect(hostPath(config, "/etc/ovirt-hosted-engine/hosted-engine.conf"))
                .toBe("/etc/ovirt-hosted-engine/hosted-engine.conf");
    });

    test("HE_HELPER_CONFIG overrides part of the defaults and wins over the /etc file", () => {
        const etc = writeJson("etc.json", { root: "/from-etc" });
        const env = writeJson("env.json", {
            root: "/sim/root",
            commands: { hostedEngine: "/sim/bin/hosted-engine" },
            vdsm: { port: 12345 },
            libguestfs: { backend: "direct", backendSettings: "force_tcg" },
        });
        const config = loadConfig({ HE_HELPER_CONFIG: env }, etc);
        expect(config.loadedFrom).toBe(env);
        expect(config.root).toBe("/sim/root");
        expect(config.commands.hostedEngine).toBe("/sim/bin/hosted-engine");
        expect(config.commands.qemuImg).toBe(defaultConfig().commands.qemuImg);
        expect(config.vdsm).toEqual({ ...defaultConfig().vdsm, port: 12345 });
        expect(config.libguestfs).toEqual({ backend: "direct", backendSettings: "force_tcg" });
        expect(hostPath(config, "/etc/ovirt-hosted-engine/hosted-engine.conf"))
                .toBe("/sim/root/etc/ovirt-hosted-engine/hosted-engine.conf");
    });

    test("the /etc file is used when HE_HELPER_CONFIG is not set", () => {
        const etc = writeJson("helper.json", { stateDir: "/srv/he-state" });
        const config = loadConfig({}, etc);
        expect(config.loadedFrom).toBe(etc);
        expect(config.stateDir).toBe("/srv/he-state");
    });

    test.each([
        [{ rooot: "/x" }, /unknown setting "rooot"/],
        [{ commands: { qemuImg: "qemu-img" } }, /"commands.qemuImg" must be an absolute path/],
        [{ vdsm: { port: 70000 } }, /"vdsm.port" must be a TCP port/],
        [{ engineUrl: "ftp://engine" }, /"engineUrl" must be an http or https URL/],
        [{ commands: "yes" }, /commands must be a JSON object/],
        [{ root: null }, /"root" must not be null/],
    ])("%j is refused with a message naming the file and the setting", (override, message) => {
        const file = writeJson("bad.json", override);
        expect(() => loadConfig({ HE_HELPER_CONFIG: file })).toThrow(message);
        expect(() => loadConfig({ HE_HELPER_CONFIG: file })).toThrow(file);
    });

    test("a file that is not JSON, or missing, is an error, never silently ignored", () => {
        const broken = writeJson("broken.json", "{ root: ");
        expect(() => loadConfig({ HE_HELPER_CONFIG: broken })).toThrow(`${broken} is not valid JSON`);
        expect(() => loadConfig({ HE_HELPER_CONFIG: path.join(dir, "missing.json") }))
                .toThrow(/Cannot read the helper configuration/);
    });
});
