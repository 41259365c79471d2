// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The steps while no engine runs (ovirt-upgrade-flow.md steps 8-15): shut the
 * engine VM down, copy its disk to the backup disk and verify the copy (a
 * failed copy or verification stops the job before anything is overwritten:
 * the original only logged it), grow the engine disk, write the appliance,
 * inject the engine backup, boot, follow engine-setup on the setup channel and
 * wait for the new engine's health. The engine disk is prepared anew before
 * each use: vdsm tears it down when the VM using it is destroyed.
 */

import fs from "node:fs";
import path from "node:path";

import { text } from "../../../protocol/text";
import { hostPath, type HelperConfig } from "../../config";
import { HelperError } from "../../errors";
import { attachCdrom, parseVmConf } from "../../formats/vm-conf";
import { uploadIntoGuest } from "../../guestfish";
import { prepareEngineDisk, prepareVolume } from "../../host/engine-disk";
import { handOver, hostIdentities } from "../../host/identities";
import { withVdsm } from "../../host/vdsm-session";
import { checkPlainImage, convert, sameContent } from "../../qemu-img";
import { privateCopy } from "../intake";
import { backupGuestPath } from "./before-downtime";
import { type Produced, sleep, SPM_TASK_POLL_MS, type UpgradeApplies, type UpgradeContext } from "./context";
import { waitForEngineHealth } from "./engine-health";
import { shutDownVm } from "./engine-vm";
import { followSetup } from "./setup-channel";

const LOCAL_VM_CONF = "/var/run/ovirt-hosted-engine-ha/vm.conf";

