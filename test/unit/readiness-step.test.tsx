/** SPDX-License-Identifier: LGPL-2.1-or-later
 * (jest reads its pragma only from a docblock at the very start)
 * @jest-environment jsdom
 */

/*
 * The Readiness step's engine VM, just after global maintenance ended: the HA
 * agents starting it is a moment (a spinner and its time), the VM running on
 * another host is what this page cannot work with.
 */

import React from "react";
import { render, waitFor } from "@testing-library/react";

import type { ReadinessReport, StatusReport } from "../../src/protocol";
import { forgetSeenStates } from "../../src/plugin/common/use-since";
import { ReadinessStep } from "../../src/plugin/upgrade/readiness-step";
import { haHost, statusReport } from "../support/fixtures";
import { resetMockCockpit, rootOwnedStat, setSpawnHandler, type SpawnCall, type SpawnOutcome } from "../support/mock-cockpit";

const READINESS: ReadinessReport = {
    globalMaintenance: false, engineVmOnThisHost: false, spm: true, spmStatus: "SPM", engineDiskBytes: 2 * 1024 ** 3, vdsmError: null,
};

let status: StatusReport;

function helper(call: SpawnCall): SpawnOutcome {
    if (call.args[0] === "stat")
        return rootOwnedStat(call);
    if (call.args[2] === "readiness")
        return { stdout: JSON.stringify(READINESS) };
    if (call.args[2] === "status")
        return { stdout: JSON.stringify(status) };
    return { fail: { exit_status: 2 }, stdout: "" };
}

beforeEach(() => {
    resetMockCockpit();
    forgetSeenStates();
    setSpawnHandler(helper);
});

/* The step as the wizard holds it: the report it read is what it shows. */
const Holder = () => {
    const [report, setReport] = React.useState<ReadinessReport | null>(null);
    return <ReadinessStep readiness={report} onReadiness={setReport} />;
};

test("the engine VM being started by the HA agents is pending, with its time", async () => {
    status = statusReport({ engineHostId: null, engineVmOnThisHost: false, hosts: [haHost(1), haHost(2)] });
    const { container } = render(<Holder />);
    await waitFor(() => expect(container.querySelector('#he-readiness-engine-vm[data-met="pending"]')).not.toBeNull());
    expect(container.querySelector("#he-readiness-engine-vm")?.textContent).toMatch(/The HA agents are starting the engine VM \(\d+ s\)/);
});

test("the engine VM running on another host stays unmet", async () => {
    status = statusReport({ engineHostId: 2, engineVmOnThisHost: false,
        hosts: [haHost(1), haHost(2, { engineStatus: { vm: "up", health: "good", detail: "up", reason: null } })] });
    const { container } = render(<Holder />);
    await waitFor(() => expect(container.querySelector('#he-readiness-engine-vm[data-met="false"]')).not.toBeNull());
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(container.querySelector('#he-readiness-engine-vm[data-met="false"]')).not.toBeNull();
    expect(container.querySelector("#he-readiness-engine-vm")?.textContent).toMatch(/must run on this host/);
});
