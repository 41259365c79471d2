// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Card, CardBody, CardHeader, CardTitle } from "@patternfly/react-core/dist/esm/components/Card/index.js";
import { Content } from "@patternfly/react-core/dist/esm/components/Content/index.js";
import { EmptyState, EmptyStateBody } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import type { BackupDisk, BackupsReport } from "../../protocol";
import { renderText } from "../common/texts";
import cockpit from "../lib/cockpit";
import type { HelperFailure } from "../lib/helper-client";
import { BackupsTable } from "./backups-table";

const _ = cockpit.gettext;

/* The backup disks the upgrades made, with what may be done to each; nothing while a job runs. */
export const BackupsCard = ({ report, error, busy, onRetry, onAskEngine, onRestore, onDelete }: {
    report: BackupsReport | null;
    error: HelperFailure | null;
    /** a job runs: no restore or delete now */
    busy: boolean;
    onRetry: () => void;
    onAskEngine: () => void;
    onRestore: (backup: BackupDisk) => void;
    onDelete: (backup: BackupDisk) => void;
}) => (
    <Card id="he-backups-card">
        <CardHeader actions={{
            actions: <Button id="he-backups-ask-engine" variant="secondary" isDisabled={!report?.backups.length}
                             onClick={onAskEngine}>
                {_("Ask the engine…")}
            </Button>,
            hasNoOffset: false,
        }}>
            <CardTitle component="h2">{_("Backup disks")}</CardTitle>
        </CardHeader>
        <CardBody>
            <Stack hasGutter>
                <Content>
                    <p>{_("Each upgrade copies the engine VM's disk to a new backup disk and verifies the copy before overwriting anything. Restoring one brings back the engine as it was when that upgrade shut it down.")}</p>
                </Content>
                {error &&
                    <Alert id="he-backups-error" isInline variant="danger" title={error.title}
                           actionLinks={<AlertActionLink onClick={onRetry}>{_("Retry")}</AlertActionLink>}>
                        {error.detail && <samp>{error.detail}</samp>}
                    </Alert>}
                {report?.engineNote && <Content><p id="he-backups-engine-note" className="he-muted">{renderText(report.engineNote)}</p></Content>}
                {!report && !error && <Spinner size="lg" aria-label={_("Looking for backup disks")} />}
                {report && report.backups.length === 0 &&
                    <EmptyState id="he-backups-empty" headingLevel="h3" titleText={_("No backup disks")}>
                        <EmptyStateBody>{_("An upgrade makes one before it overwrites the engine disk. There is nothing to roll back to yet.")}</EmptyStateBody>
                    </EmptyState>}
                {report && report.backups.length > 0 &&
                    <BackupsTable backups={report.backups} busy={busy} onRestore={onRestore} onDelete={onDelete} />}
            </Stack>
        </CardBody>
    </Card>
);
