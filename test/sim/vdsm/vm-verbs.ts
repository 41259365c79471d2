// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * vdsm's VM verbs over the sim's engine VM (engine-vm.ts does the life cycle).
 *
 * vdsm knows the VMs in its container: one that runs on this host, and one
 * that went Down here, until someone destroys it (a Down VM keeps its exit
 * code and message for whoever asks). VM.getStats of a VM not in the container
 * is error 1, noVM. A VM running on another host (fault vm-on-other-host) is
 * not in this host's container. The container is this service's memory, like
 * vdsm's: a restarted daemon, like a restarted vdsm, has forgotten the VMs that
 * were Down.
 *
 * VM.create is asynchronous in vdsm: it answers with the VM's definition in
 * "WaitForLaunch" and a VM that cannot start goes Down with an exit message,
 * which is how the sim reports a start that engine-vm refuses.
 */

import fs from "node:fs";
import path from "node:path";

import type { SimContext } from "../context";
import { destroyVm, requestShutdown, settleVm, startVm } from "../engine-vm";
import { LOCAL_VM_CONF } from "../host-config";
import { parseVmConf } from "../vm-conf";
import { missingParameter, noVM, vmExists } from "./errors";
import type { Args, VerbTable } from "./jsonrpc";

/** vdsm's exit reasons (lib/vdsm/virt/vmexitreason.py), by their text. */
const EXIT_REASONS: Record<string, number> = {
    "VM terminated succesfully": 0,
    "VM terminated with error": 1,
    "Admin shut down from the engine": 6,
    "User shut down from within the guest": 7,
};
const GENERIC_ERROR = 1;

interface HeldVm {
    vmId: string;
    /** the definition the VM was created with, as vdsm echoes it in full listings */
    params: Record<string, unknown>;
    /** Date.now() when it was seen starting, for elapsedTime */
    startedAt: number;
    /** the world's boot count of the run this entry stands for */
    bootCount: number;
    /** set when the VM is Down in the container */
    down: { exitMessage: string; exitCode: number; exitReason: number } | null;
    /** a fake qemu pid, as a string like vdsm's */
    pid: string;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** vdsm's statusTime: a monotonic clock in milliseconds, as a string. */
function statusTime(): string {
    return String(Math.floor(performance.timeOrigin + performance.now()));
}

export class VmContainer {
    private readonly held = new Map<string, HeldVm>();
    /** the parameters of the VM.create that is starting the engine VM now */
    private creating: Record<string, unknown> | null = null;

    constructor(private readonly ctx: SimContext) {}

    /** What the engine VM was started from when vdsm did not see it start: the HA agent's vm.conf. */
    private paramsFromVmConf(): Record<string, unknown> {
        const vmId = this.ctx.world.vm.vmId;
        try {
            const text = fs.readFileSync(path.join(this.ctx.layout.root, LOCAL_VM_CONF), "utf8");
            return { ...parseVmConf(text), vmId };
        } catch {
            return { vmId, vmName: "HostedEngine" };
        }
    }

    /**
     * Brings the container up to date with the world: the VM's life goes on
     * outside vdsm's verbs (the HA agent, `hosted-engine --vm-shutdown`), so the
     * service calls this often, not only when a verb needs it.
     */
    sync(): HeldVm[] {
        const ctx = this.ctx;
        settleVm(ctx);
        const vm = ctx.world.vm;
        const here = vm.status !== "Down" && vm.hostId === ctx.world.ha.thisHostId;
        const entry = this.held.get(vm.vmId);
        if (here) {
            if (!entry || entry.down || entry.bootCount !== vm.bootCount) {
                this.held.set(vm.vmId, {
                    vmId: vm.vmId,
                    params: this.creating ?? this.paramsFromVmConf(),
                    startedAt: Date.now(),
                    bootCount: vm.bootCount,
                    down: null,
                    pid: String(10000 + Math.floor(Math.random() * 50000)),
                });
            }
        } else if (entry && !entry.down) {
            if (vm.status === "Down") {
                // it stopped here: vdsm keeps it, Down, until it is destroyed
                const exitReason = Object.hasOwn(EXIT_REASONS, vm.exitMessage) ? EXIT_REASONS[vm.exitMessage] : GENERIC_ERROR;
                entry.down = { exitMessage: vm.exitMessage, exitCode: exitReason === GENERIC_ERROR ? 1 : 0, exitReason };
            } else {
                // it runs on another host now
                this.held.delete(vm.vmId);
            }
        }
        return [...this.held.values()];
    }

    private find(vmID: string): HeldVm {
        this.sync();
        const entry = this.held.get(vmID);
        if (!entry)
            throw noVM();
        return entry;
    }

    private status(entry: HeldVm): string {
        const vm = this.ctx.world.vm;
        return entry.down ? "Down" : entry.vmId === vm.vmId ? vm.status : "Down";
    }

    /** vm.status(fullStatus=False). */
    private shortStatus(entry: HeldVm): Record<string, unknown> {
        return { vmId: entry.vmId, status: this.status(entry), statusTime: statusTime() };
    }

