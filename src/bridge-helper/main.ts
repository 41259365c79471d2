// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * cockpit-hosted-engine helper: run as root by the Cockpit page through
 * cockpit.spawn(["node", ".../helper.js", VERB, ...], {superuser: "require"}).
 * Every verb prints one JSON document on stdout. Failures print {"error": {...}}
 * on stdout and exit 1 (2 for a malformed command line), never a stack trace.
 */

import fs from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

import { loadConfig } from "./config";
import { HelperError, toErrorReport } from "./errors";
import { attachCdrom } from "./formats/vm-conf";
import { appliances } from "./verbs/appliances";
import { checkSha1Option, inspectOva } from "./verbs/inspect-ova";
import { validateBackup } from "./verbs/validate-backup";
import { parsePlan } from "./upgrade/plan";
import { parseDeleteBackupPlan, parseEngineLogin, parseRollbackPlan } from "./rollback/plan";
import { listBackups } from "./verbs/backups";
import { deleteBackup } from "./verbs/delete-backup";
import { checkEngineLogin } from "./verbs/engine-login";
import { cancelJob, followJob, listJobs, resumeJob, runJobProcess, startRollback, startUpgrade } from "./verbs/jobs";
import { preflight } from "./upgrade/preflight";
import { readiness } from "./verbs/readiness";
import { parseMode, setMaintenance } from "./verbs/set-maintenance";
import { status } from "./verbs/status";

const USAGE = `Usage: node helper.js VERB [OPTIONS]

Verbs:
  status                                  the hosted-engine cluster as ovirt-ha sees it
  set-maintenance --mode global|local|none
                                          switch the maintenance mode through hosted-engine
  readiness                               what the upgrade needs now: global maintenance, the engine VM
                                          here, this host the SPM, and the engine disk's size
  appliances                              the installed engine appliances (*-appliance.conf)
  inspect-ova PATH [--sha1 HEX] [--progress]
                                          read an OVA once: sha1, OVF facts, problems (exit 1 when unusable)
  preflight                               read an upgrade plan (JSON) on stdin, run every check, change nothing
                                          (exit 1 when a check fails)
  upgrade                                 read the plan on stdin, run the preflight, and if it passes start
                                          the upgrade job detached; prints {"job": ID, "preflight": ...}
  engine-login                            check the admin@internal password ({"adminPassword": ...} on stdin)
  backups [--ask-engine]                  the backup disks on the storage domain, newest first
                                          (--ask-engine: {"adminPassword": ...} on stdin, to ask the engine)
  rollback                                read {"backup": IMG_UUID} on stdin, check, and start the restore job
                                          detached; prints {"job": ID, "preflight": ...}
  delete-backup                           read {"backup": IMG_UUID, "adminPassword": ..., "allowLastVerified": false}
                                          on stdin and delete that backup disk through the engine
  follow ID                               the job's events from its start, one JSON object a line, until it ends
  jobs                                    the running job and the past ones with their results
  cancel ID                               stop a job before its first destructive step
  resume ID                               continue a job that died (secrets again on stdin)
  validate-backup PATH                    check an engine-backup archive (exit 1 when unusable)
  vmconf-attach-cdrom VMCONF ISO          print VMCONF with its cdrom pointed at ISO (text)
  --help                                  this text

Configuration: $HE_HELPER_CONFIG, else /etc/cockpit-hosted-engine/helper.json,
else the paths of a real oVirt host.
`;

interface Verb {
    options: NonNullable<ParseArgsConfig["options"]>;
    /** how many positional arguments the verb takes */
    positionals?: number;
    /** prints the result as text instead of JSON */
    text?: boolean;
    run: (values: Record<string, string | boolean | undefined>, positionals: string[]) => Promise<unknown>;
}

