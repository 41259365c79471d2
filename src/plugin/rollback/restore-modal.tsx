// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { Form, FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { List, ListItem } from "@patternfly/react-core/dist/esm/components/List/index.js";
import { Modal, ModalBody, ModalFooter, ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";

import type { BackupDisk, Check } from "../../protocol";
import { FailureAlert } from "../common/failure-alert";
import { checkTitle, renderText } from "../common/texts";
import cockpit from "../lib/cockpit";
import { asHelperFailure, callVerdict, HelperFailure } from "../lib/helper-client";
import { createdText } from "./backups-table";
import { ShutdownEngineVm } from "./shutdown-engine-vm";

const _ = cockpit.gettext;

/* the checks that fail while the engine VM runs */
const VM_UP = ["engine-vm-down", "engine-vm-here"];

/*
 * Restoring overwrites the engine disk: the administrator types the backup's
 * label to confirm. The helper checks its conditions (global maintenance, the
 * VM down everywhere, sizes, no job running) and says which failed.
 */
export const RestoreModal = ({ backup, onClose, onStarted }: {
    backup: BackupDisk;
    onClose: () => void;
    onStarted: (job: string) => void;
}) => {
    const [typed, setTyped] = useState("");
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<HelperFailure | null>(null);
    const [failed, setFailed] = useState<Check[] | null>(null);

    const restore = async () => {
        setBusy(true);
        setError(null);
        setFailed(null);
        try {
            const verdict = await callVerdict("rollback", { backup: backup.imgUUID });
            if (verdict.value.job)
                onStarted(verdict.value.job);
            else
                setFailed(verdict.value.preflight.checks.filter(c => c.state === "fail"));
        } catch (err) {
            setError(asHelperFailure(err));
        } finally {
            setBusy(false);
        }
    };

    return (
        <Modal id="he-restore-modal" isOpen position="top" variant="medium" onClose={onClose}
               aria-labelledby="he-restore-modal-title">
            <ModalHeader title={cockpit.format(_("Restore $0?"), backup.label)} labelId="he-restore-modal-title" titleIconVariant="warning" />
            <ModalBody>
                <FailureAlert id="he-restore-error" failure={error} />
                {failed &&
                    <Alert id="he-restore-checks-failed" isInline variant="danger" title={_("The rollback cannot start; nothing was changed")}>
                        <List>
                            {failed.map(c => (
                                <ListItem key={c.id} id={`he-restore-check-${c.id}`}>
                                    <strong>{checkTitle(c.id, c.title)}</strong>: {renderText(c.detail)}
                                </ListItem>
                            ))}
                        </List>
                        {/* the VM up is the one condition the page can fix; in global maintenance it stays down */}
                        {failed.some(c => VM_UP.includes(c.id)) && !failed.some(c => c.id === "global-maintenance") &&
                            <ShutdownEngineVm />}
                    </Alert>}
                <Content>
                    <p>{cockpit.format(_("The engine VM's disk is overwritten with the backup made $0 and then verified against it. Whatever happened in the engine after that backup was made is lost."), createdText(backup.created))}</p>
                    <p>{_("The cluster must be in global maintenance and the engine VM down on every host. Leave global maintenance afterwards to let the HA agents start the old engine.")}</p>
                </Content>
                <Form onSubmit={e => { e.preventDefault(); if (typed === backup.label) restore(); }}>
                    <FormGroup label={cockpit.format(_("Type $0 to confirm"), backup.label)} fieldId="he-restore-confirm-input">
                        <TextInput id="he-restore-confirm-input" value={typed} onChange={(_e, v) => setTyped(v)} autoComplete="off" />
                    </FormGroup>
                </Form>
            </ModalBody>
            <ModalFooter>
                <Button id="he-restore-start" variant="danger" isLoading={busy} isDisabled={busy || typed !== backup.label} onClick={restore}>
                    {busy ? _("Starting…") : _("Restore")}
                </Button>
                <Button variant="link" onClick={onClose}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
};
