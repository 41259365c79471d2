// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Form, FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";

import type { JobKindName } from "../../protocol";
import { FailureAlert } from "../common/failure-alert";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";

const _ = cockpit.gettext;

/*
 * The helper's `resume` of a job that died or failed. An upgrade needs its
 * passwords again: they were never stored, so they come from the
 * administrator, on the helper's stdin.
 */
export const ResumeForm = ({ jobId, kind, idPrefix, onResumed }: {
    jobId: string;
    kind: JobKindName;
    idPrefix: string;
    onResumed: () => void;
}) => {
    const [adminPassword, setAdminPassword] = useState("");
    const [rootPassword, setRootPassword] = useState("");
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<HelperFailure | null>(null);
    const needsSecrets = kind === "upgrade";

    const resume = async () => {
        setBusy(true);
        setError(null);
        try {
            const secrets = needsSecrets ? { adminPassword, rootPassword: rootPassword === "" ? null : rootPassword } : null;
            await call("resume", { job: jobId, secrets });
            setAdminPassword("");
            setRootPassword("");
            onResumed();
        } catch (err) {
            setError(asHelperFailure(err));
        } finally {
            setBusy(false);
        }
    };

    return (
        <>
            <FailureAlert id={`${idPrefix}-resume-error`} failure={error} />
            <Form onSubmit={e => { e.preventDefault(); resume(); }}>
                {needsSecrets &&
                    <>
                        <FormGroup label={_("Engine admin@internal password")} fieldId={`${idPrefix}-resume-admin-password`} isRequired>
                            <TextInput id={`${idPrefix}-resume-admin-password`} type="password" value={adminPassword}
                                       onChange={(_e, v) => setAdminPassword(v)} />
                        </FormGroup>
                        <FormGroup label={_("Appliance root password, if you set one")} fieldId={`${idPrefix}-resume-root-password`}>
                            <TextInput id={`${idPrefix}-resume-root-password`} type="password" value={rootPassword}
                                       onChange={(_e, v) => setRootPassword(v)} />
                        </FormGroup>
                    </>}
                <div>
                    <Button id={`${idPrefix}-resume-button`} type="submit" isLoading={busy}
                            isDisabled={busy || (needsSecrets && adminPassword === "")}>
                        {busy ? _("Resuming…") : _("Resume the job")}
                    </Button>
                </div>
            </Form>
        </>
    );
};
