// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM's life cycle, shared by vdsm's VM verbs and the hosted-engine
 * command. A start boots what the disk named in the VM parameters holds: the
 * el6 disk brings back the 3.6 engine with the database on it; the 4.0
 * appliance's first boot runs cloud-init from the cdrom seed (appliance-boot.ts)
 * and a later boot brings back the 4.0 engine it set up. When the VM stops, the
 * engine's database is on its disk, as PostgreSQL would have left it. Like
 * vdsm, a start prepares the images of the VM's drives and a stop (destroyed,
 * or shut down from within) tears them down (image-links.ts).
 */

import fs from "node:fs";
import path from "node:path";

import { playApplianceBoot } from "./appliance-boot";
import { channelPath, ConsoleChannel } from "./console-channel";
import type { SimContext } from "./context";
import { bootedSystemOf, readEngineDatabase, writeEngineDatabase } from "./engine-disk";
import { LOCAL_VM_CONF } from "./host-config";
import { linkImage, unlinkImage, vdsmImageDrives, type VdsmImageDrive } from "./image-links";
import { domainDir, volumePath } from "./storage";
import { parseVmConf } from "./vm-conf";
import { deployedVmNetwork, simNetwork } from "./network";
import { laterBootNetwork } from "./guest-network";
import { imageFiles } from "./guest-cloud-init";
import { BLANK_UUID } from "./world";

/** How long a graceful shutdown takes before the VM is Down. */
export const SHUTDOWN_DELAY_MS = 1500;
/** The pace of the appliance console: one line per step. */
export const CONSOLE_STEP_MS = 60;

interface VmRuntime {
    channel: ConsoleChannel | null;
    stopPlayback: (() => void) | null;
    /** the disk image the running VM booted from */
    image: string | null;
    /** the drives vdsm prepared for the running VM, torn down when it stops */
    drives: VdsmImageDrive[];
}

const runtimes = new WeakMap<SimContext, VmRuntime>();

function runtime(ctx: SimContext): VmRuntime {
    let r = runtimes.get(ctx);
    if (!r) {
        r = { channel: null, stopPlayback: null, image: null, drives: [] };
        runtimes.set(ctx, r);
    }
    return r;
}

/** clientIF.prepareVolumePath for each vdsm image drive of the sim's storage domain. */
function prepareDrives(ctx: SimContext, drives: VdsmImageDrive[]): void {
    const s = ctx.world.storage;
    for (const d of drives.filter(d => d.domainID === s.sdUUID))
        linkImage(ctx.layout, d.domainID, d.imageID, path.join(domainDir(ctx.layout, s), "images", d.imageID));
}

/** clientIF.teardownVolumePath for each of them. */
function releaseDrives(ctx: SimContext, drives: VdsmImageDrive[]): void {
    for (const d of drives)
        unlinkImage(ctx.layout, d.domainID, d.imageID);
}

/* What happens to the guest when it stops: the engine's database is flushed to its disk. */
function stopped(ctx: SimContext, exitMessage: string): void {
    const vm = ctx.world.vm;
    const r = runtime(ctx);
    r.stopPlayback?.();
    r.channel?.close();
    if (r.image && ctx.world.engine.health !== "down" && vm.bootedSystem !== null) {
        try {
            writeEngineDatabase(r.image, ctx.world);
        } catch (err) {
            ctx.log("vm", `could not write the engine database to the disk: ${(err as Error).message}`);
        }
    }
    // vdsm releases the VM: the images of its drives are torn down
    releaseDrives(ctx, r.drives);
    runtimes.delete(ctx);
    vm.status = "Down";
    vm.hostId = null;
    vm.shutdownAt = null;
    vm.exitMessage = exitMessage;
    vm.downSince = Date.now();
    vm.network = null;
    ctx.world.engine.health = "down";
    ctx.commit();
}

/** Brings time-based transitions up to date; every reader calls this first. */
export function settleVm(ctx: SimContext, now: number = Date.now()): void {
    const vm = ctx.world.vm;
    if (vm.shutdownAt !== null && now >= vm.shutdownAt)
        stopped(ctx, "User shut down from within the guest");
}

