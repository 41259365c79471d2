// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Form, FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";

import type { BackupsReport } from "../../protocol";
import { FailureAlert } from "../common/failure-alert";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";

const _ = cockpit.gettext;

/* Which backup disks the running engine knows: it needs the admin password, which goes on stdin. */
export const AskEngineModal = ({ onClose, onReport }: { onClose: () => void; onReport: (report: BackupsReport) => void }) => {
    const [password, setPassword] = useState("");
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<HelperFailure | null>(null);

    const ask = async () => {
        setBusy(true);
        setError(null);
        try {
            onReport(await call("backups", { adminPassword: password }));
        } catch (err) {
            setError(asHelperFailure(err));
        } finally {
            setBusy(false);
        }
    };

    return (
        <Modal id="he-ask-engine-modal" isOpen position="top" variant="small" onClose={onClose} aria-labelledby="he-ask-engine-title">
            <ModalHeader title={_("Ask the engine which backup disks it knows")} labelId="he-ask-engine-title" />
            <ModalBody>
                <FailureAlert id="he-ask-engine-error" failure={error} />
                <Form onSubmit={e => { e.preventDefault(); if (password) ask(); }}>
                    <FormGroup label={_("Engine admin@internal password")} fieldId="he-ask-engine-password" isRequired>
                        <TextInput id="he-ask-engine-password" type="password" value={password} onChange={(_e, v) => setPassword(v)} />
                    </FormGroup>
                </Form>
            </ModalBody>
            <ModalFooter>
                <Button id="he-ask-engine-confirm" isLoading={busy} isDisabled={busy || password === ""} onClick={ask}>
                    {busy ? _("Asking…") : _("Ask the engine")}
                </Button>
                <Button variant="link" onClick={onClose}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
};
