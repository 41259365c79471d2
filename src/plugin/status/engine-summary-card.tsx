// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";

import type { StatusReport } from "../../protocol";
import { engineSummary } from "./status-view";

export const EngineSummaryCard = ({ report }: { report: StatusReport }) => {
    const summary = engineSummary(report);
    return (
        <Alert id="he-engine-summary" isInline isPlain variant={summary.severity} title={summary.title}>
            {summary.detail}
        </Alert>
    );
};
