// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { EmptyState, EmptyStateBody } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { CubesIcon } from "@patternfly/react-icons/dist/esm/icons/cubes-icon.js";

import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

export const NotHostedEngine = ({ configPath }: { configPath: string }) => (
    <EmptyState id="he-not-hosted-engine" headingLevel="h2" icon={CubesIcon}
                titleText={_("This host is not a hosted-engine host")}>
        <EmptyStateBody>
            {cockpit.format(_("$0 does not exist. Open this page on a host that was deployed with hosted-engine and runs ovirt-ha-agent."), configPath)}
        </EmptyStateBody>
    </EmptyState>
);
