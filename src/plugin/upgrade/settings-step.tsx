// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/index.js";
import { Form, FormGroup, FormHelperText, FormSection } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { FormSelect, FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/index.js";
import { HelperText, HelperTextItem } from "@patternfly/react-core/dist/esm/components/HelperText/index.js";
import { InputGroup, InputGroupItem } from "@patternfly/react-core/dist/esm/components/InputGroup/index.js";
import { TextArea } from "@patternfly/react-core/dist/esm/components/TextArea/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";

import { FailureAlert } from "../common/failure-alert";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";
import { minimumDiskGiB, settingsProblems, type UpgradeFindings, type UpgradeForm } from "./upgrade-form";

const _ = cockpit.gettext;

const FieldHelp = ({ error, help }: { error?: string | undefined; help?: string }) => (
    error || help
        ? <FormHelperText>
            <HelperText>
                <HelperTextItem variant={error ? "error" : "default"}>{error ?? help}</HelperTextItem>
            </HelperText>
        </FormHelperText>
        : null
);

/* Step 4: the engine's admin password (checked now), the new VM's root access, /etc/hosts and the disk size. */
export const SettingsStep = ({ form, findings, onForm, onFindings }: {
    form: UpgradeForm;
    findings: UpgradeFindings;
    onForm: (change: Partial<UpgradeForm>) => void;
    onFindings: (change: Partial<UpgradeFindings>) => void;
}) => {
    const [checking, setChecking] = useState(false);
    const [loginError, setLoginError] = useState<HelperFailure | null>(null);
    const problems = settingsProblems(form, findings);
    const minimum = minimumDiskGiB(findings);
    const currentGiB = findings.readiness?.engineDiskBytes ? Math.ceil(findings.readiness.engineDiskBytes / 1024 ** 3) : null;
    const accepted = findings.acceptedPassword !== null && findings.acceptedPassword === form.adminPassword;

    const checkPassword = async () => {
        setChecking(true);
        setLoginError(null);
        const password = form.adminPassword;
        try {
            // on stdin: a password never goes into argv
            // kept with the findings, not in this step: it outlives the step's own state
            const engineLogin = await call("engine-login", { adminPassword: password });
            onFindings({ acceptedPassword: password, engineLogin });
        } catch (err) {
            onFindings({ acceptedPassword: null, engineLogin: null });
            setLoginError(asHelperFailure(err));
        } finally {
            setChecking(false);
        }
    };

    return (
        <Form id="he-upgrade-settings" onSubmit={e => { e.preventDefault(); if (!accepted && form.adminPassword) checkPassword(); }}>
            <FormSection title={_("The engine")} titleElement="h3">
                <FormGroup label={_("admin@internal password")} fieldId="he-admin-password" isRequired>
                    <InputGroup>
                        <InputGroupItem isFill>
                            <TextInput id="he-admin-password" type="password" value={form.adminPassword} autoComplete="off"
                                       onChange={(_e, v) => onForm({ adminPassword: v })}
                                       validated={accepted ? "success" : loginError ? "error" : "default"} />
                        </InputGroupItem>
                        <InputGroupItem>
                            <Button id="he-admin-password-check" variant="secondary" isLoading={checking}
                                    isDisabled={checking || form.adminPassword === "" || accepted} onClick={checkPassword}>
                                {checking ? _("Checking…") : _("Check")}
                            </Button>
                        </InputGroupItem>
                    </InputGroup>
                    <FieldHelp error={loginError ? undefined : (form.adminPassword !== "" && !accepted ? problems.adminPassword : undefined)}
                               help={_("Checked against the running engine now, so a typo is caught before the engine goes down.")} />
                </FormGroup>
                <FailureAlert id="he-admin-password-error" failure={loginError} />
                {accepted && findings.engineLogin &&
                    <Alert id="he-admin-password-ok" isInline isPlain variant="success"
                           title={cockpit.format(_("The engine $0 accepted the password"), findings.engineLogin.engineVersion)}>
                        {cockpit.format(_("Engine CA $0, SHA-256 fingerprint $1"), findings.engineLogin.ca.subject.replace(/\n/g, ", "),
                                        findings.engineLogin.ca.sha256Fingerprint)}
                    </Alert>}
            </FormSection>
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
                              description={_("Only this host's entry is added: entries you had added by hand to the old VM's /etc/hosts are not carried over.")} />
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
        </Form>
    );
};
