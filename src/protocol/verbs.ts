// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Every verb of the helper: its input, its output, and how the input travels
 * (command-line arguments for what is not secret, stdin JSON for plans and
 * secrets). The page calls verbs only through these declarations and the helper's
 * command line is typed from them, so an output the page does not follow fails
 * to compile. "verdict" verbs print their report and exit 1 for a "no"
 * (an unusable OVA, a failing preflight); "lines" verbs print one JSON object a
 * line before their output.
 */

import type { ChecksReport } from "./checks";
import type { FollowEnd, FollowLine, JobsReport } from "./events";
import type { VmNetworkReport } from "./network";
import type { DeleteBackupInput, EngineLoginInput, RollbackPlan, UpgradePlanInput, UpgradeSecrets } from "./plans";
import type {
    AppliancesReport, BackupReport, BackupsReport, CancelResult, DeleteBackupResult, EngineLoginResult, JobRef,
    MaintenanceMode, OvaReport, ReadinessReport, ReadProgress, SetMaintenanceResult, StatusReport,
} from "./reports";

/** What `upgrade` and `rollback` print: the checks, and the job when they passed. */
export interface JobStart {
    job: string | null;
    preflight: ChecksReport;
}

type NoInput = Record<string, never>;

export interface Verbs {
    status: { input: NoInput; output: StatusReport };
    "set-maintenance": { input: { mode: MaintenanceMode }; output: SetMaintenanceResult };
    /** hosted-engine --vm-shutdown on this host: the engine VM shuts down from within; answers the status then */
    "shutdown-engine-vm": { input: NoInput; output: StatusReport };
    readiness: { input: NoInput; output: ReadinessReport };
    /** the engine VM's network and identity as the deploy's answers give them */
    "vm-network": { input: NoInput; output: VmNetworkReport };
    appliances: { input: NoInput; output: AppliancesReport };
    "inspect-ova": { input: { path: string; sha1: string | null; progress: boolean }; output: OvaReport; line: ReadProgress };
    "validate-backup": { input: { path: string }; output: BackupReport };
    preflight: { input: UpgradePlanInput; output: ChecksReport };
    upgrade: { input: UpgradePlanInput; output: JobStart };
    "engine-login": { input: EngineLoginInput; output: EngineLoginResult };
    backups: { input: { adminPassword: string | null }; output: BackupsReport };
    rollback: { input: RollbackPlan; output: JobStart };
    "delete-backup": { input: DeleteBackupInput; output: DeleteBackupResult };
    follow: { input: { job: string }; output: FollowEnd; line: FollowLine };
    jobs: { input: NoInput; output: JobsReport };
    cancel: { input: { job: string }; output: CancelResult };
    /** an upgrade needs its secrets again; a rollback has none */
    resume: { input: { job: string; secrets: UpgradeSecrets | null }; output: JobRef };
    /** removes a job's work files (the extracted appliance, the seed) for good; a resume makes them again */
    discard: { input: { job: string }; output: JobRef };
}

export type VerbName = keyof Verbs;
export type VerbInput<V extends VerbName> = Verbs[V]["input"];
export type VerbOutput<V extends VerbName> = Verbs[V]["output"];
export type VerbLine<V extends VerbName> = Verbs[V] extends { line: infer L } ? L : never;

/** The command line of one call: arguments after the helper's path, and what goes to stdin. */
export interface Invocation {
    args: string[];
    stdin?: string;
}

const json = (value: unknown) => JSON.stringify(value);

export const ENCODE: { [V in VerbName]: (input: VerbInput<V>) => Invocation } = {
    status: () => ({ args: ["status"] }),
    "set-maintenance": input => ({ args: ["set-maintenance", "--mode", input.mode] }),
    "shutdown-engine-vm": () => ({ args: ["shutdown-engine-vm"] }),
    readiness: () => ({ args: ["readiness"] }),
    "vm-network": () => ({ args: ["vm-network"] }),
    appliances: () => ({ args: ["appliances"] }),
    "inspect-ova": input => ({
        args: ["inspect-ova", input.path, ...(input.sha1 ? ["--sha1", input.sha1] : []), ...(input.progress ? ["--progress"] : [])],
    }),
    "validate-backup": input => ({ args: ["validate-backup", input.path] }),
    preflight: input => ({ args: ["preflight"], stdin: json(input) }),
    upgrade: input => ({ args: ["upgrade"], stdin: json(input) }),
    "engine-login": input => ({ args: ["engine-login"], stdin: json(input) }),
    backups: input => (input.adminPassword === null ? { args: ["backups"] }
        : { args: ["backups", "--ask-engine"], stdin: json({ adminPassword: input.adminPassword }) }),
    rollback: input => ({ args: ["rollback"], stdin: json(input) }),
    "delete-backup": input => ({ args: ["delete-backup"], stdin: json(input) }),
    follow: input => ({ args: ["follow", input.job] }),
    jobs: () => ({ args: ["jobs"] }),
    cancel: input => ({ args: ["cancel", input.job] }),
    resume: input => ({ args: ["resume", input.job], ...(input.secrets ? { stdin: json(input.secrets) } : {}) }),
    discard: input => ({ args: ["discard", input.job] }),
};

/** Verbs whose "no" is a report to show (exit 1 with their output), not a failure. */
export const VERDICT_VERBS = ["inspect-ova", "validate-backup", "preflight", "upgrade", "rollback"] as const satisfies readonly VerbName[];
export type VerdictVerb = typeof VERDICT_VERBS[number];
