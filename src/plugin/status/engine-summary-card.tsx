// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";

import type { StatusReport } from "../../protocol";
import { HaWords } from "../common/ha-words";
import { useSince } from "../common/use-since";
import { engineSummary, engineTransition } from "./status-view";

/* The engine in one line: up, held in maintenance, on its way up (with a spinner and for how long), or wrong. */
export const EngineSummaryCard = ({ report }: { report: StatusReport }) => {
    const elapsed = useSince("status-engine", engineTransition(report));
    const summary = engineSummary(report, elapsed);
    return (
        <Alert id="he-engine-summary" isInline isPlain variant={summary.severity} title={summary.title}
               data-transition={String(summary.transition === true)}
               {...(summary.transition ? { customIcon: <Spinner size="md" id="he-engine-summary-spinner" /> } : {})}>
            {summary.detail}
            {summary.haWords && <> <HaWords id="he-engine-summary-ha-words" words={summary.haWords} /></>}
        </Alert>
    );
};
