// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Following a helper job from the page. The job runs detached on the host; the
 * page only watches it with `helper follow ID`, which replays the journal from
 * the start and then streams until the job ends. Closing the tab stops the
 * watching, never the job; opening the page again attaches to it once more.
 */

import { useCallback, useEffect, useReducer, useState } from "react";

import type { FollowLine, JobsReport } from "../../protocol";
import { asHelperFailure, call, HelperFailure, stream } from "../lib/helper-client";
import { applyJobEvent, emptyJobView, type JobView } from "./job-view";

export type FollowState = "following" | "ended" | "lost";

export interface FollowedJob {
    view: JobView;
    state: FollowState;
    /** why following stopped before the job ended */
    error: HelperFailure | null;
    /** attach again after a lost connection */
    retry: () => void;
}

type Action = { type: "event"; event: FollowLine } | { type: "reset" };

function reducer(view: JobView, action: Action): JobView {
    return action.type === "reset" ? emptyJobView() : applyJobEvent(view, action.event);
}

export function useFollowJob(jobId: string | null): FollowedJob {
    const [view, dispatch] = useReducer(reducer, undefined, emptyJobView);
    const [state, setState] = useState<FollowState>("following");
    const [error, setError] = useState<HelperFailure | null>(null);
    const [generation, setGeneration] = useState(0);

    useEffect(() => {
        if (!jobId)
            return;
        let active = true;
        dispatch({ type: "reset" });
        setState("following");
        setError(null);
        const following = stream("follow", { job: jobId }, event => {
            if (active)
                dispatch({ type: "event", event });
        });
        following.done.then(() => {
            if (active)
                setState("ended");
        }, err => {
            if (active) {
                setError(asHelperFailure(err));
                setState("lost");
            }
        });
        return () => {
            active = false;
            following.close();
        };
    }, [jobId, generation]);

    const retry = useCallback(() => setGeneration(g => g + 1), []);
    return { view, state, error, retry };
}

export interface JobsList {
    report: JobsReport | null;
    error: HelperFailure | null;
    loading: boolean;
    reload: () => Promise<void>;
}

/* How often a tab that waits for another tab's job asks whether it ended. */
export const OTHER_JOB_POLL_MS = 5000;

/** The helper's `jobs`: the running job, if any, and the past ones, newest first. */
export function useJobs(): JobsList {
    const [report, setReport] = useState<JobsReport | null>(null);
    const [error, setError] = useState<HelperFailure | null>(null);
    const [loading, setLoading] = useState(true);

    const reload = useCallback(async () => {
        setLoading(true);
        try {
            setReport(await call("jobs", {}));
            setError(null);
        } catch (err) {
            setError(asHelperFailure(err));
        } finally {
            setLoading(false);
        }
    }, []);

    useEffect(() => {
        reload();
    }, [reload]);

    // while a job runs, look again now and then: it may be another tab's, or another browser's
    const someRunning = report?.running ?? null;
    useEffect(() => {
        if (!someRunning)
            return;
        const timer = setInterval(reload, OTHER_JOB_POLL_MS);
        return () => clearInterval(timer);
    }, [someRunning, reload]);

    return { report, error, loading, reload };
}
