// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `readiness`: the live state the upgrade needs before anything is asked of
 * the administrator (global maintenance, the engine VM on this host, this host
 * the SPM) and the engine disk's size, which bounds the new size. vdsm is asked
 * like the preflight asks it; nothing changes.
 */

import type { ReadinessReport } from "../../protocol/reports";
import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { errorText } from "../errors";
import { engineDisk } from "../host/engine-disk";
import { readVmStatus } from "../host/ha-command";
import { hostedEngineConf } from "../host/hosted-engine-conf";
import { withVdsm } from "../host/vdsm-session";

export async function readiness(config: HelperConfig): Promise<ReadinessReport> {
    const conf = hostedEngineConf(config);
    const status = await readVmStatus(config);
    const report: ReadinessReport = {
        globalMaintenance: status.globalMaintenance,
        engineVmOnThisHost: null,
        spm: null,
        spmStatus: null,
        engineDiskBytes: null,
        vdsmError: null,
    };
    try {
        await withVdsm(config, async vdsm => {
            report.engineVmOnThisHost = (await vdsm.vmList()).includes(conf.vmId);
            const disk = await engineDisk(config, vdsm);
            report.spmStatus = (await vdsm.spmStatus(disk.poolId)).spmStatus;
            report.spm = report.spmStatus === "SPM";
            report.engineDiskBytes = disk.capacity;
        });
    } catch (err) {
        report.vdsmError = text("vdsm.cannot-ask", { reason: errorText(err) });
    }
    return report;
}
