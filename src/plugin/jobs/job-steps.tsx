// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { ExpandableSection } from "@patternfly/react-core/dist/esm/components/ExpandableSection/index.js";

import cockpit from "../lib/cockpit";
import { JobProgress } from "./job-progress";
import type { JobView } from "./job-view";

const _ = cockpit.gettext;

/* The job's steps and logs: in full while it runs or after it failed; folded away once it succeeded, under its result. */
export const JobSteps = ({ view, idPrefix, downtimeClock }: { view: JobView; idPrefix: string; downtimeClock: boolean }) => {
    const [open, setOpen] = useState(false);
    if (!view.result?.ok)
        return <JobProgress view={view} idPrefix={idPrefix} showDowntime={downtimeClock} />;
    return (
        <ExpandableSection id={`${idPrefix}-steps-section`} toggleId={`${idPrefix}-steps-toggle`} isExpanded={open}
                           onToggle={(_e, isOpen) => setOpen(isOpen)} toggleText={_("Steps and logs")}>
            <JobProgress view={view} idPrefix={idPrefix} showDowntime={false} />
        </ExpandableSection>
    );
};
