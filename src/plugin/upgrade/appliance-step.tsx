// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useEffect, useRef, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from "@patternfly/react-core/dist/esm/components/DescriptionList/index.js";
import { Form, FormGroup, FormHelperText } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { HelperText, HelperTextItem } from "@patternfly/react-core/dist/esm/components/HelperText/index.js";
import { Progress, ProgressMeasureLocation } from "@patternfly/react-core/dist/esm/components/Progress/index.js";
import { Radio } from "@patternfly/react-core/dist/esm/components/Radio/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { OvaReport } from "../../protocol";
import { FailureAlert } from "../common/failure-alert";
import { renderText } from "../common/texts";
import { formatBytes } from "../jobs/format";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure, stream as streamVerb, type HelperStream } from "../lib/helper-client";
import { chosenOvaPath, isAbsolutePath, isSha1, type UpgradeFindings, type UpgradeForm } from "./upgrade-form";

const _ = cockpit.gettext;

const OvfFacts = ({ report }: { report: OvaReport }) => (
    <DescriptionList id="he-ova-facts" isHorizontal isCompact>
        <DescriptionListGroup>
            <DescriptionListTerm>{_("sha1")}</DescriptionListTerm>
            <DescriptionListDescription id="he-ova-sha1">
                {report.sha1}{" "}
                {report.sha1Matches === true && _("(as expected)")}
                {report.sha1Matches === false && _("(does not match the expected sha1)")}
            </DescriptionListDescription>
        </DescriptionListGroup>
        {report.disk &&
            <DescriptionListGroup>
                <DescriptionListTerm>{_("Disk image")}</DescriptionListTerm>
                <DescriptionListDescription id="he-ova-disk">
                    {cockpit.format(_("$0, $1 virtual size"), report.disk.format, formatBytes(report.disk.virtualSize))}
                </DescriptionListDescription>
            </DescriptionListGroup>}
        {report.ovf &&
            <>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("Disk size the appliance needs")}</DescriptionListTerm>
                    <DescriptionListDescription id="he-ova-ovf-size">{cockpit.format(_("$0 GiB"), report.ovf.diskSizeGiB)}</DescriptionListDescription>
                </DescriptionListGroup>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("CPUs and memory")}</DescriptionListTerm>
                    <DescriptionListDescription>
                        {cockpit.format(_("$0 CPUs, $1 MiB"), report.ovf.cpus ?? "?", report.ovf.memoryMiB ?? "?")}
                    </DescriptionListDescription>
                </DescriptionListGroup>
            </>}
    </DescriptionList>
);

/* Step 3: an installed appliance or an OVA file, read once here to check its sha1 and OVF. */
export const ApplianceStep = ({ form, findings, onForm, onFindings }: {
    form: UpgradeForm;
    findings: UpgradeFindings;
    onForm: (change: Partial<UpgradeForm>) => void;
    onFindings: (change: Partial<UpgradeFindings>) => void;
}) => {
    const [listError, setListError] = useState<HelperFailure | null>(null);
    const [checkError, setCheckError] = useState<HelperFailure | null>(null);
    const [reading, setReading] = useState<{ done: number; total: number } | null>(null);
    const stream = useRef<HelperStream<OvaReport> | null>(null);
    const appliances = findings.appliances;

    useEffect(() => {
        if (appliances)
            return;
        call("appliances", {}).then(report => {
            onFindings({ appliances: report.appliances, appliancesProblems: report.problems });
            const usable = report.appliances.find(a => a.installed);
            if (usable && form.installedConf === null)
                onForm({ installedConf: usable.conf });
            else if (!usable)
                onForm({ applianceSource: "ova" });
        }, err => setListError(asHelperFailure(err)));
    }, [appliances, form.installedConf, onForm, onFindings]);

    useEffect(() => () => stream.current?.close(), []);

    const chosen = appliances?.find(a => a.conf === form.installedConf) ?? null;
    const ovaPath = chosenOvaPath(form, findings) ?? "";
    const expectedSha1 = form.applianceSource === "installed" ? chosen?.sha1sum ?? "" : form.ovaSha1;
    const report = findings.ova?.path === ovaPath ? findings.ova : null;

    const check = () => {
        stream.current?.close();
        setCheckError(null);
        setReading({ done: 0, total: 0 });
        onFindings({ ova: null });
        const input = { path: ovaPath, sha1: expectedSha1 === "" ? null : expectedSha1, progress: true };
        const current = streamVerb("inspect-ova", input, progress => setReading({ done: progress.done, total: progress.total }));
        stream.current = current;
        // an unusable OVA is an answer too: its report says why
        current.done.then(ova => {
            if (stream.current === current && ova)
                onFindings({ ova });
        }, err => {
            if (stream.current === current)
                setCheckError(asHelperFailure(err));
        }).finally(() => {
            if (stream.current === current)
                setReading(null);
        });
    };

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
            <Form onSubmit={e => e.preventDefault()}>
                <FormGroup role="radiogroup" isStack fieldId="he-appliance-source" label={_("Engine appliance")}>
                    {(appliances ?? []).map((a, i) => (
                        <Radio key={a.conf} id={`he-appliance-installed-${i}`} name="he-appliance"
                               isChecked={form.applianceSource === "installed" && form.installedConf === a.conf}
                               isDisabled={!a.installed}
                               onChange={() => onForm({ applianceSource: "installed", installedConf: a.conf })}
                               label={cockpit.format(_("$0 (version $1)"), a.description, a.version)}
                               description={a.installed
                                   ? cockpit.format(_("$0, $1"), a.path, a.sizeBytes === null ? "" : formatBytes(a.sizeBytes))
                                   : cockpit.format(_("$0 is missing"), a.path)} />
                    ))}
                    <Radio id="he-appliance-ova" name="he-appliance" isChecked={form.applianceSource === "ova"}
                           onChange={() => onForm({ applianceSource: "ova" })}
                           label={_("Another appliance OVA file on this host")}
                           description={_("Its version is not known to this page: the upgrade then needs your explicit agreement on the Review step.")} />
                </FormGroup>
                {form.applianceSource === "ova" &&
                    <>
                        <FormGroup label={_("OVA path")} fieldId="he-ova-path" isRequired>
                            <TextInput id="he-ova-path" value={form.ovaPath} onChange={(_e, v) => onForm({ ovaPath: v.trim() })}
                                       placeholder="/usr/share/ovirt-engine-appliance/ovirt-engine-appliance-4.0.ova"
                                       validated={pathInvalid ? "error" : "default"} />
                            {pathInvalid &&
                                <FormHelperText><HelperText><HelperTextItem variant="error">{_("Enter an absolute path.")}</HelperTextItem></HelperText></FormHelperText>}
                        </FormGroup>
                        <FormGroup label={_("Expected sha1 (optional)")} fieldId="he-ova-sha1-input">
                            <TextInput id="he-ova-sha1-input" value={form.ovaSha1} onChange={(_e, v) => onForm({ ovaSha1: v.trim() })}
                                       validated={sha1Invalid ? "error" : "default"} />
                            {sha1Invalid &&
                                <FormHelperText><HelperText><HelperTextItem variant="error">{_("40 hexadecimal digits.")}</HelperTextItem></HelperText></FormHelperText>}
                        </FormGroup>
                    </>}
            </Form>
            <div>
                <Button id="he-ova-check" variant="secondary" isDisabled={!canCheck} isLoading={reading !== null} onClick={check}>
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
