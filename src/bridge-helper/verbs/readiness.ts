// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `readiness`: the live state the upgrade needs before anything is asked of
 * the administrator (global maintenance, the engine VM on this host, this host
 * the SPM) and the engine disk's size, which bounds the new size. vdsm is asked
 * like the preflight asks it; nothing changes.
 */

import type { ReadinessReport } from "../api";
import type { HelperConfig } from "../config";
import { errorMessage } from "../errors";
import { readVmStatus } from "../ha";
import { readHostedEngineConf } from "../storage";
import { BLANK_UUID, VdsmClient } from "../vdsm";

export async function readiness(config: HelperConfig): Promise<ReadinessReport> {
    const conf = readHostedEngineConf(config);
    const status = await readVmStatus(config);
    const report: ReadinessReport = {
        globalMaintenance: status.globalMaintenance,
        engineVmOnThisHost: null,
        spm: null,
        spmStatus: null,
        engineDiskBytes: null,
        vdsmError: null,
    };
    let vdsm: VdsmClient | null = null;
    try {
        vdsm = await VdsmClient.connect(config);
        report.engineVmOnThisHost = (await vdsm.vmList()).includes(conf.vmId);
        const poolId = (await vdsm.domainInfo(conf.sdUUID)).pool[0] ?? BLANK_UUID;
        report.spmStatus = (await vdsm.spmStatus(poolId)).spmStatus;
        report.spm = report.spmStatus === "SPM";
        const info = await vdsm.volumeInfo(conf.sdUUID, BLANK_UUID, conf.values.get("vm_disk_id") ?? "", conf.values.get("vm_disk_vol_id") ?? "");
        report.engineDiskBytes = Number(info.capacity);
    } catch (err) {
        report.vdsmError = `vdsm cannot be asked: ${errorMessage(err)}. Is vdsmd running?`;
    } finally {
        vdsm?.close();
    }
    return report;
}
