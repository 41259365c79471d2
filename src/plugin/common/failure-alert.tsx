// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";

import type { HelperFailure } from "../lib/helper-client";

/* A failed helper call, inline where it happened: its title, and what the helper said in detail. */
export const FailureAlert = ({ id, failure, className }: { id: string; failure: HelperFailure | null; className?: string }) => (
    failure
        ? <Alert id={id} isInline variant="danger" title={failure.title} {...(className ? { className } : {})}>
            {failure.detail && <samp>{failure.detail}</samp>}
        </Alert>
        : null
);
