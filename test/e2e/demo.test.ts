// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `make demo` as an administrator would use it: start it, log in with what it
 * prints, see the simulated hosts, take the wizard to its settings with the
 * backup archive and the engine password it printed, press Ctrl-C, and find
 * nothing left behind but what it said it leaves.
 */

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { Browser } from "playwright-core";

import { launchChromium, PLUGIN_FRAME, requireRoot, SYSTEM_HELPER_CONFIG, tmpDir } from "../support/cockpit-harness";
import { TOP } from "../support/sim-control";

let demo: ChildProcess;
let output = "";
let browser: Browser;
let dir: string;

function waitForOutput(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`demo did not print ${pattern} in time:\n${output}`)), timeoutMs);
        const check = () => {
            const match = pattern.exec(output);
            if (match) {
                clearTimeout(timer);
                demo.stdout?.off("data", check);
                resolve(match);
            }
        };
        demo.stdout?.on("data", check);
        check();
    });
}

beforeAll(() => {
    requireRoot();
    dir = tmpDir("he-demo-test-");
    // the sim's vdsm and qemu must pass through it: otherwise the demo falls back to a shared /var/tmp directory
    fs.chmodSync(dir, 0o755);
});

afterAll(async () => {
    await browser?.close();
    if (demo && demo.exitCode === null) {
        // a failed test leaves the demo running: its own Ctrl-C undoes what it installed and mounted
        const exited = new Promise(resolve => demo.once("exit", resolve));
        demo.kill("SIGINT");
        await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 60_000))]);
        if (demo.exitCode === null)
            demo.kill("SIGKILL");
    }
    fs.rmSync(dir, { recursive: true, force: true });
}, 90_000);

test("make demo serves the page with the simulated hosts and cleans up on Ctrl-C", async () => {
    demo = spawn(path.join(TOP, "node_modules/.bin/tsx"), [path.join(TOP, "test/demo/demo.ts"), "--dir", dir],
                 { cwd: TOP, stdio: ["ignore", "pipe", "pipe"] });
    demo.stdout?.setEncoding("utf8");
    demo.stdout?.on("data", (chunk: string) => { output += chunk; });
    demo.stderr?.on("data", (chunk: Buffer) => { output += chunk.toString(); });

    const [, url] = await waitForOutput(/Cockpit is running: (http:\/\/127\.0\.0\.1:[0-9]+)\/hosted-engine/);
    const [, user] = await waitForOutput(/Log in as: +(\S+)/);
    const [, password] = await waitForOutput(/Password: +(\S+)/);
    const pluginDir = (await waitForOutput(/Installed the page and the helper in (\S+)/))[1];
    // everything the wizard asks for is printed: the archive's path as the wizard takes it, and the admin password
    const [, archive, archiveHere] = await waitForOutput(/Engine backup archive: +(\S+)\n.*it is (\S+) here\./);
    const [, adminPassword] = await waitForOutput(/Engine admin@internal password: +(\S+)/);
    const [, remake] = await waitForOutput(/^ +(npm run --silent sim -- make-backup .*\S)$/m);
    expect(fs.existsSync(archiveHere)).toBe(true);
    expect(remake).toContain(`--out ${archiveHere}`);
    // the printed command makes the archive again where the wizard reads it
    fs.rmSync(archiveHere);
    // run as printed, word by word (the demo's paths have no spaces): no shell in between
    const [command, ...args] = remake.split(/ +/);
    execFileSync(command, args, { cwd: TOP, stdio: "ignore" });
    expect(fs.statSync(archiveHere).size).toBeGreaterThan(0);
    expect(fs.existsSync(SYSTEM_HELPER_CONFIG)).toBe(true);

    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    await page.fill("#login-user-input", user);
    await page.fill("#login-password-input", password);
    await page.click("#login-button");
    await page.waitForSelector("html#shell-page");

    // what the printed instructions say: Limited access, then the password again
    await page.locator("#super-user-indicator button").click();
    await page.locator(".pf-v5-c-modal-box input[type=password], .pf-c-modal-box input[type=password]").fill(password);
    await page.locator(".pf-v5-c-modal-box button.pf-m-primary, .pf-c-modal-box button.pf-m-primary").click();
    await page.getByText("Administrative access").first().waitFor();

    await page.goto(`${url}/hosted-engine`);
    const frame = page.frameLocator(PLUGIN_FRAME);
    await frame.locator("#host-1-hostname").getByText("host1.example.com").waitFor();
    await frame.locator("#host-2-hostname").getByText("host2.example.com").waitFor();

    // the wizard with nothing but what the demo printed: its archive passes, its password is the engine's
    await page.goto(`${url}/hosted-engine#/upgrade`);
    await frame.locator("#he-readiness-enter-global").click();
    await frame.locator('#he-readiness-global-maintenance[data-met="true"]').waitFor({ timeout: 30_000 });
    await frame.locator('#he-readiness-engine-vm[data-met="true"]').waitFor();
    await frame.locator("#he-upgrade-next-readiness").click();
    await frame.locator("#he-backup-path").fill(archive);
    await frame.locator("#he-backup-version").getByText("3.6", { exact: false }).waitFor({ timeout: 30_000 });
    await frame.locator("#he-upgrade-next-backup").click();
    await frame.locator("#he-ova-check").click();
    await frame.locator("#he-ova-ok").waitFor({ timeout: 60_000 });
    await frame.locator("#he-upgrade-next-appliance").click();
    await frame.locator("#he-admin-password").fill(adminPassword);
    await frame.locator("#he-admin-password-check").click();
    await frame.locator("#he-admin-password-ok").waitFor({ timeout: 30_000 });

    const exited = new Promise<number | null>(resolve => demo.once("exit", code => resolve(code)));
    demo.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output).toMatch(/Stopped\./);
    expect(fs.existsSync(SYSTEM_HELPER_CONFIG)).toBe(false);
    expect(fs.existsSync(pluginDir)).toBe(false);
    await expect(fetch(`${url}/`)).rejects.toThrow();
}, 360_000);
