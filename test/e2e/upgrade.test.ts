// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade wizard and the Rollback tab in a real Cockpit against test/sim:
 * a failed upgrade (a sim fault in the appliance) shows its failing step and
 * leads to a restore that brings the 3.6 engine back; then a whole upgrade
 * through the wizard ends with the engine at 4.0, re-attached after a reload
 * and from a second browser on the way.
 */

import fs from "node:fs";
import path from "node:path";

import type { Browser, FrameLocator, Page } from "playwright-core";

import { login, openPlugin, SCREENSHOTS, startE2eCockpit, type CockpitWs, type E2eCockpit, type TestUser } from "../support/cockpit-harness";
import { sim, simWorld } from "../support/sim-control";

const BACKUP_ARCHIVE = "/root/engine_backup.tar.gz";
const PLUGIN_FRAME_NAME = "cockpit1:localhost/hosted-engine";
/* an upgrade with libguestfs under TCG takes a minute or two here */
const JOB_TIMEOUT = 300_000;
/* a test that runs a whole job and then looks at what followed: a limit for hangs, not for speed */
const WHOLE_TEST_TIMEOUT = 600_000;

interface World {
    engine: { version: string; health: string; data: { marker: string; disks: { description: string; status: string }[] } };
    vm: { status: string; bootedSystem: string };
    ha: { globalMaintenance: boolean };
}

let e2e: E2eCockpit;
let info: E2eCockpit["info"];
let ws: CockpitWs;
let browser: Browser;
let admin: TestUser;
/** the job of the failed upgrade, whose backup disk the last test deletes */
let failedJob = "";

async function world(): Promise<World> {
    return await simWorld<World>(info.dir);
}

async function waitForWorld(what: string, ok: (w: World) => boolean, timeoutMs = 120_000): Promise<World> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const w = await world();
        if (ok(w))
            return w;
        if (Date.now() > deadline)
            throw new Error(`the sim never reached: ${what} (engine ${w.engine.version} ${w.engine.health}, vm ${w.vm.status})`);
        await new Promise(resolve => setTimeout(resolve, 500));
    }
}

/** What an administrator does on the engine VM and this host: engine-backup, then copy the archive here. */
async function makeEngineBackup(): Promise<void> {
    fs.mkdirSync(path.join(info.root, "root"), { recursive: true });
    await sim("make-backup", info.dir, "--out", path.join(info.root, BACKUP_ARCHIVE));
}

/* The page scrolls inside Cockpit's frame: a tall window, scrolled to the top, shows the whole tab. */
async function shot(page: Page, name: string): Promise<void> {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 1280, height: 1800 });
    // PatternFly's page scrolls in an element of its own, not the window
    await page.frames().find(f => f.name() === PLUGIN_FRAME_NAME)?.evaluate(() => {
        window.scrollTo(0, 0);
        document.querySelectorAll("*").forEach(el => { if (el.scrollTop > 0) el.scrollTop = 0; });
    });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
    if (size)
        await page.setViewportSize(size);
}

/* Drives the wizard from Readiness to Start; returns the started job's id. A failure leaves a screenshot. */
async function runWizard(page: Page, frame: FrameLocator, screenshots: boolean): Promise<string> {
    try {
        return await driveWizard(page, frame, screenshots);
    } catch (err) {
        await shot(page, `wizard-failure-${Date.now()}`);
        throw err;
    }
}

