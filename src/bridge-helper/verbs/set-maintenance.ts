// SPDX-License-Identifier: LGPL-2.1-or-later

/* `set-maintenance --mode MODE` and `shutdown-engine-vm`: through the hosted-engine command, as an administrator would. */

import { MAINTENANCE_MODES, type MaintenanceMode } from "../../protocol/reports";
import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import { readVmStatus, setMaintenance as haSetMaintenance, shutdownEngineVm as haShutdownEngineVm } from "../host/ha-command";
import { hostedEngineConf } from "../host/hosted-engine-conf";
import { anotherJob, JobLock } from "../jobs/lock";

export function parseMode(value: string | undefined): MaintenanceMode {
    const mode = MAINTENANCE_MODES.find(m => m === value);
    if (!mode) {
        const modes = MAINTENANCE_MODES.join(", ");
        throw new HelperError("usage", "--mode", value === undefined ? text("verbs.mode", { modes }) : text("verbs.mode-not", { modes, value }));
    }
    return mode;
}

/** Switches the mode; a host that is not a hosted-engine host is refused before hosted-engine is asked. */
export async function setMaintenance(config: HelperConfig, mode: MaintenanceMode): Promise<void> {
    hostedEngineConf(config);
    await haSetMaintenance(config, mode);
}

/**
 * Shuts the engine VM on this host down from within (the Restore dialog's
 * button). Refused on a host that is not a hosted-engine host, while a job
 * runs (it may be the upgrade that just booted the new engine), and outside
 * global maintenance, where the HA agents would only start the VM again.
 */
export async function shutdownEngineVm(config: HelperConfig): Promise<void> {
    hostedEngineConf(config);
    const running = new JobLock(config.stateDir).holder();
    if (running)
        throw anotherJob(running);
    if (!(await readVmStatus(config)).globalMaintenance)
        throw new HelperError("refused", "hosted-engine --vm-shutdown", text("ha.vm-shutdown-not-global"));
    await haShutdownEngineVm(config);
}
