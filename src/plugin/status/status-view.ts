// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the Status tab shows, derived from the helper's status report. Kept free
 * of React so the rules (which maintenance modes are offered, how a host's
 * state reads) are unit-tested on their own.
 */

import { MAINTENANCE_MODES, type HaHost, type MaintenanceMode, type StatusReport } from "../../protocol";
import { formatDuration as formatElapsed } from "../jobs/format";
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
    /** a passing state: shown with a spinner, not as an error */
    transition?: boolean;
    /** ovirt-ha's own English words, shown apart from our translated ones */
    haWords?: string;
}

export interface HostView {
    host: HaHost;
    isThisHost: boolean;
    runsEngine: boolean;
    engineText: string;
    engineSeverity: Severity;
    /** ovirt-ha's reason for the engine's state, in its own English */
    engineReason: string | null;
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

/*
 * How long ovirt-ha itself waits for an engine VM to come up before it calls it
 * a failure (ovirt-hosted-engine-ha, ovirt_hosted_engine_ha/agent/states.py and
 * constants.py.in): EngineStart starts the VM and hands over to EngineStarting,
 * which waits ENGINE_STARTING_TIMEOUT = 600 s for the VM up with good health
 * before it goes to EngineStop; a VM up with bad health (EngineUpBadHealth) is
 * stopped after ENGINE_BAD_HEALTH_TIMEOUT_SECS = 300 s. Within these, a VM not
 * running or an engine not answering is a moment of a start, not an error.
 */
export const ENGINE_STARTING_TIMEOUT_S = 600;
export const ENGINE_BAD_HEALTH_TIMEOUT_S = 300;

/** A passing state the engine may be in; null when it is up and healthy or held in global maintenance. */
export type EngineTransition = "agents-starting" | "engine-starting";

export function engineTransition(report: StatusReport): EngineTransition | null {
    const engineHost = report.hosts.find(h => h.id === report.engineHostId);
    if (!engineHost)
        return report.globalMaintenance ? null : "agents-starting";
    return engineHost.engineStatus.health === "good" ? null : "engine-starting";
}

/** ovirt-ha's allowance for a transition: past it, the state is an error. */
export function transitionLimit(report: StatusReport): number {
    const engineHost = report.hosts.find(h => h.id === report.engineHostId);
    return engineHost?.agentState === "EngineUpBadHealth" ? ENGINE_BAD_HEALTH_TIMEOUT_S : ENGINE_STARTING_TIMEOUT_S;
}

/** Some agent can start the engine VM: one reports live data and is neither stopped nor in local maintenance. */
function agentsCanStart(report: StatusReport): boolean {
    return report.hosts.some(h => h.liveData && !h.stopped && !h.localMaintenance);
}

function notRunning(report: StatusReport, elapsed: number | null): EngineSummary {
    if (report.globalMaintenance) {
        return {
            severity: "warning",
            title: _("The engine VM is not running"),
            detail: _("The HA agents will not start it while the cluster is in global maintenance."),
        };
    }
    if (!agentsCanStart(report)) {
        return {
            severity: "danger",
            title: _("The engine VM is not running"),
            detail: _("No HA agent can start it: every host's agent is stopped, not reporting or in local maintenance."),
        };
    }
    if (elapsed !== null && elapsed < transitionLimit(report)) {
        return {
            severity: "info",
            transition: true,
            title: cockpit.format(_("The HA agents are starting the engine VM ($0)"), formatElapsed(elapsed)),
            detail: cockpit.format(_("Normal after global maintenance ends: the host with the best score starts the VM. ovirt-ha allows $0 for the start."),
                                   formatElapsed(transitionLimit(report))),
        };
    }
    return {
        severity: "danger",
        title: elapsed === null
            ? _("The engine VM is not running")
            : cockpit.format(_("The engine VM has not started for $0"), formatElapsed(elapsed)),
        detail: _("No host reports the engine VM up. See the HA agents' log, /var/log/ovirt-hosted-engine-ha/agent.log, on the hosts."),
    };
}

/** The engine as the Status tab heads it; `elapsed` is how long its transition has lasted, as this page saw it. */
export function engineSummary(report: StatusReport, elapsed: number | null = null): EngineSummary {
    const engineHost = report.hosts.find(h => h.id === report.engineHostId);
    if (!engineHost)
        return notRunning(report, elapsed);
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
    const haWords = engineHost.engineStatus.reason ?? engineHost.engineStatus.health;
    if (elapsed !== null && elapsed < transitionLimit(report)) {
        return {
            severity: "info",
            transition: true,
            title: cockpit.format(_("The engine is starting $0 ($1)"), where, formatElapsed(elapsed)),
            detail: cockpit.format(_("The VM is up; the engine does not answer its health check yet. ovirt-ha allows $0 for this."),
                                   formatElapsed(transitionLimit(report))),
            haWords,
        };
    }
    return {
        severity: "warning",
        title: cockpit.format(_("The engine VM is up $0, but the engine is not healthy"), where),
        detail: _("ovirt-ha says:"),
        haWords,
    };
}

/* The VM's state in our words; ovirt-ha's reason goes beside it, in its own. */
function engineText(host: HaHost): [string, Severity] {
    const { vm, health } = host.engineStatus;
    if (vm === "up" && health === "good")
        return [_("Up, healthy"), "success"];
    if (vm === "up")
        return [_("Up, not healthy"), "warning"];
    if (vm === "down")
        return [_("Down"), "info"];
    return [vm, "warning"];
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
            engineReason: host.engineStatus.health === "good" ? null : host.engineStatus.reason ?? null,
            stateText: sText,
            stateSeverity: sSeverity,
        };
    });
}
