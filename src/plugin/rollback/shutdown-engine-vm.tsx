// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useEffect, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

import { FailureAlert } from "../common/failure-alert";
import { useSince } from "../common/use-since";
import { formatDuration } from "../jobs/format";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";

const _ = cockpit.gettext;

const POLL_MS = 3000;

/*
 * The restore needs the engine VM down: shut it down from the page, as
 * hosted-engine --vm-shutdown does, and say when it is (in global maintenance
 * the HA agents leave it down). The checks above it stay as they were until
 * Restore runs them again.
 */
export const ShutdownEngineVm = () => {
    const [state, setState] = useState<"idle" | "asking" | "waiting" | "down">("idle");
    const [error, setError] = useState<HelperFailure | null>(null);
    const elapsed = useSince("rollback-shutdown", state === "waiting" ? "shutting-down" : null);

    useEffect(() => {
        if (state !== "waiting")
            return undefined;
        let stopped = false;
        const poll = async () => {
            try {
                const status = await call("status", {});
                if (!stopped && status.engineHostId === null && !status.engineVmOnThisHost) {
                    stopped = true;
                    setState("down");
                }
            } catch (err) {
                if (!stopped)
                    setError(asHelperFailure(err));
            }
        };
        const timer = setInterval(poll, POLL_MS);
        return () => {
            stopped = true;
            clearInterval(timer);
        };
    }, [state]);

    const shutdown = async () => {
        setState("asking");
        setError(null);
        try {
            await call("shutdown-engine-vm", {});
            setState("waiting");
        } catch (err) {
            setError(asHelperFailure(err));
            setState("idle");
        }
    };

    if (state === "down")
        return <Alert id="he-shutdown-engine-vm-done" isInline isPlain variant="success" title={_("The engine VM is down: press Restore again.")} />;
    return (
        <Stack hasGutter>
            <FailureAlert id="he-shutdown-engine-vm-error" failure={error} />
            {state === "waiting"
                ? <p id="he-shutdown-engine-vm-waiting">
                    <Spinner size="md" />{" "}
                    {cockpit.format(_("The engine VM is shutting down ($0)…"), formatDuration(elapsed ?? 0))}
                </p>
                : <div>
                    <Button id="he-shutdown-engine-vm" variant="secondary" isDanger isLoading={state === "asking"}
                            isDisabled={state === "asking"} onClick={shutdown}>
                        {_("Shut down the engine VM on this host")}
                    </Button>
                </div>}
        </Stack>
    );
};
