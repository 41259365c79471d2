// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Every verb of the protocol as the command line knows it: its options, how
 * its input is read back from its arguments and stdin (the inverse of the
 * protocol's ENCODE), and what it runs. The table is typed from the protocol's
 * Verbs, so an output the page does not expect fails to compile. Verbs only
 * parse, call and hand back: what they do lives in jobs/, rollback/, upgrade/
 * and host/.
 */

import type { ParseArgsConfig } from "node:util";

import type { UpgradePlan, UpgradePlanInput, UpgradeSecrets } from "../../protocol/plans";
import type { VerbInput, VerbLine, VerbName, VerbOutput } from "../../protocol/verbs";
import type { HelperConfig } from "../config";
import { cancelJob, discardJob, followJob, listJobs, resumeJob, resumeNeedsSecrets, startJob } from "../jobs/control";
import { parseUpgradeSecrets } from "../jobs/kinds";
import { checkJobId } from "../jobs/store";
import { listBackups } from "../rollback/backups";
import { deleteBackup } from "../rollback/delete-backup";
import { parseDeleteBackupPlan, parseEngineLogin, parseRollbackPlan } from "../rollback/plan";
import { parsePlan, preflight } from "../upgrade/job";
import { readVmNetwork } from "../upgrade/vm-network";
import { appliances } from "./appliances";
import { checkEngineLogin } from "./engine-login";
import { checkSha1Option, inspectOva } from "./inspect-ova";
import { readiness } from "./readiness";
import { parseMode, setMaintenance, shutdownEngineVm } from "./set-maintenance";
import { status } from "./status";
import { validateBackup } from "./validate-backup";

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | undefined>;

/** A "no" that is not a failure (an unusable OVA, a failing preflight): the output is printed and the helper exits 1. */
export class Verdict<T> {
    constructor(readonly output: T, readonly ok: boolean) {}
}

/** What reading a verb's input may use besides its arguments. */
export interface InputSources {
    /** all of stdin; read only where the protocol sends something there, or the page's spawn would hang */
    stdin(): Promise<string>;
    config(): HelperConfig;
}

export interface VerbEntry<V extends VerbName> {
    options: Options;
    /** how many positional arguments the verb takes */
    positionals?: number;
    input(values: Values, positionals: string[], from: InputSources): Promise<VerbInput<V>>;
    /** `line` prints one JSON line before the output, for the verbs that have lines */
    run(input: VerbInput<V>, config: HelperConfig, line: (line: VerbLine<V>) => void): Promise<VerbOutput<V> | Verdict<VerbOutput<V>>>;
}

const noInput = async (): Promise<Record<string, never>> => ({});
const str = (value: string | boolean | undefined) => (typeof value === "string" ? value : undefined);
const jobInput = async (_values: Values, [id]: string[]) => ({ job: checkJobId(id) });

async function upgradePlan(from: InputSources): Promise<UpgradePlanInput> {
    const { plan, secrets } = parsePlan(await from.stdin());
    return { ...plan, ...secrets };
}

function splitPlan({ adminPassword, rootPassword, ...plan }: UpgradePlanInput): { plan: UpgradePlan; secrets: UpgradeSecrets } {
    return { plan, secrets: { adminPassword, rootPassword } };
}

/* --progress: one line at most every half second, and the last one, before the report. */
function throttled(line: (progress: { type: "progress"; done: number; total: number }) => void) {
    let last = 0;
    return (done: number, total: number) => {
        const now = Date.now();
        if (now - last >= 500 || done === total) {
            last = now;
            line({ type: "progress", done, total });
        }
    };
}

export const VERBS: { [V in VerbName]: VerbEntry<V> } = {
    status: { options: {}, input: noInput, run: (_input, config) => status(config) },
    "set-maintenance": {
        options: { mode: { type: "string" } },
        input: async values => ({ mode: parseMode(str(values.mode)) }),
        run: async ({ mode }, config) => {
            await setMaintenance(config, mode);
            return { mode, status: await status(config) };
        },
    },
    "shutdown-engine-vm": {
        options: {},
        input: noInput,
        run: async (_input, config) => {
            await shutdownEngineVm(config);
            return status(config);
        },
    },
    readiness: { options: {}, input: noInput, run: (_input, config) => readiness(config) },
    "vm-network": { options: {}, input: noInput, run: (_input, config) => readVmNetwork(config) },
    appliances: { options: {}, input: noInput, run: async (_input, config) => appliances(config) },
    "inspect-ova": {
        options: { sha1: { type: "string" }, progress: { type: "boolean" } },
        positionals: 1,
        input: async (values, [path]) => ({ path, sha1: checkSha1Option(str(values.sha1)), progress: values.progress === true }),
        run: async (input, config, line) => {
            const report = await inspectOva(config, input.path, input.sha1, input.progress ? throttled(line) : undefined);
            return new Verdict(report, report.problems.length === 0);
        },
    },
    "validate-backup": {
        options: {},
        positionals: 1,
        input: async (_values, [path]) => ({ path }),
        run: async (input, config) => {
            const report = await validateBackup(config, input.path);
            return new Verdict(report, report.problems.length === 0);
        },
    },
    preflight: {
        options: {},
        input: (_values, _positionals, from) => upgradePlan(from),
        run: async (input, config) => {
            const { plan, secrets } = splitPlan(input);
            // a dry run: the user's files are read in place, no copy is kept
            const report = await preflight(config, plan, secrets, { keepCopies: false });
            // the page shows the checks; the survey stays in the helper
            return new Verdict({ ok: report.ok, checks: report.checks }, report.ok);
        },
    },
    upgrade: {
        options: {},
        input: (_values, _positionals, from) => upgradePlan(from),
        run: async (input, config) => {
            const { plan, secrets } = splitPlan(input);
            const started = await startJob(config, "upgrade", plan, secrets);
            return new Verdict(started, started.job !== null);
        },
    },
    "engine-login": {
        options: {},
        input: async (_values, _positionals, from) => parseEngineLogin(await from.stdin()),
        run: (input, config) => checkEngineLogin(config, input.adminPassword),
    },
    backups: {
        options: { "ask-engine": { type: "boolean" } },
        input: async (values, _positionals, from) =>
            ({ adminPassword: values["ask-engine"] ? parseEngineLogin(await from.stdin()).adminPassword : null }),
        run: (input, config) => listBackups(config, input.adminPassword),
    },
    rollback: {
        options: {},
        input: async (_values, _positionals, from) => parseRollbackPlan(await from.stdin()),
        run: async (input, config) => {
            const started = await startJob(config, "rollback", input, {});
            return new Verdict(started, started.job !== null);
        },
    },
    "delete-backup": {
        options: {},
        input: async (_values, _positionals, from) => parseDeleteBackupPlan(await from.stdin()),
        run: ({ adminPassword, ...plan }, config) => deleteBackup(config, plan, adminPassword),
    },
    follow: {
        options: {},
        positionals: 1,
        input: jobInput,
        run: async (input, config, line) => {
            const end = await followJob(config, input.job, line);
            return new Verdict(end, end.state === "succeeded");
        },
    },
    jobs: { options: {}, input: noInput, run: async (_input, config) => listJobs(config) },
    cancel: { options: {}, positionals: 1, input: jobInput, run: async (input, config) => cancelJob(config, input.job) },
    resume: {
        options: {},
        positionals: 1,
        input: async (_values, [id], from) => {
            const job = checkJobId(id);
            return { job, secrets: resumeNeedsSecrets(from.config(), job) ? parseUpgradeSecrets(await from.stdin()) : null };
        },
        run: (input, config) => resumeJob(config, input.job, input.secrets),
    },
    discard: { options: {}, positionals: 1, input: jobInput, run: async (input, config) => discardJob(config, input.job) },
};
