// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from "@patternfly/react-core/dist/esm/components/DescriptionList/index.js";

import type { BackupReport } from "../../protocol";
import { formatBytes } from "../jobs/format";
import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

const yesNo = (value: boolean) => (value ? _("Yes") : _("No"));

/* What the helper found in an engine-backup archive: what the new engine gets back from it. */
export const BackupFacts = ({ report }: { report: BackupReport }) => (
    <DescriptionList id="he-backup-facts" isHorizontal isCompact>
        <DescriptionListGroup>
            <DescriptionListTerm>{_("Engine version")}</DescriptionListTerm>
            <DescriptionListDescription id="he-backup-version">{report.version ?? _("unknown")}</DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
            <DescriptionListTerm>{_("Size")}</DescriptionListTerm>
            <DescriptionListDescription>{formatBytes(report.sizeBytes)}</DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
            <DescriptionListTerm>{_("Data warehouse (DWH) database")}</DescriptionListTerm>
            <DescriptionListDescription id="he-backup-dwh">
                {report.dwh ? _("Included: it will be restored as well") : _("Not included")}
            </DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
            <DescriptionListTerm>{_("Reports database")}</DescriptionListTerm>
            <DescriptionListDescription>{yesNo(report.reports)}</DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
            <DescriptionListTerm>{_("Authorization extensions")}</DescriptionListTerm>
            <DescriptionListDescription id="he-backup-authz">
                {report.authzExtensions.length > 0 ? report.authzExtensions.join(", ") : _("None besides internal")}
            </DescriptionListDescription>
        </DescriptionListGroup>
    </DescriptionList>
);
