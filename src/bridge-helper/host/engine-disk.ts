// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM's disk on the hosted-engine storage domain: which volume it is
 * (hosted-engine.conf), how large (vdsm's Volume.getInfo), and where it is on
 * this host once vdsm prepared it (Image.prepare). vdsm tears a prepared
 * image down when the VM using it is destroyed, so a path is only good until
 * then: callers prepare again before each use instead of keeping one.
 */

import type { HelperConfig } from "../config";
import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { HOSTED_ENGINE_CONF, hostedEngineConf } from "./hosted-engine-conf";
import { BLANK_UUID, type VdsmClient } from "./vdsm-session";

export interface EngineDisk {
    vmId: string;
    sdUUID: string;
    /** the storage pool the domain is attached to (blank when it is not) */
    poolId: string;
    imgUUID: string;
    volUUID: string;
    /** the disk's size in bytes (Volume.getInfo capacity) */
    capacity: number;
}

/** The engine disk's identity and size; prepares nothing. */
export async function engineDisk(config: HelperConfig, vdsm: VdsmClient): Promise<EngineDisk> {
    const conf = hostedEngineConf(config);
    if (!conf.imgUUID || !conf.volUUID)
        throw new HelperError("format-invalid", `${HOSTED_ENGINE_CONF}: vm_disk_id`,
                              text("he-conf.no-disk", { file: HOSTED_ENGINE_CONF }));
    const poolId = (await vdsm.domainInfo(conf.sdUUID)).pool[0] ?? BLANK_UUID;
    const info = await vdsm.volumeInfo(conf.sdUUID, BLANK_UUID, conf.imgUUID, conf.volUUID);
    return { vmId: conf.vmId, sdUUID: conf.sdUUID, poolId, imgUUID: conf.imgUUID, volUUID: conf.volUUID, capacity: Number(info.capacity) };
}

/** A volume of the storage domain, prepared by vdsm: its path on this host. */
export async function prepareVolume(vdsm: VdsmClient, sdUUID: string, imgUUID: string, volUUID: string): Promise<string> {
    return (await vdsm.prepareImage(sdUUID, BLANK_UUID, imgUUID, volUUID)).path;
}

/** The engine disk prepared by vdsm: its path on this host, good until the engine VM is destroyed. */
export async function prepareEngineDisk(vdsm: VdsmClient, disk: EngineDisk): Promise<string> {
    return prepareVolume(vdsm, disk.sdUUID, disk.imgUUID, disk.volUUID);
}

/** Releases the engine disk on this host (vdsm does it itself when the VM using it is destroyed). */
export async function teardownEngineDisk(vdsm: VdsmClient, disk: EngineDisk): Promise<void> {
    await vdsm.teardownImage(disk.sdUUID, BLANK_UUID, disk.imgUUID);
}
