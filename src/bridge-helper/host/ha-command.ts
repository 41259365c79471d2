// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The ovirt-ha interface, through the `hosted-engine` command as an administrator
 * would use it: the broker socket protocol is private to ovirt-hosted-engine-ha.
 */

import type { MaintenanceMode } from "../../protocol/reports";
import type { HelperConfig } from "../config";
import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { parseVmStatus, type VmStatus } from "../formats/vm-status";
import { run } from "../process";

export async function readVmStatus(config: HelperConfig): Promise<VmStatus> {
    const command = config.commands.hostedEngine;
    const result = await run(command, ["--vm-status", "--json"]);
    if (result.exitCode !== 0) {
        const detail = (result.stderr.trim() || result.stdout.trim()).slice(0, 4000);
        throw new HelperError("command-failed", "hosted-engine --vm-status --json", text("ha.status-failed", { code: result.exitCode }), detail);
    }
    return parseVmStatus(result.stdout);
}

/** Asks the engine VM on this host to shut down from within (hosted-engine returns once it was asked). */
export async function shutdownEngineVm(config: HelperConfig): Promise<void> {
    const result = await run(config.commands.hostedEngine, ["--vm-shutdown"]);
    if (result.exitCode !== 0) {
        const detail = (result.stderr.trim() || result.stdout.trim()).slice(0, 4000) || `exit code ${result.exitCode}`;
        throw new HelperError("command-failed", "hosted-engine --vm-shutdown", text("ha.vm-shutdown-refused", { reason: detail }));
    }
}

export async function setMaintenance(config: HelperConfig, mode: MaintenanceMode): Promise<void> {
    const result = await run(config.commands.hostedEngine, ["--set-maintenance", `--mode=${mode}`]);
    if (result.exitCode !== 0) {
        // hosted-engine explains refusals (engine VM on this host, no other host) on stderr
        const detail = (result.stderr.trim() || result.stdout.trim()).slice(0, 4000);
        throw new HelperError("command-failed", `hosted-engine --set-maintenance --mode=${mode}`,
                              detail ? text("ha.maintenance-refused", { mode, reason: detail })
                                  : text("ha.maintenance-failed", { mode, code: result.exitCode }),
                              detail ? `exit code ${result.exitCode}` : undefined);
    }
}
