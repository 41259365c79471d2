// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM and the backup disk as the steps wait for them: a VM asked to
 * shut down is powered off after its grace time, and a disk the engine creates
 * or registers must become "ok".
 */

import { text } from "../../../protocol/text";
import { HelperError } from "../../errors";
import type { EngineApi } from "../../host/engine-session";
import type { VdsmClient } from "../../host/vdsm-session";
import { sleep, VM_STATUS_POLL_MS, type UpgradeContext } from "./context";

/** Waits until the VM is gone from this host; destroys it once down, or after `graceMs` whatever its state. */
export async function waitForVmDown(ctx: UpgradeContext, vdsm: VdsmClient, vmId: string, graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    for (;;) {
        const status = await vdsm.vmStatus(vmId);
        if (status === null)
            return;
        if (status === "Down") {
            await vdsm.destroyVm(vmId);
            return;
        }
        if (Date.now() > deadline) {
            ctx.log("warning", `The engine VM is still ${status} after ${graceMs / 1000} s: powering it off`);
            await vdsm.destroyVm(vmId);
            return;
        }
        await sleep(VM_STATUS_POLL_MS);
    }
}

/** Asks the VM to shut down (it may already be on its way) and waits for it. */
export async function shutDownVm(ctx: UpgradeContext, vdsm: VdsmClient, vmId: string, graceMs: number): Promise<void> {
    await vdsm.shutdownVm(vmId).catch(() => undefined);
    await waitForVmDown(ctx, vdsm, vmId, graceMs);
}

/** Waits until the engine says the disk is "ok"; any state but "locked" on the way is a failure. */
export async function waitForDisk(api: EngineApi, id: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const disk = await api.disk(id);
        if (disk?.status === "ok")
            return;
        if (disk && disk.status !== "locked")
            throw new HelperError("command-failed", "backup disk", text("upgrade.backup-disk-state", { status: disk.status }));
        if (Date.now() > deadline) {
            const seconds = timeoutMs / 1000;
            throw new HelperError("command-failed", "backup disk", disk ? text("upgrade.backup-disk-stuck", { status: disk.status, seconds })
                : text("upgrade.backup-disk-gone", { seconds }));
        }
        await sleep(1000);
    }
}