async function driveWizard(page: Page, frame: FrameLocator, screenshots: boolean): Promise<string> {
    // 1. readiness: enter global maintenance from the page
    await frame.locator("#he-upgrade-readiness").waitFor();
    const global = frame.locator("#he-readiness-global-maintenance");
    await global.waitFor();
    if (await global.getAttribute("data-met") !== "true") {
        await frame.locator("#he-readiness-enter-global").click();
        await frame.locator('#he-readiness-global-maintenance[data-met="true"]').waitFor();
    }
    await frame.locator('#he-readiness-engine-vm[data-met="true"]').waitFor();
    await frame.locator('#he-readiness-spm[data-met="true"]').waitFor();
    if (screenshots)
        await shot(page, "upgrade-readiness");
    await frame.locator("#he-upgrade-next-readiness").click();

    // 2. the engine backup, validated as soon as its path is entered
    await frame.locator("#he-backup-command").waitFor();
    await frame.locator("#he-backup-path").fill(BACKUP_ARCHIVE);
    await frame.locator("#he-backup-version").getByText("3.6.7.5").waitFor({ timeout: 30_000 });
    expect(await frame.locator("#he-backup-dwh").textContent()).toMatch(/Included/);
    if (screenshots)
        await shot(page, "upgrade-backup");
    await frame.locator("#he-upgrade-next-backup").click();

    // 3. the installed appliance, read once for its sha1 and OVF
    await frame.locator("#he-appliance-installed-0").waitFor();
    expect(await frame.locator("#he-appliance-installed-0").isChecked()).toBe(true);
    await frame.locator("#he-ova-check").click();
    await frame.locator("#he-ova-ok").waitFor({ timeout: 60_000 });
    expect(await frame.locator("#he-ova-sha1").textContent()).toMatch(/as expected/);
    if (screenshots)
        await shot(page, "upgrade-appliance");
    await frame.locator("#he-upgrade-next-appliance").click();

    // 4. settings: a wrong password is refused by the engine before anything else happens
    await frame.locator("#he-admin-password").fill("not-the-password");
    await frame.locator("#he-admin-password-check").click();
    await frame.locator("#he-admin-password-error").waitFor();
    expect(await frame.locator("#he-upgrade-next-settings").isDisabled()).toBe(true);
    await frame.locator("#he-admin-password").fill(info.adminPassword);
    await frame.locator("#he-admin-password-check").click();
    await frame.locator("#he-admin-password-ok").waitFor();
    await frame.locator("#he-root-password").fill("Appliance-Root-Pass-7");
    await frame.locator("#he-root-password-confirm").fill("Appliance-Root-Pass-7");
    // the engine VM's network: asked only where the deploy's answers do not give it
    await frame.locator("#he-vm-identity").waitFor();
    if (await frame.locator("#he-vm-network-dhcp").count() > 0)
        await frame.locator("#he-vm-network-dhcp").check();
    if (screenshots)
        await shot(page, "upgrade-settings");
    await frame.locator("#he-upgrade-next-settings").click();

    // 5. review: every check passes; Start needs the confirmation naming the backup disk
    await frame.locator("#he-preflight-checks").waitFor({ timeout: 60_000 });
    expect(await frame.locator('#he-preflight-checks [data-state="fail"]').allTextContents()).toEqual([]);
    expect(await frame.locator("#he-check-backup").getAttribute("data-state")).toBe("pass");
    expect(await frame.locator("#he-upgrade-start").isDisabled()).toBe(true);
    const confirm = frame.locator("#he-upgrade-confirm");
    expect(await frame.locator('label[for="he-upgrade-confirm"]').textContent()).toMatch(/hosted-engine-backup-\d{14}/);
    // the downtime estimate: the copies at a rate whose source is named, the appliance's work apart with its source
    // (the sim's OVA is a few MiB: too small to measure a rate by, and the review says so)
    expect(await frame.locator("#he-estimate-data").getAttribute("data-source")).toBe("assumed");
    expect(await frame.locator("#he-estimate-data").textContent()).toMatch(/Assumed: a rate for shared storage. Reading the appliance OVA measures/);
    expect(await frame.locator("#he-estimate-appliance").textContent()).toMatch(/^10 min 00 sAssumed for a real 4.0 appliance/);
    // space checks give real figures: never "0.0 GiB"
    expect(await frame.locator("#he-check-temp-space").textContent()).toMatch(/the extracted appliance disk \d+(\.\d)? [KMG]iB/);
    expect(await frame.locator("#he-preflight-checks").textContent()).not.toMatch(/\b0\.0 GiB/);
    await confirm.check();
    if (screenshots) {
        await shot(page, "upgrade-review");
        // the estimate, further down the review
        await frame.locator("#he-expected-downtime").scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SCREENSHOTS, "upgrade-review-downtime.png") });
    }
    await frame.locator("#he-upgrade-start").click();

    // the helper runs every check again before it starts the job
    await frame.locator("#he-upgrade-job, #he-upgrade-start-error, #he-preflight-failed").first().waitFor({ timeout: 60_000 });
    expect(await frame.locator("#he-upgrade-start-error, #he-preflight-failed").allTextContents()).toEqual([]);
    const card = frame.locator("#he-upgrade-job");
    await card.waitFor();
    const job = await card.getAttribute("data-job");
    expect(job).toMatch(/^[0-9]{8}T[0-9]{6}-[0-9a-f]{6}$/);
    return job ?? "";
}