export interface StartResult {
    ok: boolean;
    /** vdsm-style message when not ok */
    message: string;
}

type Device = Record<string, unknown>;

/** The image of the VM's boot disk, from its disk device (domainID/imageID/volumeID, or path). */
function diskImage(ctx: SimContext, devices: Device[]): string | null {
    const disk = devices.find(d => d.device === "disk");
    if (!disk)
        return null;
    const s = ctx.world.storage;
    if (disk.domainID !== s.sdUUID || typeof disk.imageID !== "string" || typeof disk.volumeID !== "string")
        return null;
    return volumePath(domainDir(ctx.layout, s), disk.imageID, disk.volumeID);
}

/** Starts the VM on this host with the given vdsm parameters (from vm.conf or VM.create). */
export function startVm(ctx: SimContext, params: Record<string, unknown>): StartResult {
    settleVm(ctx);
    const vm = ctx.world.vm;
    if (vm.status !== "Down")
        return { ok: false, message: "Virtual machine already exists" };
    if (params.vmId !== undefined && params.vmId !== vm.vmId)
        return { ok: false, message: `Unexpected vmId ${String(params.vmId)}` };
    const devices = Array.isArray(params.devices) ? params.devices as Device[] : [];
    const image = diskImage(ctx, devices);
    if (!image)
        return { ok: false, message: "Bad volume specification: the disk device does not name a volume of the hosted-engine storage domain" };
    const cdrom = devices.find(d => d.device === "cdrom");

    const r = runtime(ctx);
    r.image = image;
    r.drives = vdsmImageDrives(devices);
    prepareDrives(ctx, r.drives);
    // vdsm answers VM.create at once; the domain starts (or fails) in libvirt after that
    vm.status = "WaitForLaunch";
    vm.hostId = ctx.world.ha.thisHostId;
    vm.bootCount += 1;
    vm.bootedSystem = null;
    vm.cdrom = typeof cdrom?.path === "string" ? cdrom.path : "";
    vm.exitMessage = "";
    vm.network = null;
    ctx.world.engine.health = "down";
    ctx.commit();
    const boot = vm.bootCount;
    const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
    void ctx.launch({ disk: image, cdrom: vm.cdrom, cdromCopy: path.join(ctx.layout.run, "vm-cdrom.iso"), owner }).then(result => {
        // destroyed, or started anew, while libvirt was busy
        if (runtimes.get(ctx) !== r || vm.status !== "WaitForLaunch" || vm.bootCount !== boot)
            return;
        if (!result.ok) {
            ctx.log("vm", `libvirt could not start the VM: ${result.message}`);
            stopped(ctx, result.message);
            return;
        }
        runGuest(ctx, r, image, result.cdrom);
    });
    return { ok: true, message: "" };
}

