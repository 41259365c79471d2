// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The steps once the new engine is up (ovirt-upgrade-flow.md steps 16-17):
 * register the backup disk in it, record the backup disk's digest (after the
 * engine is back, so the extra read does not add to the downtime), and shut
 * the new engine VM down for the HA agents to take it over.
 */

import { text } from "../../../protocol/text";
import type { HelperConfig } from "../../config";
import { HelperError } from "../../errors";
import { prepareVolume } from "../../host/engine-disk";
import { volumeDigest } from "../../host/storage-domain";
import { withVdsm } from "../../host/vdsm-session";
import { engineApi, type Produced, type UpgradeApplies, type UpgradeContext } from "./context";
import { shutDownVm, waitForDisk } from "./engine-vm";

async function registerBackupDisk(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"register-backup-disk">> {
    const sdUUID = ctx.plan.survey.engineDisk.sdUUID;
    const id = ctx.fact("backupImgUUID");
    const api = await engineApi(config, ctx, 4);
    const known = await api.disk(id);
    if (known?.status === "ok")
        return {};
    const unregistered = await api.unregisteredDisks(sdUUID);
    if (!unregistered.some(d => d.id === id))
        throw new HelperError("command-failed", "backup disk", text("upgrade.backup-disk-absent", { id }));
    await api.registerDisk(sdUUID, id);
    await waitForDisk(api, id, config.timeouts.diskCreateSeconds * 1000);
    return {};
}

/* The backup disk prepared here and now: a path an earlier step (or an earlier run of the job) prepared may be gone. */
async function digestBackupDisk(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"digest-backup-disk">> {
    const sdUUID = ctx.plan.survey.engineDisk.sdUUID;
    const backup = await withVdsm(config, vdsm => prepareVolume(vdsm, sdUUID, ctx.fact("backupImgUUID"), ctx.fact("backupVolUUID")));
    return { backupDigest: await volumeDigest(config, backup) };
}

async function shutdownNewEngineVm(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"shutdown-new-engine-vm">> {
    const vmId = ctx.plan.survey.engineDisk.vmId;
    await withVdsm(config, vdsm => shutDownVm(ctx, vdsm, vmId, config.timeouts.vmShutdownSeconds * 1000));
    return {};
}

export function afterDowntime(config: HelperConfig): Pick<UpgradeApplies, "register-backup-disk" | "digest-backup-disk" | "shutdown-new-engine-vm"> {
    return {
        "register-backup-disk": ctx => registerBackupDisk(config, ctx),
        "digest-backup-disk": ctx => digestBackupDisk(config, ctx),
        "shutdown-new-engine-vm": ctx => shutdownNewEngineVm(config, ctx),
    };
}
