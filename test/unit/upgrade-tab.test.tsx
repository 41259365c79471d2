/** SPDX-License-Identifier: LGPL-2.1-or-later
 * (jest reads its pragma only from a docblock at the very start)
 * @jest-environment jsdom
 */

import React from "react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";

import { text, type ErrorOutput, type JobEvent, type JobsReport } from "../../src/protocol";
import { ToastProvider } from "../../src/plugin/common/toasts";
import { UpgradeTab } from "../../src/plugin/upgrade/upgrade-tab";
import { isInstallProbe, mockCockpit, resetMockCockpit, rootOwnedStat, setSpawnHandler, type SpawnCall, spawnCalls, type SpawnOutcome } from "../support/mock-cockpit";

const JOB = "20261201T101500-abc123";
const T = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 15, s)).toISOString();

const STEPS = [
    { id: "create-backup-disk", title: "Create the backup disk", destructive: false },
    { id: "shutdown-engine-vm", title: "Shut down the engine VM", destructive: true },
    { id: "copy-to-backup", title: "Copy the engine disk to the backup disk and verify it", destructive: true },
    { id: "engine-setup", title: "Restore the backup and set up the 4.0 engine", destructive: true },
] as const;

/* What the helper wrote, as a Text. */
const said = (reason: string) => text("internal.unexpected", { reason });

function failed(code: ErrorOutput["error"]["code"], reason: string): string {
    const t = said(reason);
    return JSON.stringify({ error: { code, text: t, message: t.english, what: "x" } } satisfies ErrorOutput);
}

function failedJob(): JobEvent[] {
    return [
        { type: "job", id: JOB, kind: "upgrade", time: T(0), steps: [...STEPS], attempt: 1 },
        { type: "step", id: "create-backup-disk", title: STEPS[0].title, state: "running", time: T(1) },
        { type: "step", id: "create-backup-disk", title: STEPS[0].title, state: "done", time: T(2) },
        { type: "step", id: "shutdown-engine-vm", title: STEPS[1].title, state: "running", time: T(3) },
        { type: "step", id: "shutdown-engine-vm", title: STEPS[1].title, state: "done", time: T(5) },
        { type: "step", id: "copy-to-backup", title: STEPS[2].title, state: "running", time: T(6) },
        { type: "progress", step: "copy-to-backup", done: 1024, total: 2048 },
        { type: "step", id: "copy-to-backup", title: STEPS[2].title, state: "done", time: T(8) },
        { type: "step", id: "engine-setup", title: STEPS[3].title, state: "running", time: T(9) },
        { type: "log", level: "info", text: "HE_APPLIANCE_ENGINE_SETUP_FAIL", time: T(10), source: "appliance" },
        { type: "step", id: "engine-setup", title: STEPS[3].title, state: "failed", time: T(11), message: said("Engine setup failed on the appliance") },
        { type: "result", ok: false, time: T(11), failedStep: "engine-setup", message: said("Hosted Engine upgrade failed at engine-setup"),
            next: [said("The engine disk holds an unfinished 4.0 appliance; the old engine is not on it any more.")], figures: {} },
    ];
}

let running: string | null;
let events: JobEvent[];

function helper(call: SpawnCall): SpawnOutcome {
    if (isInstallProbe(call))
        return rootOwnedStat(call);
    const verb = call.args[2];
    if (verb === "jobs") {
        return {
            stdout: JSON.stringify({
                running,
                jobs: [{ id: JOB, kind: "upgrade", started: T(0), attempts: 1, state: running ? "running" : "failed", result: null,
                    lastStep: null, destructiveStarted: true, logFile: `/var/log/cockpit-hosted-engine/job-${JOB}.log`,
                    warnings: [], problem: null }],
            } satisfies JobsReport),
        };
    }
    if (verb === "follow" && call.args[3] === JOB && running)
        return { running: events.map(e => JSON.stringify(e)).join("\n") + "\n" };
    if (verb === "follow" && call.args[3] === JOB) {
        // what `follow` prints: every event, then the end; it exits 1 for a failed job
        const lines = [...events, { type: "end", state: "failed" }].map(e => JSON.stringify(e)).join("\n") + "\n";
        return { fail: { exit_status: 1 }, stdout: lines };
    }
    if (verb === "cancel")
        return { stdout: JSON.stringify({ cancelled: true, message: said(`Job ${JOB} stops before its next step`) }) };
    if (verb === "discard" && call.args[3] === JOB)
        return { stdout: JSON.stringify({ job: JOB }) };
    if (verb === "resume" && call.args[3] === JOB) {
        // the failed step runs again, in a second attempt of the same job
        running = JOB;
        events = [...events,
            { type: "job", id: JOB, kind: "upgrade", time: T(30), steps: [...STEPS], attempt: 2 },
            { type: "step", id: "engine-setup", title: STEPS[3].title, state: "running", time: T(31) }];
        return { stdout: JSON.stringify({ job: JOB }) };
    }
    if (verb === "readiness")
        return { fail: { exit_status: 1 }, stdout: failed("command-failed", "not here") };
    return { fail: { exit_status: 2 }, stdout: failed("usage", "Unknown verb") };
}

