// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Wizard, WizardStep } from "@patternfly/react-core/dist/esm/components/Wizard/index.js";

import { FailureAlert } from "../common/failure-alert";
import cockpit from "../lib/cockpit";
import { usePageLocation } from "../lib/use-page-location";
import { ApplianceStep } from "./appliance-step";
import { BackupStep } from "./backup-step";
import { ReadinessStep } from "./readiness-step";
import { ReviewStep } from "./review-step";
import { SettingsStep } from "./settings-step";
import { WIZARD_STEPS, type WizardStepId } from "./upgrade-form";
import { useUpgradeStart } from "./use-upgrade-start";
import { useUpgradeState } from "./use-upgrade-state";
import { useWizardLocation } from "./use-wizard-location";
import { wizardFooter, wizardProblems, wizardStepNames } from "./wizard-steps";

const _ = cockpit.gettext;

/*
 * The guided upgrade: five steps, each with what it needs before Next, the
 * current one in cockpit.location (upgrade/STEP). What was entered lives here,
 * in memory only: the passwords are never stored, so a reload starts again at
 * the first step that lacks something.
 */
export const UpgradeWizard = ({ onStarted }: { onStarted: (job: string) => void }) => {
    const { path } = usePageLocation();
    const upgrade = useUpgradeState();
    const { form, findings, preflight, confirmed, onForm, onFindings } = upgrade;
    const { starting, error: startError, start } = useUpgradeStart(form, upgrade.findings, onStarted, upgrade.onRefused);

    const problems = wizardProblems(form, findings, preflight, confirmed);
    const firstIncomplete = WIZARD_STEPS.findIndex(s => problems[s].length > 0);
    const { startIndex, wizardKey, reachable, onStepChange, restart } = useWizardLocation(path, firstIncomplete);

    const names = wizardStepNames();
    const stepProps = (step: WizardStepId) => {
        const index = WIZARD_STEPS.indexOf(step);
        return {
            id: `he-upgrade-step-${step}`, name: names[step], isDisabled: !reachable(index),
            footer: wizardFooter(step, problems[step].length > 0, starting),
        };
    };

    return (
        <>
            <FailureAlert id="he-upgrade-start-error" failure={startError} className="he-wizard-alert" />
            <Wizard key={wizardKey} id="he-upgrade-wizard" height="auto" startIndex={startIndex + 1} isVisitRequired
                    navAriaLabel={_("Upgrade steps")}
                    onStepChange={(_e, current) => onStepChange(String(current.id).replace("he-upgrade-step-", "") as WizardStepId)}
                    onClose={() => {
                        upgrade.reset();
                        restart();
                    }}
                    onSave={start}>
                <WizardStep {...stepProps("readiness")}>
                    <ReadinessStep readiness={findings.readiness} onReadiness={upgrade.onReadiness} />
                </WizardStep>
                <WizardStep {...stepProps("backup")}>
                    <BackupStep path={form.backupArchive} report={findings.backup}
                                onPath={upgrade.onBackupPath} onReport={upgrade.onBackupReport} />
                </WizardStep>
                <WizardStep {...stepProps("appliance")}>
                    <ApplianceStep form={form} findings={findings} onForm={onForm} onFindings={onFindings} />
                </WizardStep>
                <WizardStep {...stepProps("settings")}>
                    <SettingsStep form={form} findings={findings} onForm={onForm} onFindings={onFindings} />
                </WizardStep>
                <WizardStep {...stepProps("review")}>
                    <ReviewStep form={form} findings={findings} preflight={preflight} confirmed={confirmed}
                                onForm={onForm} onPreflight={upgrade.onPreflight} onConfirmed={upgrade.onConfirmed} />
                </WizardStep>
            </Wizard>
        </>
    );
};
