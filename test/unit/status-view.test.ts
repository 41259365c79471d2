// SPDX-License-Identifier: LGPL-2.1-or-later

import {
    currentMode, ENGINE_BAD_HEALTH_TIMEOUT_S, ENGINE_STARTING_TIMEOUT_S, engineSummary, engineTransition, hostViews, maintenanceActions,
} from "../../src/plugin/status/status-view";
import { haHost, statusReport } from "../support/fixtures";

describe("currentMode", () => {
    test("global maintenance wins over this host's local flag", () => {
        expect(currentMode(statusReport())).toBe("none");
        expect(currentMode(statusReport({ globalMaintenance: true }))).toBe("global");
        const local = statusReport({ hosts: [haHost(1, { localMaintenance: true }), haHost(2)], engineHostId: 2 });
        expect(currentMode(local)).toBe("local");
        expect(currentMode({ ...local, globalMaintenance: true })).toBe("global");
    });

    test("another host's local maintenance is not this host's mode", () => {
        expect(currentMode(statusReport({ hosts: [haHost(1), haHost(2, { localMaintenance: true })] }))).toBe("none");
    });
});

describe("maintenanceActions", () => {
    test("local maintenance is disabled on the host running the engine VM, with the reason", () => {
        const actions = maintenanceActions(statusReport());
        const local = actions.find(a => a.mode === "local");
        expect(local?.disabled).toBe(true);
        expect(local?.disabledReason).toMatch(/engine VM runs on this host/);
        expect(actions.find(a => a.mode === "global")?.disabled).toBe(false);
    });

    test("on a host without the engine VM every other mode is offered", () => {
        const report = statusReport({ engineHostId: 2, engineVmOnThisHost: false });
        expect(maintenanceActions(report).map(a => [a.mode, a.disabled, a.active]))
                .toEqual([["global", false, false], ["local", false, false], ["none", true, true]]);
    });

    test("the current mode is marked active and cannot be chosen again", () => {
        const global = maintenanceActions(statusReport({ globalMaintenance: true })).find(a => a.mode === "global");
        expect(global).toMatchObject({ active: true, disabled: true });
    });
});

describe("engineSummary", () => {
    test("healthy engine on this host", () => {
        expect(engineSummary(statusReport())).toMatchObject({
            severity: "success",
            title: "The engine is up on this host (host1.example.com)",
        });
    });

    test("engine VM up elsewhere but unhealthy shows the agent's reason", () => {
        const report = statusReport({
            engineHostId: 2,
            engineVmOnThisHost: false,
            hosts: [haHost(1), haHost(2, { engineStatus: { vm: "up", health: "bad", detail: "up", reason: "failed liveliness check" } })],
        });
        expect(engineSummary(report)).toMatchObject({
            severity: "warning",
            title: "The engine VM is up on host2.example.com, but the engine is not healthy",
            haWords: "failed liveliness check",
        });
        // within ovirt-ha's allowance for a start it is the engine starting, not an error
        expect(engineSummary(report, 40)).toMatchObject({
            severity: "info",
            transition: true,
            title: "The engine is starting on host2.example.com (40 s)",
            haWords: "failed liveliness check",
        });
        expect(engineSummary(report, ENGINE_STARTING_TIMEOUT_S).severity).toBe("warning");
    });

    test("an engine VM up with bad health for longer than EngineUpBadHealth allows is no longer a start", () => {
        const report = statusReport({
            engineHostId: 2,
            engineVmOnThisHost: false,
            hosts: [haHost(1), haHost(2, { agentState: "EngineUpBadHealth", engineStatus: { vm: "up", health: "bad", detail: "up", reason: "failed liveliness check" } })],
        });
        expect(engineSummary(report, ENGINE_BAD_HEALTH_TIMEOUT_S - 1).transition).toBe(true);
        expect(engineSummary(report, ENGINE_BAD_HEALTH_TIMEOUT_S).severity).toBe("warning");
    });

    test("no engine anywhere: a warning in global maintenance, the agents starting it for a while, then an error", () => {
        const down = statusReport({ engineHostId: null, engineVmOnThisHost: false, hosts: [haHost(1), haHost(2)] });
        expect(engineTransition(down)).toBe("agents-starting");
        expect(engineSummary(down, 12)).toMatchObject({
            severity: "info",
            transition: true,
            title: "The HA agents are starting the engine VM (12 s)",
        });
        expect(engineSummary(down, ENGINE_STARTING_TIMEOUT_S + 1)).toMatchObject({
            severity: "danger",
            title: "The engine VM has not started for 10 min 01 s",
        });
        expect(engineSummary(down).severity).toBe("danger");
        const held = { ...down, globalMaintenance: true };
        expect(engineTransition(held)).toBeNull();
        expect(engineSummary(held, 12)).toMatchObject({
            severity: "warning",
            detail: expect.stringMatching(/will not start it/),
        });
    });

    test("no agent able to start the engine VM is an error at once", () => {
        const down = statusReport({
            engineHostId: null, engineVmOnThisHost: false,
            hosts: [haHost(1, { stopped: true }), haHost(2, { liveData: false })],
        });
        expect(engineSummary(down, 3)).toMatchObject({ severity: "danger", detail: expect.stringMatching(/No HA agent can start it/) });
    });
});

describe("hostViews", () => {
    test("stale data and stopped agents stand out over the agent state", () => {
        const report = statusReport({
            hosts: [haHost(1, { stopped: true, liveData: false }), haHost(2, { liveData: false }), haHost(3, { localMaintenance: true, score: 0 })],
        });
        expect(hostViews(report).map(v => [v.stateText, v.stateSeverity])).toEqual([
            ["Agent stopped", "danger"],
            ["Stale data: the agent is not reporting", "danger"],
            ["Local maintenance", "warning"],
        ]);
    });

    test("marks this host and the engine's host", () => {
        const views = hostViews(statusReport());
        expect(views.map(v => [v.isThisHost, v.runsEngine, v.engineText])).toEqual([
            [true, true, "Up, healthy"],
            [false, false, "Down"],
        ]);
        // ovirt-ha's own words stay apart from the translated state
        expect(views.map(v => v.engineReason)).toEqual([null, "vm not running on this host"]);
    });
});
