// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { EmptyState } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { Page, PageSection } from "@patternfly/react-core/dist/esm/components/Page/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Tab, TabTitleText, Tabs } from "@patternfly/react-core/dist/esm/components/Tabs/index.js";

import { AccessRequired } from "./common/access-required";
import { ToastProvider } from "./common/toasts";
import cockpit from "./lib/cockpit";
import { usePageLocation } from "./lib/use-page-location";
import { useSuperuser } from "./lib/use-superuser";
import { RollbackTab } from "./rollback/rollback-tab";
import { StatusTab } from "./status/status-tab";
import { UpgradeTab } from "./upgrade/upgrade-tab";

const _ = cockpit.gettext;

export const TABS = ["status", "upgrade", "rollback"] as const;
export type TabKey = typeof TABS[number];

export function tabFromPath(path: string[]): TabKey {
    return TABS.find(t => t === path[0]) ?? "status";
}

export const Application = () => {
    const { allowed, source } = useSuperuser();
    const { path } = usePageLocation();
    const active = tabFromPath(path);

    let body;
    if (allowed === null) {
        body = <EmptyState id="he-page-loading" headingLevel="h2" icon={Spinner} titleText={_("Loading")} />;
    } else if (!allowed) {
        body = <AccessRequired source={source} />;
    } else {
        body = (
            <Tabs id="he-tabs" activeKey={active} mountOnEnter unmountOnExit
                  onSelect={(_event, key) => cockpit.location.go([String(key)])}>
                <Tab eventKey="status" id="he-tab-status" title={<TabTitleText>{_("Status")}</TabTitleText>}>
                    <PageSection>
                        <StatusTab />
                    </PageSection>
                </Tab>
                <Tab eventKey="upgrade" id="he-tab-upgrade" title={<TabTitleText>{_("Upgrade")}</TabTitleText>}>
                    <PageSection>
                        <UpgradeTab />
                    </PageSection>
                </Tab>
                <Tab eventKey="rollback" id="he-tab-rollback" title={<TabTitleText>{_("Rollback")}</TabTitleText>}>
                    <PageSection>
                        <RollbackTab />
                    </PageSection>
                </Tab>
            </Tabs>
        );
    }

    return (
        <ToastProvider>
            <Page id="he-page" className="pf-m-no-sidebar">
                <PageSection>{body}</PageSection>
            </Page>
        </ToastProvider>
    );
};
