// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Label } from "@patternfly/react-core/dist/esm/components/Label/index.js";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table/dist/esm/components/Table/index.js";

import type { StatusReport } from "../../protocol";
import { HaWords } from "../common/ha-words";
import cockpit from "../lib/cockpit";
import { hostViews, type Severity } from "./status-view";

const _ = cockpit.gettext;

const LABEL_COLOR: Record<Severity, "green" | "orange" | "red" | "blue"> = {
    success: "green",
    warning: "orange",
    danger: "red",
    info: "blue",
};

export const HostsTable = ({ report }: { report: StatusReport }) => {
    const views = hostViews(report);
    return (
        <Table id="he-hosts-table" aria-label={_("Hosted-engine hosts")} variant="compact">
            <Thead>
                <Tr>
                    <Th modifier="wrap">{_("ID")}</Th>
                    <Th modifier="wrap">{_("Host")}</Th>
                    <Th modifier="wrap">{_("Score")}</Th>
                    <Th modifier="wrap">{_("Engine VM")}</Th>
                    <Th modifier="wrap">{_("Agent state")}</Th>
                    <Th modifier="wrap">{_("Local maintenance")}</Th>
                </Tr>
            </Thead>
            <Tbody>
                {views.map(view => {
                    const id = view.host.id;
                    return (
                        <Tr key={id} id={`host-${id}-row`}>
                            <Td dataLabel={_("ID")}>{id}</Td>
                            <Td dataLabel={_("Host")} id={`host-${id}-hostname`}>
                                {view.host.hostname}
                                {view.isThisHost && <> <Label isCompact color="blue" id={`host-${id}-this`}>{_("this host")}</Label></>}
                            </Td>
                            <Td dataLabel={_("Score")} id={`host-${id}-score`}>{view.host.score}</Td>
                            <Td dataLabel={_("Engine VM")}>
                                <Label isCompact color={LABEL_COLOR[view.engineSeverity]} id={`host-${id}-engine`}>
                                    {view.engineText}
                                </Label>
                                {view.engineReason && <> <HaWords id={`host-${id}-engine-reason`} words={view.engineReason} /></>}
                            </Td>
                            <Td dataLabel={_("Agent state")}>
                                <Label isCompact color={LABEL_COLOR[view.stateSeverity]} id={`host-${id}-state`}>
                                    {view.stateText}
                                </Label>
                            </Td>
                            <Td dataLabel={_("Local maintenance")} id={`host-${id}-maintenance`}>
                                {view.host.localMaintenance ? _("yes") : _("no")}
                            </Td>
                        </Tr>
                    );
                })}
            </Tbody>
        </Table>
    );
};
