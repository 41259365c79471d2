// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from "@patternfly/react-core/dist/esm/components/DescriptionList/index.js";
import { Flex } from "@patternfly/react-core/dist/esm/layouts/Flex/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { ResultEvent } from "../../protocol";
import { renderText, stepTitle } from "../common/texts";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";
import { DiscardWorkFiles } from "./discard-work-files";
import { formatBytes, formatDuration } from "./format";
import type { JobView } from "./job-view";
import { ResumeFailedJob } from "./resume-failed-job";

const _ = cockpit.gettext;

/* Leaving global maintenance lets the HA agents start the engine VM: the last thing an administrator does. */
const LeaveMaintenance = ({ idPrefix }: { idPrefix: string }) => {
    const [state, setState] = useState<"idle" | "busy" | "done">("idle");
    const [error, setError] = useState<HelperFailure | null>(null);
    const leave = async () => {
        setState("busy");
        setError(null);
        try {
            await call("set-maintenance", { mode: "none" });
            setState("done");
        } catch (err) {
            setError(asHelperFailure(err));
            setState("idle");
        }
    };
    return (
        <Stack hasGutter>
            {error &&
                <Alert id={`${idPrefix}-leave-maintenance-error`} isInline variant="danger" title={_("Global maintenance was not left")}>
                    <p>{error.title}</p>
                    {error.detail && <samp>{error.detail}</samp>}
                </Alert>}
            {state === "done"
                ? <Alert id={`${idPrefix}-maintenance-left`} isInline isPlain variant="success"
                         title={_("Global maintenance ended: the HA agents start the engine VM now. The Status tab shows when it is up.")} />
                : <div>
                    <Button id={`${idPrefix}-leave-maintenance`} variant="primary" isLoading={state === "busy"} isDisabled={state === "busy"}
                            onClick={leave}>
                        {state === "busy" ? _("Leaving global maintenance…") : _("Leave global maintenance")}
                    </Button>
                </div>}
        </Stack>
    );
};

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
    const figures = result.figures;

    return (
        <Stack hasGutter id={`${idPrefix}-result`} data-ok={String(result.ok)}>
            <Alert id={`${idPrefix}-result-alert`} isInline variant={result.ok ? "success" : "danger"}
                   title={result.ok ? successTitle : failureTitle}>
                <p id={`${idPrefix}-result-message`}>{renderText(result.message)}</p>
                {failed &&
                    <p id={`${idPrefix}-failed-step`}>
                        {cockpit.format(_("Failed step: $0"), stepTitle(failed.id, failed.title))}
                        {failed.detail ? ` (${failed.detail})` : ""}
                    </p>}
            </Alert>
            {result.next.length > 0 &&
                <Content>
                    <h3>{result.ok ? _("What to do now") : _("The state of the disks, and what to do")}</h3>
                    <ul id={`${idPrefix}-next`}>
                        {result.next.map(renderText).map(line => <li key={line}>{line}</li>)}
                    </ul>
                </Content>}
            {(figures.downtimeSeconds !== undefined || figures.bytesCopied !== undefined || logFile) &&
                <DescriptionList isHorizontal isCompact>
                    {figures.downtimeSeconds !== undefined &&
                        <DescriptionListGroup>
                            <DescriptionListTerm>{_("Engine downtime")}</DescriptionListTerm>
                            <DescriptionListDescription id={`${idPrefix}-downtime-figure`}>{formatDuration(figures.downtimeSeconds)}</DescriptionListDescription>
                        </DescriptionListGroup>}
                    {figures.bytesCopied !== undefined &&
                        <DescriptionListGroup>
                            <DescriptionListTerm>{_("Copied")}</DescriptionListTerm>
                            <DescriptionListDescription>{formatBytes(figures.bytesCopied)}</DescriptionListDescription>
                        </DescriptionListGroup>}
                    {logFile &&
                        <DescriptionListGroup>
                            <DescriptionListTerm>{_("Log file")}</DescriptionListTerm>
                            <DescriptionListDescription><code id={`${idPrefix}-log-file`}>{logFile}</code></DescriptionListDescription>
                        </DescriptionListGroup>}
                </DescriptionList>}
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
