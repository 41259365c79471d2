// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The Settings step on a host whose first deploy left no network answers (a
 * 3.5-era deploy, the sim's "missing" variant): the page asks how the new
 * engine VM gets its address, as the original did, checks each field as it
 * is typed, and the Review's preflight takes what was given.
 */

import fs from "node:fs";
import path from "node:path";

import type { FrameLocator, Page } from "playwright-core";

import { login, openPlugin, SCREENSHOTS, startE2eCockpit, type E2eCockpit } from "../support/cockpit-harness";
import { sim } from "../support/sim-control";

let e2e: E2eCockpit;

beforeAll(async () => {
    e2e = await startE2eCockpit("network", 9390, { network: "missing" });
    fs.mkdirSync(path.join(e2e.info.root, "root"), { recursive: true });
    await sim("make-backup", e2e.info.dir, "--out", path.join(e2e.info.root, "root/engine_backup.tar.gz"));
});

afterAll(async () => {
    await e2e?.stop();
});

async function toSettings(frame: FrameLocator): Promise<void> {
    await frame.locator("#he-readiness-enter-global").click();
    await frame.locator('#he-readiness-global-maintenance[data-met="true"]').waitFor({ timeout: 30_000 });
    await frame.locator('#he-readiness-engine-vm[data-met="true"]').waitFor();
    await frame.locator("#he-upgrade-next-readiness").click();
    await frame.locator("#he-backup-path").fill("/root/engine_backup.tar.gz");
    await frame.locator("#he-backup-version").getByText("3.6.7.5").waitFor({ timeout: 30_000 });
    await frame.locator("#he-upgrade-next-backup").click();
    await frame.locator("#he-ova-check").click();
    await frame.locator("#he-ova-ok").waitFor({ timeout: 60_000 });
    await frame.locator("#he-upgrade-next-appliance").click();
    await frame.locator("#he-admin-password").fill(e2e.info.adminPassword);
    await frame.locator("#he-admin-password-check").click();
    await frame.locator("#he-admin-password-ok").waitFor({ timeout: 30_000 });
    await frame.locator("#he-root-password").fill("Appliance-Root-Pass-7");
    await frame.locator("#he-root-password-confirm").fill("Appliance-Root-Pass-7");
}

test("with no network in the deploy's answers, Settings asks DHCP or static, checks each field as typed, and Review takes it", async () => {
    const page: Page = await login(e2e.browser, e2e.ws, e2e.admin);
    const frame = await openPlugin(page, e2e.ws, "#/upgrade");
    await toSettings(frame);

    // nothing read-only to show: the question, and Next waits for an answer
    await frame.locator("#he-vm-identity").waitFor();
    expect(await frame.locator("#he-vm-network-fixed").count()).toBe(0);
    expect(await frame.locator("#he-vm-mac").textContent()).toBe("00:16:3e:6a:7a:f9");
    expect(await frame.locator("#he-upgrade-next-settings").isDisabled()).toBe(true);

    await frame.locator("#he-vm-network-static").check();
    await frame.locator("#he-vm-address").fill("192.168.1.300");
    await frame.locator('#he-vm-address[aria-invalid="true"]').waitFor();
    await frame.locator("#he-vm-address").fill("192.168.1.222");
    await frame.locator("#he-vm-prefix").fill("24");
    await frame.locator("#he-vm-gateway").fill("10.0.0.1");
    // a gateway outside the VM's subnet is refused as typed
    await frame.locator('#he-vm-gateway[aria-invalid="true"]').waitFor();
    expect(await frame.locator("#he-upgrade-next-settings").isDisabled()).toBe(true);
    await frame.locator("#he-vm-gateway").fill("192.168.1.1");
    await frame.locator("#he-vm-dns").fill("192.168.1.1");
    expect(await frame.locator('#he-vm-network [aria-invalid="true"]').count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "upgrade-settings-network.png") });
    await frame.locator("#he-upgrade-next-settings").click();

    // the helper's preflight judges the address the page gave: the FQDN resolves to it
    await frame.locator("#he-preflight-checks").waitFor({ timeout: 60_000 });
    await frame.locator('#he-check-engine-vm-network[data-state="pass"]').waitFor({ timeout: 60_000 });
    expect(await frame.locator("#he-check-engine-vm-network").textContent()).toMatch(/192\.168\.1\.222/);
}, 240_000);
