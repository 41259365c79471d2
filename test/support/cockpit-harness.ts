// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * A real Cockpit for end-to-end tests and `make demo`: local users with
 * passwords, the plugin installed where their sessions find it, the helper
 * configuration in /etc (a PAM-logged-in session does not inherit our
 * environment), cockpit-ws on loopback in its own process group, and headless
 * Chromium. Everything it writes outside the test's own directories it undoes.
 * Needs root (useradd, /etc).
 */

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { chromium, type Browser, type FrameLocator, type Page } from "playwright-core";

import { sim, startSim, TOP, type SimInfo, type StartOptions } from "./sim-control";

export const COCKPIT_WS = "/usr/lib/cockpit/cockpit-ws";
export const CHROMIUM = "/usr/bin/chromium";
export const SYSTEM_HELPER_CONFIG = "/etc/cockpit-hosted-engine/helper.json";
export const PACKAGE_DIR = "hosted-engine";
export const PLUGIN_FRAME = `iframe[name="cockpit1:localhost/${PACKAGE_DIR}"]`;

export function requireRoot(): void {
    if (process.getuid?.() !== 0)
        throw new Error("The end-to-end tests and the demo create local users and write /etc: run them as root");
}

export interface TestUser {
    name: string;
    password: string;
    admin: boolean;
    home: string;
}

