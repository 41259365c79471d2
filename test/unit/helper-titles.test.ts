// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The page translates the helper's English step titles through its own table:
 * a step the helper adds or renames without the table following would show
 * untranslated, and the review's list of upgrade steps would be wrong.
 */

import { defaultConfig, loadConfig } from "../../src/bridge-helper/config";
import { rollbackKind } from "../../src/bridge-helper/rollback/steps";
import { upgradeKind, upgradeSteps, type UpgradeJobPlan } from "../../src/bridge-helper/upgrade/steps";
import { checkTitle, stepTitle, stepTitles, UPGRADE_STEP_IDS } from "../../src/plugin/common/helper-titles";

// the built-in defaults: a stray HE_HELPER_CONFIG or /etc file must not change what is compared
const config = loadConfig({}, "/nonexistent/cockpit-hosted-engine/helper.json");

describe("the helper's job steps and the page's titles", () => {
    test("the config is the built-in defaults", () => {
        expect(config).toEqual(defaultConfig());
    });

    test("every upgrade step has the helper's English title in the page's table", () => {
        const steps = upgradeSteps(config);
        expect(steps.length).toBeGreaterThan(10);
        for (const step of steps)
            expect([step.id, stepTitle(step.id, `unknown ${step.id}`)]).toEqual([step.id, step.title]);
    });

    test("every rollback step has the helper's English title in the page's table", () => {
        const steps = rollbackKind(config).specs;
        expect(steps.map(s => s.id)).toEqual(["check-engine-down", "check-backup", "restore-disk", "verify-restore"]);
        for (const step of steps)
            expect([step.id, stepTitle(step.id, `unknown ${step.id}`)]).toEqual([step.id, step.title]);
    });

    test("the job kinds run the same steps as the step lists", () => {
        // the step lists do not depend on the plan: only their titles are looked at here
        expect(upgradeKind(config).steps({} as UpgradeJobPlan).map(s => s.id)).toEqual(upgradeSteps(config).map(s => s.id));
        // the rollback runs the protocol's registry: one apply for each of its steps
        expect(Object.keys(rollbackKind(config).apply)).toEqual(rollbackKind(config).specs.map(s => s.id));
    });

    test("UPGRADE_STEP_IDS is exactly the helper's upgrade order", () => {
        expect(UPGRADE_STEP_IDS).toEqual(upgradeSteps(config).map(s => s.id));
        expect(stepTitles(UPGRADE_STEP_IDS)).toEqual(upgradeSteps(config).map(s => s.title));
    });

    test("the engine goes down at shutdown-engine-vm, the first destructive upgrade step", () => {
        const steps = upgradeSteps(config);
        expect(steps.find(s => s.destructive)?.id).toBe("shutdown-engine-vm");
        expect(rollbackKind(config).specs.filter(s => s.destructive).map(s => s.id)).toEqual(["restore-disk"]);
    });
});

describe("stepTitle", () => {
    test("an unknown id shows the helper's own title", () => {
        expect(stepTitle("defragment-the-moon", "Defragment the moon")).toBe("Defragment the moon");
        expect(stepTitle("", "Nameless")).toBe("Nameless");
    });

    test("a known id shows the table's title, whatever the helper wrote", () => {
        expect(stepTitle("build-seed", "something else")).toBe("Build the cloud-init seed");
    });

    test("stepTitles falls back to the id itself", () => {
        expect(stepTitles(["restore-disk", "no-such-step"])).toEqual(["Copy the backup over the engine disk", "no-such-step"]);
    });
});

describe("checkTitle", () => {
    test("translates only an exact match of id and title", () => {
        expect(checkTitle("global-maintenance", "Global maintenance")).toBe("Global maintenance");
        expect(checkTitle("engine-vm-here", "Engine VM not running here")).toBe("Engine VM not running here");
        expect(checkTitle("no-such-check", "Something")).toBe("Something");
    });
});