beforeEach(() => {
    resetMockCockpit();
    running = JOB;
    events = failedJob();
    setSpawnHandler(helper);
});

describe("UpgradeTab", () => {
    test("a running upgrade is shown instead of the wizard, and the location names it", async () => {
        mockCockpit.location.path = ["upgrade"];
        const { container } = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(container.querySelector(`#he-upgrade-job[data-job="${JOB}"]`)).not.toBeNull());
        expect(container.querySelector("#he-upgrade-wizard")).toBeNull();
        expect(mockCockpit.location.path).toEqual(["upgrade", "job", JOB]);
        expect(spawnCalls.some(c => c.args[2] === "follow" && c.args[3] === JOB)).toBe(true);
    });

    test("a failed job shows the failing step, what the disks hold, the log and the way to the Rollback tab", async () => {
        running = null;
        mockCockpit.location.path = ["upgrade", "job", JOB];
        const { container } = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(container.querySelector('#he-upgrade-job-result[data-ok="false"]')).not.toBeNull());
        expect(container.querySelector("#he-upgrade-job-step-engine-setup")?.getAttribute("data-state")).toBe("failed");
        expect(container.querySelector("#he-upgrade-job-step-copy-to-backup")?.getAttribute("data-state")).toBe("done");
        expect(container.querySelector("#he-upgrade-job-failed-step")?.textContent).toMatch(/Restore the backup and set up the 4.0 engine/);
        expect(container.querySelector("#he-upgrade-job-next")?.textContent).toMatch(/unfinished 4.0 appliance/);
        expect(container.querySelector("#he-upgrade-job-log-file")?.textContent).toBe(`/var/log/cockpit-hosted-engine/job-${JOB}.log`);
        // the engine went down at the shutdown step and never came back: the clock stops at the result
        expect(container.querySelector("#he-upgrade-job-downtime")?.textContent).toMatch(/still down: it had been down for 8 s when the job ended/);
        // a failed job offers no "leave global maintenance": the engine disk needs a rollback first
        expect(container.querySelector("#he-upgrade-job-leave-maintenance")).toBeNull();

        fireEvent.click(screen.getByText("Go to the Rollback tab"));
        expect(mockCockpit.location.path).toEqual(["rollback"]);
    });

    test("a failed upgrade's work files may be discarded", async () => {
        running = null;
        mockCockpit.location.path = ["upgrade", "job", JOB];
        const { container } = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(container.querySelector("#he-upgrade-job-discard")).not.toBeNull());
        expect(container.querySelector("#he-upgrade-job-step-engine-setup-message")?.textContent)
                .toBe("Unexpected helper failure: Engine setup failed on the appliance");
        fireEvent.click(container.querySelector("#he-upgrade-job-discard") as Element);
        await waitFor(() => expect(container.querySelector("#he-upgrade-job-discarded")).not.toBeNull());
        expect(spawnCalls.filter(c => c.args[2] === "discard").map(c => c.args.slice(2))).toEqual([["discard", JOB]]);
    });

    test("a failed upgrade may be resumed: the passwords go to the helper's stdin, and the job is followed again", async () => {
        running = null;
        mockCockpit.location.path = ["upgrade", "job", JOB];
        const { container } = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(container.querySelector('#he-upgrade-job-result[data-ok="false"]')).not.toBeNull());
        // beside the resume, the way back and the work files stay
        expect(container.querySelector("#he-upgrade-job-go-rollback")).not.toBeNull();
        expect(container.querySelector("#he-upgrade-job-discard")).not.toBeNull();
        expect(container.querySelector("#he-upgrade-job-resume-help")?.textContent).toMatch(/^Runs the failed step again, and continues from there, once you have fixed its cause/);
        expect(container.querySelector("#he-upgrade-new")).not.toBeNull();
        const button = container.querySelector("#he-upgrade-job-resume-button") as HTMLButtonElement;
        expect(button.disabled).toBe(true);

        fireEvent.change(container.querySelector("#he-upgrade-job-resume-admin-password") as Element, { target: { value: "engine-pass" } });
        expect(button.disabled).toBe(false);
        fireEvent.click(button);
        await waitFor(() => expect(container.querySelector("#he-upgrade-job-step-engine-setup")?.getAttribute("data-state")).toBe("running"));
        const resumes = spawnCalls.filter(c => c.args[2] === "resume");
        expect(resumes.map(c => c.args.slice(2))).toEqual([["resume", JOB]]);
        expect(JSON.parse(resumes[0].input ?? "null")).toEqual({ adminPassword: "engine-pass", rootPassword: null });
        // the job runs again: no result, and the tab knows it runs (no way back to the wizard)
        expect(container.querySelector("#he-upgrade-job-result")).toBeNull();
        expect(container.querySelector("#he-upgrade-job-step-copy-to-backup")?.getAttribute("data-state")).toBe("done");
        await waitFor(() => expect(container.querySelector("#he-upgrade-new")).toBeNull());
        expect(container.querySelector("#he-upgrade-job")?.getAttribute("data-state")).toBe("following");
    });

    test("an interrupted upgrade may be resumed with its passwords, or its work files discarded", async () => {
        running = null;
        events = failedJob().slice(0, 9); // the process died while engine-setup ran
        mockCockpit.location.path = ["upgrade", "job", JOB];
        const { container } = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(container.querySelector("#he-upgrade-job-resume")).not.toBeNull());
        expect(container.querySelector("#he-upgrade-job-result")).toBeNull();
        expect(container.querySelector("#he-upgrade-job-discard")).not.toBeNull();
        expect(container.querySelector("#he-upgrade-job-resume-help")).toBeNull();
        fireEvent.change(container.querySelector("#he-upgrade-job-resume-admin-password") as Element, { target: { value: "engine-pass" } });
        fireEvent.change(container.querySelector("#he-upgrade-job-resume-root-password") as Element, { target: { value: "root-pass" } });
        fireEvent.click(container.querySelector("#he-upgrade-job-resume-button") as Element);
        // followed again: attempt 2 runs, so nothing offers a resume any more
        await waitFor(() => expect(container.querySelector("#he-upgrade-job-resume")).toBeNull());
        expect(container.querySelector("#he-upgrade-job")?.getAttribute("data-state")).toBe("following");
        await waitFor(() => expect(container.querySelector("#he-upgrade-job-step-engine-setup")?.getAttribute("data-state")).toBe("running"));
        const resume = spawnCalls.find(c => c.args[2] === "resume");
        expect(JSON.parse(resume?.input ?? "null")).toEqual({ adminPassword: "engine-pass", rootPassword: "root-pass" });
    });

    test("a job may be cancelled until its first destructive step, and not after", async () => {
        mockCockpit.location.path = ["upgrade", "job", JOB];
        events = failedJob().slice(0, 2); // creating the backup disk: nothing destructive yet
        const { container, unmount } = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(container.querySelector("#he-upgrade-job-cancel")).not.toBeNull());
        fireEvent.click(container.querySelector("#he-upgrade-job-cancel") as Element);
        await waitFor(() => expect(spawnCalls.some(c => c.args[2] === "cancel" && c.args[3] === JOB)).toBe(true));
        // what the helper said about it, as a toast
        await screen.findByText(`Unexpected helper failure: Job ${JOB} stops before its next step`);
        unmount();

        events = failedJob().slice(0, 4); // the engine VM is being shut down
        const again = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(again.container.querySelector("#he-upgrade-job-step-shutdown-engine-vm")?.getAttribute("data-state")).toBe("running"));
        expect(again.container.querySelector("#he-upgrade-job-cancel")).toBeNull();
    });

    test("without a job, the wizard, with the last failed upgrade named above it", async () => {
        running = null;
        mockCockpit.location.path = ["upgrade"];
        const { container } = render(<ToastProvider><UpgradeTab /></ToastProvider>);
        await waitFor(() => expect(container.querySelector("#he-upgrade-wizard")).not.toBeNull());
        expect(container.querySelector("#he-upgrade-last-failed")?.textContent).toMatch(new RegExp(`job ${JOB}`));
        // readiness failed: its error is shown and Next stays disabled
        await waitFor(() => expect(container.querySelector("#he-readiness-error")).not.toBeNull());
        expect((container.querySelector("#he-upgrade-next-readiness") as HTMLButtonElement | null)?.disabled).toBe(true);
    });
});
