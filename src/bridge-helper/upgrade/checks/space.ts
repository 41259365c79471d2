// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Sizes and space (ovirt-upgrade-flow.md step 7): the engine disk's new size
 * (never smaller than the current disk or the appliance's: a volume never
 * shrinks), room on the storage domain for the backup disk and the growth, and
 * room for the extracted appliance disk.
 */

import os from "node:os";
import path from "node:path";

import type { UpgradePlan } from "../../../protocol/plans";
import type { BackupReport, OvaReport } from "../../../protocol/reports";
import { text } from "../../../protocol/text";
import { freeBytes } from "../../free-space";
import { type CheckList, GIB, gib } from "./check-list";

export interface SpaceInputs {
    /** the engine disk's size now; 0 when vdsm could not be asked */
    engineDiskBytes: number;
    ova: OvaReport | null;
    backup: BackupReport | null;
    /** free bytes on the storage domain; null when the engine could not be asked */
    available: number | null;
}

function checkDiskSize(plan: UpgradePlan, inputs: SpaceInputs, checks: CheckList): number {
    const current = inputs.engineDiskBytes;
    const ovfBytes = (inputs.ova?.ovf?.diskSizeGiB ?? 0) * GIB;
    const requested = plan.diskSizeGiB === null ? 0 : plan.diskSizeGiB * GIB;
    const targetSize = Math.max(current, ovfBytes, requested);
    if (plan.diskSizeGiB !== null && requested < Math.max(current, ovfBytes)) {
        checks.add("disk-size", "fail", text("preflight.disk-size.too-small",
                                             { requested: plan.diskSizeGiB, current: gib(current), appliance: gib(ovfBytes) }));
    } else if (current > 0) {
        checks.add("disk-size", "pass", targetSize > current
            ? text("preflight.disk-size.grows", { current: gib(current), target: gib(targetSize) })
            : text("preflight.disk-size.stays", { current: gib(current) }));
    }
    return targetSize;
}

function checkStorageSpace(current: number, targetSize: number, available: number, checks: CheckList): void {
    const growth = targetSize - current;
    const needed = current + growth;
    const found = { needed: gib(needed), backup: gib(current), growth: gib(growth), available: gib(available) };
    // a disk that keeps its size needs no room to grow: said so, not as "0.0 GiB"
    const pass = growth > 0 ? "preflight.storage-space.pass" : "preflight.storage-space.pass.no-growth";
    const fail = growth > 0 ? "preflight.storage-space.fail" : "preflight.storage-space.fail.no-growth";
    checks.verdict("storage-space", available >= needed, text(pass, found), text(fail, found));
}

async function checkTempSpace(inputs: SpaceInputs, checks: CheckList): Promise<void> {
    const tmp = os.tmpdir();
    const available = await freeBytes(tmp);
    const disk = inputs.ova?.disk?.sizeBytes ?? 0;
    const backup = inputs.backup?.sizeBytes ?? 0;
    // the seed ISO and its files
    const seed = 16 << 20;
    const needed = disk + backup + seed;
    const found = text("preflight.temp-space", {
        needed: gib(needed), dir: path.resolve(tmp), available: gib(available), disk: gib(disk), backup: gib(backup), seed: gib(seed),
    });
    checks.add("temp-space", available >= needed ? "pass" : "fail", found);
}

/** Runs the size and space checks; returns the engine disk's size after the upgrade. */
export async function checkSpace(plan: UpgradePlan, inputs: SpaceInputs, checks: CheckList): Promise<number> {
    const targetSize = checkDiskSize(plan, inputs, checks);
    if (inputs.available !== null && inputs.engineDiskBytes > 0)
        checkStorageSpace(inputs.engineDiskBytes, targetSize, inputs.available, checks);
    await checkTempSpace(inputs, checks);
    return targetSize;
}
