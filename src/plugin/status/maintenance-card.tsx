// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Card, CardBody, CardTitle } from "@patternfly/react-core/dist/esm/components/Card/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { ToggleGroup, ToggleGroupItem } from "@patternfly/react-core/dist/esm/components/ToggleGroup/index.js";
import { Tooltip } from "@patternfly/react-core/dist/esm/components/Tooltip/index.js";

import type { MaintenanceMode, StatusReport } from "../../protocol";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";
import { MODE_LABELS, currentMode, maintenanceActions } from "./status-view";

const _ = cockpit.gettext;

const BUSY_LABELS: Record<MaintenanceMode, string> = {
    global: _("Entering global maintenance…"),
    local: _("Entering local maintenance…"),
    none: _("Leaving maintenance…"),
};

const MODE_HELP: Record<MaintenanceMode, string> = {
    global: _("The HA agents on every host leave the engine VM alone: they will not start, stop or migrate it. Needed to upgrade or roll back the engine."),
    local: _("This host's agent stops taking part: its score drops to 0 and it will not run the engine VM."),
    none: _("The HA agents monitor the engine and restart or migrate the engine VM when needed."),
};

export const MaintenanceCard = ({ report, onChanged }: {
    report: StatusReport;
    onChanged: (report: StatusReport) => void;
}) => {
    const [busy, setBusy] = useState<MaintenanceMode | null>(null);
    const [error, setError] = useState<HelperFailure | null>(null);
    const mode = currentMode(report);

    const switchTo = async (target: MaintenanceMode) => {
        setBusy(target);
        setError(null);
        try {
            const result = await call("set-maintenance", { mode: target });
            onChanged(result.status);
        } catch (err) {
            setError(asHelperFailure(err));
        } finally {
            setBusy(null);
        }
    };

    return (
        <Card id="he-maintenance-card">
            <CardTitle component="h2">{_("Maintenance")}</CardTitle>
            <CardBody>
                {error &&
                    <Alert id="he-maintenance-error" isInline variant="danger"
                           title={_("The maintenance mode was not changed")}>
                        <p>{error.title}</p>
                        {error.detail && <samp>{error.detail}</samp>}
                    </Alert>}
                <Content component="p" id="he-maintenance-mode" data-mode={mode}>
                    {cockpit.format(_("Current mode: $0."), MODE_LABELS[mode])} {MODE_HELP[mode]}
                </Content>
                <ToggleGroup id="he-maintenance-modes" aria-label={_("Maintenance mode")}>
                    {maintenanceActions(report).map(action => {
                        const item = (
                            <ToggleGroupItem key={action.mode} buttonId={`he-maintenance-${action.mode}`}
                                             text={busy === action.mode ? BUSY_LABELS[action.mode] : action.label}
                                             icon={busy === action.mode ? <Spinner size="md" /> : undefined}
                                             isSelected={action.active}
                                             isDisabled={(action.disabled && !action.active) || busy !== null}
                                             onChange={() => { if (!action.active) switchTo(action.mode); }} />
                        );
                        // a disabled button gets no pointer events: the tooltip hangs on a wrapper
                        return action.disabledReason && !action.active
                            ? <Tooltip key={action.mode} content={action.disabledReason}><span>{item}</span></Tooltip>
                            : item;
                    })}
                </ToggleGroup>
            </CardBody>
        </Card>
    );
};
