// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useCallback, useEffect, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { List, ListItem } from "@patternfly/react-core/dist/esm/components/List/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { CheckCircleIcon } from "@patternfly/react-icons/dist/esm/icons/check-circle-icon.js";
import { ExclamationCircleIcon } from "@patternfly/react-icons/dist/esm/icons/exclamation-circle-icon.js";
import { ExclamationTriangleIcon } from "@patternfly/react-icons/dist/esm/icons/exclamation-triangle-icon.js";

import type { ChecksReport, UpgradePlanInput } from "../../protocol";
import { FailureAlert } from "../common/failure-alert";
import { checkTitle, renderText, upgradeStepTitles } from "../common/texts";
import { estimateDowntime } from "../jobs/downtime";
import cockpit from "../lib/cockpit";
import { asHelperFailure, callVerdict, HelperFailure } from "../lib/helper-client";
import { DowntimeEstimateView } from "./downtime-estimate";
import { expectedBackupLabel, GiB, planOf, type UpgradeFindings, type UpgradeForm } from "./upgrade-form";

const _ = cockpit.gettext;

const ICONS = {
    pass: <CheckCircleIcon className="he-check-pass" />,
    warn: <ExclamationTriangleIcon className="he-check-warn" />,
    fail: <ExclamationCircleIcon className="he-check-fail" />,
};

/* Step 5: every check of the preflight, what will happen, how long the engine is down, and the confirmation. */
export const ReviewStep = ({ form, findings, preflight, confirmed, onForm, onPreflight, onConfirmed }: {
    form: UpgradeForm;
    findings: UpgradeFindings;
    preflight: ChecksReport | null;
    confirmed: boolean;
    onForm: (change: Partial<UpgradeForm>) => void;
    onPreflight: (result: ChecksReport | null) => void;
    onConfirmed: (confirmed: boolean) => void;
}) => {
    const [running, setRunning] = useState(false);
    const [error, setError] = useState<HelperFailure | null>(null);
    // the checks run again when the plan changes, not on every other change of the form
    const plan = JSON.stringify(planOf(form));

    const run = useCallback(async () => {
        setRunning(true);
        setError(null);
        onPreflight(null);
        try {
            const verdict = await callVerdict("preflight", JSON.parse(plan) as UpgradePlanInput);
            onPreflight(verdict.value);
        } catch (err) {
            setError(asHelperFailure(err));
        } finally {
            setRunning(false);
        }
    }, [plan, onPreflight]);

    useEffect(() => {
        run();
    }, [run]);

    const versions = preflight?.checks.find(c => c.id === "versions");
    const engineDisk = findings.readiness?.engineDiskBytes ?? 0;
    const applianceBytes = findings.ova?.disk?.virtualSize ?? 0;
    const estimate = estimateDowntime(engineDisk, applianceBytes, findings.ovaBytesPerSecond);
    const label = expectedBackupLabel(new Date());

    return (
        <Stack hasGutter id="he-upgrade-review">
            <Title headingLevel="h3">{_("Checks")}</Title>
            {running && <Content><p><Spinner size="md" /> {_("Running every check; nothing is changed…")}</p></Content>}
            <FailureAlert id="he-preflight-error" failure={error} />
            {preflight &&
                <List isPlain id="he-preflight-checks">
                    {preflight.checks.map(check => (
                        <ListItem key={`${check.id}-${check.title}`} id={`he-check-${check.id}`} data-state={check.state} icon={ICONS[check.state]}>
                            <strong>{checkTitle(check.id, check.title)}</strong>
                            <div className="he-check-detail">{renderText(check.detail)}</div>
                        </ListItem>
                    ))}
                </List>}
            {preflight && !preflight.ok &&
                <Alert id="he-preflight-failed" isInline variant="danger" title={_("The upgrade cannot start")}>
                    {_("Fix what the failed checks say, then run the checks again. Nothing has been changed.")}
                </Alert>}
            {versions && versions.state !== "pass" &&
                <Checkbox id="he-accept-unsupported" isChecked={form.acceptUnsupportedVersions}
                          onChange={(_e, v) => onForm({ acceptUnsupportedVersions: v })}
                          label={_("Go on with versions this upgrade was not designed for, at my own risk")}
                          description={_("Only the 3.6 engine to the 4.0 appliance was designed and tested.")} />}
            <div>
                <Button id="he-preflight-rerun" variant="secondary" isDisabled={running} onClick={run}>
                    {_("Run the checks again")}
                </Button>
            </div>
            <Title headingLevel="h3">{_("What will happen")}</Title>
            <ol id="he-planned-steps" className="he-planned-steps">
                {upgradeStepTitles().map(title => <li key={title}>{title}</li>)}
            </ol>
            <Title headingLevel="h3">{_("Downtime")}</Title>
            <DowntimeEstimateView estimate={estimate} engineDiskBytes={engineDisk} applianceBytes={applianceBytes} />
            <Content>
                {engineDisk > 0 &&
                    <p>{cockpit.format(_("The backup disk takes $0 GiB on the hosted-engine storage domain and is kept after the upgrade."), Math.ceil(engineDisk / GiB))}</p>}
            </Content>
            <Checkbox id="he-upgrade-confirm" isChecked={confirmed} isDisabled={!preflight?.ok}
                      onChange={(_e, v) => onConfirmed(v)}
                      label={cockpit.format(_("Shut the engine down, copy its disk to a new backup disk, hosted-engine-backup- followed by the time it is made (like $0), and overwrite the engine disk with the 4.0 appliance"), label)} />
        </Stack>
    );
};
