// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the helper could not read of the jobs on the host: jobs whose files a
 * crash or someone else spoiled ("broken": listed, never resumed), and journal
 * lines a crash tore (skipped; the events after them are shown all the same).
 * Said on the page so an administrator knows where to look on the host.
 */

import React from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";

import type { JobState, JobsReport, JournalWarning } from "../../protocol";
import { renderText } from "../common/texts";
import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

/** A job's state as the page names it. */
export function jobStateLabel(state: JobState): string {
    switch (state) {
    case "running": return _("Running");
    case "succeeded": return _("Succeeded");
    case "failed": return _("Failed");
    case "interrupted": return _("Stopped before it ended");
    case "broken": return _("Broken: its files cannot be read");
    default: return String(state);
    }
}

/** The broken jobs of a listing, if any. */
export const BrokenJobs = ({ report, idPrefix }: { report: JobsReport; idPrefix: string }) => {
    const broken = report.jobs.filter(j => j.state === "broken");
    if (broken.length === 0)
        return null;
    return (
        <Alert id={`${idPrefix}-broken-jobs`} isInline variant="warning" title={_("Some jobs on the host cannot be read")}>
            <ul>
                {broken.map(job => (
                    <li key={job.id} data-job={job.id} data-state={job.state}>
                        {cockpit.format(_("Job $0: $1"), job.id, jobStateLabel(job.state))}
                        {job.problem && <> — <samp>{renderText(job.problem)}</samp></>}
                    </li>
                ))}
            </ul>
        </Alert>
    );
};

/** The journal lines the helper skipped while it read a job. */
export const JournalWarnings = ({ warnings, idPrefix }: { warnings: JournalWarning[]; idPrefix: string }) => {
    if (warnings.length === 0)
        return null;
    return (
        <Alert id={`${idPrefix}-journal-warnings`} isInline variant="warning"
               title={_("Parts of the job's journal could not be read; the steps after them are shown")}>
            <ul>
                {warnings.map(w => <li key={w.line}>{renderText(w.message)}</li>)}
            </ul>
        </Alert>
    );
};
