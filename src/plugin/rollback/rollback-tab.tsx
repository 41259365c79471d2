// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useCallback, useEffect, useState } from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import { useToasts } from "../common/toasts";
import { JobPage } from "../jobs/job-page";
import { BrokenJobs } from "../jobs/job-problems";
import { useJobs } from "../jobs/use-job";
import cockpit from "../lib/cockpit";
import { usePageLocation } from "../lib/use-page-location";
import { BackupsCard } from "./backups-card";
import { RollbackDialog, type Dialog } from "./rollback-dialog";
import { useBackups } from "./use-backups";

const _ = cockpit.gettext;

/*
 * The Rollback tab: the backup disks the upgrades made, to restore the old
 * engine from one or delete those no longer needed, and the restore job while
 * it runs (or the one the location names: rollback/job/ID).
 */
export const RollbackTab = () => {
    const { path } = usePageLocation();
    const jobs = useJobs();
    const toast = useToasts();
    const { report, error, load, setReport } = useBackups();
    const [dialog, setDialog] = useState<Dialog>(null);

    const reloadJobs = jobs.reload;
    const jobEnded = useCallback(() => {
        reloadJobs();
        load();
    }, [reloadJobs, load]);

    const running = jobs.report?.jobs.find(j => j.id === jobs.report?.running) ?? null;
    // a running restore found on arrival: the location names it, so its result stays in view when it ends
    const runningRollback = running?.kind === "rollback" ? running.id : null;
    useEffect(() => {
        if (runningRollback && !(path[1] === "job" && path[2] === runningRollback))
            cockpit.location.replace(["rollback", "job", runningRollback]);
    }, [runningRollback, path]);
    const named = path[1] === "job" && path[2] ? jobs.report?.jobs.find(j => j.id === path[2]) ?? null : null;
    const job = running?.kind === "rollback" ? running : (named?.kind === "rollback" ? named : null);

    return (
        <Stack hasGutter id="he-rollback">
            {jobs.report && <BrokenJobs report={jobs.report} idPrefix="he-rollback" />}
            {running && running.kind !== "rollback" &&
                <Alert id="he-rollback-blocked" isInline variant="info"
                       title={cockpit.format(_("An upgrade is running (job $0)"), running.id)}
                       actionLinks={<AlertActionLink onClick={() => cockpit.location.go(["upgrade"])}>{_("Show it on the Upgrade tab")}</AlertActionLink>}>
                    {_("One job runs at a time: a restore can start once it has ended.")}
                </Alert>}
            {job &&
                <>
                    <JobPage key={job.id} jobId={job.id} kind="rollback" logFile={job.logFile} onEnded={jobEnded} onResumed={reloadJobs} />
                    {job.id !== running?.id &&
                        <div>
                            <Button id="he-rollback-back" variant="link" onClick={() => cockpit.location.go(["rollback"])}>
                                {_("Back to the backup disks")}
                            </Button>
                        </div>}
                </>}
            <BackupsCard report={report} error={error} busy={running !== null} onRetry={() => load()}
                         onAskEngine={() => setDialog({ kind: "ask-engine" })}
                         onRestore={backup => setDialog({ kind: "restore", backup })}
                         onDelete={backup => setDialog({ kind: "delete", backup })} />
            <RollbackDialog dialog={dialog} verifiedCount={report?.backups.filter(b => b.verified).length ?? 0}
                            onClose={() => setDialog(null)}
                            onStarted={id => {
                                setDialog(null);
                                cockpit.location.go(["rollback", "job", id]);
                                reloadJobs();
                            }}
                            onDeleted={result => {
                                setDialog(null);
                                toast({ variant: "success", title: cockpit.format(_("$0 was deleted"), result.label) });
                                load();
                            }}
                            onReport={fresh => { setDialog(null); setReport(fresh); }} />
        </Stack>
    );
};
