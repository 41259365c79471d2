// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useCallback, useEffect, useState } from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Card, CardBody, CardTitle } from "@patternfly/react-core/dist/esm/components/Card/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { JobKindName } from "../../protocol";
import { renderText } from "../common/texts";
import { useToasts } from "../common/toasts";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call } from "../lib/helper-client";
import { JournalWarnings } from "./job-problems";
import { JobResult } from "./job-result";
import { JobSteps } from "./job-steps";
import { useFollowJob } from "./use-job";
import { ResumeJob } from "./resume-job";

const _ = cockpit.gettext;

/*
 * One job, followed live: its steps and progress while it runs, then how it
 * ended. The job runs on the host whether or not this is open.
 */
export const JobPage = ({ jobId, kind, logFile, onEnded, onResumed, onRollback }: {
    jobId: string;
    kind: JobKindName;
    logFile: string;
    onEnded?: () => void;
    /** the job was resumed: it runs again */
    onResumed?: () => void;
    onRollback?: () => void;
}) => {
    const { view, state, error, retry } = useFollowJob(jobId);
    const prefix = `he-${kind}-job`;
    // follow the resumed job from the start again: its journal goes on with a new attempt
    const resumed = useCallback(() => {
        retry();
        onResumed?.();
    }, [retry, onResumed]);

    const toast = useToasts();

    useEffect(() => {
        if (state === "ended")
            onEnded?.();
    }, [state, onEnded]);

    // the page itself lost the job: say so beyond this card too, the job may be out of view
    useEffect(() => {
        if (state === "lost" && error)
            toast({ variant: "warning", title: _("The page lost track of a running job"), detail: `${error.title}${error.detail ? `: ${error.detail}` : ""}` });
    }, [state, error, toast]);

    // a job may be stopped until it starts its first destructive step; after that only a rollback undoes it
    const [cancelling, setCancelling] = useState(false);
    const cancellable = !view.result && state === "following" && view.steps.length > 0 &&
        !view.steps.some(s => s.destructive && s.state !== "pending");
    const cancel = async () => {
        setCancelling(true);
        try {
            const cancelled = await call("cancel", { job: jobId });
            toast({ variant: "info", title: renderText(cancelled.message) });
        } catch (err) {
            const failure = asHelperFailure(err);
            toast({ title: _("The job was not cancelled"), detail: `${failure.title}${failure.detail ? `: ${failure.detail}` : ""}` });
            setCancelling(false);
        }
    };

    const title = kind === "upgrade"
        ? (view.result ? _("Upgrade") : _("Upgrading the engine VM"))
        : (view.result ? _("Rollback") : _("Restoring the engine disk"));

    return (
        <Card id={prefix} data-job={jobId} data-state={view.result ? (view.result.ok ? "succeeded" : "failed") : state}>
            <CardTitle component="h2">
                {title} <small className="he-job-id">{cockpit.format(_("job $0"), jobId)}</small>
            </CardTitle>
            <CardBody>
                <Stack hasGutter>
                    {state === "lost" && error &&
                        <Alert id={`${prefix}-lost`} isInline variant="warning"
                               title={_("The page lost track of the job; it goes on running on the host")}
                               actionLinks={<AlertActionLink onClick={retry}>{_("Attach again")}</AlertActionLink>}>
                            <samp>{error.title}{error.detail ? `: ${error.detail}` : ""}</samp>
                        </Alert>}
                    <JournalWarnings warnings={view.warnings} idPrefix={prefix} />
                    {view.steps.length === 0 && state === "following" && <Spinner size="lg" aria-label={_("Attaching to the job")} />}
                    {view.result &&
                        <JobResult view={view} result={view.result} idPrefix={prefix} logFile={logFile}
                                   {...(kind === "upgrade" ? { discardJob: jobId, resumeJob: jobId, onResumed: resumed } : {})}
                                   successTitle={kind === "upgrade" ? _("The engine VM was upgraded to the 4.0 appliance") : _("The engine disk was restored")}
                                   failureTitle={kind === "upgrade" ? _("The upgrade failed") : _("The rollback failed")}
                                   {...(onRollback ? { onRollback } : {})} />}
                    {/* follow ended without a result: the job's process died (helper killed, host rebooted) */}
                    {!view.result && state === "ended" &&
                        <ResumeJob jobId={jobId} kind={kind} idPrefix={prefix} onResumed={resumed} />}
                    <JobSteps view={view} idPrefix={prefix} downtimeClock={kind === "upgrade"} />
                    {cancellable &&
                        <div>
                            <Button id={`${prefix}-cancel`} variant="secondary" isDanger isLoading={cancelling} isDisabled={cancelling}
                                    onClick={cancel}>
                                {cancelling ? _("Cancelling…") : _("Cancel before anything is changed")}
                            </Button>
                        </div>}
                </Stack>
            </CardBody>
        </Card>
    );
};
