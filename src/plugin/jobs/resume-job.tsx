// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { JobKindName } from "../../protocol";
import cockpit from "../lib/cockpit";
import { DiscardWorkFiles } from "./discard-work-files";
import { ResumeForm } from "./resume-form";

const _ = cockpit.gettext;

/*
 * A job that died (the helper was killed, the host rebooted) continues from its
 * last completed step.
 */
export const ResumeJob = ({ jobId, kind, idPrefix, onResumed }: {
    jobId: string;
    kind: JobKindName;
    idPrefix: string;
    onResumed: () => void;
}) => (
    <Stack hasGutter id={`${idPrefix}-resume`}>
        <Alert isInline variant="warning" title={_("The job stopped before it ended")}>
            {_("Its process is gone, perhaps because the host rebooted. Resume it to continue from its last completed step; every step is safe to run again.")}
        </Alert>
        <ResumeForm jobId={jobId} kind={kind} idPrefix={idPrefix} onResumed={onResumed} />
        {/* an upgrade's work files (the extracted appliance, the seed) take space until it is resumed */}
        {kind === "upgrade" && <DiscardWorkFiles jobId={jobId} idPrefix={idPrefix} />}
    </Stack>
);
