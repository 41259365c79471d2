// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useCallback, useEffect, useRef, useState } from "react";
import { Wizard, WizardStep } from "@patternfly/react-core/dist/esm/components/Wizard/index.js";

import type { BackupReport, ChecksReport, ReadinessReport } from "../../protocol";
import { FailureAlert } from "../common/failure-alert";
import cockpit from "../lib/cockpit";
import { asHelperFailure, callVerdict, HelperFailure } from "../lib/helper-client";
import { usePageLocation } from "../lib/use-page-location";
import { ApplianceStep } from "./appliance-step";
import { BackupStep } from "./backup-step";
import { ReadinessStep } from "./readiness-step";
import { ReviewStep } from "./review-step";
import { SettingsStep } from "./settings-step";
import {
    applianceProblems, backupProblems, emptyFindings, emptyForm, planOf, readinessProblems, settingsProblems,
    wizardStepFromPath, WIZARD_STEPS, type UpgradeFindings, type UpgradeForm, type WizardStepId,
} from "./upgrade-form";

const _ = cockpit.gettext;

/*
 * The guided upgrade: five steps, each with what it needs before Next, the
 * current one in cockpit.location (upgrade/STEP). What was entered lives here,
 * in memory only: the passwords are never stored, so a reload starts again at
 * the first step that lacks something.
 */
export const UpgradeWizard = ({ onStarted }: { onStarted: (job: string) => void }) => {
    const { path } = usePageLocation();
    const [form, setForm] = useState<UpgradeForm>(emptyForm);
    const [findings, setFindings] = useState<UpgradeFindings>(emptyFindings);
    const [preflight, setPreflight] = useState<ChecksReport | null>(null);
    const [confirmed, setConfirmed] = useState(false);
    const [starting, setStarting] = useState(false);
    const [startError, setStartError] = useState<HelperFailure | null>(null);

    const onForm = useCallback((change: Partial<UpgradeForm>) => {
        setForm(f => ({ ...f, ...change }));
        // anything changed after the review invalidates its confirmation
        setConfirmed(false);
    }, []);
    const onFindings = useCallback((change: Partial<UpgradeFindings>) => setFindings(f => ({ ...f, ...change })), []);
    const onReadiness = useCallback((readiness: ReadinessReport) => setFindings(f => ({ ...f, readiness })), []);
    const onBackupReport = useCallback((backup: BackupReport | null) => setFindings(f => ({ ...f, backup })), []);
    const onBackupPath = useCallback((backupArchive: string) => onForm({ backupArchive }), [onForm]);

    const problems: Record<WizardStepId, string[]> = {
        readiness: readinessProblems(findings.readiness),
        backup: backupProblems(form, findings.backup),
        appliance: applianceProblems(form, findings),
        settings: Object.values(settingsProblems(form, findings)),
        review: preflight?.ok ? (confirmed ? [] : [_("Confirm the upgrade.")]) : [_("Every check must pass.")],
    };
    const firstIncomplete = WIZARD_STEPS.findIndex(s => problems[s].length > 0);
    const reachable = (index: number) => firstIncomplete === -1 || index <= firstIncomplete;

    // the wizard owns its current step; the location follows it, and a location changed from
    // outside (back button, a link) restarts the wizard at that step if it can be reached
    const wanted = WIZARD_STEPS.indexOf(wizardStepFromPath(path));
    const active = useRef<WizardStepId>(WIZARD_STEPS[0]);
    const [wizardKey, setWizardKey] = useState(0);
    const startIndex = reachable(wanted) ? wanted : Math.max(0, firstIncomplete);
    useEffect(() => {
        const step = WIZARD_STEPS[startIndex];
        // a step that cannot be reached yet (a reload, a deep link): the location says where the wizard is
        if (startIndex !== wanted)
            cockpit.location.replace(["upgrade", step]);
        if (step !== active.current) {
            active.current = step;
            setWizardKey(k => k + 1);
        }
    }, [startIndex, wanted]);

    const start = async () => {
        setStarting(true);
        setStartError(null);
        try {
            const verdict = await callVerdict("upgrade", planOf(form));
            if (verdict.value.job) {
                // the tab shows the job now and drops this wizard, passwords and all
                onStarted(verdict.value.job);
            } else {
                setPreflight(verdict.value.preflight);
                setConfirmed(false);
            }
        } catch (err) {
            setStartError(asHelperFailure(err));
        } finally {
            setStarting(false);
        }
    };

    const footer = (step: WizardStepId) => ({
        isNextDisabled: problems[step].length > 0 || starting,
        ...(step === "review"
            ? { nextButtonText: starting ? _("Starting…") : _("Start the upgrade"), nextButtonProps: { id: "he-upgrade-start", isLoading: starting } }
            : { nextButtonText: _("Next"), nextButtonProps: { id: `he-upgrade-next-${step}` } }),
        backButtonText: _("Back"),
        cancelButtonText: _("Start over"),
        isCancelHidden: step === "readiness",
    });

    const names: Record<WizardStepId, string> = {
        readiness: _("Readiness"),
        backup: _("Engine backup"),
        appliance: _("Appliance"),
        settings: _("Settings"),
        review: _("Review"),
    };

    const stepProps = (step: WizardStepId) => {
        const index = WIZARD_STEPS.indexOf(step);
        return { id: `he-upgrade-step-${step}`, name: names[step], isDisabled: !reachable(index), footer: footer(step) };
    };

    return (
        <>
            <FailureAlert id="he-upgrade-start-error" failure={startError} className="he-wizard-alert" />
            <Wizard key={wizardKey} id="he-upgrade-wizard" height="auto" startIndex={startIndex + 1} isVisitRequired
                    navAriaLabel={_("Upgrade steps")}
                    onStepChange={(_e, current) => {
                        const step = String(current.id).replace("he-upgrade-step-", "") as WizardStepId;
                        active.current = step;
                        cockpit.location.go(["upgrade", step]);
                    }}
                    onClose={() => {
                        setForm(emptyForm());
                        setFindings(f => ({ ...emptyFindings(), readiness: f.readiness, appliances: f.appliances, appliancesProblems: f.appliancesProblems }));
                        setPreflight(null);
                        cockpit.location.go(["upgrade", "readiness"]);
                        active.current = "readiness";
                        setWizardKey(k => k + 1);
                    }}
                    onSave={start}>
                <WizardStep {...stepProps("readiness")}>
                    <ReadinessStep readiness={findings.readiness} onReadiness={onReadiness} />
                </WizardStep>
                <WizardStep {...stepProps("backup")}>
                    <BackupStep path={form.backupArchive} report={findings.backup} onPath={onBackupPath} onReport={onBackupReport} />
                </WizardStep>
                <WizardStep {...stepProps("appliance")}>
                    <ApplianceStep form={form} findings={findings} onForm={onForm} onFindings={onFindings} />
                </WizardStep>
                <WizardStep {...stepProps("settings")}>
                    <SettingsStep form={form} findings={findings} onForm={onForm} onFindings={onFindings} />
                </WizardStep>
                <WizardStep {...stepProps("review")}>
                    <ReviewStep form={form} findings={findings} preflight={preflight} confirmed={confirmed}
                                onForm={onForm} onPreflight={setPreflight} onConfirmed={setConfirmed} />
                </WizardStep>
            </Wizard>
        </>
    );
};
