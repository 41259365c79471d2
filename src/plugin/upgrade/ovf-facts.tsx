// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from "@patternfly/react-core/dist/esm/components/DescriptionList/index.js";

import type { OvaReport } from "../../protocol";
import { formatBytes } from "../jobs/format";
import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

/* What reading an appliance OVA found: its sha1, its disk image and what its OVF asks for. */
export const OvfFacts = ({ report }: { report: OvaReport }) => (
    <DescriptionList id="he-ova-facts" isHorizontal isCompact>
        <DescriptionListGroup>
            <DescriptionListTerm>{_("sha1")}</DescriptionListTerm>
            <DescriptionListDescription id="he-ova-sha1">
                {report.sha1}{" "}
                {report.sha1Matches === true && _("(as expected)")}
                {report.sha1Matches === false && _("(does not match the expected sha1)")}
            </DescriptionListDescription>
        </DescriptionListGroup>
        {report.disk &&
            <DescriptionListGroup>
                <DescriptionListTerm>{_("Disk image")}</DescriptionListTerm>
                <DescriptionListDescription id="he-ova-disk">
                    {cockpit.format(_("$0, $1 virtual size"), report.disk.format, formatBytes(report.disk.virtualSize))}
                </DescriptionListDescription>
            </DescriptionListGroup>}
        {report.ovf &&
            <>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("Disk size the appliance needs")}</DescriptionListTerm>
                    <DescriptionListDescription id="he-ova-ovf-size">{cockpit.format(_("$0 GiB"), report.ovf.diskSizeGiB)}</DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("CPUs and memory")}</DescriptionListTerm>
                    <DescriptionListDescription>
                        {cockpit.format(_("$0 CPUs, $1 MiB"), report.ovf.cpus ?? "?", report.ovf.memoryMiB ?? "?")}
                    </DescriptionListDescription>
                </DescriptionListGroup>
            </>}
    </DescriptionList>
);
