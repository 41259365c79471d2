// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from "@patternfly/react-core/dist/esm/components/DescriptionList/index.js";

import type { ResultFigures as Figures } from "../../protocol";
import cockpit from "../lib/cockpit";
import { actualDowntime } from "./downtime";
import { formatBytes, formatDuration } from "./format";
import type { JobView } from "./job-view";

const _ = cockpit.gettext;

const Figure = ({ term, id, children }: { term: string; id: string; children: React.ReactNode }) => (
    <DescriptionListGroup>
        <DescriptionListTerm>{term}</DescriptionListTerm>
        <DescriptionListDescription id={id}>{children}</DescriptionListDescription>
    </DescriptionListGroup>
);

/* "27 s (estimated 11 min 04 s)": the actual, and the review's estimate when the job carries one. */
function against(actual: number, estimated: number | undefined): string {
    return estimated === undefined
        ? formatDuration(actual)
        : cockpit.format(_("$0 (estimated $1)"), formatDuration(actual), formatDuration(estimated));
}

/* A job's figures, each once: the downtime in its parts against the review's estimate, the bytes copied, the log. */
export const ResultFigures = ({ view, figures, idPrefix, logFile }: {
    view: JobView;
    figures: Figures;
    idPrefix: string;
    logFile: string;
}) => {
    const actual = actualDowntime(view);
    const estimate = view.estimate;
    return (
        <DescriptionList isHorizontal isCompact id={`${idPrefix}-figures`}>
            {figures.downtimeSeconds !== undefined &&
                <Figure term={_("Engine downtime")} id={`${idPrefix}-downtime-figure`}>
                    {against(figures.downtimeSeconds, estimate?.totalSeconds)}
                </Figure>}
            {actual &&
                <Figure term={_("Copy and write")} id={`${idPrefix}-downtime-data`}>
                    {against(actual.dataSeconds, estimate?.dataSeconds)}
                </Figure>}
            {actual &&
                <Figure term={_("The appliance's restore and engine-setup")} id={`${idPrefix}-downtime-appliance`}>
                    {against(actual.applianceSeconds, estimate?.applianceSeconds)}
                </Figure>}
            {actual &&
                <Figure term={_("Other steps")} id={`${idPrefix}-downtime-other`}>
                    {against(actual.otherSeconds, estimate?.otherSeconds)}
                </Figure>}
            {figures.bytesCopied !== undefined &&
                <Figure term={_("Copied")} id={`${idPrefix}-bytes-copied`}>{formatBytes(figures.bytesCopied)}</Figure>}
            {logFile &&
                <Figure term={_("Log file")} id={`${idPrefix}-log-file-figure`}>
                    <code id={`${idPrefix}-log-file`}>{logFile}</code>
                </Figure>}
        </DescriptionList>
    );
};
