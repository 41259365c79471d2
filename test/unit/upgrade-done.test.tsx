/** SPDX-License-Identifier: LGPL-2.1-or-later
 * (jest reads its pragma only from a docblock at the very start)
 * @jest-environment jsdom
 */

/*
 * A finished upgrade as an administrator reads it: one headline, the figures
 * once with the review's estimate beside the actual, what to do next; then the
 * Upgrade tab says the engine runs 4.0 and does not invite a second upgrade.
 */

import React from "react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";

import { text, type DowntimeEstimate, type JobEvent, type JobsReport, type JobSummary, type ResultEvent } from "../../src/protocol";
import { ToastProvider } from "../../src/plugin/common/toasts";
import { actualDowntime, estimateDowntime } from "../../src/plugin/jobs/downtime";
import { jobViewOf } from "../../src/plugin/jobs/job-view";
import { UpgradeTab } from "../../src/plugin/upgrade/upgrade-tab";
import { isInstallProbe, mockCockpit, resetMockCockpit, rootOwnedStat, setSpawnHandler, type SpawnCall, type SpawnOutcome } from "../support/mock-cockpit";

const JOB = "20261201T101500-abc123";
const LABEL = "hosted-engine-backup-20261201101500";
const T = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 15, s)).toISOString();
const GiB = 1024 ** 3;

const ESTIMATE: DowntimeEstimate = estimateDowntime(2 * GiB, GiB, 100 * 1024 ** 2);

const STEP_IDS = ["shutdown-engine-vm", "copy-to-backup", "write-appliance", "boot-appliance", "engine-setup", "engine-health"] as const;

const RESULT: ResultEvent = {
    type: "result", ok: true, time: T(40), message: text("upgrade.succeeded"),
    next: [text("upgrade.succeeded.leave-maintenance"), text("upgrade.succeeded.backup-kept", { label: LABEL })],
    figures: { downtimeSeconds: 27, bytesCopied: 2 * GiB },
};

/* The engine down at 0 s, copies 0-8 s, the appliance 10-27 s: 27 s in all. */
function succeededJob(): JobEvent[] {
    const times: Record<string, [number, number]> = {
        "shutdown-engine-vm": [0, 1], "copy-to-backup": [1, 6], "write-appliance": [6, 9],
        "boot-appliance": [10, 12], "engine-setup": [12, 25], "engine-health": [25, 27],
    };
    const steps = STEP_IDS.map(id => ({ id, title: id, destructive: true }));
    return [
        { type: "job", id: JOB, kind: "upgrade", time: T(0), steps, attempt: 1, estimate: ESTIMATE },
        ...STEP_IDS.flatMap(id => [
            { type: "step", id, title: id, state: "running", time: T(times[id][0]) },
            { type: "step", id, title: id, state: "done", time: T(times[id][1]) },
        ] as JobEvent[]),
        RESULT,
    ];
}

const SUMMARY: JobSummary = {
    id: JOB, kind: "upgrade", started: T(0), attempts: 1, state: "succeeded", result: RESULT,
    lastStep: null, destructiveStarted: true, logFile: `/var/log/cockpit-hosted-engine/job-${JOB}.log`, warnings: [], problem: null,
};

let jobs: JobSummary[];

function helper(call: SpawnCall): SpawnOutcome {
    if (isInstallProbe(call))
        return rootOwnedStat(call);
    const verb = call.args[2];
    if (verb === "jobs")
        return { stdout: JSON.stringify({ running: null, jobs } satisfies JobsReport) };
    if (verb === "follow")
        return { stdout: [...succeededJob(), { type: "end", state: "succeeded" }].map(e => JSON.stringify(e)).join("\n") + "\n" };
    return { fail: { exit_status: 1 }, stdout: "" };
}

beforeEach(() => {
    jobs = [SUMMARY];
    resetMockCockpit();
    setSpawnHandler(helper);
});

describe("the downtime, estimated and actual", () => {
    test("the estimate names its rate's source and keeps the appliance's part apart", () => {
        expect(ESTIMATE).toMatchObject({ rateSource: "measured", dataSeconds: 31, applianceSeconds: 600, otherSeconds: 30, totalSeconds: 661 });
        expect(estimateDowntime(2 * GiB, GiB, null)).toMatchObject({ rateSource: "assumed", dataSeconds: 20 });
    });

    test("the job's steps give the actual parts", () => {
        expect(actualDowntime(jobViewOf(succeededJob()))).toEqual({ dataSeconds: 8, applianceSeconds: 17, otherSeconds: 2, totalSeconds: 27 });
    });
});

describe("a finished upgrade", () => {
    test("one headline, the figures once against the estimate, then what to do", async () => {
        mockCockpit.location.path = ["upgrade", "job", JOB];
        const { container } = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(container.querySelector('#he-upgrade-job-result[data-ok="true"]')).not.toBeNull());
        expect(container.querySelector("#he-upgrade-job-result-alert")?.textContent).toMatch(/upgraded to the 4.0 appliance/);
        // the helper's own "successfully upgraded" would say the headline twice
        expect(container.textContent).not.toMatch(/successfully upgraded/);
        expect(container.querySelector("#he-upgrade-job-downtime-figure")?.textContent).toBe("27 s (estimated 11 min 01 s)");
        expect(container.querySelector("#he-upgrade-job-downtime-data")?.textContent).toBe("8 s (estimated 31 s)");
        expect(container.querySelector("#he-upgrade-job-downtime-appliance")?.textContent).toBe("17 s (estimated 10 min 00 s)");
        // the downtime once: no clock beside the figure
        expect(container.querySelector("#he-upgrade-job-downtime")).toBeNull();
        expect(container.querySelector("#he-upgrade-job-next")?.textContent).toMatch(/Leave global maintenance/);
        expect(container.querySelector("#he-upgrade-new")).toBeNull();
    });

    test("the Upgrade tab says the engine runs 4.0 with its backup, and another upgrade says what it would do first", async () => {
        mockCockpit.location.path = ["upgrade"];
        const { container } = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(container.querySelector("#he-upgrade-done")).not.toBeNull());
        expect(container.querySelector("#he-upgrade-wizard")).toBeNull();
        expect(container.querySelector("#he-upgrade-done-backup")?.textContent).toBe(LABEL);
        expect(container.querySelector("#he-upgrade-done-when")?.textContent).toContain(JOB);

        fireEvent.click(screen.getByText("Upgrade again…"));
        expect(container.querySelector("#he-upgrade-again-notice")?.textContent).toMatch(/already runs 4.0.*shuts the 4.0 engine down again/);
        fireEvent.click(container.querySelector("#he-upgrade-again-open") as Element);
        expect(mockCockpit.location.path).toEqual(["upgrade", "readiness"]);
    });

    test("after a rollback the wizard is back, without the rolled-back upgrade's failure above it", async () => {
        const failedUpgrade: JobSummary = { ...SUMMARY, id: "20261201T090000-aaaaaa", state: "failed", result: null };
        const rollback: JobSummary = { ...SUMMARY, id: "20261201T110000-bbbbbb", kind: "rollback" };
        jobs = [rollback, failedUpgrade];
        mockCockpit.location.path = ["upgrade"];
        const { container } = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(container.querySelector("#he-upgrade-wizard")).not.toBeNull());
        expect(container.querySelector("#he-upgrade-done")).toBeNull();
        expect(container.querySelector("#he-upgrade-last-failed")).toBeNull();
    });
});
