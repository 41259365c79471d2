// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { EmptyState, EmptyStateBody } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { WrenchIcon } from "@patternfly/react-icons/dist/esm/icons/wrench-icon.js";

/* Stands in for a tab whose feature is not built yet, and says what it will do. */
export const ComingSoonTab = ({ id, title, description }: { id: string; title: string; description: string }) => (
    <EmptyState id={id} headingLevel="h2" icon={WrenchIcon} titleText={title}>
        <EmptyStateBody>{description}</EmptyStateBody>
    </EmptyState>
);
