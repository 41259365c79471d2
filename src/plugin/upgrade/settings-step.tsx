// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Form } from "@patternfly/react-core/dist/esm/components/Form/index.js";

import { AdminPasswordSection } from "./admin-password-section";
import { NewVmSection } from "./new-vm-section";
import { settingsProblems, type UpgradeFindings, type UpgradeForm } from "./upgrade-form";
import { useAdminPasswordCheck } from "./use-admin-password-check";
import { VmNetworkSection } from "./vm-network-section";

/* Step 4: the engine's admin password (checked now), the new VM's network, root access, /etc/hosts and the disk size. */
export const SettingsStep = ({ form, findings, onForm, onFindings }: {
    form: UpgradeForm;
    findings: UpgradeFindings;
    onForm: (change: Partial<UpgradeForm>) => void;
    onFindings: (change: Partial<UpgradeFindings>) => void;
}) => {
    const passwordCheck = useAdminPasswordCheck(form.adminPassword, onFindings);
    const accepted = findings.acceptedPassword !== null && findings.acceptedPassword === form.adminPassword;

    return (
        <Form id="he-upgrade-settings" onSubmit={e => { e.preventDefault(); if (!accepted && form.adminPassword) passwordCheck.check(); }}>
            <AdminPasswordSection password={form.adminPassword} accepted={accepted}
                                  problem={settingsProblems(form, findings).adminPassword}
                                  engineLogin={findings.engineLogin} passwordCheck={passwordCheck}
                                  onPassword={adminPassword => onForm({ adminPassword })} />
            <VmNetworkSection form={form} findings={findings} onForm={onForm} onFindings={onFindings} />
            <NewVmSection form={form} findings={findings} onForm={onForm} />
        </Form>
    );
};
