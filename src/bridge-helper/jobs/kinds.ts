// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The kinds of job the helper runs, each by what differs: the checks before
 * it, the plan stored with it, its steps, whether its process needs secrets
 * on stdin, and what else ends for good when it succeeds. Starting, running,
 * resuming and discarding are the same for every kind (control.ts).
 */

import type { Check } from "../../protocol/checks";
import type { RollbackPlan, UpgradePlan, UpgradeSecrets } from "../../protocol/plans";
import type { JobKindName, RollbackFacts, UpgradeFacts } from "../../protocol/steps";
import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { HelperError } from "../errors";
import { rollbackChecks, type RollbackSurvey } from "../rollback/checks";
import { rollbackKind, type NoSecrets, type RollbackJobPlan } from "../rollback/steps";
import { fieldError, parseJsonObject } from "../stdin-json";
import { adoptCopies, preflight, upgradeKind, type Survey, type UpgradeJobPlan } from "../upgrade/job";
import type { JobKind } from "./runner";
import type { JobStore } from "./store";

/** What the checks before a job found: every check for the page, and the survey the job starts from when all passed. */
export interface JobChecks<Survey> {
    ok: boolean;
    checks: Check[];
    survey: Survey | null;
}

export interface JobKindEntry<Input, Secrets, Stored, Facts, Survey> {
    /** runs every check; changes nothing */
    check(config: HelperConfig, input: Input, secrets: Secrets): Promise<JobChecks<Survey>>;
    /** the plan stored with the job (never a secret): the input, what the checks found, where its work files go */
    stored(input: Input, survey: Survey, workDir: string): Stored;
    steps(config: HelperConfig): JobKind<Stored, Secrets, Facts>;
    /** how the job's process reads its secrets from its stdin; null: the kind has none and nothing is read */
    secrets: ((stdin: string) => Secrets) | null;
    /** what else is over once a job of this kind succeeded (its own work files always are) */
    succeeded(store: JobStore): void;
}

/** The secrets an upgrade needs again to resume, on stdin as {"adminPassword": ..., "rootPassword": ...}. */
export function parseUpgradeSecrets(source: string): UpgradeSecrets {
    const obj = parseJsonObject(source, "resume input", ["adminPassword", "rootPassword"]);
    if (typeof obj.adminPassword !== "string" || obj.adminPassword === "")
        throw fieldError("resume input", "adminPassword", "input.resume-password");
    if (obj.rootPassword !== undefined && obj.rootPassword !== null && typeof obj.rootPassword !== "string")
        throw fieldError("resume input", "rootPassword", "input.string");
    return { adminPassword: obj.adminPassword, rootPassword: obj.rootPassword ?? null };
}

type UpgradeEntry = JobKindEntry<UpgradePlan, UpgradeSecrets, UpgradeJobPlan, UpgradeFacts, Survey>;
type RollbackEntry = JobKindEntry<RollbackPlan, NoSecrets, RollbackJobPlan, RollbackFacts, RollbackSurvey>;

const upgrade: UpgradeEntry = {
    check: preflight,
    // the preflight's private copies of the user's files move into the job's own directory
    stored: (plan, survey, workDir) => ({ plan, survey: adoptCopies(survey, workDir), workDir }),
    steps: upgradeKind,
    secrets: parseUpgradeSecrets,
    succeeded: () => {},
};

const rollback: RollbackEntry = {
    check: (config, plan) => rollbackChecks(config, plan),
    stored: (plan, survey) => ({ plan, survey }),
    steps: rollbackKind,
    secrets: null,
    // the upgrades it undid are not resumed any more: what they extracted only takes space
    succeeded: store => {
        for (const id of store.ids()) {
            try {
                if (store.plan<{ kind?: string }>(id).kind === "upgrade")
                    store.removeWork(id);
            } catch {
                // a broken job: listed as such, its files left for the administrator to look at
            }
        }
    },
};

export const JOB_KINDS: { upgrade: UpgradeEntry; rollback: RollbackEntry } = { upgrade, rollback };

/** The input a job of kind K starts from, and its secrets. */
export type JobInput<K extends JobKindName> = Parameters<(typeof JOB_KINDS)[K]["check"]>[1];
export type JobSecrets<K extends JobKindName> = Parameters<(typeof JOB_KINDS)[K]["check"]>[2];

/* What the kind-independent code sees of an entry: the types are the entry's own business. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobKindEntry = JobKindEntry<any, any, any, any, any>;

/** The entry for a stored job's kind; a job of an unknown kind (a newer helper's) is refused. */
export function jobKindEntry(kind: string | undefined, job: string): AnyJobKindEntry {
    if (kind === "upgrade" || kind === "rollback")
        return JOB_KINDS[kind];
    throw new HelperError("refused", job, text("job.kind-unknown", { job, kind: kind ?? "none" }));
}
