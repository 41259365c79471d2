// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Label } from "@patternfly/react-core/dist/esm/components/Label/index.js";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table/dist/esm/components/Table/index.js";

import type { BackupDisk } from "../../protocol";
import { formatBytes } from "../jobs/format";
import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

function knownText(known: boolean | null): { text: string; color: "green" | "orange" | "grey" } {
    if (known === null)
        return { text: _("not asked"), color: "grey" };
    return known ? { text: _("yes"), color: "green" } : { text: _("no"), color: "orange" };
}

export function createdText(created: string | null): string {
    if (!created)
        return _("unknown");
    const date = new Date(created);
    return Number.isNaN(date.getTime()) ? created : date.toLocaleString();
}

/* The backup disks, newest first, with what an administrator needs to choose one. */
export const BackupsTable = ({ backups, busy, onRestore, onDelete }: {
    backups: BackupDisk[];
    busy: boolean;
    onRestore: (backup: BackupDisk) => void;
    onDelete: (backup: BackupDisk) => void;
}) => (
    <Table id="he-backups-table" aria-label={_("Backup disks")} variant="compact">
        <Thead>
            <Tr>
                <Th modifier="wrap">{_("Backup disk")}</Th>
                <Th modifier="wrap">{_("Created")}</Th>
                <Th modifier="wrap">{_("Size")}</Th>
                <Th modifier="wrap">{_("Known to the engine")}</Th>
                <Th modifier="wrap">{_("Made by")}</Th>
                <Th screenReaderText={_("Actions")} />
            </Tr>
        </Thead>
        <Tbody>
            {backups.map((b, i) => {
                const known = knownText(b.knownToEngine);
                return (
                    <Tr key={b.imgUUID} id={`he-backup-${i}`} data-img={b.imgUUID} data-label={b.label}>
                        <Td dataLabel={_("Backup disk")} id={`he-backup-${i}-label`}>
                            {b.label}
                            <div className="he-backup-uuid">{b.imgUUID}</div>
                        </Td>
                        <Td dataLabel={_("Created")} id={`he-backup-${i}-created`}>{createdText(b.created)}</Td>
                        <Td dataLabel={_("Size")} id={`he-backup-${i}-size`}>
                            {cockpit.format(_("$0 ($1 used)"), formatBytes(b.virtualSize), formatBytes(b.allocatedSize))}
                        </Td>
                        <Td dataLabel={_("Known to the engine")}>
                            <Label isCompact color={known.color} id={`he-backup-${i}-known`}>{known.text}</Label>
                        </Td>
                        <Td dataLabel={_("Made by")} id={`he-backup-${i}-job`}>
                            {b.job ? cockpit.format(_("upgrade job $0"), b.job) : _("unknown")}
                            {b.verified && <> <Label isCompact color="green" id={`he-backup-${i}-verified`}>{_("verified")}</Label></>}
                        </Td>
                        <Td isActionCell>
                            <Button id={`he-backup-${i}-restore`} variant="secondary" size="sm" isDisabled={busy} onClick={() => onRestore(b)}>
                                {_("Restore")}
                            </Button>{" "}
                            <Button id={`he-backup-${i}-delete`} variant="link" isDanger size="sm" isDisabled={busy} onClick={() => onDelete(b)}>
                                {_("Delete")}
                            </Button>
                        </Td>
                    </Tr>
                );
            })}
        </Tbody>
    </Table>
);
