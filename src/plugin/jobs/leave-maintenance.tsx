// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";

const _ = cockpit.gettext;

/* Leaving global maintenance lets the HA agents start the engine VM: the last thing an administrator does. */
export const LeaveMaintenance = ({ idPrefix }: { idPrefix: string }) => {
    const [state, setState] = useState<"idle" | "busy" | "done">("idle");
    const [error, setError] = useState<HelperFailure | null>(null);
    const leave = async () => {
        setState("busy");
        setError(null);
        try {
            await call("set-maintenance", { mode: "none" });
            setState("done");
        } catch (err) {
            setError(asHelperFailure(err));
            setState("idle");
        }
    };
    return (
        <Stack hasGutter>
            {error &&
                <Alert id={`${idPrefix}-leave-maintenance-error`} isInline variant="danger" title={_("Global maintenance was not left")}>
                    <p>{error.title}</p>
                    {error.detail && <samp>{error.detail}</samp>}
                </Alert>}
            {state === "done"
                ? <Alert id={`${idPrefix}-maintenance-left`} isInline isPlain variant="success"
                         title={_("Global maintenance ended: the HA agents start the engine VM now. The Status tab shows when it is up.")} />
                : <div>
                    <Button id={`${idPrefix}-leave-maintenance`} variant="primary" isLoading={state === "busy"} isDisabled={state === "busy"}
                            onClick={leave}>
                        {state === "busy" ? _("Leaving global maintenance…") : _("Leave global maintenance")}
                    </Button>
                </div>}
        </Stack>
    );
};
