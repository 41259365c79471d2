// SPDX-License-Identifier: LGPL-2.1-or-later

import { N_ } from "./marker";

export const JOBS_MESSAGES = {
    "job.cancelled": N_("Cancelled before anything was changed"),
    "job.cancelled.next": N_("Nothing was changed on the host or the storage."),
    "job.fact-missing": N_("The step $step needs $fact, which no earlier step recorded"),
    "job.step-unknown": N_("The job has no step $step"),
} as const;
