// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The steps while the old engine still runs (ovirt-upgrade-flow.md steps 7,
 * 10 and 12): take the appliance disk the preflight extracted from the OVA
 * into its private directory (the OVA, a user's file, is not opened again:
 * issue 14), build the cloud-init seed, and have the old engine create the
 * backup disk. Nothing the engine VM uses is touched yet.
 */

import fs from "node:fs";
import path from "node:path";

import { text } from "../../../protocol/text";
import type { HelperConfig } from "../../config";
import { HelperError } from "../../errors";
import { handOver, hostIdentities, passableDir } from "../../host/identities";
import { hashRootPassword, metaData, userData, type SeedOptions } from "../../formats/cloud-init";
import { buildSeedIso } from "../../iso";
import { checkPlainImage } from "../../qemu-img";
import { privateCopy } from "../intake";
import type { Survey } from "../survey";
import { engineApi, type Produced, type UpgradeApplies, type UpgradeContext } from "./context";
import { waitForDisk } from "./engine-vm";

/** The engine's name for a backup disk: the time it was made, to the second. */
function backupLabel(date: Date): string {
    const pad = (n: number) => String(n).padStart(2, "0");
    return `hosted-engine-backup-${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}` +
        `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/** Where the engine backup lands inside the appliance, for guestfish and the seed alike: the private copy's fixed name. */
export const backupGuestPath = (survey: Survey) => `/root/${path.basename(privateCopy(survey, "backup"))}`;

async function extractAppliance(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"extract-appliance">> {
    const { survey, workDir } = ctx.plan;
    passableDir(workDir);
    // linked out of the root-only private directory so vdsm can reach it: the private name stays, so a job
    // whose work files were discarded makes this again from the checked copy, never from the user's OVA
    const checked = privateCopy(survey, "applianceDisk");
    const disk = path.join(workDir, path.basename(checked));
    if (!fs.existsSync(disk)) {
        if (!fs.existsSync(checked))
            throw new HelperError("refused", survey.ova, text("ova.disk-not-extracted"));
        fs.linkSync(checked, disk);
    }
    // qemu-img reads it as vdsm (boot_disk.py gives it to vdsm:kvm 0644 likewise); it holds no secret
    handOver(disk, hostIdentities(config).disk, 0o644);
    const format = survey.copies?.applianceFormat ?? "qcow2";
    // qemu-img's own view of the disk, before anything converts it: a backing or data file was refused in preflight already
    await checkPlainImage(config, disk, format);
    ctx.progress(survey.ovaReport.bytesRead, survey.ovaReport.sizeBytes);
    return { applianceDisk: disk, applianceFormat: format, ovaBytesRead: survey.ovaReport.bytesRead };
}

async function buildSeed(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"build-seed">> {
    const { plan, survey, workDir } = ctx.plan;
    const options: SeedOptions = {
        vmId: survey.engineDisk.vmId,
        engineFqdn: survey.engineFqdn,
        backupGuestPath: backupGuestPath(survey),
        restoreDwh: survey.backup.dwh,
        restoreReports: survey.backup.reports,
        rootPasswordHash: ctx.secrets.rootPassword ? hashRootPassword(ctx.secrets.rootPassword) : null,
        rootSshKey: plan.rootSshKey,
        rootSshAccess: plan.rootSshAccess,
        etcHosts: survey.etcHosts ?? [],
        ...(survey.vm ? { network: survey.vm.network, hostName: survey.vm.hostName, domain: survey.vm.domain, timeZone: survey.vm.timeZone } : {}),
    };
    passableDir(workDir);
    return { seedIso: await buildSeedIso(config, path.join(workDir, "seed"), userData(options), metaData(options)) };
}

async function createBackupDisk(config: HelperConfig, ctx: UpgradeContext): Promise<Produced<"create-backup-disk">> {
    const disk = ctx.plan.survey.engineDisk;
    const api = await engineApi(config, ctx, 3);
    const label = backupLabel(new Date());
    const created = await api.createDisk(disk.sdUUID, "virtio-disk0", label, disk.capacity);
    ctx.log("info", `Creating the backup disk ${label} (${created.id})`);
    await waitForDisk(api, created.id, config.timeouts.diskCreateSeconds * 1000);
    // the engine's disk id is vdsm's image (imgUUID), its image id vdsm's volume (volUUID)
    const volume = created.imageId ?? (await api.disk(created.id))?.imageId;
    if (!volume)
        throw new HelperError("command-failed", "backup disk", text("upgrade.backup-disk-no-volume", { id: created.id }));
    return { backupImgUUID: created.id, backupVolUUID: volume, backupLabel: label };
}

export function beforeDowntime(config: HelperConfig): Pick<UpgradeApplies, "extract-appliance" | "build-seed" | "create-backup-disk"> {
    return {
        "extract-appliance": ctx => extractAppliance(config, ctx),
        "build-seed": ctx => buildSeed(config, ctx),
        "create-backup-disk": ctx => createBackupDisk(config, ctx),
    };
}
