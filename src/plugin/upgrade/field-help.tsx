// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { FormHelperText } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { HelperText, HelperTextItem } from "@patternfly/react-core/dist/esm/components/HelperText/index.js";

/* Under a field: what is wrong with it, or else how to fill it in. */
export const FieldHelp = ({ error, help }: { error?: string | undefined; help?: string }) => (
    error || help
        ? <FormHelperText>
            <HelperText>
                <HelperTextItem variant={error ? "error" : "default"}>{error ?? help}</HelperTextItem>
            </HelperText>
        </FormHelperText>
        : null
);
