// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from "@patternfly/react-core/dist/esm/components/DescriptionList/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { JobSummary } from "../../protocol";
import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

/** The backup disk a successful upgrade kept, from its result's "backup kept" line. */
export function keptBackupLabel(job: JobSummary): string | null {
    const kept = job.result?.next.find(t => t.code === "upgrade.succeeded.backup-kept");
    const label = kept?.params?.label;
    return typeof label === "string" && label !== "" ? label : null;
}

/* What another upgrade of an engine already at 4.0 would do, said before the wizard opens. */
export const UpgradeAgainNotice = ({ job }: { job: JobSummary }) => (
    <Alert id="he-upgrade-again-notice" isInline variant="warning"
           title={cockpit.format(_("The engine already runs 4.0 (upgraded by job $0)"), job.id)}>
        {_("Another upgrade shuts the 4.0 engine down again, copies its disk to a new backup disk and overwrites it with the appliance, then restores an engine backup into it. Take that backup from the 4.0 engine; a 3.6 backup would bring back the old data.")}
    </Alert>
);

/*
 * The Upgrade tab once the engine runs 4.0: what was done, the backup it made,
 * and where to go now; starting again is possible, behind what it would do.
 */
export const UpgradeDone = ({ job, onShowJob, onRollback, onUpgradeAgain }: {
    job: JobSummary;
    onShowJob: () => void;
    onRollback: () => void;
    onUpgradeAgain: () => void;
}) => {
    const [again, setAgain] = useState(false);
    const label = keptBackupLabel(job);
    const when = job.result ? new Date(job.result.time).toLocaleString() : "";
    return (
        <Stack hasGutter id="he-upgrade-done" data-job={job.id}>
            <Alert id="he-upgrade-done-alert" isInline variant="success" title={_("The engine runs the 4.0 appliance")}
                   actionLinks={<AlertActionLink id="he-upgrade-done-show-job" onClick={onShowJob}>{_("Show the upgrade job")}</AlertActionLink>}>
                <DescriptionList isHorizontal isCompact>
                    <DescriptionListGroup>
                        <DescriptionListTerm>{_("Upgraded")}</DescriptionListTerm>
                        <DescriptionListDescription id="he-upgrade-done-when">{cockpit.format(_("$0, job $1"), when, job.id)}</DescriptionListDescription>
                    </DescriptionListGroup>
                    <DescriptionListGroup>
                        <DescriptionListTerm>{_("Backup of the 3.6 engine disk")}</DescriptionListTerm>
                        <DescriptionListDescription id="he-upgrade-done-backup">{label ?? _("see the Rollback tab")}</DescriptionListDescription>
                    </DescriptionListGroup>
                </DescriptionList>
            </Alert>
            <Content>
                <p>{_("The Status tab shows the new engine VM as the HA agents run it. To go back to 3.6, restore the backup disk on the Rollback tab: changes made in the 4.0 engine since are lost.")}</p>
            </Content>
            <div>
                <Button id="he-upgrade-done-rollback" variant="secondary" onClick={onRollback}>{_("Go to the Rollback tab")}</Button>
            </div>
            {again
                ? <Stack hasGutter>
                    <UpgradeAgainNotice job={job} />
                    <div>
                        <Button id="he-upgrade-again-open" variant="secondary" isDanger onClick={onUpgradeAgain}>
                            {_("Open the upgrade wizard anyway")}
                        </Button>
                    </div>
                </Stack>
                : <div>
                    <Button id="he-upgrade-again" variant="link" isInline onClick={() => setAgain(true)}>
                        {_("Upgrade again…")}
                    </Button>
                </div>}
        </Stack>
    );
};
