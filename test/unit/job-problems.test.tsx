/** SPDX-License-Identifier: LGPL-2.1-or-later
 * (jest reads its pragma only from a docblock at the very start)
 * @jest-environment jsdom
 */

import React from "react";
import { render, screen } from "@testing-library/react";

import { text, type JobsReport, type JobSummary } from "../../src/protocol";
import { BrokenJobs, JournalWarnings } from "../../src/plugin/jobs/job-problems";
import { resetMockCockpit } from "../support/mock-cockpit";

const BROKEN = "20261125T031500-aaaaaa";
const GOOD = "20261125T041500-bbbbbb";

const summary = (id: string, state: JobSummary["state"], problem: JobSummary["problem"] = null): JobSummary => ({
    id, kind: state === "broken" ? "unknown" : "upgrade", started: null, attempts: 1, state, result: null, lastStep: null,
    destructiveStarted: false, logFile: `/var/log/cockpit-hosted-engine/job-${id}.log`, warnings: [], problem,
});

beforeEach(() => resetMockCockpit());

test("a broken job is named with its state's label and what is wrong; the others are not listed", () => {
    const problem = text("job.file-not-regular", { file: `/var/lib/cockpit-hosted-engine/jobs/${BROKEN}/journal.jsonl` });
    const report: JobsReport = { running: null, jobs: [summary(BROKEN, "broken", problem), summary(GOOD, "failed")] };
    const { container } = render(<BrokenJobs report={report} idPrefix="he-upgrade" />);
    expect(screen.getByText("Some jobs on the host cannot be read")).toBeTruthy();
    const items = [...container.querySelectorAll("#he-upgrade-broken-jobs li")];
    expect(items.map(li => li.getAttribute("data-job"))).toEqual([BROKEN]);
    expect(items[0].textContent).toBe(`Job ${BROKEN}: Broken: its files cannot be read — ${problem.english}`);
});

test("without broken jobs nothing is shown", () => {
    const { container } = render(<BrokenJobs report={{ running: null, jobs: [summary(GOOD, "failed")] }} idPrefix="he-upgrade" />);
    expect(container.textContent).toBe("");
});

test("the journal lines a crash tore are listed on the job's card", () => {
    const warning = { type: "journal-warning" as const, line: 3, message: text("job.journal-line-unreadable", { line: 3, job: GOOD }) };
    const { container } = render(<JournalWarnings warnings={[warning]} idPrefix="he-upgrade-job" />);
    expect(container.querySelector("#he-upgrade-job-journal-warnings li")?.textContent).toBe(warning.message.english);
});
