// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { Form, FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";

import type { BackupDisk, DeleteBackupResult } from "../../protocol";
import { FailureAlert } from "../common/failure-alert";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";

const _ = cockpit.gettext;

/* The engine deletes the disks it knows: its admin password is needed, on the helper's stdin. */
export const DeleteBackupModal = ({ backup, lastVerified, onClose, onDeleted }: {
    backup: BackupDisk;
    /** the only verified backup left: deleting it needs an explicit yes */
    lastVerified: boolean;
    onClose: () => void;
    onDeleted: (result: DeleteBackupResult) => void;
}) => {
    const [password, setPassword] = useState("");
    const [allowLast, setAllowLast] = useState(false);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<HelperFailure | null>(null);

    const remove = async () => {
        setBusy(true);
        setError(null);
        try {
            onDeleted(await call("delete-backup", { backup: backup.imgUUID, adminPassword: password, allowLastVerified: allowLast }));
        } catch (err) {
            setError(asHelperFailure(err));
        } finally {
            setBusy(false);
        }
    };

    const canDelete = password !== "" && (!lastVerified || allowLast) && !busy;

    return (
        <Modal id="he-delete-modal" isOpen position="top" variant="small" onClose={onClose} aria-labelledby="he-delete-modal-title">
            <ModalHeader title={cockpit.format(_("Delete $0?"), backup.label)} labelId="he-delete-modal-title" titleIconVariant="danger" />
            <ModalBody>
                <FailureAlert id="he-delete-error" failure={error} />
                <Content>
                    <p>{_("The engine removes the disk from the hosted-engine storage domain. It cannot be restored afterwards.")}</p>
                </Content>
                <Form onSubmit={e => { e.preventDefault(); if (canDelete) remove(); }}>
                    <FormGroup label={_("Engine admin@internal password")} fieldId="he-delete-password" isRequired>
                        <TextInput id="he-delete-password" type="password" value={password} onChange={(_e, v) => setPassword(v)} />
                    </FormGroup>
                    {lastVerified &&
                        <Checkbox id="he-delete-allow-last" isChecked={allowLast} onChange={(_e, v) => setAllowLast(v)}
                                  label={_("This is the last verified copy of the old engine disk: delete it anyway")} />}
                </Form>
            </ModalBody>
            <ModalFooter>
                <Button id="he-delete-confirm" variant="danger" isLoading={busy} isDisabled={!canDelete} onClick={remove}>
                    {busy ? _("Deleting…") : _("Delete")}
                </Button>
                <Button variant="link" onClick={onClose}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
};
