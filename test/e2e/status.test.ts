// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The Status tab in a real Cockpit: cockpit-ws on loopback, PAM logins of local
 * users, headless Chromium, the helper run as root through sudo against test/sim.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { po } from "gettext-parser";
import type { Browser } from "playwright-core";

import { MESSAGES } from "../../src/protocol";
import { login, openPlugin, SCREENSHOTS, startE2eCockpit, type CockpitWs, type E2eCockpit, type TestUser } from "../support/cockpit-harness";
import { TOP, sim, type SimInfo } from "../support/sim-control";

let e2e: E2eCockpit;
let info: SimInfo;
let ws: CockpitWs;
let browser: Browser;
let admin: TestUser;
let plainUser: TestUser;

async function haGlobalMaintenance(): Promise<boolean> {
    return ((await sim("inspect", info.dir)).ha as { globalMaintenance: boolean }).globalMaintenance;
}

beforeAll(async () => {
    e2e = await startE2eCockpit("status", 9190);
    ({ info, ws, browser, admin, plainUser } = e2e);
});

afterAll(async () => {
    await e2e?.stop();
});

describe("Status tab", () => {
    test("an administrator sees the simulated hosts and switches global maintenance", async () => {
        const page = await login(browser, ws, admin);
        const frame = await openPlugin(page, ws);

        await frame.locator("#host-1-hostname").getByText("host1.example.com").waitFor();
        await frame.locator("#host-2-hostname").getByText("host2.example.com").waitFor();
        expect(await frame.locator("#host-1-engine").textContent()).toBe("Up, healthy");
        expect(await frame.locator("#host-1-score").textContent()).toBe("3400");
        expect(await frame.locator("#he-maintenance-local").isDisabled()).toBe(true);
        expect(await frame.locator("#he-global-maintenance-banner").count()).toBe(0);
        await page.screenshot({ path: path.join(SCREENSHOTS, "status-tab.png") });

        await frame.locator("#he-maintenance-global").click();
        await frame.locator("#he-global-maintenance-banner").waitFor();
        expect(await haGlobalMaintenance()).toBe(true);
        await frame.locator("#host-2-state").getByText("GlobalMaintenance").waitFor();
        await page.screenshot({ path: path.join(SCREENSHOTS, "status-tab-global-maintenance.png") });

        await frame.locator("#he-maintenance-none").click();
        await frame.locator("#he-global-maintenance-banner").waitFor({ state: "detached" });
        expect(await haGlobalMaintenance()).toBe(false);
        await page.context().close();
    });

    test("a change made outside the page shows up within the 5 s refresh", async () => {
        const page = await login(browser, ws, admin);
        const frame = await openPlugin(page, ws, "#/status");
        await frame.locator("#host-1-hostname").waitFor();
        expect(await frame.locator("#he-global-maintenance-banner").count()).toBe(0);

        // what another administrator's `hosted-engine --set-maintenance` on the host would do
        execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
        try {
            await frame.locator("#he-global-maintenance-banner").waitFor({ timeout: 15_000 });
        } finally {
            execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=none"]);
        }
        await page.context().close();
    });

    test("the page is in German when Cockpit's language is German", async () => {
        const german = po.parse(fs.readFileSync(path.join(TOP, "po/de.po"))).translations[""];
        const de = (msgid: string) => {
            const msgstr = german[msgid]?.msgstr[0];
            if (!msgstr)
                throw new Error(`po/de.po has no translation of "${msgid}"`);
            return msgstr;
        };
        const page = await login(browser, ws, admin, { language: "de-DE" });
        const frame = await openPlugin(page, ws, "#/status");
        await frame.locator("#he-tabs").getByRole("tab", { name: de("Upgrade"), exact: true }).waitFor();
        await frame.locator("#he-tabs").getByRole("tab", { name: de("Rollback"), exact: true }).waitFor();
        await frame.locator("#he-maintenance-card").getByText(de("Maintenance"), { exact: true }).waitFor();
        await frame.locator("#he-hosts-card").getByText(de("Hosts"), { exact: true }).waitFor();

        // the hosts' headers whole at the usual widths; ovirt-ha's English apart from the German label
        for (const width of [1280, 1920]) {
            await page.setViewportSize({ width, height: 900 });
            const headers = frame.locator("#he-hosts-table thead th");
            await headers.first().waitFor();
            for (const th of await headers.all()) {
                const cut = await th.evaluate(el => [...el.querySelectorAll("*"), el].some(e => e.scrollWidth > e.clientWidth + 1));
                expect([await th.textContent(), cut]).toEqual([await th.textContent(), false]);
            }
            expect(await headers.allTextContents()).toContain(de("Agent state"));
        }
        expect(await frame.locator("#host-2-engine").textContent()).toBe(de("Down"));
        expect(await frame.locator('#host-2-engine-reason q[lang="en"]').textContent()).toBe("vm not running on this host");
        await page.screenshot({ path: path.join(SCREENSHOTS, "status-german.png") });

        await frame.locator("#he-tabs").getByRole("tab", { name: de("Upgrade"), exact: true }).click();
        await frame.locator("#he-upgrade-wizard").getByText(de("Readiness"), { exact: true }).first().waitFor();
        await frame.locator("#he-upgrade-wizard").getByText(de("Engine backup"), { exact: true }).first().waitFor();
        await page.screenshot({ path: path.join(SCREENSHOTS, "upgrade-german.png") });

        // what the helper says comes as a message code: the page shows it in German, its parameters as they are
        execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
        try {
            await frame.locator('#he-readiness-global-maintenance[data-met="true"]').waitFor({ timeout: 30_000 });
            await frame.locator("#he-upgrade-next-readiness").click();
            // the engine-backup command shows whole, wrapped, not cut off in a field
            const command = frame.locator("#he-backup-command-text");
            await command.getByText("--log=engine_backup.log", { exact: false }).waitFor();
            expect(await frame.locator("#he-backup-command pre").evaluate(el => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
            await frame.locator("#he-backup-command-copy").waitFor();
            await frame.locator("#he-backup-path").fill("/root/no-such-backup.tar.gz");
            const said = de(MESSAGES["verbs.not-a-file"]).replace("$path", "/root/no-such-backup.tar.gz");
            await frame.locator("#he-backup-error").getByText(said).waitFor({ timeout: 30_000 });
        } finally {
            execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=none"]);
        }
        await page.context().close();
    });

    test("the engine VM on its way up reads as the HA agents starting it, with a spinner and its time, not as an error", async () => {
        const page = await login(browser, ws, admin);
        const frame = await openPlugin(page, ws);
        await frame.locator("#he-engine-summary").getByText(/The engine is up/).waitFor();

        // outside global maintenance the HA agents start a powered-off engine VM again by themselves; with
        // their vm.conf put aside for a while, they keep trying, so the moment lasts as long as the test looks
        const vmConf = path.join(info.root, "var/run/ovirt-hosted-engine-ha/vm.conf");
        fs.renameSync(vmConf, `${vmConf}.aside`);
        try {
            execFileSync(info.hostedEngine, ["--vm-poweroff"]);
            const summary = frame.locator('#he-engine-summary[data-transition="true"]');
            await summary.waitFor({ timeout: 30_000 });
            expect(await summary.textContent()).toMatch(/The HA agents are starting the engine VM \(\d+ s\)/);
            expect(await frame.locator("#he-engine-summary-spinner").count()).toBe(1);
            // nothing in red: a start is a moment, not an error
            expect(await frame.locator("#he-engine-summary.pf-m-danger").count()).toBe(0);
            expect(await frame.locator("#he-hosts-table .pf-m-red").count()).toBe(0);
            // and for how long: the clock in the headline moves on
            const before = await summary.textContent() ?? "";
            await frame.locator("#he-engine-summary").filter({ hasNotText: before }).waitFor({ timeout: 10_000 });
            await page.screenshot({ path: path.join(SCREENSHOTS, "status-engine-starting.png") });

            // the Readiness step says the same: pending, not unmet
            const readiness = await openPlugin(page, ws, "#/upgrade");
            await readiness.locator('#he-readiness-engine-vm[data-met="pending"]').waitFor({ timeout: 30_000 });
            expect(await readiness.locator("#he-readiness-engine-vm").textContent()).toMatch(/The HA agents are starting the engine VM/);
        } finally {
            fs.renameSync(`${vmConf}.aside`, vmConf);
        }
        const frameAgain = await openPlugin(page, ws);
        await frameAgain.locator("#he-engine-summary").getByText(/The engine is up/).waitFor({ timeout: 120_000 });
        expect(await frameAgain.locator('#he-engine-summary[data-transition="false"]').count()).toBe(1);
        await page.context().close();
    });

    test("a user without administrative access sees that state instead of the wizard and the backups", async () => {
        const page = await login(browser, ws, plainUser);
        for (const tab of ["upgrade", "rollback"]) {
            const frame = await openPlugin(page, ws, `#/${tab}`);
            await frame.locator("#he-access-required").waitFor();
            expect(await frame.locator("#he-upgrade-wizard").count()).toBe(0);
            expect(await frame.locator("#he-backups-card").count()).toBe(0);
        }
        await page.context().close();
    });

    test("a user without administrative access sees that state, not the hosts", async () => {
        const page = await login(browser, ws, plainUser);
        const frame = await openPlugin(page, ws);
        await frame.locator("#he-access-required").waitFor();
        expect(await frame.locator("#he-tabs").count()).toBe(0);
        await page.screenshot({ path: path.join(SCREENSHOTS, "access-required.png") });
        await page.context().close();
    });
});
