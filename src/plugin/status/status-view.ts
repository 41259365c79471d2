// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the Status tab shows, derived from the helper's status report. Kept free
 * of React so the rules (which maintenance modes are offered, how a host's
 * state reads) are unit-tested on their own.
 */

import { MAINTENANCE_MODES, type HaHost, type MaintenanceMode, type StatusReport } from "../../protocol";
import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

export interface ModeAction {
    mode: MaintenanceMode;
    label: string;
    /** the mode this host is in now */
    active: boolean;
    disabled: boolean;
    /** why the action is disabled, shown as a tooltip; null when it is not */
    disabledReason: string | null;
}

export type Severity = "success" | "warning" | "danger" | "info";

export interface EngineSummary {
    severity: Severity;
    title: string;
    detail: string;
}

export interface HostView {
    host: HaHost;
    isThisHost: boolean;
    runsEngine: boolean;
    engineText: string;
    engineSeverity: Severity;
    stateText: string;
    stateSeverity: Severity;
}

export function thisHost(report: StatusReport): HaHost | undefined {
    return report.hosts.find(h => h.id === report.hostId);
}

/** ovirt-ha's rule: global maintenance wins; otherwise this host's local flag. */
export function currentMode(report: StatusReport): MaintenanceMode {
    if (report.globalMaintenance)
        return "global";
    return thisHost(report)?.localMaintenance ? "local" : "none";
}

export const MODE_LABELS: Record<MaintenanceMode, string> = {
    global: _("Global maintenance"),
    local: _("Local maintenance"),
    none: _("No maintenance"),
};

export function maintenanceActions(report: StatusReport): ModeAction[] {
    const mode = currentMode(report);
    return MAINTENANCE_MODES.map(m => {
        let disabledReason: string | null = null;
        if (m === mode)
            disabledReason = _("This is the current mode.");
        else if (m === "local" && report.engineVmOnThisHost)
            // hosted-engine refuses this too: the VM would have to be migrated first
            disabledReason = _("The engine VM runs on this host. Migrate it to another host before entering local maintenance.");
        return {
            mode: m,
            label: MODE_LABELS[m],
            active: m === mode,
            disabled: disabledReason !== null,
            disabledReason,
        };
    });
}

export function engineSummary(report: StatusReport): EngineSummary {
    const engineHost = report.hosts.find(h => h.id === report.engineHostId);
    if (!engineHost) {
        return {
            severity: report.globalMaintenance ? "warning" : "danger",
            title: _("The engine VM is not running"),
            detail: report.globalMaintenance
                ? _("The HA agents will not start it while the cluster is in global maintenance.")
                : _("No host reports the engine VM up."),
        };
    }
    const where = report.engineVmOnThisHost
        ? cockpit.format(_("on this host ($0)"), engineHost.hostname)
        : cockpit.format(_("on $0"), engineHost.hostname);
    if (engineHost.engineStatus.health === "good") {
        return {
            severity: "success",
            title: cockpit.format(_("The engine is up $0"), where),
            detail: cockpit.format(_("Engine $0 answers its health check."), report.engineFqdn ?? ""),
        };
    }
    return {
        severity: "warning",
        title: cockpit.format(_("The engine VM is up $0, but the engine is not healthy"), where),
        detail: engineHost.engineStatus.reason ?? cockpit.format(_("Health: $0"), engineHost.engineStatus.health),
    };
}

function engineText(host: HaHost): [string, Severity] {
    const { vm, health, reason } = host.engineStatus;
    if (vm === "up" && health === "good")
        return [_("Up, healthy"), "success"];
    if (vm === "up")
        return [cockpit.format(_("Up, health $0"), health), "warning"];
    if (vm === "down")
        return [reason ? cockpit.format(_("Down: $0"), reason) : _("Down"), "info"];
    return [reason ? cockpit.format(_("$0: $1"), vm, reason) : vm, "warning"];
}

function stateText(host: HaHost): [string, Severity] {
    if (host.stopped)
        return [_("Agent stopped"), "danger"];
    if (!host.liveData)
        return [_("Stale data: the agent is not reporting"), "danger"];
    if (host.localMaintenance)
        return [_("Local maintenance"), "warning"];
    return [host.agentState ?? _("Unknown"), "info"];
}

export function hostViews(report: StatusReport): HostView[] {
    return report.hosts.map(host => {
        const [eText, eSeverity] = engineText(host);
        const [sText, sSeverity] = stateText(host);
        return {
            host,
            isThisHost: host.id === report.hostId,
            runsEngine: host.id === report.engineHostId,
            engineText: eText,
            engineSeverity: eSeverity,
            stateText: sText,
            stateSeverity: sSeverity,
        };
    });
}
