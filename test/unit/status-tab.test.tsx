/** SPDX-License-Identifier: LGPL-2.1-or-later
 * (jest reads its pragma only from a docblock at the very start)
 * @jest-environment jsdom
 */

import React from "react";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";

import { text, type ErrorOutput, type StatusReport } from "../../src/protocol";
import { Application } from "../../src/plugin/app";
import { StatusTab } from "../../src/plugin/status/status-tab";
import { forgetSeenStates } from "../../src/plugin/common/use-since";
import { haHost, statusReport } from "../support/fixtures";
import { mockCockpit, resetMockCockpit, rootOwnedStat, setSpawnHandler, setSuperuser, type SpawnCall, spawnCalls, type SpawnOutcome } from "../support/mock-cockpit";

let report: StatusReport;

/* What a failed verb prints: its error document, the sentence as a Text. */
function failed(code: ErrorOutput["error"]["code"], what: string, reason: string, detail?: string): string {
    const said = text("internal.unexpected", { reason });
    return JSON.stringify({ error: { code, text: said, message: said.english, what, ...(detail ? { detail } : {}) } } satisfies ErrorOutput);
}

/* A helper that answers status from `report` and applies set-maintenance to it. */
function helper(call: SpawnCall): SpawnOutcome {
    if (call.args[0] === "stat")
        return rootOwnedStat(call);
    const verb = call.args[2];
    if (verb === "status")
        return { stdout: JSON.stringify(report) };
    if (verb === "jobs")
        return { stdout: JSON.stringify({ running: null, jobs: [] }) };
    if (verb === "set-maintenance") {
        const mode = call.args[4];
        report = { ...report, globalMaintenance: mode === "global" };
        return { stdout: JSON.stringify({ mode, status: report }) };
    }
    return { fail: { exit_status: 2 }, stdout: failed("usage", verb, "Unknown verb") };
}

beforeEach(() => {
    resetMockCockpit();
    forgetSeenStates();
    report = statusReport();
    setSpawnHandler(helper);
});

describe("StatusTab", () => {
    test("lists every host with its score and engine state", async () => {
        const { container } = render(<StatusTab />);
        await screen.findByText("host2.example.com");
        expect(container.querySelector("#host-1-score")?.textContent).toBe("3400");
        expect(container.querySelector("#host-1-engine")?.textContent).toBe("Up, healthy");
        expect(container.querySelector("#host-2-engine")?.textContent).toBe("Down");
        expect(container.querySelector("#host-2-engine-reason q")?.getAttribute("lang")).toBe("en");
        expect(container.querySelector("#host-2-engine-reason")?.textContent).toBe("vm not running on this host");
        expect(container.querySelector("#host-1-this")).not.toBeNull();
        expect(container.querySelector("#he-global-maintenance-banner")).toBeNull();
        expect(container.querySelector("#he-engine-summary")?.textContent).toMatch(/The engine is up on this host/);
    });

    test("an engine VM the HA agents are starting shows a spinner and its time, not an error", async () => {
        report = statusReport({ engineHostId: null, engineVmOnThisHost: false, hosts: [haHost(1), haHost(2)] });
        const { container } = render(<StatusTab />);
        await waitFor(() => expect(container.querySelector('#he-engine-summary[data-transition="true"]')).not.toBeNull());
        expect(container.querySelector("#he-engine-summary-spinner")).not.toBeNull();
        expect(container.querySelector("#he-engine-summary")?.className).not.toMatch(/pf-m-danger/);
        expect(container.querySelector("#he-engine-summary")?.textContent).toMatch(/The HA agents are starting the engine VM \(\d+ s\)/);
    });

    test("entering global maintenance runs the helper and shows the banner", async () => {
        const { container } = render(<StatusTab />);
        await screen.findByText("host2.example.com");
        expect(container.querySelector("#he-maintenance-local")?.hasAttribute("disabled")).toBe(true);

        fireEvent.click(container.querySelector("#he-maintenance-global") as Element);
        await screen.findByText("The cluster is in global maintenance");
        expect(spawnCalls.find(c => c.args[2] === "set-maintenance")?.args.slice(2))
                .toEqual(["set-maintenance", "--mode", "global"]);
        expect(container.querySelector("#he-maintenance-mode")?.getAttribute("data-mode")).toBe("global");
    });

    test("a refused maintenance change is shown inline with the helper's reason", async () => {
        setSpawnHandler(call => call.args[2] === "set-maintenance"
            ? {
                fail: { exit_status: 1 },
                stdout: failed("command-failed", "hosted-engine --set-maintenance --mode=global", "Failed communicating with the broker"),
            }
            : helper(call));
        const { container } = render(<StatusTab />);
        await screen.findByText("host2.example.com");
        fireEvent.click(container.querySelector("#he-maintenance-global") as Element);
        const alert = await waitFor(() => {
            const el = container.querySelector("#he-maintenance-error");
            expect(el).not.toBeNull();
            return el as Element;
        });
        expect(alert.textContent).toMatch(/The maintenance mode was not changed/);
        expect(alert.textContent).toMatch(/Failed communicating with the broker/);
    });

    test("a failing status shows an inline error with the detail", async () => {
        setSpawnHandler(call => call.args[0] === "node"
            ? { fail: { exit_status: 1 }, stdout: failed("command-failed", "hosted-engine --vm-status --json", "hosted-engine --vm-status --json failed with exit code 1", "BrokerConnectionError") }
            : { stdout: "" });
        const { container } = render(<StatusTab />);
        await waitFor(() => expect(container.querySelector("#he-status-error")).not.toBeNull());
        expect(container.querySelector("#he-status-error")?.textContent).toMatch(/BrokerConnectionError/);
    });

    test("a host without hosted-engine.conf gets the not-a-hosted-engine-host state", async () => {
        report = { ...statusReport(), hostedEngineHost: false, hosts: [], configPath: "/etc/ovirt-hosted-engine/hosted-engine.conf" };
        render(<StatusTab />);
        await screen.findByText("This host is not a hosted-engine host");
    });
});

describe("Application", () => {
    test("without administrative access the page says so instead of showing the tabs", async () => {
        setSuperuser("none");
        const { container } = render(<Application />);
        await screen.findByText("Administrative access required");
        expect(container.querySelector("#he-tabs")).toBeNull();
        expect(spawnCalls.filter(c => c.args[0] === "node")).toEqual([]);
    });

    test("the tab comes from cockpit.location and choosing one navigates", async () => {
        mockCockpit.location.path = ["rollback"];
        const { container } = render(<Application />);
        await waitFor(() => expect(container.querySelector("#he-rollback")).not.toBeNull());
        act(() => { fireEvent.click(screen.getByText("Upgrade")); });
        expect(mockCockpit.location.path).toEqual(["upgrade"]);
        await waitFor(() => expect(container.querySelector("#he-upgrade-wizard")).not.toBeNull());
    });
});