async function shutdownEngineVm(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"shutdown-engine-vm">> {
    const vmId = ctx.plan.survey.engineDisk.vmId;
    const downSince = ctx.facts.engineDownSince ?? Date.now();
    await withVdsm(config, async vdsm => {
        if (await vdsm.vmStatus(vmId) !== null)
            await shutDownVm(ctx, vdsm, vmId, config.timeouts.vmShutdownSeconds * 1000);
    });
    return { engineDownSince: downSince };
}

async function copyToBackup(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"copy-to-backup">> {
    const disk = ctx.plan.survey.engineDisk;
    return withVdsm(config, async vdsm => {
        const source = await prepareEngineDisk(vdsm, disk);
        const target = await prepareVolume(vdsm, disk.sdUUID, ctx.fact("backupImgUUID"), ctx.fact("backupVolUUID"));
        const total = disk.capacity;
        await convert(config, source, target, {
            sourceFormat: "raw", targetFormat: "raw", existingTarget: true,
            onProgress: fraction => ctx.progress(Math.round(fraction * total), total),
        });
        if (!await sameContent(config, source, target))
            throw new HelperError("command-failed", "backup verification", text("upgrade.backup-differs"));
        return { backupPath: target, bytesCopied: total };
    });
}

async function extendEngineDisk(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"extend-engine-disk">> {
    const { engineDisk: disk, targetSize } = ctx.plan.survey;
    if (targetSize <= disk.capacity)
        return {};
    return withVdsm(config, async vdsm => {
        const task = await vdsm.extendSize(disk.sdUUID, disk.poolId, disk.imgUUID, disk.volUUID, targetSize);
        for (;;) {
            const status = await vdsm.taskStatus(task);
            if (status.taskState === "finished") {
                // vdsm reports a failed task as finished with taskResult cleanSuccess
                if (status.taskResult !== "success") {
                    throw new HelperError("command-failed", "Volume.extendSize", text("upgrade.extend-failed", { reason: status.message }),
                                          `vdsm code ${status.code}`);
                }
                return {};
            }
            await sleep(SPM_TASK_POLL_MS);
        }
    });
}

async function writeAppliance(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"write-appliance">> {
    const total = ctx.plan.survey.targetSize;
    // asked again at the last moment: the extracted disk sat in the work directory since
    await checkPlainImage(config, ctx.fact("applianceDisk"), ctx.fact("applianceFormat"));
    const target = await withVdsm(config, vdsm => prepareEngineDisk(vdsm, ctx.plan.survey.engineDisk));
    await convert(config, ctx.fact("applianceDisk"), target, {
        sourceFormat: ctx.fact("applianceFormat"), targetFormat: "raw", existingTarget: true,
        onProgress: fraction => ctx.progress(Math.round(fraction * total), total),
    });
    return {};
}

/*
 * The private copy the preflight checked (never the user's archive: issue 14),
 * handed to vdsm for guestfish under its fixed name, and its MD5 read back
 * from the guest compared with the one measured when it was copied.
 */
async function injectBackup(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"inject-backup">> {
    const { survey } = ctx.plan;
    const checked = privateCopy(survey, "backup");
    const guestPath = backupGuestPath(survey);
    const archive = ctx.plan.plan.backupArchive;
    const image = await withVdsm(config, vdsm => prepareEngineDisk(vdsm, survey.engineDisk));
    // guestfish runs as vdsm: it reads a copy only vdsm can read (the backup holds the engine's secrets), gone after
    const inject = path.join(ctx.plan.workDir, "inject");
    const disk = hostIdentities(config).disk;
    fs.rmSync(inject, { recursive: true, force: true });
    fs.mkdirSync(inject, { mode: 0o700 });
    try {
        const copy = path.join(inject, path.basename(checked));
        fs.copyFileSync(checked, copy, fs.constants.COPYFILE_EXCL);
        handOver(copy, disk, 0o600);
        handOver(inject, disk, 0o700);
        const md5 = await uploadIntoGuest(config, image, "raw", copy, guestPath);
        if (md5 !== survey.copies?.backupMd5)
            throw new HelperError("command-failed", guestPath, text("upgrade.injected-backup-differs", { guestPath, archive }));
    } finally {
        fs.rmSync(inject, { recursive: true, force: true });
    }
    return {};
}

async function bootAppliance(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"boot-appliance">> {
    const vmId = ctx.plan.survey.engineDisk.vmId;
    const vmConfPath = hostPath(config, LOCAL_VM_CONF);
    const vmConf = attachCdrom(fs.readFileSync(vmConfPath, "utf8"), ctx.fact("seedIso"), LOCAL_VM_CONF);
    const params = parseVmConf(vmConf, LOCAL_VM_CONF);
    return withVdsm(config, async vdsm => {
        if (await vdsm.vmStatus(vmId) === null)
            await vdsm.createVm(vmId, params);
        for (let i = 0; i < 60; i++) {
            const status = await vdsm.vmStatus(vmId);
            if (status === "Up" || status === "Powering up")
                return {};
            if (status === "Down")
                throw new HelperError("command-failed", "VM.create", text("upgrade.vm-not-powering-up"));
            await sleep(1000);
        }
        throw new HelperError("command-failed", "VM.create", text("upgrade.vm-not-started"));
    });
}

async function engineSetup(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"engine-setup">> {
    await followSetup(config, ctx, ctx.plan.survey.engineDisk.vmId, config.timeouts.setupStallSeconds * 1000);
    return {};
}

export function downtime(config: HelperConfig): Pick<UpgradeApplies, "shutdown-engine-vm" | "copy-to-backup" | "extend-engine-disk" |
        "write-appliance" | "inject-backup" | "boot-appliance" | "engine-setup" | "engine-health"> {
    return {
        "shutdown-engine-vm": ctx => shutdownEngineVm(config, ctx),
        "copy-to-backup": ctx => copyToBackup(config, ctx),
        "extend-engine-disk": ctx => extendEngineDisk(config, ctx),
        "write-appliance": ctx => writeAppliance(config, ctx),
        "inject-backup": ctx => injectBackup(config, ctx),
        "boot-appliance": ctx => bootAppliance(config, ctx),
        "engine-setup": ctx => engineSetup(config, ctx),
        "engine-health": ctx => waitForEngineHealth(config, ctx),
    };
}