const VERBS: Record<string, Verb> = {
    status: {
        options: {},
        run: () => status(loadConfig()),
    },
    "set-maintenance": {
        options: { mode: { type: "string" } },
        run: values => setMaintenance(loadConfig(), parseMode(values.mode as string | undefined)),
    },
    readiness: {
        options: {},
        run: () => readiness(loadConfig()),
    },
    appliances: {
        options: {},
        run: async () => appliances(loadConfig()),
    },
    "inspect-ova": {
        options: { sha1: { type: "string" }, progress: { type: "boolean" } },
        positionals: 1,
        run: async (values, [ova]) => {
            let last = 0;
            // with --progress, one {"type":"progress"} line at most every half second before the report
            const onProgress = values.progress
                ? (done: number, total: number) => {
                    const now = Date.now();
                    if (now - last >= 500 || done === total) {
                        last = now;
                        print({ type: "progress", done, total });
                    }
                }
                : undefined;
            const report = await inspectOva(loadConfig(), ova, checkSha1Option(values.sha1 as string | undefined), onProgress);
            return { result: report, exitCode: report.problems.length > 0 ? 1 : 0 };
        },
    },
    preflight: {
        options: {},
        run: async () => {
            const { plan, secrets } = parsePlan(await readStdin());
            const report = await preflight(loadConfig(), plan, secrets);
            // the page shows the checks; the survey stays in the helper
            return { result: { ok: report.ok, checks: report.checks }, exitCode: report.ok ? 0 : 1 };
        },
    },
    upgrade: {
        options: {},
        run: async () => {
            const { plan, secrets } = parsePlan(await readStdin());
            const started = await startUpgrade(loadConfig(), plan, secrets);
            return { result: started, exitCode: started.job ? 0 : 1 };
        },
    },
    "engine-login": {
        options: {},
        run: async () => checkEngineLogin(loadConfig(), parseEngineLogin(await readStdin())),
    },
    backups: {
        options: { "ask-engine": { type: "boolean" } },
        run: async values => listBackups(loadConfig(), values["ask-engine"] ? parseEngineLogin(await readStdin()) : null),
    },
    rollback: {
        options: {},
        run: async () => {
            const started = await startRollback(loadConfig(), parseRollbackPlan(await readStdin()));
            return { result: started, exitCode: started.job ? 0 : 1 };
        },
    },
    "delete-backup": {
        options: {},
        run: async () => {
            const { plan, adminPassword } = parseDeleteBackupPlan(await readStdin());
            return deleteBackup(loadConfig(), plan, adminPassword);
        },
    },
    "run-job": {
        options: {},
        positionals: 1,
        run: async (_values, [id]) => {
            const result = await runJobProcess(loadConfig(), id, await readStdin());
            return { result, exitCode: (result as { ok: boolean }).ok ? 0 : 1 };
        },
    },
    follow: {
        options: {},
        positionals: 1,
        run: async (_values, [id]) => {
            const summary = await followJob(loadConfig(), id, print);
            return { result: { type: "end", state: summary.state }, exitCode: summary.state === "succeeded" ? 0 : 1 };
        },
    },
    jobs: {
        options: {},
        run: async () => listJobs(loadConfig()),
    },
    cancel: {
        options: {},
        positionals: 1,
        run: async (_values, [id]) => cancelJob(loadConfig(), id),
    },
    resume: {
        options: {},
        positionals: 1,
        run: async (_values, [id]) => resumeJob(loadConfig(), id, await readStdin()),
    },
    "validate-backup": {
        options: {},
        positionals: 1,
        run: async (_values, [archive]) => {
            const report = await validateBackup(loadConfig(), archive);
            return { result: report, exitCode: report.problems.length > 0 ? 1 : 0 };
        },
    },
    "vmconf-attach-cdrom": {
        options: {},
        positionals: 2,
        text: true,
        run: async (_values, [vmConf, iso]) => attachCdrom(readInput(vmConf), iso, vmConf),
    },
};

/** All of stdin: where plans and secrets come from (never argv or the environment). */
async function readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin)
        chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
}

function readInput(file: string): string {
    if (!path.isAbsolute(file))
        throw new HelperError("usage", file, `"${file}" must be an absolute path`);
    try {
        return fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new HelperError("usage", file, `Cannot read ${file}`, (err as Error).message);
    }
}

interface Verdict {
    result: unknown;
    exitCode: number;
}

function isVerdict(value: unknown): value is Verdict {
    return typeof value === "object" && value !== null && "exitCode" in value && "result" in value;
}

function print(value: unknown): void {
    process.stdout.write(JSON.stringify(value) + "\n");
}

async function main(argv: string[]): Promise<number> {
    const [verbName, ...rest] = argv;
    if (verbName === "--help" || verbName === "-h" || verbName === "help") {
        process.stdout.write(USAGE);
        return 0;
    }
    const verb = verbName === undefined ? undefined : VERBS[verbName];
    try {
        if (!verb)
            throw new HelperError("usage", verbName ?? "(none)",
                                  verbName === undefined ? "No verb given; see --help" : `Unknown verb "${verbName}"; see --help`);
        let parsed;
        try {
            parsed = parseArgs({ args: rest, options: verb.options, strict: true, allowPositionals: (verb.positionals ?? 0) > 0 });
        } catch (err) {
            throw new HelperError("usage", verbName ?? "", (err as Error).message);
        }
        const expected = verb.positionals ?? 0;
        if (parsed.positionals.length !== expected)
            throw new HelperError("usage", verbName ?? "", `${verbName} takes ${expected} arguments, not ${parsed.positionals.length}; see --help`);
        const result = await verb.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
        if (verb.text) {
            process.stdout.write(String(result));
            return 0;
        }
        // a verb may report a finding that is not an error but still a "no" (exit 1), e.g. an unusable OVA
        if (isVerdict(result)) {
            print(result.result);
            return result.exitCode;
        }
        print(result);
        return 0;
    } catch (err) {
        const report = toErrorReport(err);
        print({ error: report });
        return report.code === "usage" ? 2 : 1;
    }
}

main(process.argv.slice(2)).then(code => { process.exitCode = code; });