    /** vm.status(fullStatus=True): the definition with the status. */
    private fullStatus(entry: HeldVm): Record<string, unknown> {
        return { ...entry.params, vmId: entry.vmId, status: this.status(entry), guestDiskMapping: {}, statusTime: statusTime() };
    }

    /** vm.getStats(): a running VM's configuration and counters, or a Down VM's exit. */
    private stats(entry: HeldVm): Record<string, unknown> {
        if (entry.down)
            return { vmId: entry.vmId, status: "Down", statusTime: statusTime(), ...entry.down };
        const params = entry.params;
        return {
            vmId: entry.vmId,
            vmName: typeof params.vmName === "string" ? params.vmName : "HostedEngine",
            pid: entry.pid,
            vmType: "kvm",
            kvmEnable: "true",
            acpiEnable: typeof params.acpiEnable === "string" ? params.acpiEnable : "true",
            status: this.status(entry),
            statusTime: statusTime(),
            elapsedTime: String(Math.floor((Date.now() - entry.startedAt) / 1000)),
            monitorResponse: "0",
            timeOffset: "0",
            clientIp: "",
        };
    }

    private create(vmID: string, vmParams: Record<string, unknown>): Record<string, unknown> {
        const ctx = this.ctx;
        // vdsm takes the id from the call, whatever the parameters say
        const params: Record<string, unknown> = { ...vmParams, vmId: vmID };
        this.sync();
        if (this.held.has(vmID))
            throw vmExists();
        if (params.memSize === undefined)
            throw missingParameter("Missing required parameter memSize");
        if (!UUID_PATTERN.test(vmID))
            throw missingParameter("vmId must be a valid UUID");
        if (params.memSize === 0)
            throw missingParameter("Must specify nonzero memSize");

        this.creating = params;
        let result;
        try {
            result = startVm(ctx, params);
            this.sync();
        } finally {
            this.creating = null;
        }
        if (!result.ok) {
            // the VM was created, then failed to start: it is Down with the reason
            this.held.set(vmID, {
                vmId: vmID,
                params,
                startedAt: Date.now(),
                bootCount: -1,
                down: { exitMessage: result.message, exitCode: 1, exitReason: GENERIC_ERROR },
                pid: "0",
            });
            ctx.log("vdsm", `VM ${vmID} could not start: ${result.message}`);
        }
        return { ...params, status: "WaitForLaunch", guestDiskMapping: {}, statusTime: statusTime() };
    }

    private shutdown(vmID: string, reboot: boolean): void {
        const entry = this.find(vmID);
        if (entry.down || entry.vmId !== this.ctx.world.vm.vmId)
            throw noVM();
        if (reboot) {
            // the guest reboots and is Up again at once: nothing changes that a client could see
            this.ctx.log("vdsm", `VM ${vmID} reboots`);
            return;
        }
        if (!requestShutdown(this.ctx).ok)
            throw noVM();
    }

    private destroy(vmID: string): void {
        const entry = this.find(vmID);
        if (!entry.down && entry.vmId === this.ctx.world.vm.vmId)
            destroyVm(this.ctx);
        this.held.delete(vmID);
    }

    verbs(): VerbTable {
        const vmID = { name: "vmID", type: "UUID" } as const;
        const id = (args: Args) => args.vmID as string;
        return {
            "Host.getVMList": {
                params: [
                    { name: "fullStatus", type: "boolean", optional: true },
                    { name: "vmList", type: "UUID[]", optional: true },
                    { name: "onlyUUID", type: "boolean", optional: true },
                ],
                call: args => {
                    // the JSON-RPC bridge ignores fullStatus and defaults onlyUUID to true
                    const filter = (args.vmList ?? []) as string[];
                    const entries = this.sync().filter(e => filter.length === 0 || filter.includes(e.vmId));
                    return args.onlyUUID === false ? entries.map(e => this.shortStatus(e)) : entries.map(e => e.vmId);
                },
            },
            "Host.getVMFullList": {
                params: [{ name: "vmList", type: "UUID[]", optional: true }],
                call: args => {
                    const filter = (args.vmList ?? []) as string[];
                    return this.sync().filter(e => filter.length === 0 || filter.includes(e.vmId)).map(e => this.fullStatus(e));
                },
            },
            "VM.getStats": {
                params: [vmID],
                call: args => [this.stats(this.find(id(args)))],
            },
            "VM.create": {
                params: [vmID, { name: "vmParams", type: "object" }],
                call: args => this.create(id(args), args.vmParams as Record<string, unknown>),
            },
            "VM.shutdown": {
                params: [
                    vmID,
                    { name: "delay", type: "int", optional: true },
                    { name: "message", type: "string", optional: true },
                    { name: "reboot", type: "boolean", optional: true },
                    { name: "timeout", type: "int", optional: true },
                    { name: "force", type: "boolean", optional: true },
                ],
                call: args => this.shutdown(id(args), args.reboot === true),
            },
            "VM.destroy": {
                params: [vmID, { name: "gracefulAttempts", type: "uint", optional: true }],
                call: args => this.destroy(id(args)),
            },
        };
    }
}
