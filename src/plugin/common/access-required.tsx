// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { EmptyState, EmptyStateBody } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { LockIcon } from "@patternfly/react-icons/dist/esm/icons/lock-icon.js";

import cockpit from "../lib/cockpit";
import type { AdminSource } from "../lib/use-superuser";

const _ = cockpit.gettext;

/*
 * How to get administrative access depends on the Cockpit: from 219 the top
 * bar's "Limited access" button turns it on; before (EL7's 195) it comes only
 * with the login, from the login page's "Reuse my password for privileged
 * tasks" (195's src/ws/login.html) and a user pkexec or sudo lets act as root.
 */
export const AccessRequired = ({ source }: { source: AdminSource | null }) => (
    <EmptyState id="he-access-required" headingLevel="h2" icon={LockIcon} status="warning"
                titleText={_("Administrative access required")}>
        <EmptyStateBody id="he-access-required-how" data-source={source ?? "object"}>
            {source === "probe"
                ? _("Reading the hosted-engine state and changing maintenance modes runs as root. Log out, then log in again as root or as an administrator (a member of the wheel group) with \"Reuse my password for privileged tasks\" checked.")
                : _("Reading the hosted-engine state and changing maintenance modes runs as root. Use the \"Limited access\" button in Cockpit's top bar to turn on administrative access.")}
        </EmptyStateBody>
    </EmptyState>
);
