// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { FormGroup, FormSection } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { InputGroup, InputGroupItem } from "@patternfly/react-core/dist/esm/components/InputGroup/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";

import type { EngineLoginResult } from "../../protocol";
import { FailureAlert } from "../common/failure-alert";
import cockpit from "../lib/cockpit";
import { FieldHelp } from "./field-help";
import type { AdminPasswordCheck } from "./use-admin-password-check";

const _ = cockpit.gettext;

/* The engine's admin@internal password, with a button to check it against the running engine. */
export const AdminPasswordSection = ({ password, accepted, problem, engineLogin, passwordCheck, onPassword }: {
    password: string;
    /** the engine accepted this very password */
    accepted: boolean;
    problem: string | undefined;
    engineLogin: EngineLoginResult | null;
    passwordCheck: AdminPasswordCheck;
    onPassword: (password: string) => void;
}) => {
    const { checking, error: loginError, check } = passwordCheck;
    return (
        <FormSection title={_("The engine")} titleElement="h3">
            <FormGroup label={_("admin@internal password")} fieldId="he-admin-password" isRequired>
                <InputGroup>
                    <InputGroupItem isFill>
                        <TextInput id="he-admin-password" type="password" value={password} autoComplete="off"
                                   onChange={(_e, v) => onPassword(v)}
                                   validated={accepted ? "success" : loginError ? "error" : "default"} />
                    </InputGroupItem>
                    <InputGroupItem>
                        <Button id="he-admin-password-check" variant="secondary" isLoading={checking}
                                isDisabled={checking || password === "" || accepted} onClick={check}>
                            {checking ? _("Checking…") : _("Check")}
                        </Button>
                    </InputGroupItem>
                </InputGroup>
                <FieldHelp error={loginError ? undefined : (password !== "" && !accepted ? problem : undefined)}
                           help={_("Checked against the running engine now, so a typo is caught before the engine goes down.")} />
            </FormGroup>
            <FailureAlert id="he-admin-password-error" failure={loginError} />
            {accepted && engineLogin &&
                <Alert id="he-admin-password-ok" isInline isPlain variant="success"
                       title={cockpit.format(_("The engine $0 accepted the password"), engineLogin.engineVersion)}>
                    {cockpit.format(_("Engine CA $0, SHA-256 fingerprint $1"), engineLogin.ca.subject.replace(/\n/g, ", "),
                                    engineLogin.ca.sha256Fingerprint)}
                </Alert>}
        </FormSection>
    );
};