/* qemu runs: the guest boots what its disk holds, reading the cdrom qemu opened. */
function runGuest(ctx: SimContext, r: VmRuntime, image: string, guestCdrom: string): void {
    const vm = ctx.world.vm;
    const system = bootedSystemOf(image);
    // the hostedengine vdsm hook adds the setup channel for the engine VM
    r.channel = new ConsoleChannel(channelPath(ctx));
    vm.status = "Up";
    vm.bootedSystem = system;

    const database = system === null ? null : readEngineDatabase(image);
    // the el6 engine VM has the address it was deployed with; the appliance's eth0 is what its disk and seed say
    if (system === "el6-engine-3.6")
        vm.network = deployedVmNetwork(ctx.world);
    else if (system === "el7-appliance-4.0" && database)
        vm.network = laterBootNetwork(imageFiles(image), simNetwork(ctx.world), message => ctx.log("guest", message));
    if (database) {
        ctx.world.engine.version = database.version;
        ctx.world.engine.data = database.data;
        ctx.world.engine.health = ctx.hasFault("engine-never-healthy") ? "bad" : "good";
        ctx.world.engine.startedAt = Date.now();
    } else if (system === "el7-appliance-4.0") {
        const world = ctx.world;
        r.stopPlayback = playApplianceBoot({
            image,
            iso: guestCdrom,
            world,
            channel: r.channel,
            hasFault: ctx.hasFault,
            stepMs: CONSOLE_STEP_MS,
            log: message => ctx.log("appliance", message),
            finish: outcome => {
                if (!outcome.database || world.vm.status === "Down")
                    return;
                world.engine.version = outcome.database.version;
                world.engine.data = outcome.database.data;
                world.engine.health = ctx.hasFault("engine-never-healthy") ? "bad" : "good";
                world.engine.startedAt = Date.now();
                try {
                    writeEngineDatabase(image, world);
                } catch (err) {
                    ctx.log("appliance", `could not write the engine database to the disk: ${(err as Error).message}`);
                }
                ctx.commit();
                ctx.log("appliance", `engine ${world.engine.version} set up with the restored data`);
            },
        });
    }
    ctx.commit();
    ctx.log("vm", `started on host ${vm.hostId} (boot ${vm.bootCount}, ${system ?? "nothing bootable"}, cdrom "${vm.cdrom}")`);
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
    if (ctx.world.vm.status === "Down")
        return { ok: false, message: "Virtual machine does not exist" };
    stopped(ctx, "Admin shut down from the engine");
    return { ok: true, message: "" };
}

/** How long the HA agents leave the engine VM down before they start it again (outside global maintenance). */
export const AGENT_RESTART_MS = 10_000;

/**
 * What ovirt-ha-agent does on its own every cycle: outside global maintenance,
 * an engine VM that is down is started again from the local vm.conf (on
 * another host when this one is in local maintenance).
 */
export function haAgentTick(ctx: SimContext, now: number = Date.now()): void {
    settleVm(ctx, now);
    const world = ctx.world;
    const vm = world.vm;
    if (vm.status !== "Down" || world.ha.globalMaintenance || now - (vm.downSince ?? now) < AGENT_RESTART_MS)
        return;
    let params;
    try {
        params = parseVmConf(fs.readFileSync(path.join(ctx.layout.root, LOCAL_VM_CONF), "utf8"));
    } catch (err) {
        ctx.log("ha", `cannot start the engine VM: ${(err as Error).message}`);
        vm.downSince = now;
        return;
    }
    ctx.log("ha", "EngineDown -> EngineStart: starting the engine VM");
    const result = startVm(ctx, params);
    if (!result.ok) {
        ctx.log("ha", `starting the engine VM failed: ${result.message}`);
        vm.downSince = now;
        return;
    }
    const me = world.ha.hosts.find(h => h.id === world.ha.thisHostId);
    if (me?.localMaintenance) {
        // another host runs it: this host's vdsm has not prepared its images
        vm.hostId = world.ha.hosts.find(h => h.id !== me.id && !h.stale)?.id ?? vm.hostId;
        releaseDrives(ctx, runtime(ctx).drives);
        ctx.commit();
    }
}

/** The daemon resumes a VM that was Up when it stopped: reopen its channel and remember its disk, prepared. */
export function resumeVm(ctx: SimContext): void {
    const vm = ctx.world.vm;
    if (vm.status === "Down")
        return;
    if (vm.status === "WaitForLaunch") {
        // the daemon stopped while libvirt was starting it: that start is lost
        stopped(ctx, "the VM's start was interrupted");
        return;
    }
    const r = runtime(ctx);
    const s = ctx.world.storage;
    r.image = volumePath(domainDir(ctx.layout, s), s.engineDisk.imgUUID, s.engineDisk.volUUID);
    r.drives = [{ domainID: s.sdUUID, imageID: s.engineDisk.imgUUID, poolID: BLANK_UUID, volumeID: s.engineDisk.volUUID }];
    // a VM that runs here has its images prepared (the sim may have begun with it running)
    if (vm.hostId === ctx.world.ha.thisHostId)
        prepareDrives(ctx, r.drives);
    r.channel = new ConsoleChannel(channelPath(ctx));
}
