// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * vdsm's run links of prepared images on a file domain (vdsm 4.18, branch
 * ovirt-4.0: vdsm/storage/fileSD.py activateVolumes, createImageLinks,
 * deactivateImage and removeImageLinks; sd.py getImageRundir; P_VDSM_STORAGE
 * in lib/vdsm/constants.py.in):
 *   - preparing an image links /var/run/vdsm/storage/<sdUUID>/<imgUUID> to the
 *     image's directory on the mount (an existing link is kept);
 *   - tearing it down removes that link (a missing one is no error). vdsm
 *     tears down the images of a VM's drives when it releases the VM: when the
 *     VM is destroyed, and when its qemu goes away on its own (a shutdown from
 *     within the guest), virt/vm.py releaseVm -> _cleanup -> _cleanupDrives ->
 *     clientIF.teardownVolumePath -> hsm.teardownImage.
 * A path through a link that is gone no longer opens: whoever needs the image
 * after that prepares it again.
 */

import fs from "node:fs";
import path from "node:path";

import type { SimLayout } from "./layout";

/** P_VDSM_STORAGE: @VDSMRUNDIR@/storage/, /var/run/vdsm on EL7. */
export const VDSM_STORAGE_RUN = "/var/run/vdsm/storage";

/** sd.getImageRundir, under the sim's root. */
export function imageRunDir(layout: SimLayout, sdUUID: string, imgUUID: string): string {
    return path.join(layout.root, VDSM_STORAGE_RUN, sdUUID, imgUUID);
}

/** fileSD.createImageLinks: the run link to `imageDir`, made unless there is one; its path. */
export function linkImage(layout: SimLayout, sdUUID: string, imgUUID: string, imageDir: string): string {
    const link = imageRunDir(layout, sdUUID, imgUUID);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    try {
        fs.symlinkSync(imageDir, link);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST")
            throw err;
    }
    return link;
}

/** fileSD.removeImageLinks: the run link goes; a missing one is only logged by vdsm. */
export function unlinkImage(layout: SimLayout, sdUUID: string, imgUUID: string): void {
    try {
        fs.unlinkSync(imageRunDir(layout, sdUUID, imgUUID));
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT")
            throw err;
    }
}

/** A VM drive that is a vdsm image (lib/vdsm/virt/utils.py isVdsmImage): these are prepared and torn down. */
export interface VdsmImageDrive {
    domainID: string;
    imageID: string;
    poolID: string;
    volumeID: string;
}

/** The drives clientIF.prepareVolumePath prepares: disks (not cdroms) that carry all four ids. */
export function vdsmImageDrives(devices: Record<string, unknown>[]): VdsmImageDrive[] {
    const keys = ["domainID", "imageID", "poolID", "volumeID"] as const;
    return devices.filter(d => d.device === "disk" && keys.every(k => typeof d[k] === "string"))
            .map(d => ({ domainID: d.domainID as string, imageID: d.imageID as string, poolID: d.poolID as string, volumeID: d.volumeID as string }));
}
