// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Card, CardBody, CardTitle } from "@patternfly/react-core/dist/esm/components/Card/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { Tooltip } from "@patternfly/react-core/dist/esm/components/Tooltip/index.js";
import { Flex } from "@patternfly/react-core/dist/esm/layouts/Flex/index.js";

import type { MaintenanceMode, SetMaintenanceResult, StatusReport } from "../../bridge-helper/api";
import cockpit from "../lib/cockpit";
import { HelperFailure, runHelper } from "../lib/helper-client";
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
            const result = await runHelper<SetMaintenanceResult>(["set-maintenance", "--mode", target]);
            onChanged(result.status);
        } catch (err) {
            setError(err instanceof HelperFailure ? err : new HelperFailure("internal", String(err), ""));
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
                <Flex>
                    {maintenanceActions(report).map(action => {
                        const button = (
                            <Button id={`he-maintenance-${action.mode}`}
                                    variant={action.active ? "primary" : "secondary"}
                                    isAriaDisabled={action.disabled || busy !== null}
                                    isLoading={busy === action.mode}
                                    aria-pressed={action.active}
                                    onClick={() => switchTo(action.mode)}>
                                {busy === action.mode ? BUSY_LABELS[action.mode] : action.label}
                            </Button>
                        );
                        return action.disabledReason && !action.active
                            ? <Tooltip key={action.mode} content={action.disabledReason}>{button}</Tooltip>
                            : <React.Fragment key={action.mode}>{button}</React.Fragment>;
                    })}
                </Flex>
            </CardBody>
        </Card>
    );
};
