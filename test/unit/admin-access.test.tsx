/** SPDX-License-Identifier: LGPL-2.1-or-later
 * (jest reads its pragma only from a docblock at the very start)
 * @jest-environment jsdom
 */

/*
 * Who gets the page, on EL7's Cockpit 195 (no cockpit.Superuser object: a
 * superuser spawn decides) and on today's (the object decides, and says how to
 * turn administrative access on). The 195 side is the mock's model of 195's
 * source (test/support/mock-cockpit.ts): no real Cockpit 195 runs here.
 */

import React from "react";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";

import { Application } from "../../src/plugin/app";
import { SUPERUSER_OBJECT_WAIT_MS } from "../../src/plugin/lib/use-superuser";
import { statusReport } from "../support/fixtures";
import {
    handlerErrors, resetMockCockpit, rootOwnedStat, setCockpitRelease, setSpawnHandler, setSuperuser, setSuperuserObjectAnswers, spawnCalls, type SpawnCall,
} from "../support/mock-cockpit";

let globalMaintenance = false;

function helper(call: SpawnCall) {
    if (call.args[0] === "stat")
        return rootOwnedStat(call);
    if (call.args[0] === "node" && call.args[2] === "set-maintenance")
        globalMaintenance = call.args[4] === "global";
    const report = { ...statusReport(), globalMaintenance };
    if (call.args[0] === "node" && call.args[2] === "status")
        return { stdout: JSON.stringify(report) };
    if (call.args[0] === "node" && call.args[2] === "set-maintenance")
        return { stdout: JSON.stringify({ mode: call.args[4], status: report }) };
    if (call.args[0] === "node" && call.args[2] === "jobs")
        return { stdout: JSON.stringify({ running: null, jobs: [] }) };
    return { stdout: "" };
}

const probes = () => spawnCalls.filter(c => c.args.length === 1 && c.args[0] === "true");

beforeEach(() => {
    resetMockCockpit();
    globalMaintenance = false;
    setSpawnHandler(helper);
});

afterEach(() => {
    jest.useRealTimers();
});

describe("on Cockpit 195 (EL7)", () => {
    beforeEach(() => setCockpitRelease(195));

    test.each([["root", "root"], ["an administrator who reused the login password", "pkexec"]])(
        "%s gets the page: a superuser spawn of true succeeded", async (_who, current) => {
            setSuperuser(current);
            const { container } = render(<Application />);
            await waitFor(() => expect(container.querySelector("#he-tabs")).not.toBeNull());
            await screen.findByText("host2.example.com");
            expect(container.querySelector("#he-access-required")).toBeNull();
            expect(probes().map(c => c.options)).toEqual([{ superuser: "require", err: "message" }]);
        });

    test("a user without a privileged bridge is told to log in again reusing the password, not to click Limited access", async () => {
        setSuperuser("none");
        const { container } = render(<Application />);
        await screen.findByText("Administrative access required");
        const how = container.querySelector("#he-access-required-how")?.textContent ?? "";
        expect(how).toMatch(/log in again as root or as an administrator .* with "Reuse my password for privileged tasks" checked/);
        expect(how).not.toMatch(/Limited access/);
        expect(container.querySelector("#he-tabs")).toBeNull();
        expect(probes()).toHaveLength(1);
        expect(spawnCalls.filter(c => c.args[0] === "node")).toEqual([]);
    });

    test("an administrator changes the maintenance mode as on today's Cockpit, no handler of 195's promises throwing", async () => {
        const { container } = render(<Application />);
        await screen.findByText("host2.example.com");
        fireEvent.click(container.querySelector("#he-maintenance-global") as Element);
        await screen.findByText("The cluster is in global maintenance");
        expect(spawnCalls.find(c => c.args[2] === "set-maintenance")?.options).toEqual({ superuser: "require", err: "message" });
        expect(handlerErrors).toEqual([]);
    });

    test("a bus that never answers about /superuser does not leave the page loading", async () => {
        jest.useFakeTimers();
        setSuperuserObjectAnswers(false);
        const { container } = render(<Application />);
        expect(container.querySelector("#he-page-loading")).not.toBeNull();
        expect(probes()).toEqual([]);
        act(() => { jest.advanceTimersByTime(SUPERUSER_OBJECT_WAIT_MS); });
        expect(probes()).toHaveLength(1);
        await waitFor(() => expect(container.querySelector("#he-tabs")).not.toBeNull());
    });
});

describe("on today's Cockpit (219 and later)", () => {
    test("root gets the page from the Superuser object, without a probe", async () => {
        const { container } = render(<Application />);
        await screen.findByText("host2.example.com");
        expect(container.querySelector("#he-tabs")).not.toBeNull();
        expect(probes()).toEqual([]);
    });

    test("limited access points at the Limited access button, and turning admin access on shows the page", async () => {
        setSuperuser("none");
        const { container } = render(<Application />);
        await screen.findByText("Administrative access required");
        const how = container.querySelector("#he-access-required-how")?.textContent ?? "";
        expect(how).toMatch(/Use the "Limited access" button in Cockpit's top bar/);
        expect(how).not.toMatch(/Reuse my password/);
        expect(probes()).toEqual([]);

        act(() => setSuperuser("sudo"));
        await screen.findByText("host2.example.com");
        expect(container.querySelector("#he-access-required")).toBeNull();
    });
});
