// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from "@patternfly/react-core/dist/esm/components/DescriptionList/index.js";
import { FormGroup, FormSection } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { Radio } from "@patternfly/react-core/dist/esm/components/Radio/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";

import type { VmNetworkReport } from "../../protocol";
import { FailureAlert } from "../common/failure-alert";
import { renderText } from "../common/texts";
import cockpit from "../lib/cockpit";
import { FieldHelp } from "./field-help";
import { settingsProblems, type UpgradeFindings, type UpgradeForm } from "./upgrade-form";
import { useVmNetwork } from "./use-vm-network";
import { describeNetwork } from "./vm-network-form";

const _ = cockpit.gettext;

/* What the engine VM keeps of the old one: its name, MAC address, time zone and, when the answers give it, its network. */
const Identity = ({ report }: { report: VmNetworkReport }) => (
    <DescriptionList id="he-vm-identity" isHorizontal isCompact>
        {report.network &&
            <DescriptionListGroup>
                <DescriptionListTerm>{_("Network")}</DescriptionListTerm>
                <DescriptionListDescription id="he-vm-network-fixed">
                    {describeNetwork(report.network)} {_("(from the deploy's answers)")}
                </DescriptionListDescription>
            </DescriptionListGroup>}
        <DescriptionListGroup>
            <DescriptionListTerm>{_("Host name")}</DescriptionListTerm>
            <DescriptionListDescription id="he-vm-host-name">{report.hostName}</DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
            <DescriptionListTerm>{_("MAC address")}</DescriptionListTerm>
            <DescriptionListDescription id="he-vm-mac">{report.macAddress ?? _("as the VM's definition has it")}</DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
            <DescriptionListTerm>{_("Time zone")}</DescriptionListTerm>
            <DescriptionListDescription id="he-vm-time-zone">{report.timeZone ?? _("UTC (this host's could not be read)")}</DescriptionListDescription>
        </DescriptionListGroup>
    </DescriptionList>
);

/* The fields asked when the answers do not give the network: DHCP, or a static address, prefix, gateway and DNS. */
const NetworkInputs = ({ form, onForm, problems }: {
    form: UpgradeForm;
    onForm: (change: Partial<UpgradeForm>) => void;
    problems: ReturnType<typeof settingsProblems>;
}) => {
    const field = (id: string, key: "vmAddress" | "vmPrefix" | "vmGateway" | "vmDns", label: string, help: string, placeholder: string) => (
        <FormGroup label={label} fieldId={id} isRequired={key !== "vmDns"}>
            <TextInput id={id} value={form[key]} placeholder={placeholder}
                       onChange={(_e, v) => onForm({ [key]: v })}
                       validated={problems[key] ? "error" : "default"} />
            <FieldHelp error={problems[key]} help={help} />
        </FormGroup>
    );
    return (
        <>
            <FormGroup role="radiogroup" label={_("How the engine VM gets its address")} fieldId="he-vm-network-mode" isRequired isStack>
                <Radio id="he-vm-network-dhcp" name="he-vm-network-mode" isChecked={form.networkMode === "dhcp"}
                       onChange={() => onForm({ networkMode: "dhcp" })} label={_("DHCP")}
                       description={_("The DHCP server sees the old engine VM's MAC address and must give it the address the engine's FQDN resolves to.")} />
                <Radio id="he-vm-network-static" name="he-vm-network-mode" isChecked={form.networkMode === "static"}
                       onChange={() => onForm({ networkMode: "static" })} label={_("Static")} />
                <FieldHelp error={problems.networkMode} />
            </FormGroup>
            {form.networkMode === "static" &&
                <>
                    {field("he-vm-address", "vmAddress", _("IP address"), _("The address the engine's FQDN resolves to."), "192.168.1.222")}
                    {field("he-vm-prefix", "vmPrefix", _("Prefix length"), _("For example 24 for 255.255.255.0."), "24")}
                    {field("he-vm-gateway", "vmGateway", _("Gateway"), _("In the engine VM's subnet."), "192.168.1.1")}
                    {field("he-vm-dns", "vmDns", _("DNS servers"), _("Up to three, separated by commas; may be empty."), "192.168.1.1")}
                </>}
        </>
    );
};

/* Step 4's network section: the engine VM's network read-only from the deploy's answers, or asked. */
export const VmNetworkSection = ({ form, findings, onForm, onFindings }: {
    form: UpgradeForm;
    findings: UpgradeFindings;
    onForm: (change: Partial<UpgradeForm>) => void;
    onFindings: (change: Partial<UpgradeFindings>) => void;
}) => {
    const error = useVmNetwork(findings, onForm, onFindings);
    const report = findings.vmNetwork;
    const problems = settingsProblems(form, findings);
    return (
        <FormSection title={_("The engine VM's network")} titleElement="h3" id="he-vm-network">
            <FailureAlert id="he-vm-network-error" failure={error} />
            {report?.problem &&
                <Alert id="he-vm-network-problem" isInline variant="warning" title={_("The deploy's answers could not be used")}>
                    {renderText(report.problem)}
                </Alert>}
            {report && <Identity report={report} />}
            {report && report.network === null && <NetworkInputs form={form} onForm={onForm} problems={problems} />}
        </FormSection>
    );
};
