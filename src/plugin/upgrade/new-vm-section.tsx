// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/index.js";
import { FormGroup, FormSection } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { FormSelect, FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/index.js";
import { TextArea } from "@patternfly/react-core/dist/esm/components/TextArea/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";

import cockpit from "../lib/cockpit";
import { FieldHelp } from "./field-help";
import { minimumDiskGiB, settingsProblems, type UpgradeFindings, type UpgradeForm } from "./upgrade-form";

const _ = cockpit.gettext;

/* The new engine VM: its root access, its /etc/hosts and the size of its disk. */
export const NewVmSection = ({ form, findings, onForm }: {
    form: UpgradeForm;
    findings: UpgradeFindings;
    onForm: (change: Partial<UpgradeForm>) => void;
}) => {
    const problems = settingsProblems(form, findings);
    const minimum = minimumDiskGiB(findings);
    const currentGiB = findings.readiness?.engineDiskBytes ? Math.ceil(findings.readiness.engineDiskBytes / 1024 ** 3) : null;

    return (
        <FormSection title={_("The new engine VM")} titleElement="h3">
            <FormGroup label={_("Root password")} fieldId="he-root-password">
                <TextInput id="he-root-password" type="password" value={form.rootPassword} autoComplete="new-password"
                           onChange={(_e, v) => onForm({ rootPassword: v })} />
                <FieldHelp help={_("Leave empty to keep the appliance's own; it is stored in the VM as a SHA-512 hash only.")} />
            </FormGroup>
            <FormGroup label={_("Confirm root password")} fieldId="he-root-password-confirm">
                <TextInput id="he-root-password-confirm" type="password" value={form.rootPasswordConfirm} autoComplete="new-password"
                           onChange={(_e, v) => onForm({ rootPasswordConfirm: v })}
                           validated={problems.rootPasswordConfirm ? "error" : "default"} />
                <FieldHelp error={problems.rootPasswordConfirm} />
            </FormGroup>
            <FormGroup label={_("Root SSH public key")} fieldId="he-root-ssh-key">
                <TextArea id="he-root-ssh-key" value={form.rootSshKey} resizeOrientation="vertical" rows={2}
                          onChange={(_e, v) => onForm({ rootSshKey: v })}
                          validated={problems.rootSshKey ? "error" : "default"} />
                <FieldHelp error={problems.rootSshKey} help={_("Optional: added to root's authorized_keys in the new VM.")} />
            </FormGroup>
            <FormGroup label={_("Root login over SSH")} fieldId="he-root-ssh-access">
                <FormSelect id="he-root-ssh-access" value={form.rootSshAccess}
                            onChange={(_e, v) => onForm({ rootSshAccess: v as UpgradeForm["rootSshAccess"] })}>
                    <FormSelectOption value="" label={_("As the appliance has it")} />
                    <FormSelectOption value="yes" label={_("Allowed")} />
                    <FormSelectOption value="without-password" label={_("With a key only")} />
                    <FormSelectOption value="no" label={_("Not allowed")} />
                </FormSelect>
            </FormGroup>
            <FormGroup fieldId="he-etc-hosts">
                <Checkbox id="he-etc-hosts" isChecked={form.addHostToEtcHosts}
                          onChange={(_e, v) => onForm({ addHostToEtcHosts: v })}
                          label={_("Add this host to the engine VM's /etc/hosts")}
                          description={_("This host's line is added, and with a static address the engine VM's own. The new VM starts from the appliance's /etc/hosts: other entries the old VM had there are not carried over; add them again after the upgrade.")} />
            </FormGroup>
            <FormGroup label={_("Engine disk size (GiB)")} fieldId="he-disk-size">
                <TextInput id="he-disk-size" type="number" value={form.diskSizeGiB} placeholder={minimum === null ? "" : String(minimum)}
                           onChange={(_e, v) => onForm({ diskSizeGiB: v.trim() })}
                           validated={problems.diskSizeGiB ? "error" : "default"} />
                <FieldHelp error={problems.diskSizeGiB}
                           help={minimum === null
                               ? _("Leave empty for the smallest size the upgrade allows.")
                               : cockpit.format(_("At least $0 GiB: the disk is never shrunk (it has $1 GiB now) and the appliance asks for $2 GiB. Leave empty for $0 GiB; a larger disk is grown while the engine is down."),
                                                minimum, currentGiB ?? "?", findings.ova?.ovf?.diskSizeGiB ?? "?")} />
            </FormGroup>
        </FormSection>
    );
};
