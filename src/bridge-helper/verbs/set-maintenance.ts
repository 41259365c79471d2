// SPDX-License-Identifier: LGPL-2.1-or-later

/* `set-maintenance --mode MODE` and `shutdown-engine-vm`: through the hosted-engine command, as an administrator would. */

import { MAINTENANCE_MODES, type MaintenanceMode } from "../../protocol/reports";
import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import { setMaintenance as haSetMaintenance, shutdownEngineVm as haShutdownEngineVm } from "../host/ha-command";
import { hostedEngineConf } from "../host/hosted-engine-conf";

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

/** Shuts the engine VM on this host down from within; a host that is not a hosted-engine host is refused first. */
export async function shutdownEngineVm(config: HelperConfig): Promise<void> {
    hostedEngineConf(config);
    await haShutdownEngineVm(config);
}
