// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the upgrade says at its end: on success, what to do now and the
 * figures; on failure, what the disks hold and what to do, step by step. The
 * administrator must know whether the engine disk is untouched, whether the
 * backup is complete, and whether to roll back. The failed step itself is
 * named by the page (its translated title), not in these sentences.
 */

import type { ResultFigures } from "../../protocol/events";
import { UPGRADE_STEPS, type StepSpec, type UpgradeFacts, type UpgradeStepId } from "../../protocol/steps";
import { text, type Text } from "../../protocol/text";
import type { Outcome } from "../jobs/runner";

const order: readonly string[] = UPGRADE_STEPS.map(s => s.id);
const at = (id: UpgradeStepId) => order.indexOf(id);

function figures(facts: Partial<UpgradeFacts>): ResultFigures {
    const { engineDownSince, engineUpAt, bytesCopied, ovaBytesRead } = facts;
    return {
        ...(engineDownSince !== undefined && engineUpAt !== undefined
            ? { downtimeSeconds: Math.round((engineUpAt - engineDownSince) / 1000) } : {}),
        ...(bytesCopied !== undefined ? { bytesCopied } : {}),
        ...(ovaBytesRead !== undefined ? { ovaBytesRead } : {}),
    };
}

export function succeeded(facts: Partial<UpgradeFacts>): Outcome {
    return {
        message: text("upgrade.succeeded"),
        next: [
            text("upgrade.succeeded.leave-maintenance"),
            text("upgrade.succeeded.host-keys"),
            text("upgrade.succeeded.backup-kept", { label: facts.backupLabel ?? "" }),
        ],
        figures: figures(facts),
    };
}

/* Before the engine went down: the engine VM and its disk are as they were. */
function beforeDowntime(label: string | null): Text[] {
    return [
        text("upgrade.disks.vm-untouched"),
        label ? text("upgrade.disks.backup-empty", { label }) : text("upgrade.disks.no-backup"),
        text("upgrade.disks.nothing-else"),
    ];
}

/** What the disks hold when the step `failed` failed, and what to do. */
export function disksAfterFailure(failed: string, facts: Partial<UpgradeFacts>): Text[] {
    const label = facts.backupLabel ?? null;
    const backup = label ? text("upgrade.disks.backup-named", { label }) : text("upgrade.disks.backup-unnamed");
    const step = order.indexOf(failed);
    if (step < at("shutdown-engine-vm"))
        return beforeDowntime(label);
    if (step <= at("extend-engine-disk")) {
        return [
            text("upgrade.disks.engine-disk-untouched"),
            facts.backupPath !== undefined ? text("upgrade.disks.backup-keep", { backup }) : text("upgrade.disks.backup-incomplete", { backup }),
        ];
    }
    if (step <= at("engine-health")) {
        return [
            text("upgrade.disks.appliance-unfinished"),
            text("upgrade.disks.backup-verified", { backup }),
            text("upgrade.disks.roll-back", { label: label ?? text("upgrade.disks.backup-unnamed-lower") }),
        ];
    }
    return [
        text("upgrade.disks.new-engine"),
        text(failed === "register-backup-disk" ? "upgrade.disks.backup-unregistered" : "upgrade.disks.backup-registered", { backup }),
        text(failed === "shutdown-new-engine-vm" ? "upgrade.disks.shut-down-vm" : "upgrade.disks.leave-maintenance"),
    ];
}

export function failed(step: StepSpec<UpgradeFacts>, error: Text, facts: Partial<UpgradeFacts>, destructiveStarted: boolean): Outcome {
    return {
        message: text(destructiveStarted ? "upgrade.failed.changed" : "upgrade.failed.unchanged", { reason: error }),
        next: disksAfterFailure(step.id, facts),
        figures: {},
    };
}
