// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM's life cycle, shared by vdsm's VM verbs and the hosted-engine
 * command. What a start boots is decided from what the disk holds (to be grown
 * into the full el6/el7 boot with the appliance console).
 */

import type { SimContext } from "./context";

/** How long a graceful shutdown takes before the VM is Down. */
export const SHUTDOWN_DELAY_MS = 1500;

/** Brings time-based transitions up to date; every reader calls this first. */
export function settleVm(ctx: SimContext, now: number = Date.now()): void {
    const vm = ctx.world.vm;
    if (vm.shutdownAt !== null && now >= vm.shutdownAt) {
        vm.status = "Down";
        vm.hostId = null;
        vm.shutdownAt = null;
        vm.exitMessage = "User shut down from within the guest";
        ctx.commit();
    }
}

export interface StartResult {
    ok: boolean;
    /** vdsm-style message when not ok */
    message: string;
}

/** Starts the VM on this host with the given vdsm parameters (from vm.conf or VM.create). */
export function startVm(ctx: SimContext, params: Record<string, unknown>): StartResult {
    settleVm(ctx);
    const vm = ctx.world.vm;
    if (vm.status !== "Down")
        return { ok: false, message: "Virtual machine already exists" };
    const devices = Array.isArray(params.devices) ? params.devices as Record<string, unknown>[] : [];
    const cdrom = devices.find(d => d.device === "cdrom");
    vm.status = "Up";
    vm.hostId = ctx.world.ha.thisHostId;
    vm.bootCount += 1;
    vm.cdrom = typeof cdrom?.path === "string" ? cdrom.path : "";
    vm.exitMessage = "";
    ctx.commit();
    ctx.log("vm", `started on host ${vm.hostId} (boot ${vm.bootCount}, cdrom "${vm.cdrom}")`);
    return { ok: true, message: "" };
}

/** A graceful shutdown: Powering down now, Down after SHUTDOWN_DELAY_MS, never with the vm-wont-stop fault. */
export function requestShutdown(ctx: SimContext): StartResult {
    settleVm(ctx);
    const vm = ctx.world.vm;
    if (vm.status === "Down")
        return { ok: false, message: "Virtual machine does not exist" };
    if (ctx.hasFault("vm-wont-stop")) {
        ctx.log("vm", "shutdown requested; the guest ignores it (fault vm-wont-stop)");
        return { ok: true, message: "" };
    }
    vm.status = "Powering down";
    vm.shutdownAt = Date.now() + SHUTDOWN_DELAY_MS;
    ctx.commit();
    return { ok: true, message: "" };
}

export function destroyVm(ctx: SimContext): StartResult {
    settleVm(ctx);
    const vm = ctx.world.vm;
    if (vm.status === "Down")
        return { ok: false, message: "Virtual machine does not exist" };
    vm.status = "Down";
    vm.hostId = null;
    vm.shutdownAt = null;
    vm.exitMessage = "Admin shut down from the engine";
    ctx.commit();
    return { ok: true, message: "" };
}
