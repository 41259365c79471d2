// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Progress, ProgressMeasureLocation } from "@patternfly/react-core/dist/esm/components/Progress/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import { FailureAlert } from "../common/failure-alert";
import { renderText } from "../common/texts";
import { formatBytes } from "../jobs/format";
import cockpit from "../lib/cockpit";
import { ApplianceChoice } from "./appliance-choice";
import { OvfFacts } from "./ovf-facts";
import { chosenOvaPath, isAbsolutePath, isSha1, type UpgradeFindings, type UpgradeForm } from "./upgrade-form";
import { useAppliances } from "./use-appliances";
import { useOvaCheck } from "./use-ova-check";

const _ = cockpit.gettext;

/* Step 3: an installed appliance or an OVA file, read once here to check its sha1 and OVF. */
export const ApplianceStep = ({ form, findings, onForm, onFindings }: {
    form: UpgradeForm;
    findings: UpgradeFindings;
    onForm: (change: Partial<UpgradeForm>) => void;
    onFindings: (change: Partial<UpgradeFindings>) => void;
}) => {
    const listError = useAppliances(form, findings, onForm, onFindings);
    const { reading, error: checkError, check } = useOvaCheck(onFindings);
    const appliances = findings.appliances;

    const chosen = appliances?.find(a => a.conf === form.installedConf) ?? null;
    const ovaPath = chosenOvaPath(form, findings) ?? "";
    const expectedSha1 = form.applianceSource === "installed" ? chosen?.sha1sum ?? "" : form.ovaSha1;
    const report = findings.ova?.path === ovaPath ? findings.ova : null;

    const pathInvalid = form.applianceSource === "ova" && form.ovaPath !== "" && !isAbsolutePath(form.ovaPath);
    const sha1Invalid = form.applianceSource === "ova" && form.ovaSha1 !== "" && !isSha1(form.ovaSha1);
    const canCheck = isAbsolutePath(ovaPath) && !sha1Invalid && reading === null;

    return (
        <Stack hasGutter id="he-upgrade-appliance">
            <FailureAlert id="he-appliances-error" failure={listError} />
            {findings.appliancesProblems.length > 0 &&
                <Alert id="he-appliances-problems" isInline variant="warning" title={_("Some appliance configurations cannot be used")}>
                    <ul>{findings.appliancesProblems.map(renderText).map(p => <li key={p}>{p}</li>)}</ul>
                </Alert>}
            {!appliances && !listError && <Spinner size="lg" aria-label={_("Reading the installed appliances")} />}
            <ApplianceChoice form={form} appliances={appliances ?? []} pathInvalid={pathInvalid} sha1Invalid={sha1Invalid}
                             onForm={onForm} />
            <div>
                <Button id="he-ova-check" variant="secondary" isDisabled={!canCheck} isLoading={reading !== null}
                        onClick={() => check(ovaPath, expectedSha1 === "" ? null : expectedSha1)}>
                    {reading !== null ? _("Reading the OVA…") : report ? _("Check again") : _("Check the appliance")}
                </Button>
            </div>
            {reading !== null &&
                <Progress id="he-ova-progress" value={reading.total > 0 ? Math.round(100 * reading.done / reading.total) : 0}
                          measureLocation={ProgressMeasureLocation.outside}
                          label={reading.total > 0 ? cockpit.format(_("$0 of $1"), formatBytes(reading.done), formatBytes(reading.total)) : undefined}
                          title={_("Computing the sha1 and reading the OVF")} />}
            <FailureAlert id="he-ova-error" failure={checkError} />
            {report && report.problems.length > 0 &&
                <Alert id="he-ova-problems" isInline variant="danger" title={_("This OVA cannot be used")}>
                    <ul>{report.problems.map(renderText).map(p => <li key={p}>{p}</li>)}</ul>
                </Alert>}
            {report && report.problems.length === 0 &&
                <Alert id="he-ova-ok" isInline isPlain variant="success" title={_("The appliance can be used")} />}
            {report && <OvfFacts report={report} />}
        </Stack>
    );
};