function userExists(name: string): boolean {
    try {
        execFileSync("id", ["-u", name], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

/** Creates (or brings up to date) a local user; admins are in the sudo group, which Cockpit uses for superuser. */
export function ensureUser(name: string, password: string, admin: boolean): TestUser {
    if (!userExists(name))
        execFileSync("useradd", ["--create-home", "--shell", "/bin/bash", name]);
    execFileSync("chpasswd", [], { input: `${name}:${password}\n` });
    if (admin)
        execFileSync("usermod", ["--append", "--groups", "sudo", name]);
    else if (execFileSync("id", ["-nG", name]).toString().split(/\s+/).includes("sudo"))
        execFileSync("gpasswd", ["--delete", name, "sudo"], { stdio: "ignore" });
    const home = execFileSync("getent", ["passwd", name]).toString().split(":")[5];
    return { name, password, admin, home };
}

/* Where `make install` puts the package: the page runs the helper only from a root-owned system location. */
export const SYSTEM_PLUGIN_DIR = `/usr/local/share/cockpit/${PACKAGE_DIR}`;

/**
 * Installs dist/ as `make install` does: a root-owned copy in
 * /usr/local/share/cockpit. A copy already there is moved aside and put back by
 * the returned function, which also removes this one. Copies a user had in
 * ~/.local/share/cockpit (older harnesses made them) would hide it: removed.
 */
export function installPlugin(users: TestUser[], dist: string = path.join(TOP, "dist")): { dir: string; restore: () => void } {
    if (!fs.existsSync(path.join(dist, "manifest.json")))
        throw new Error(`${dist} has no build: run "make" first`);
    for (const user of users)
        fs.rmSync(path.join(user.home, ".local/share/cockpit", PACKAGE_DIR), { recursive: true, force: true });
    const saved = `${SYSTEM_PLUGIN_DIR}.saved-by-tests`;
    if (fs.existsSync(SYSTEM_PLUGIN_DIR) && !fs.existsSync(saved))
        fs.renameSync(SYSTEM_PLUGIN_DIR, saved);
    fs.rmSync(SYSTEM_PLUGIN_DIR, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(SYSTEM_PLUGIN_DIR), { recursive: true, mode: 0o755 });
    fs.cpSync(dist, SYSTEM_PLUGIN_DIR, { recursive: true });
    execFileSync("chown", ["-R", "root:root", SYSTEM_PLUGIN_DIR]);
    execFileSync("chmod", ["-R", "u=rwX,go=rX", SYSTEM_PLUGIN_DIR]);
    return {
        dir: SYSTEM_PLUGIN_DIR,
        restore: () => {
            fs.rmSync(SYSTEM_PLUGIN_DIR, { recursive: true, force: true });
            if (fs.existsSync(saved))
                fs.renameSync(saved, SYSTEM_PLUGIN_DIR);
        },
    };
}

/** Points the helper at a sim through /etc; returns how to put back what was there. */
export function installSystemHelperConfig(source: string): () => void {
    const previous = fs.existsSync(SYSTEM_HELPER_CONFIG) ? fs.readFileSync(SYSTEM_HELPER_CONFIG) : null;
    const dirExisted = fs.existsSync(path.dirname(SYSTEM_HELPER_CONFIG));
    fs.mkdirSync(path.dirname(SYSTEM_HELPER_CONFIG), { recursive: true });
    fs.copyFileSync(source, SYSTEM_HELPER_CONFIG);
    return () => {
        if (previous !== null) {
            fs.writeFileSync(SYSTEM_HELPER_CONFIG, previous);
        } else {
            fs.rmSync(SYSTEM_HELPER_CONFIG, { force: true });
            if (!dirExisted)
                fs.rmSync(path.dirname(SYSTEM_HELPER_CONFIG), { recursive: true, force: true });
        }
    };
}

function portIsFree(port: number): Promise<boolean> {
    return new Promise(resolve => {
        const server = net.createServer();
        server.once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
}

export async function freePort(from: number): Promise<number> {
    for (let port = from; port < from + 100; port++) {
        if (await portIsFree(port))
            return port;
    }
    throw new Error(`no free port in ${from}-${from + 99}`);
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            await fetch(url);
            return;
        } catch (err) {
            if (Date.now() > deadline)
                throw new Error(`${url} did not answer within ${timeoutMs} ms: ${(err as Error).message}`);
            await new Promise(resolve => setTimeout(resolve, 50));
        }
    }
}

export interface CockpitWs {
    url: string;
    port: number;
    log: string;
    process: ChildProcess;
    stop(): Promise<void>;
}

/*
 * cockpit-ws over plain HTTP on loopback, PAM login. It runs in its own process
 * group because every login leaves a session dbus-daemon behind in that group;
 * stop() kills the whole group.
 */
export async function startCockpitWs(port: number, logFile: string): Promise<CockpitWs> {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const log = fs.openSync(logFile, "a");
    const child = spawn(COCKPIT_WS, ["--no-tls", "--port", String(port), "--address", "127.0.0.1"],
                        { detached: true, stdio: ["ignore", log, log] });
    fs.closeSync(log);
    const url = `http://127.0.0.1:${port}`;
    const exited = new Promise<void>(resolve => child.once("exit", () => resolve()));
    await waitForHttp(`${url}/cockpit/login`, 10_000);
    return {
        url,
        port,
        log: logFile,
        process: child,
        async stop() {
            if (child.exitCode === null && child.pid !== undefined) {
                try {
                    process.kill(-child.pid, "SIGTERM");
                } catch { /* already gone */ }
                let timer: NodeJS.Timeout | undefined;
                await Promise.race([exited, new Promise(resolve => { timer = setTimeout(resolve, 5000); })]);
                clearTimeout(timer);
            }
        },
    };
}

export async function launchChromium(): Promise<Browser> {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        // without the networking switches Chromium keeps trying hosts this closed network refuses
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
}

/**
 * Logs in through Cockpit's login page. For admins, asks for administrative
 * access at login the way the login page does when its last choice was "any".
 */
export async function login(browser: Browser, ws: CockpitWs, user: TestUser,
                            options: { language?: string } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: options.language ?? "en-US" });
    const page = await context.newPage();
    await page.goto(`${ws.url}/`);
    await page.waitForSelector("#login-user-input");
    if (user.admin)
        await page.evaluate(name => localStorage.setItem(`superuser:${name}`, "any"), user.name);
    await page.fill("#login-user-input", user.name);
    await page.fill("#login-password-input", user.password);
    await page.click("#login-button");
    await page.waitForSelector("html#shell-page", { timeout: 30_000 });
    return page;
}

export async function openPlugin(page: Page, ws: CockpitWs, subpath = ""): Promise<FrameLocator> {
    await page.goto(`${ws.url}/${PACKAGE_DIR}${subpath}`);
    return page.frameLocator(PLUGIN_FRAME);
}

export function tmpDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const SCREENSHOTS = path.join(TOP, "test-results", "screenshots");

export interface E2eCockpit {
    info: SimInfo & { adminPassword: string };
    ws: CockpitWs;
    browser: Browser;
    admin: TestUser;
    plainUser: TestUser;
    stop(): Promise<void>;
}

/*
 * What every end-to-end test file needs: a fresh sim the helper is pointed at
 * through /etc, an administrator and a user without administrative access with
 * the plugin installed, cockpit-ws on its own port and Chromium. stop() undoes it.
 */
export async function startE2eCockpit(name: string, firstPort: number, simOptions: StartOptions = {}): Promise<E2eCockpit> {
    requireRoot();
    const info = await startSim(tmpDir(`he-e2e-${name}-sim-`), simOptions) as E2eCockpit["info"];
    const restoreConfig = installSystemHelperConfig(info.helperConfig);
    const admin = ensureUser("he-e2e-admin", "He-e2e-Admin-Pass-1", true);
    const plainUser = ensureUser("he-e2e-user", "He-e2e-User-Pass-1", false);
    const plugin = installPlugin([admin, plainUser]);
    const ws = await startCockpitWs(await freePort(firstPort), path.join(TOP, "test-results", `cockpit-ws-${name}.log`));
    const browser = await launchChromium();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    return {
        info, ws, browser, admin, plainUser,
        async stop() {
            await browser.close();
            await ws.stop();
            restoreConfig();
            plugin.restore();
            await sim("stop", info.dir);
            fs.rmSync(info.dir, { recursive: true, force: true });
        },
    };
}
