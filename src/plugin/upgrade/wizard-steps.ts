// SPDX-License-Identifier: LGPL-2.1-or-later

/* The upgrade wizard's steps: their names, what each lacks before Next, and their footers. */

import type { ChecksReport } from "../../protocol";
import cockpit from "../lib/cockpit";
import {
    applianceProblems, backupProblems, readinessProblems, settingsProblems,
    type UpgradeFindings, type UpgradeForm, type WizardStepId,
} from "./upgrade-form";

const _ = cockpit.gettext;

export const wizardStepNames = (): Record<WizardStepId, string> => ({
    readiness: _("Readiness"),
    backup: _("Engine backup"),
    appliance: _("Appliance"),
    settings: _("Settings"),
    review: _("Review"),
});

/** Why each step cannot go on yet, one line each; empty for a complete step. */
export function wizardProblems(form: UpgradeForm, findings: UpgradeFindings, preflight: ChecksReport | null,
                               confirmed: boolean): Record<WizardStepId, string[]> {
    return {
        readiness: readinessProblems(findings.readiness),
        backup: backupProblems(form, findings.backup),
        appliance: applianceProblems(form, findings),
        settings: Object.values(settingsProblems(form, findings)),
        review: preflight?.ok ? (confirmed ? [] : [_("Confirm the upgrade.")]) : [_("Every check must pass.")],
    };
}

/** A step's footer: Next (Start the upgrade on the review), Back, and Start over after the first step. */
export const wizardFooter = (step: WizardStepId, incomplete: boolean, starting: boolean) => ({
    isNextDisabled: incomplete || starting,
    ...(step === "review"
        ? { nextButtonText: starting ? _("Starting…") : _("Start the upgrade"), nextButtonProps: { id: "he-upgrade-start", isLoading: starting } }
        : { nextButtonText: _("Next"), nextButtonProps: { id: `he-upgrade-next-${step}` } }),
    backButtonText: _("Back"),
    cancelButtonText: _("Start over"),
    isCancelHidden: step === "readiness",
});
