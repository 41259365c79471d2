// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade job kind against the protocol's registry, and what it says at
 * its end: the result and, after a failure, what the disks hold.
 */

import { UPGRADE_STEPS, type UpgradeFacts } from "../../src/protocol/steps";
import { text } from "../../src/protocol/text";
import { defaultConfig } from "../../src/bridge-helper/config";
import { HelperError } from "../../src/bridge-helper/errors";
import { listOf, reasonOf } from "../../src/bridge-helper/upgrade/checks/check-list";
import { upgradeKind } from "../../src/bridge-helper/upgrade/job";
import { disksAfterFailure } from "../../src/bridge-helper/upgrade/outcome";

const kind = upgradeKind(defaultConfig());
const spec = (id: string) => UPGRADE_STEPS.find(s => s.id === id) ?? UPGRADE_STEPS[0];
const LABEL = "hosted-engine-backup-20261125101500";

test("the kind runs the registry's steps, with one apply for each and no other", () => {
    expect(kind.kind).toBe("upgrade");
    expect(kind.specs).toBe(UPGRADE_STEPS);
    expect(Object.keys(kind.apply).sort()).toEqual(UPGRADE_STEPS.map(s => s.id).sort());
});

test("success says what to do now and gives the figures", () => {
    const facts: Partial<UpgradeFacts> = { backupLabel: LABEL, engineDownSince: 1_000, engineUpAt: 601_400, bytesCopied: 2048, ovaBytesRead: 4096 };
    const outcome = kind.succeeded(facts);
    expect(outcome.message).toEqual({ code: "upgrade.succeeded", params: {}, english: "Hosted Engine successfully upgraded" });
    expect(outcome.next.map(t => t.code)).toEqual(["upgrade.succeeded.leave-maintenance", "upgrade.succeeded.host-keys", "upgrade.succeeded.backup-kept"]);
    expect(outcome.next[2].english).toBe(`The old engine's disk is kept as the backup disk ${LABEL}.`);
    expect(outcome.figures).toEqual({ downtimeSeconds: 600, bytesCopied: 2048, ovaBytesRead: 4096 });
});

test("a failure keeps the reason as a Text of its own and does not name the step", () => {
    const reason = text("upgrade.extend-failed", { reason: "no space" });
    const before = kind.failed(spec("create-backup-disk"), reason, {}, false);
    expect(before.message.code).toBe("upgrade.failed.unchanged");
    expect(before.message.params.reason).toEqual(reason);
    expect(before.message.english).toBe("Hosted Engine upgrade failed before anything was changed: Growing the engine disk failed: no space");
    const after = kind.failed(spec("extend-engine-disk"), reason, { backupLabel: LABEL, backupPath: "/b" }, true);
    expect(after.message.code).toBe("upgrade.failed.changed");
    expect(after.message.english).not.toContain(spec("extend-engine-disk").title);
});

describe("disksAfterFailure", () => {
    const english = (failed: string, facts: Partial<UpgradeFacts>) => disksAfterFailure(failed, facts).map(t => t.english);

    test("before the engine went down: nothing but an empty backup disk", () => {
        expect(english("create-backup-disk", {})).toEqual([
            "The engine VM still runs and its disk is untouched.",
            "No backup disk was created.",
            "Nothing else was changed. Fix the cause and start the upgrade again.",
        ]);
        expect(english("build-seed", { backupLabel: LABEL })[1]).toBe(`The backup disk ${LABEL} was created but holds nothing yet: delete it on the Rollback tab.`);
    });

    test("while the old disk is untouched: start the old engine; keep the backup only when it was verified", () => {
        expect(english("extend-engine-disk", { backupLabel: LABEL, backupPath: "/b" })[1])
                .toBe(`The backup disk ${LABEL} holds a verified copy of the old engine disk: keep it, or delete it on the Rollback tab.`);
        expect(english("copy-to-backup", {})[1]).toBe("The backup disk is incomplete or unverified: do not restore it; delete it on the Rollback tab.");
    });

    test("once the appliance was written: roll back", () => {
        const next = english("engine-setup", { backupLabel: LABEL, backupPath: "/b" });
        expect(next[0]).toMatch(/unfinished 4.0 appliance/);
        expect(next[2]).toBe(`Roll back: power the engine VM off if it runs (hosted-engine --vm-poweroff), then restore ${LABEL} on the Rollback tab.`);
        expect(english("write-appliance", {})[2]).toMatch(/then restore the backup disk on the Rollback tab/);
    });

    test("after the new engine answered: import or shut down by hand", () => {
        expect(english("register-backup-disk", { backupLabel: LABEL })[1]).toMatch(/import it from the storage domain's Disk Import tab/);
        expect(english("shutdown-new-engine-vm", { backupLabel: LABEL })[2]).toMatch(/^Shut the engine VM down/);
        expect(english("digest-backup-disk", { backupLabel: LABEL })[2]).toMatch(/^Leave global maintenance/);
    });
});

describe("check findings", () => {
    test("several findings become one Text, each kept as a Text of its own", () => {
        const items = [text("ova.no-ovf"), text("ova.sha1-mismatch", { sha1: "a", expected: "b" }), text("ova.disk-not-extracted")];
        const joined = listOf(items, "list.sentences");
        expect(joined.english).toBe(items.map(t => t.english).join(" "));
        expect(joined.params.first).toEqual(items[0]);
        expect(listOf([items[0]], "list.semicolons")).toEqual(items[0]);
    });

    test("an error's detail stays beside its Text", () => {
        const err = new HelperError("command-failed", "vdsm", text("upgrade.vm-not-started"), "exit code 3");
        expect(reasonOf(err).english).toBe("The engine VM did not start within a minute (exit code 3)");
        expect(reasonOf(new HelperError("refused", "x", text("upgrade.setup-failed"))).code).toBe("upgrade.setup-failed");
    });
});
