// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { Flex } from "@patternfly/react-core/dist/esm/layouts/Flex/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { ResultEvent } from "../../protocol";
import { renderText, stepTitle } from "../common/texts";
import cockpit from "../lib/cockpit";
import { DiscardWorkFiles } from "./discard-work-files";
import type { JobView } from "./job-view";
import { LeaveMaintenance } from "./leave-maintenance";
import { ResultFigures } from "./result-figures";
import { ResumeFailedJob } from "./resume-failed-job";

const _ = cockpit.gettext;

/* How a job ended: on success what to do now; on failure where, why, what the disks hold, and the ways on or back. */
export const JobResult = ({ view, result, idPrefix, logFile, successTitle, failureTitle, discardJob, resumeJob, onResumed, onRollback }: {
    view: JobView;
    result: ResultEvent;
    idPrefix: string;
    logFile: string;
    successTitle: string;
    failureTitle: string;
    /** the job whose work files a failure may discard (an upgrade's: a rollback has none) */
    discardJob?: string;
    /** the job a failure may resume (an upgrade: its failed step runs again), and what follows its resume */
    resumeJob?: string;
    onResumed?: () => void;
    /** offered on failure, when the engine disk may need its backup back */
    onRollback?: () => void;
}) => {
    const failed = result.failedStep ? view.steps.find(s => s.id === result.failedStep) : undefined;

    return (
        <Stack hasGutter id={`${idPrefix}-result`} data-ok={String(result.ok)}>
            <Alert id={`${idPrefix}-result-alert`} isInline variant={result.ok ? "success" : "danger"}
                   title={result.ok ? successTitle : failureTitle}>
                {/* on success the headline says it all; a failure's message says why */}
                {!result.ok && <p id={`${idPrefix}-result-message`}>{renderText(result.message)}</p>}
                {failed &&
                    <p id={`${idPrefix}-failed-step`}>
                        {cockpit.format(_("Failed step: $0"), stepTitle(failed.id, failed.title))}
                        {failed.detail ? ` (${failed.detail})` : ""}
                    </p>}
            </Alert>
            <ResultFigures view={view} figures={result.figures} idPrefix={idPrefix} logFile={logFile} />
            {result.next.length > 0 &&
                <Content>
                    <h3>{result.ok ? _("What to do now") : _("The state of the disks, and what to do")}</h3>
                    <ul id={`${idPrefix}-next`}>
                        {result.next.map(renderText).map(line => <li key={line}>{line}</li>)}
                    </ul>
                </Content>}
            {!result.ok && resumeJob && onResumed && <ResumeFailedJob jobId={resumeJob} idPrefix={idPrefix} onResumed={onResumed} />}
            <Flex>
                {result.ok && <LeaveMaintenance idPrefix={idPrefix} />}
                {!result.ok && onRollback &&
                    <Button id={`${idPrefix}-go-rollback`} variant="secondary" onClick={onRollback}>
                        {_("Go to the Rollback tab")}
                    </Button>}
                {!result.ok && discardJob && <DiscardWorkFiles jobId={discardJob} idPrefix={idPrefix} />}
            </Flex>
        </Stack>
    );
};
