// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { EmptyState, EmptyStateBody } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { LockIcon } from "@patternfly/react-icons/dist/esm/icons/lock-icon.js";

import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

export const AccessRequired = () => (
    <EmptyState id="he-access-required" headingLevel="h2" icon={LockIcon} status="warning"
                titleText={_("Administrative access required")}>
        <EmptyStateBody>
            {_("Reading the hosted-engine state and changing maintenance modes runs as root. Use the \"Limited access\" button in Cockpit's top bar to turn on administrative access.")}
        </EmptyStateBody>
    </EmptyState>
);
