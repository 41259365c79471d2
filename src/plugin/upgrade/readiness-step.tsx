// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useCallback, useEffect, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { List, ListItem } from "@patternfly/react-core/dist/esm/components/List/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { CheckCircleIcon } from "@patternfly/react-icons/dist/esm/icons/check-circle-icon.js";
import { ExclamationCircleIcon } from "@patternfly/react-icons/dist/esm/icons/exclamation-circle-icon.js";
import { QuestionCircleIcon } from "@patternfly/react-icons/dist/esm/icons/question-circle-icon.js";

import type { ReadinessReport, StatusReport } from "../../protocol";
import { FailureAlert } from "../common/failure-alert";
import { renderText } from "../common/texts";
import { useSince } from "../common/use-since";
import { formatDuration } from "../jobs/format";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";
import { engineTransition, transitionLimit } from "../status/status-view";

const _ = cockpit.gettext;

const REFRESH_MS = 5000;

const Requirement = ({ id, met, children }: { id: string; met: boolean | null | "pending"; children: React.ReactNode }) => {
    let icon = <QuestionCircleIcon className="he-requirement-unknown" />;
    if (met === "pending")
        icon = <Spinner size="md" />;
    else if (met === true)
        icon = <CheckCircleIcon className="he-requirement-met" />;
    else if (met === false)
        icon = <ExclamationCircleIcon className="he-requirement-unmet" />;
    return (
        <ListItem id={id} data-met={met === null ? "unknown" : String(met)} icon={icon}>
            {children}
        </ListItem>
    );
};

/*
 * The engine VM on this host. Just after global maintenance ended it may be on
 * its way up, started by the HA agents: a moment, shown with a spinner and for
 * how long, until ovirt-ha's own allowance for a start has passed.
 */
const EngineVmRequirement = ({ here, status }: { here: boolean | null; status: StatusReport | null }) => {
    const transition = status && here !== null && engineTransition(status) === "agents-starting" ? "agents-starting" : null;
    const elapsed = useSince("readiness-engine", transition);
    const starting = status !== null && transition !== null && elapsed !== null && elapsed < transitionLimit(status);
    let text = _("The engine VM must run on this host: open this page on the host that runs it (see the Status tab).");
    if (here === null)
        text = _("Whether the engine VM runs on this host is not known.");
    else if (starting)
        text = cockpit.format(_("The HA agents are starting the engine VM ($0). Wait for it, then enter global maintenance again."), formatDuration(elapsed));
    else if (here)
        text = _("The engine VM runs on this host.");
    else if (status?.engineHostId === null && status.globalMaintenance)
        text = _("The engine VM is not running, and global maintenance keeps the HA agents from starting it: leave global maintenance until it is up, or start it on this host with hosted-engine --vm-start.");
    return <Requirement id="he-readiness-engine-vm" met={starting ? "pending" : here}>{text}</Requirement>;
};

/* Step 1: what the upgrade does and risks, and the live state it needs. */
export const ReadinessStep = ({ readiness, onReadiness }: {
    readiness: ReadinessReport | null;
    onReadiness: (report: ReadinessReport) => void;
}) => {
    const [error, setError] = useState<HelperFailure | null>(null);
    const [entering, setEntering] = useState(false);
    const [status, setStatus] = useState<StatusReport | null>(null);

    const refresh = useCallback(async () => {
        try {
            const fresh = await call("readiness", {});
            onReadiness(fresh);
            setError(null);
            // is it starting (the agents' moment) or running elsewhere (wrong for this page)? vdsm alone
            // cannot say: it lists a VM that went down until the VM is destroyed
            setStatus(await call("status", {}).catch(() => null));
        } catch (err) {
            setError(asHelperFailure(err));
        }
    }, [onReadiness]);

    useEffect(() => {
        refresh();
        const timer = setInterval(refresh, REFRESH_MS);
        return () => clearInterval(timer);
    }, [refresh]);

    const enterGlobal = async () => {
        setEntering(true);
        try {
            await call("set-maintenance", { mode: "global" });
            await refresh();
        } catch (err) {
            setError(asHelperFailure(err));
        } finally {
            setEntering(false);
        }
    };

    return (
        <Stack hasGutter id="he-upgrade-readiness">
            <Content>
                <p>{_("This replaces the el6-based 3.6 engine VM with the el7-based 4.0 engine appliance, in place, keeping the engine's data:")}</p>
                <ol>
                    <li>{_("every check runs first; nothing is changed until all have passed;")}</li>
                    <li>{_("a new backup disk is created and the engine VM's disk is copied to it and verified while the engine is down;")}</li>
                    <li>{_("the appliance is written over the engine VM's disk, your engine backup is put into it, and the new VM restores it and runs engine-setup;")}</li>
                    <li>{_("once the new engine is healthy, the backup disk is registered in it and the VM is shut down for the HA agents to take over.")}</li>
                </ol>
                <p>{_("The engine is down from its shutdown until the new engine answers, typically a few minutes plus the time to copy its disk. Changes made in the engine after the engine backup was taken are lost. If anything fails, the Rollback tab restores the old disk from the backup disk.")}</p>
            </Content>
            <FailureAlert id="he-readiness-error" failure={error} />
            {!readiness && !error && <Spinner size="lg" aria-label={_("Reading the host's state")} />}
            {readiness &&
                <List isPlain id="he-readiness-list">
                    <Requirement id="he-readiness-global-maintenance" met={readiness.globalMaintenance}>
                        {readiness.globalMaintenance
                            ? _("The cluster is in global maintenance.")
                            : _("The cluster must be in global maintenance, so the HA agents leave the engine VM alone.")}
                        {!readiness.globalMaintenance &&
                            <>
                                {" "}
                                <Button id="he-readiness-enter-global" variant="secondary" size="sm"
                                        isLoading={entering} isDisabled={entering} onClick={enterGlobal}>
                                    {entering ? _("Entering global maintenance…") : _("Enter global maintenance")}
                                </Button>
                            </>}
                    </Requirement>
                    <EngineVmRequirement here={readiness.engineVmOnThisHost} status={status} />
                    <Requirement id="he-readiness-spm" met={readiness.spm}>
                        {readiness.spm === null && _("Whether this host is the SPM is not known.")}
                        {readiness.spm === true && _("This host is the storage pool manager (SPM).")}
                        {readiness.spm === false &&
                            cockpit.format(_("This host must be the SPM, to grow the engine disk; it is \"$0\". Select it as the SPM in the engine."), readiness.spmStatus ?? "")}
                    </Requirement>
                </List>}
            {readiness?.vdsmError &&
                <Alert id="he-readiness-vdsm-error" isInline variant="danger" title={_("vdsm did not answer")}>
                    <samp>{renderText(readiness.vdsmError)}</samp>
                </Alert>}
        </Stack>
    );
};
