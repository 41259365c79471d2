// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The helper's status report, refreshed every 5 seconds while the page is
 * visible. A failed refresh keeps the last good report and exposes the error, so
 * a passing broker hiccup does not blank the page.
 */

import { useCallback, useEffect, useRef, useState } from "react";

import type { StatusReport } from "../../protocol";
import cockpit from "../lib/cockpit";
import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";

export const REFRESH_INTERVAL_MS = 5000;

export interface HostedEngineStatus {
    report: StatusReport | null;
    error: HelperFailure | null;
    loading: boolean;
    refresh: () => Promise<void>;
    /** replaces the report with one the caller already has (e.g. from set-maintenance) */
    setReport: (report: StatusReport) => void;
}

export function useHostedEngineStatus(): HostedEngineStatus {
    const [report, setReportState] = useState<StatusReport | null>(null);
    const [error, setError] = useState<HelperFailure | null>(null);
    const [loading, setLoading] = useState(true);
    const mounted = useRef(true);
    const inFlight = useRef(false);

    const refresh = useCallback(async () => {
        if (inFlight.current)
            return;
        inFlight.current = true;
        try {
            const fresh = await call("status", {});
            if (mounted.current) {
                setReportState(fresh);
                setError(null);
            }
        } catch (err) {
            if (mounted.current)
                setError(asHelperFailure(err));
        } finally {
            inFlight.current = false;
            if (mounted.current)
                setLoading(false);
        }
    }, []);

    const setReport = useCallback((fresh: StatusReport) => {
        setReportState(fresh);
        setError(null);
    }, []);

    useEffect(() => {
        mounted.current = true;
        let timer: ReturnType<typeof setInterval> | null = null;
        const start = () => {
            if (timer === null && !cockpit.hidden) {
                refresh();
                timer = setInterval(refresh, REFRESH_INTERVAL_MS);
            }
        };
        const stop = () => {
            if (timer !== null) {
                clearInterval(timer);
                timer = null;
            }
        };
        const onVisibility = () => (cockpit.hidden ? stop() : start());

        start();
        cockpit.addEventListener("visibilitychange", onVisibility);
        return () => {
            mounted.current = false;
            stop();
            cockpit.removeEventListener("visibilitychange", onVisibility);
        };
    }, [refresh]);

    return { report, error, loading, refresh, setReport };
}
