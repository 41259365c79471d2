// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import { FailureAlert } from "../common/failure-alert";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";

const _ = cockpit.gettext;

/*
 * A failed or stopped upgrade keeps its work files (the extracted appliance
 * disk, the cloud-init seed) so a resume goes on where it stopped. Discarding
 * them frees the space; a resume makes them again.
 */
export const DiscardWorkFiles = ({ jobId, idPrefix }: { jobId: string; idPrefix: string }) => {
    const [state, setState] = useState<"idle" | "busy" | "done">("idle");
    const [error, setError] = useState<HelperFailure | null>(null);

    const discard = async () => {
        setState("busy");
        setError(null);
        try {
            await call("discard", { job: jobId });
            setState("done");
        } catch (err) {
            setError(asHelperFailure(err));
            setState("idle");
        }
    };

    if (state === "done")
        return <Alert id={`${idPrefix}-discarded`} isInline isPlain variant="success"
                      title={_("The job's work files were removed. A resume makes them again.")} />;

    return (
        <Stack hasGutter>
            <FailureAlert id={`${idPrefix}-discard-error`} failure={error} />
            <div>
                <Button id={`${idPrefix}-discard`} variant="secondary" isLoading={state === "busy"} isDisabled={state === "busy"}
                        onClick={discard}>
                    {state === "busy" ? _("Discarding work files…") : _("Discard work files")}
                </Button>
            </div>
        </Stack>
    );
};
