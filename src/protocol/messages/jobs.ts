// SPDX-License-Identifier: LGPL-2.1-or-later

import { N_ } from "./marker";

export const JOBS_MESSAGES = {
    "job.cancelled": N_("Cancelled before anything was changed"),
    "job.cancelled.next": N_("Nothing was changed on the host or the storage."),
    "job.fact-missing": N_("The step $step needs $fact, which no earlier step recorded"),
    "job.step-unknown": N_("The job has no step $step"),

    // starting, following and ending jobs
    "job.id-invalid": N_("\"$id\" is not a job id (like 20261125T031500-a1b2c3)"),
    "job.unknown": N_("There is no job $job"),
    "job.kind-unknown": N_("Job $job is of a kind this helper does not run ($kind)"),
    "job.another-running": N_("Another job is running: $job"),
    "job.already-running": N_("Job $job is already running"),
    "job.running": N_("Job $job is running"),
    "job.lock-failed": N_("Could not take the job lock $file"),
    "job.lock-handover": N_("Job $job was never handed the lock $file"),
    "job.not-started": N_("The job $job could not be started"),
    "job.not-running": N_("Job $job is not running ($state)"),
    "job.cancel-too-late": N_("Job $job has already changed the engine VM or its disk and cannot be cancelled. Let it finish; if it fails, roll back to its backup disk on the Rollback tab."),
    "job.cancel-requested": N_("Job $job stops before its next step"),
    "job.already-succeeded": N_("Job $job already succeeded"),

    // a job's files as a crash, a full disk or someone else left them
    "job.journal-line-unreadable": N_("Line $line of the journal of job $job cannot be read and was skipped (a crash may have torn it)"),
    "job.broken": N_("Job $job cannot be read: $reason"),
    "job.file-missing": N_("$file is missing"),
    "job.file-not-directory": N_("$file is not a directory"),
    "job.file-not-regular": N_("$file is not a regular file"),
    "job.file-too-large": N_("$file is larger than $limit bytes"),
    "job.file-unreadable": N_("$file cannot be read ($reason)"),
    "job.plan-invalid": N_("$file is not a job plan (not a JSON object)"),
} as const;
