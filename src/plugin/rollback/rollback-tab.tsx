// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useCallback, useEffect, useState } from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Card, CardBody, CardHeader, CardTitle } from "@patternfly/react-core/dist/esm/components/Card/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { EmptyState, EmptyStateBody } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { BackupDisk, BackupsReport } from "../../protocol";
import { renderText } from "../common/texts";
import { useToasts } from "../common/toasts";
import { JobPage } from "../jobs/job-page";
import { useJobs } from "../jobs/use-job";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";
import { usePageLocation } from "../lib/use-page-location";
import { AskEngineModal } from "./ask-engine-modal";
import { BackupsTable } from "./backups-table";
import { DeleteBackupModal } from "./delete-backup-modal";
import { RestoreModal } from "./restore-modal";

const _ = cockpit.gettext;

type Dialog = { kind: "restore" | "delete"; backup: BackupDisk } | { kind: "ask-engine" } | null;

/*
 * The Rollback tab: the backup disks the upgrades made, to restore the old
 * engine from one or delete those no longer needed, and the restore job while
 * it runs (or the one the location names: rollback/job/ID).
 */
export const RollbackTab = () => {
    const { path } = usePageLocation();
    const jobs = useJobs();
    const toast = useToasts();
    const [report, setReport] = useState<BackupsReport | null>(null);
    const [error, setError] = useState<HelperFailure | null>(null);
    const [dialog, setDialog] = useState<Dialog>(null);

    const load = useCallback(async () => {
        try {
            setReport(await call("backups", { adminPassword: null }));
            setError(null);
        } catch (err) {
            setError(asHelperFailure(err));
        }
    }, []);

    useEffect(() => {
        load();
    }, [load]);

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
    const verifiedCount = report?.backups.filter(b => b.verified).length ?? 0;

    return (
        <Stack hasGutter id="he-rollback">
            {running && running.kind !== "rollback" &&
                <Alert id="he-rollback-blocked" isInline variant="info"
                       title={cockpit.format(_("An upgrade is running (job $0)"), running.id)}
                       actionLinks={<AlertActionLink onClick={() => cockpit.location.go(["upgrade"])}>{_("Show it on the Upgrade tab")}</AlertActionLink>}>
                    {_("One job runs at a time: a restore can start once it has ended.")}
                </Alert>}
            {job &&
                <>
                    <JobPage key={job.id} jobId={job.id} kind="rollback" logFile={job.logFile} onEnded={jobEnded} />
                    {job.id !== running?.id &&
                        <div>
                            <Button id="he-rollback-back" variant="link" onClick={() => cockpit.location.go(["rollback"])}>
                                {_("Back to the backup disks")}
                            </Button>
                        </div>}
                </>}
            <Card id="he-backups-card">
                <CardHeader actions={{
                    actions: <Button id="he-backups-ask-engine" variant="secondary" isDisabled={!report?.backups.length}
                                     onClick={() => setDialog({ kind: "ask-engine" })}>
                        {_("Ask the engine…")}
                    </Button>,
                    hasNoOffset: false,
                }}>
                    <CardTitle component="h2">{_("Backup disks")}</CardTitle>
                </CardHeader>
                <CardBody>
                    <Stack hasGutter>
                        <Content>
                            <p>{_("Each upgrade copies the engine VM's disk to a new backup disk and verifies the copy before overwriting anything. Restoring one brings back the engine as it was when that upgrade shut it down.")}</p>
                        </Content>
                        {error &&
                            <Alert id="he-backups-error" isInline variant="danger" title={error.title}
                                   actionLinks={<AlertActionLink onClick={() => load()}>{_("Retry")}</AlertActionLink>}>
                                {error.detail && <samp>{error.detail}</samp>}
                            </Alert>}
                        {report?.engineNote && <Content><p id="he-backups-engine-note" className="he-muted">{renderText(report.engineNote)}</p></Content>}
                        {!report && !error && <Spinner size="lg" aria-label={_("Looking for backup disks")} />}
                        {report && report.backups.length === 0 &&
                            <EmptyState id="he-backups-empty" headingLevel="h3" titleText={_("No backup disks")}>
                                <EmptyStateBody>{_("An upgrade makes one before it overwrites the engine disk. There is nothing to roll back to yet.")}</EmptyStateBody>
                            </EmptyState>}
                        {report && report.backups.length > 0 &&
                            <BackupsTable backups={report.backups} busy={running !== null}
                                          onRestore={backup => setDialog({ kind: "restore", backup })}
                                          onDelete={backup => setDialog({ kind: "delete", backup })} />}
                    </Stack>
                </CardBody>
            </Card>
            {dialog?.kind === "restore" &&
                <RestoreModal backup={dialog.backup} onClose={() => setDialog(null)}
                              onStarted={id => {
                                  setDialog(null);
                                  cockpit.location.go(["rollback", "job", id]);
                                  reloadJobs();
                              }} />}
            {dialog?.kind === "delete" &&
                <DeleteBackupModal backup={dialog.backup} lastVerified={dialog.backup.verified && verifiedCount === 1}
                                   onClose={() => setDialog(null)}
                                   onDeleted={result => {
                                       setDialog(null);
                                       toast({ variant: "success", title: cockpit.format(_("$0 was deleted"), result.label) });
                                       load();
                                   }} />}
            {dialog?.kind === "ask-engine" &&
                <AskEngineModal onClose={() => setDialog(null)} onReport={fresh => { setDialog(null); setReport(fresh); }} />}
        </Stack>
    );
};
