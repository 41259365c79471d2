// SPDX-License-Identifier: LGPL-2.1-or-later

import { MAINTENANCE_MODES, type MaintenanceMode, type SetMaintenanceResult } from "../api";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import { setMaintenance as haSetMaintenance } from "../ha";
import { status } from "./status";

export function parseMode(value: string | undefined): MaintenanceMode {
    const mode = MAINTENANCE_MODES.find(m => m === value);
    if (!mode)
        throw new HelperError("usage", "--mode",
                              `--mode must be one of ${MAINTENANCE_MODES.join(", ")}` +
                              (value === undefined ? "" : `, not "${value}"`));
    return mode;
}

export async function setMaintenance(config: HelperConfig, mode: MaintenanceMode): Promise<SetMaintenanceResult> {
    const before = await status(config);
    if (!before.hostedEngineHost)
        throw new HelperError("not-hosted-engine", before.configPath,
                              `This host is not a hosted-engine host: ${before.configPath} does not exist`);
    await haSetMaintenance(config, mode);
    return { mode, status: await status(config) };
}
