// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert, AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Card, CardBody, CardTitle } from "@patternfly/react-core/dist/esm/components/Card/index.js";
import { EmptyState, EmptyStateBody } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import cockpit from "../lib/cockpit";
import { EngineSummaryCard } from "./engine-summary-card";
import { HostsTable } from "./hosts-table";
import { MaintenanceCard } from "./maintenance-card";
import { NotHostedEngine } from "./not-hosted-engine";
import { useHostedEngineStatus } from "./use-hosted-engine-status";

const _ = cockpit.gettext;

export const StatusTab = () => {
    const { report, error, loading, refresh, setReport } = useHostedEngineStatus();

    const errorAlert = error &&
        <Alert id="he-status-error" isInline variant="danger" title={error.title}
               actionLinks={<AlertActionLink onClick={() => refresh()}>{_("Retry")}</AlertActionLink>}>
            {error.detail && <samp>{error.detail}</samp>}
            {report && <p>{_("The figures below are from the last successful refresh.")}</p>}
        </Alert>;

    if (!report) {
        if (loading)
            return <EmptyState id="he-status-loading" titleText={_("Reading the hosted-engine status")}
                               headingLevel="h2" icon={Spinner} />;
        return errorAlert;
    }

    if (!report.hostedEngineHost)
        return <NotHostedEngine configPath={report.configPath} />;

    return (
        <Stack hasGutter>
            {errorAlert}
            {report.globalMaintenance &&
                <Alert id="he-global-maintenance-banner" variant="warning" isInline
                       title={_("The cluster is in global maintenance")}>
                    {_("The HA agents will not start, stop or migrate the engine VM until global maintenance ends.")}
                </Alert>}
            <EngineSummaryCard report={report} />
            <MaintenanceCard report={report} onChanged={setReport} />
            <Card id="he-hosts-card">
                <CardTitle component="h2">{_("Hosts")}</CardTitle>
                <CardBody>
                    {report.hosts.length > 0
                        ? <HostsTable report={report} />
                        : <EmptyState headingLevel="h3" titleText={_("No hosts reported")}>
                            <EmptyStateBody>{_("ovirt-ha reports no hosts in the hosted-engine metadata.")}</EmptyStateBody>
                        </EmptyState>}
                </CardBody>
            </Card>
        </Stack>
    );
};
