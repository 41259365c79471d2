// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useCallback, useEffect } from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { EmptyState } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { JobsReport, JobSummary } from "../../protocol";
import { stepTitle } from "../common/texts";
import { JobPage } from "../jobs/job-page";
import { BrokenJobs } from "../jobs/job-problems";
import { useJobs } from "../jobs/use-job";
import cockpit from "../lib/cockpit";
import { usePageLocation } from "../lib/use-page-location";
import { UpgradeAgainNotice, UpgradeDone } from "./upgrade-done";
import { UpgradeWizard } from "./upgrade-wizard";

const _ = cockpit.gettext;

/*
 * The engine runs 4.0 when the newest job that changed the engine disk is a
 * successful upgrade; the last upgrade needs a word above the wizard when it
 * did not succeed and no rollback succeeded after it (it may need a rollback
 * or a resume). Jobs come newest first.
 */
function lastUpgrade(report: JobsReport): { upgraded: JobSummary | null; unfinished: JobSummary | null } {
    const lastChange = report.jobs.find(j => j.state === "succeeded" && (j.kind === "upgrade" || j.kind === "rollback"));
    const last = report.jobs.find(j => j.kind === "upgrade");
    const rolledBack = lastChange?.kind === "rollback" && last !== undefined && report.jobs.indexOf(lastChange) < report.jobs.indexOf(last);
    return {
        upgraded: lastChange?.kind === "upgrade" ? lastChange : null,
        unfinished: last && last.state !== "succeeded" && !rolledBack ? last : null,
    };
}

/*
 * The Upgrade tab: the wizard, or the upgrade job when one runs (whoever
 * started it, from whichever browser) or when the location names one
 * (upgrade/job/ID), so a reload comes back to the same view.
 */
export const UpgradeTab = () => {
    const { path } = usePageLocation();
    const { report, error, loading, reload } = useJobs();

    const showJob = useCallback((id: string) => cockpit.location.go(["upgrade", "job", id]), []);
    const toRollback = useCallback(() => cockpit.location.go(["rollback"]), []);

    // a running upgrade found on arrival: the location names it, so its result stays in view when it ends
    const runningUpgrade = report?.jobs.find(j => j.id === report.running && j.kind === "upgrade")?.id ?? null;
    useEffect(() => {
        if (runningUpgrade && !(path[1] === "job" && path[2] === runningUpgrade))
            cockpit.location.replace(["upgrade", "job", runningUpgrade]);
    }, [runningUpgrade, path]);

    if (!report) {
        if (loading)
            return <EmptyState id="he-upgrade-loading" headingLevel="h2" icon={Spinner} titleText={_("Looking for running jobs")} />;
        return (
            <Alert id="he-jobs-error" isInline variant="danger" title={error?.title ?? _("The jobs cannot be listed")}
                   actionLinks={<AlertActionLink onClick={() => reload()}>{_("Retry")}</AlertActionLink>}>
                {error?.detail && <samp>{error.detail}</samp>}
            </Alert>
        );
    }

    const running = report.jobs.find(j => j.id === report.running) ?? null;
    const named = path[1] === "job" && path[2] ? report.jobs.find(j => j.id === path[2]) ?? null : null;

    if (running && running.kind !== "upgrade") {
        return (
            <Alert id="he-upgrade-blocked" isInline variant="info" title={cockpit.format(_("A rollback is running (job $0)"), running.id)}
                   actionLinks={<AlertActionLink onClick={toRollback}>{_("Show it on the Rollback tab")}</AlertActionLink>}>
                {_("One job runs at a time: the upgrade can start once it has ended.")}
            </Alert>
        );
    }

    if (path[1] === "job" && !named && !running) {
        // just started: the list is being read again
        if (loading)
            return <EmptyState id="he-upgrade-loading" headingLevel="h2" icon={Spinner} titleText={_("Attaching to the job")} />;
        return (
            <Alert id="he-upgrade-no-job" isInline variant="warning" title={cockpit.format(_("There is no upgrade job $0"), path[2] ?? "")}
                   actionLinks={<AlertActionLink onClick={() => cockpit.location.go(["upgrade"])}>{_("Back to the upgrade wizard")}</AlertActionLink>} />
        );
    }

    const job = running ?? (named?.kind === "upgrade" ? named : null);
    if (job) {
        return (
            <Stack hasGutter>
                <JobPage key={job.id} jobId={job.id} kind="upgrade" logFile={job.logFile}
                         onEnded={reload} onResumed={reload} onRollback={toRollback} />
                {!running && job.state !== "succeeded" &&
                    <div>
                        <Button id="he-upgrade-new" variant="link" onClick={() => cockpit.location.go(["upgrade"])}>
                            {_("Back to the upgrade wizard")}
                        </Button>
                    </div>}
            </Stack>
        );
    }

    const { upgraded, unfinished } = lastUpgrade(report);
    if (upgraded && path[1] === undefined) {
        return <UpgradeDone job={upgraded} onShowJob={() => showJob(upgraded.id)} onRollback={toRollback}
                            onUpgradeAgain={() => cockpit.location.go(["upgrade", "readiness"])} />;
    }


    return (
        <Stack hasGutter>
            <BrokenJobs report={report} idPrefix="he-upgrade" />
            {upgraded && <UpgradeAgainNotice job={upgraded} />}
            {unfinished &&
                <Alert id="he-upgrade-last-failed" isInline variant={unfinished.destructiveStarted ? "danger" : "warning"}
                       title={unfinished.state === "interrupted"
                           ? cockpit.format(_("The upgrade job $0 stopped before it ended"), unfinished.id)
                           : cockpit.format(_("The last upgrade (job $0) failed"), unfinished.id)}
                       actionLinks={<AlertActionLink id="he-upgrade-show-last" onClick={() => showJob(unfinished.id)}>{_("Show the job")}</AlertActionLink>}>
                    {unfinished.lastStep && cockpit.format(_("Last step: $0."), stepTitle(unfinished.lastStep.id, unfinished.lastStep.title))}
                    {" "}
                    {unfinished.destructiveStarted
                        ? _("It had already changed the engine VM's disk: resume it or roll back before starting again.")
                        : _("Nothing was changed.")}
                </Alert>}
            <UpgradeWizard onStarted={id => { showJob(id); reload(); }} />
        </Stack>
    );
};
