// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from "@patternfly/react-core/dist/esm/components/DescriptionList/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { DowntimeEstimate } from "../../protocol";
import { formatBytes, formatDuration } from "../jobs/format";
import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

/* The review's downtime: the total, then each part with what it rests on. */
export const DowntimeEstimateView = ({ estimate, engineDiskBytes, applianceBytes }: {
    estimate: DowntimeEstimate;
    engineDiskBytes: number;
    applianceBytes: number;
}) => {
    const rate = cockpit.format(_("$0/s"), formatBytes(estimate.bytesPerSecond));
    return (
        <Stack id="he-expected-downtime" data-total={estimate.totalSeconds}>
            <p>
                <strong id="he-expected-downtime-total">
                    {cockpit.format(_("The engine will be down for about $0."), formatDuration(estimate.totalSeconds))}
                </strong>
            </p>
            <DescriptionList isHorizontal isCompact>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("Copy and write")}</DescriptionListTerm>
                    <DescriptionListDescription id="he-estimate-data" data-source={estimate.rateSource}>
                        {cockpit.format(_("$0: $1 to copy to the backup disk and $2 of appliance to write, at $3"),
                                        formatDuration(estimate.dataSeconds), formatBytes(engineDiskBytes), formatBytes(applianceBytes), rate)}
                        <div className="he-muted">
                            {estimate.rateSource === "measured"
                                ? _("Measured: the rate at which this host read the appliance OVA in the Appliance step.")
                                : _("Assumed: a rate for shared storage. Reading the appliance OVA measures this host's rate when the OVA is large enough (256 MiB or more); this one was not.")}
                        </div>
                    </DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("The appliance's restore and engine-setup")}</DescriptionListTerm>
                    <DescriptionListDescription id="he-estimate-appliance">
                        {formatDuration(estimate.applianceSeconds)}
                        <div className="he-muted">
                            {_("Assumed for a real 4.0 appliance, whatever the disk size: the new VM boots, restores the engine backup and runs engine-setup until the engine answers. This part usually takes most of the downtime; the host cannot measure it before the first upgrade.")}
                        </div>
                    </DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("Other steps")}</DescriptionListTerm>
                    <DescriptionListDescription id="he-estimate-other">
                        {cockpit.format(_("$0: the engine's shutdown, growing its disk, one libguestfs launch"), formatDuration(estimate.otherSeconds))}
                    </DescriptionListDescription>
                </DescriptionListGroup>
            </DescriptionList>
        </Stack>
    );
};
