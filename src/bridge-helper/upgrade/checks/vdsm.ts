// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What vdsm on this host says (ovirt-upgrade-flow.md steps 1 and 3): the
 * engine VM runs here, this host holds the SPM role (only the SPM can grow the
 * engine disk), the engine disk's size; which versions of its key packages it
 * has (judged in host-packages.ts) and, when this host goes into the new VM's
 * /etc/hosts, the management bridge's address. Nothing is prepared or changed.
 */

import { text } from "../../../protocol/text";
import type { HelperConfig } from "../../config";
import { engineDisk, type EngineDisk } from "../../host/engine-disk";
import type { HostedEngineConf } from "../../host/hosted-engine-conf";
import { withVdsm } from "../../host/vdsm-session";
import { type CheckList, reasonOf } from "./check-list";
import type { VdsmPackages } from "./host-packages";

export interface HostFacts {
    engineDisk: EngineDisk | null;
    /** how the engine knows this host */
    hardwareUuid: string | null;
    /** the host's key packages, as vdsm reports them */
    packages: VdsmPackages;
    /** the management bridge's address (hosted-engine.conf bridge=), asked only for the /etc/hosts entry */
    bridgeAddress: string | null;
}

/** hosted-engine.conf's management bridge; the original's default when the key is missing. */
export const bridgeName = (conf: HostedEngineConf) => conf.values.get("bridge") || "ovirtmgmt";

export async function checkVdsm(config: HelperConfig, conf: HostedEngineConf, checks: CheckList,
                                options: { bridgeAddress: boolean }): Promise<HostFacts> {
    const facts: HostFacts = { engineDisk: null, hardwareUuid: null, packages: null, bridgeAddress: null };
    try {
        await withVdsm(config, async vdsm => {
            const here = (await vdsm.vmList()).includes(conf.vmId);
            checks.verdict("engine-vm-here", here, text("preflight.engine-vm-here.pass", { vmId: conf.vmId }),
                           text("preflight.engine-vm-here.fail"));
            facts.hardwareUuid = await vdsm.hardwareUuid();
            facts.packages = await vdsm.packageVersions().then(versions => ({ versions }), (error: unknown) => ({ error }));
            const disk = await engineDisk(config, vdsm);
            const spm = await vdsm.spmStatus(disk.poolId);
            checks.verdict("spm-vdsm", spm.spmStatus === "SPM", text("preflight.spm-vdsm.pass"),
                           text("preflight.spm-vdsm.fail", { status: spm.spmStatus }));
            facts.engineDisk = disk;
            if (options.bridgeAddress)
                facts.bridgeAddress = await vdsm.networkAddress(bridgeName(conf));
        });
    } catch (err) {
        checks.add("vdsm", "fail", text("preflight.vdsm.fail", { reason: reasonOf(err) }));
    }
    return facts;
}
