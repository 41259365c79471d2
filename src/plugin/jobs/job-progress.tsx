// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useEffect, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { ExpandableSection } from "@patternfly/react-core/dist/esm/components/ExpandableSection/index.js";
import { Progress, ProgressMeasureLocation } from "@patternfly/react-core/dist/esm/components/Progress/index.js";
import { ProgressStep, ProgressStepper } from "@patternfly/react-core/dist/esm/components/ProgressStepper/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import { renderText, stepTitle } from "../common/texts";
import cockpit from "../lib/cockpit";
import { formatBytes, formatDuration } from "./format";
import { consoleLines, downtimeSeconds, transferRate, type JobView, type StepView } from "./job-view";

const _ = cockpit.gettext;

const VARIANT: Record<StepView["state"], "success" | "info" | "danger" | "pending" | "default"> = {
    pending: "pending",
    running: "info",
    done: "success",
    skipped: "success",
    failed: "danger",
};

const STATE_LABEL: Record<StepView["state"], string> = {
    pending: _("Waiting"),
    running: _("Running"),
    done: _("Done"),
    skipped: _("Done before the job was resumed"),
    failed: _("Failed"),
};

function downtimeTitle(view: JobView, seconds: number): string {
    if (view.engineUpAt)
        return cockpit.format(_("The engine was down for $0"), formatDuration(seconds));
    // the job ended without the new engine answering: the clock stopped, the engine did not come back
    if (view.result)
        return cockpit.format(_("The engine is still down: it had been down for $0 when the job ended"), formatDuration(seconds));
    return cockpit.format(_("The engine has been down for $0"), formatDuration(seconds));
}

/* Ticks once a second while `active`, for the clocks. */
function useNow(active: boolean): number {
    const [now, setNow] = useState(() => Date.now());
    useEffect(() => {
        if (!active)
            return;
        const timer = setInterval(() => setNow(Date.now()), 1000);
        return () => clearInterval(timer);
    }, [active]);
    return now;
}

const StepProgress = ({ view, now, idPrefix }: { view: JobView; now: number; idPrefix: string }) => {
    const progress = view.progress;
    if (!progress)
        return null;
    const rate = transferRate(view, now);
    let label;
    if (progress.done !== null && progress.total !== null) {
        label = rate !== null
            ? cockpit.format(_("$0 of $1 at $2/s"), formatBytes(progress.done), formatBytes(progress.total), formatBytes(rate))
            : cockpit.format(_("$0 of $1"), formatBytes(progress.done), formatBytes(progress.total));
    }
    return (
        <Progress id={`${idPrefix}-progress`} value={Math.round(progress.fraction * 100)} label={label}
                  measureLocation={ProgressMeasureLocation.outside} aria-label={_("Progress of the running step")} />
    );
};

const LogLines = ({ lines, id }: { lines: JobView["logs"]; id: string }) => (
    <pre id={id} className="he-job-log">
        {lines.map(l => l.text).join("\n")}
    </pre>
);

/* Every step with its state, the running copy's progress, the downtime clock and the logs. */
export const JobProgress = ({ view, idPrefix, showDowntime }: { view: JobView; idPrefix: string; showDowntime: boolean }) => {
    const running = view.result === null;
    const now = useNow(running);
    const [consoleOpen, setConsoleOpen] = useState(false);
    const [logOpen, setLogOpen] = useState(false);
    const down = showDowntime ? downtimeSeconds(view, now) : null;
    const appliance = consoleLines(view);
    const others = view.logs.filter(l => l.source !== "appliance");

    return (
        <Stack hasGutter>
            {down !== null &&
                <Alert id={`${idPrefix}-downtime`} isInline isPlain
                       variant={view.engineUpAt ? "success" : view.result ? "danger" : "warning"}
                       title={downtimeTitle(view, down)} />}
            <ProgressStepper id={`${idPrefix}-steps`} isVertical aria-label={_("Steps of the job")}>
                {view.steps.map(step => (
                    <ProgressStep key={step.id} id={`${idPrefix}-step-${step.id}`} titleId={`${idPrefix}-step-${step.id}-title`}
                                  data-state={step.state} variant={VARIANT[step.state]} isCurrent={step.state === "running"}
                                  description={
                                      <>
                                          <span className="pf-v6-screen-reader">{STATE_LABEL[step.state]}</span>
                                          {step.state === "running" && view.progress?.step === step.id &&
                                              <StepProgress view={view} now={now} idPrefix={idPrefix} />}
                                          {step.state === "failed" && step.message &&
                                              <span id={`${idPrefix}-step-${step.id}-message`}>
                                                  {renderText(step.message)}{step.detail ? `: ${step.detail}` : ""}
                                              </span>}
                                      </>
                                  }>
                        {stepTitle(step.id, step.title)}
                    </ProgressStep>
                ))}
            </ProgressStepper>
            {appliance.length > 0 &&
                <ExpandableSection id={`${idPrefix}-console`} toggleId={`${idPrefix}-console-toggle`} isExpanded={consoleOpen} onToggle={(_e, open) => setConsoleOpen(open)}
                                   toggleText={cockpit.format(cockpit.ngettext("Appliance console ($0 line)", "Appliance console ($0 lines)", appliance.length), appliance.length)}>
                    <LogLines lines={appliance} id={`${idPrefix}-console-lines`} />
                </ExpandableSection>}
            {others.length > 0 &&
                <ExpandableSection id={`${idPrefix}-log`} toggleId={`${idPrefix}-log-toggle`} isExpanded={logOpen} onToggle={(_e, open) => setLogOpen(open)}
                                   toggleText={cockpit.format(cockpit.ngettext("Job log ($0 line)", "Job log ($0 lines)", others.length), others.length)}>
                    <LogLines lines={others} id={`${idPrefix}-log-lines`} />
                </ExpandableSection>}
        </Stack>
    );
};
