// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The HA side (ovirt-upgrade-flow.md steps 1-2): global maintenance, so the
 * agents leave the engine VM alone; no stale metadata from agents before 3.6;
 * and hosted-engine.conf at 3.6 level (configuration on the shared storage).
 */

import { text } from "../../../protocol/text";
import type { HelperConfig } from "../../config";
import type { VmStatus } from "../../formats/vm-status";
import { readVmStatus } from "../../host/ha-command";
import { HOSTED_ENGINE_CONF, type HostedEngineConf } from "../../host/hosted-engine-conf";
import { BLANK_UUID } from "../../host/vdsm-session";
import { type CheckList, reasonOf } from "./check-list";

async function checkMaintenance(config: HelperConfig, checks: CheckList): Promise<void> {
    let status: VmStatus;
    try {
        status = await readVmStatus(config);
    } catch (err) {
        checks.add("global-maintenance", "fail", text("preflight.global-maintenance.unknown", { reason: reasonOf(err) }));
        return;
    }
    checks.verdict("global-maintenance", status.globalMaintenance,
                   text("preflight.global-maintenance.pass"), text("preflight.global-maintenance.fail"));
    // a metadata block without "stopped" was written by an agent before 3.6, or one long gone
    const stale = status.hosts.filter(h => h.stopped === null);
    checks.verdict("ha-metadata", stale.length === 0,
                   text("preflight.ha-metadata.pass", { count: status.hosts.length }),
                   text("preflight.ha-metadata.fail", {
                       hosts: stale.map(h => `${h.id} (${h.hostname})`).join(", "),
                       commands: stale.map(h => `hosted-engine --clean-metadata --host-id=${h.id}`).join("; "),
                   }));
}

function checkConfLevel(conf: HostedEngineConf, checks: CheckList): void {
    const at36 = conf.spUUID === BLANK_UUID && Boolean(conf.confVolumeUUID) && Boolean(conf.confImageUUID);
    checks.verdict("ha-conf-level", at36, text("preflight.ha-conf-level.pass"), text("preflight.ha-conf-level.fail", {
        file: HOSTED_ENGINE_CONF,
        spUUID: conf.spUUID || text("preflight.value-missing"),
        volume: conf.confVolumeUUID ? text("preflight.value-set") : text("preflight.value-missing"),
    }));
}

export async function checkHa(config: HelperConfig, conf: HostedEngineConf, checks: CheckList): Promise<void> {
    await checkMaintenance(config, checks);
    checkConfLevel(conf, checks);
}