beforeAll(async () => {
    e2e = await startE2eCockpit("upgrade", 9290);
    ({ info, ws, browser, admin } = e2e);
});

afterAll(async () => {
    await e2e?.stop();
});

describe("Upgrade and Rollback tabs", () => {
    test("a failed upgrade shows its failing step and the Rollback tab brings the 3.6 engine back", async () => {
        const before = await world();
        expect(before.engine.version).toMatch(/^3\.6\./);
        await makeEngineBackup();
        await sim("fault", info.dir, "setup-fails");

        const page = await login(browser, ws, admin);
        let frame = await openPlugin(page, ws, "#/upgrade");
        const job = await runWizard(page, frame, false);
        failedJob = job;

        const result = frame.locator('#he-upgrade-job-result[data-ok="false"]');
        await result.waitFor({ timeout: JOB_TIMEOUT });
        expect(await frame.locator("#he-upgrade-job-step-engine-setup").getAttribute("data-state")).toBe("failed");
        expect(await frame.locator("#he-upgrade-job-failed-step").textContent()).toMatch(/Restore the backup and set up the 4.0 engine/);
        expect(await frame.locator("#he-upgrade-job-next").textContent()).toMatch(/holds the verified copy of the old engine disk/);
        expect(await frame.locator("#he-upgrade-job-log-file").textContent()).toContain(`job-${job}.log`);
        await frame.locator("#he-upgrade-job-console-toggle").click();
        await frame.locator("#he-upgrade-job-console-lines").getByText("HE_APPLIANCE_ENGINE_SETUP_FAIL", { exact: false }).waitFor();
        await shot(page, "upgrade-failed");
        await sim("fault", info.dir, "--clear");

        // to the Rollback tab: the backup the failed upgrade made, newest first
        await frame.locator("#he-upgrade-job-go-rollback").click();
        await frame.locator("#he-backup-0").waitFor();
        const label = await frame.locator("#he-backup-0").getAttribute("data-label") ?? "";
        expect(label).toMatch(/^hosted-engine-backup-\d{14}$/);
        expect(await frame.locator("#he-backup-0-job").textContent()).toContain(job);
        await frame.locator("#he-backup-0-verified").waitFor();

        // the failed appliance still runs: the restore is refused with the check that failed, nothing changed
        await frame.locator("#he-backup-0-restore").click();
        await frame.locator("#he-restore-confirm-input").fill(label);
        await frame.locator("#he-restore-start").click();
        await frame.locator("#he-restore-check-engine-vm-down").waitFor({ timeout: 30_000 });
        expect((await world()).vm.bootedSystem).not.toBe("el6-engine-3.6");
        await shot(page, "rollback-refused");

        // what the failure said to do: shut the VM down, from the page (no terminal needed)
        await frame.locator("#he-shutdown-engine-vm").click();
        await frame.locator("#he-shutdown-engine-vm-waiting").waitFor();
        await frame.locator("#he-shutdown-engine-vm-done").waitFor({ timeout: 120_000 });
        expect((await world()).vm.status).toBe("Down");
        await frame.locator("#he-restore-start").click();
        const rollbackCard = frame.locator("#he-rollback-job");
        await rollbackCard.waitFor({ timeout: 30_000 });
        await frame.locator('#he-rollback-job-result[data-ok="true"]').waitFor({ timeout: JOB_TIMEOUT });
        await shot(page, "rollback-done");

        // leaving global maintenance lets the HA agents boot the old disk: the 3.6 engine with its data
        await frame.locator("#he-rollback-job-leave-maintenance").click();
        await frame.locator("#he-rollback-job-maintenance-left").waitFor();
        const after = await waitForWorld("the 3.6 engine up", w => w.vm.status === "Up" && w.engine.version.startsWith("3.6") && w.engine.health === "good");
        expect(after.engine.data.marker).toBe(before.engine.data.marker);
        expect(after.vm.bootedSystem).toBe("el6-engine-3.6");

        // the Rollback tab lists the backup with its size
        frame = await openPlugin(page, ws, "#/rollback");
        await frame.locator("#he-backup-0-size").getByText(/^2 GiB/).waitFor();
        await page.context().close();
    }, WHOLE_TEST_TIMEOUT);

    test("a whole upgrade through the wizard ends with the 4.0 engine, re-attached after a reload and from another browser", async () => {
        await waitForWorld("the engine up", w => w.engine.health === "good");
        await makeEngineBackup();
        const before = await world();

        const page = await login(browser, ws, admin);
        let frame = await openPlugin(page, ws, "#/upgrade");
        const job = await runWizard(page, frame, true);

        // the engine goes down: the progress shows steps, the copy's bytes and the downtime clock
        await frame.locator("#he-upgrade-job-downtime").waitFor({ timeout: 60_000 });
        await frame.locator('#he-upgrade-job-step-copy-to-backup[data-state="running"], #he-upgrade-job-step-copy-to-backup[data-state="done"]')
                .waitFor({ timeout: 60_000 });
        await shot(page, "upgrade-progress");

        // a reload comes back to the running job, not to the wizard
        await page.reload();
        await page.waitForSelector("html#shell-page");
        frame = await openPlugin(page, ws, "#/upgrade");
        await frame.locator(`#he-upgrade-job[data-job="${job}"]`).waitFor({ timeout: 30_000 });
        expect(await frame.locator("#he-upgrade-wizard").count()).toBe(0);

        // so does another browser: the job is on the host, not in the first browser's session
        const second = await login(browser, ws, admin);
        const secondFrame = await openPlugin(second, ws, "#/upgrade");
        await secondFrame.locator(`#he-upgrade-job[data-job="${job}"]`).waitFor({ timeout: 30_000 });
        await secondFrame.locator('#he-upgrade-job-step-create-backup-disk[data-state="done"]').waitFor();
        await second.context().close();

        await frame.locator('#he-upgrade-job-result[data-ok="true"]').waitFor({ timeout: JOB_TIMEOUT });
        // one headline, the figures once (the actual beside the review's estimate), then what to do
        expect(await frame.locator("#he-upgrade-job-result-alert").textContent()).toMatch(/^[^]*upgraded to the 4.0 appliance$/);
        expect(await frame.locator("#he-upgrade-job").textContent()).not.toMatch(/successfully upgraded/);
        expect(await frame.locator("#he-upgrade-job-next").textContent()).toMatch(/SSH host keys have changed/);
        expect(await frame.locator("#he-upgrade-job-downtime-figure").textContent()).toMatch(/^(\d+ min )?\d+ s \(estimated \d+ min \d+ s\)$/);
        expect(await frame.locator("#he-upgrade-job-downtime-appliance").textContent()).toMatch(/\(estimated 10 min 00 s\)$/);
        expect(await frame.locator("#he-upgrade-job-downtime").count()).toBe(0);
        expect(await frame.locator("#he-upgrade-new").count()).toBe(0);
        await shot(page, "upgrade-done");

        const upgraded = await world();
        expect(upgraded.engine.version).toMatch(/^4\.0\./);
        expect(upgraded.engine.data.marker).toBe(before.engine.data.marker);
        expect(upgraded.vm.status).toBe("Down");
        expect(upgraded.engine.data.disks.filter(d => d.description.startsWith("hosted-engine-backup-") && d.status === "ok").length)
                .toBeGreaterThanOrEqual(1);

        await frame.locator("#he-upgrade-job-leave-maintenance").click();
        await frame.locator("#he-upgrade-job-maintenance-left").waitFor();
        expect((await world()).ha.globalMaintenance).toBe(false);

        // the Status tab while the HA agents bring the new VM up: a start in progress, not an error
        frame = await openPlugin(page, ws, "#/status");
        await frame.locator('#he-engine-summary[data-transition="true"]').waitFor({ timeout: 30_000 });
        expect(await frame.locator("#he-engine-summary.pf-m-danger").count()).toBe(0);

        // the Upgrade tab now says the engine runs 4.0 and names the backup, with no wizard to start again
        frame = await openPlugin(page, ws, "#/upgrade");
        await frame.locator(`#he-upgrade-done[data-job="${job}"]`).waitFor({ timeout: 30_000 });
        expect(await frame.locator("#he-upgrade-wizard").count()).toBe(0);
        expect(await frame.locator("#he-upgrade-done-backup").textContent()).toMatch(/^hosted-engine-backup-\d{14}$/);
        await shot(page, "upgrade-done-tab");
        // starting again stays possible, after saying what it would do
        await frame.locator("#he-upgrade-again").click();
        expect(await frame.locator("#he-upgrade-again-notice").textContent()).toMatch(/already runs 4.0/);
        await frame.locator("#he-upgrade-again-open").click();
        await frame.locator("#he-upgrade-wizard").waitFor();
        await frame.locator("#he-upgrade-again-notice").waitFor();
        await page.context().close();
    }, WHOLE_TEST_TIMEOUT);

    test("the new engine deletes the failed upgrade's backup disk, asked from the Rollback tab with its admin password", async () => {
        await waitForWorld("the 4.0 engine up", w => w.vm.status === "Up" && w.engine.version.startsWith("4.0") && w.engine.health === "good");
        const page = await login(browser, ws, admin);
        const frame = await openPlugin(page, ws, "#/rollback");
        const rows = frame.locator("#he-backups-table tbody tr");
        await rows.first().waitFor();
        const count = await rows.count();
        expect(count).toBe(2);
        // newest first: the successful upgrade's backup, then the failed one's
        expect(await frame.locator("#he-backup-1-job").textContent()).toContain(failedJob);
        const label = await frame.locator("#he-backup-1").getAttribute("data-label") ?? "";
        await shot(page, "rollback-tab");

        await frame.locator("#he-backup-1-delete").click();
        await frame.locator("#he-delete-password").fill("wrong-password");
        await frame.locator("#he-delete-confirm").click();
        await frame.locator("#he-delete-error").waitFor({ timeout: 30_000 });
        await frame.locator("#he-delete-password").fill(info.adminPassword);
        await frame.locator("#he-delete-confirm").click();
        await frame.locator("#he-toasts").getByText(label, { exact: false }).waitFor({ timeout: 60_000 });
        await frame.locator(`#he-backups-table tr[data-label="${label}"]`).waitFor({ state: "detached" });
        expect(await rows.count()).toBe(1);
        expect((await world()).engine.data.disks.some(d => d.description === label)).toBe(false);
        await shot(page, "rollback-deleted");
        await page.context().close();
    });
});
