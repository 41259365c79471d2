// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { Form, FormGroup, FormHelperText } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { HelperText, HelperTextItem } from "@patternfly/react-core/dist/esm/components/HelperText/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { BackupReport } from "../../protocol";
import { CommandBlock } from "../common/command-block";
import { FailureAlert } from "../common/failure-alert";
import { renderText } from "../common/texts";
import cockpit from "../lib/cockpit";
import { BackupFacts } from "./backup-facts";
import { ENGINE_BACKUP_COMMAND, isAbsolutePath } from "./upgrade-form";
import { useBackupValidation } from "./use-backup-validation";

const _ = cockpit.gettext;

/* Step 2: the engine-backup archive, checked by the helper as soon as its path is entered. */
export const BackupStep = ({ path, report, onPath, onReport }: {
    path: string;
    report: BackupReport | null;
    onPath: (path: string) => void;
    onReport: (report: BackupReport | null) => void;
}) => {
    const { checking, error } = useBackupValidation(path, report, onReport);
    const shown = report?.path === path ? report : null;
    const pathInvalid = path !== "" && !isAbsolutePath(path);

    return (
        <Stack hasGutter id="he-upgrade-backup">
            <Content>
                <p>{_("The new engine is restored from an engine-backup archive. On the engine VM, run:")}</p>
            </Content>
            <CommandBlock id="he-backup-command" command={ENGINE_BACKUP_COMMAND} />
            <Content>
                <p>{_("Then copy engine_backup.tar.gz to this host, for instance with scp, and enter its path here. Take the backup just before upgrading: what changes in the engine after it is lost.")}</p>
            </Content>
            <Form onSubmit={e => e.preventDefault()}>
                <FormGroup label={_("Engine backup archive on this host")} fieldId="he-backup-path" isRequired>
                    <TextInput id="he-backup-path" value={path} onChange={(_e, value) => onPath(value.trim())}
                               placeholder="/root/engine_backup.tar.gz"
                               validated={pathInvalid || (shown && shown.problems.length > 0) ? "error" : shown ? "success" : "default"} />
                    <FormHelperText>
                        <HelperText>
                            {pathInvalid && <HelperTextItem variant="error">{_("Enter an absolute path, such as /root/engine_backup.tar.gz.")}</HelperTextItem>}
                            {checking && <HelperTextItem icon={<Spinner size="sm" />}>{_("Checking the archive…")}</HelperTextItem>}
                        </HelperText>
                    </FormHelperText>
                </FormGroup>
            </Form>
            <FailureAlert id="he-backup-error" failure={error} />
            {shown && shown.problems.length > 0 &&
                <Alert id="he-backup-problems" isInline variant="danger" title={_("This archive cannot be restored")}>
                    <ul>{shown.problems.map(renderText).map(p => <li key={p}>{p}</li>)}</ul>
                </Alert>}
            {shown && <BackupFacts report={shown} />}
        </Stack>
    );
};
