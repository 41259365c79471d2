// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import cockpit from "../lib/cockpit";
import { ResumeForm } from "./resume-form";

const _ = cockpit.gettext;

/*
 * A failed upgrade may be resumed instead of rolled back: the helper runs the
 * failed step again, and whatever it needs, and goes on from there. Worth it
 * once the cause of the failure is fixed (a full storage domain, a host down).
 */
export const ResumeFailedJob = ({ jobId, idPrefix, onResumed }: {
    jobId: string;
    idPrefix: string;
    onResumed: () => void;
}) => (
    <Stack hasGutter id={`${idPrefix}-resume`}>
        <Content>
            <h3>{_("Resume")}</h3>
            <p id={`${idPrefix}-resume-help`}>
                {_("Runs the failed step again, and continues from there, once you have fixed its cause. The upgrade needs its passwords again: they were never stored.")}
            </p>
        </Content>
        <ResumeForm jobId={jobId} kind="upgrade" idPrefix={idPrefix} onResumed={onResumed} />
    </Stack>
);
