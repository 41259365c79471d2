// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The helper's command line: which verb, its arguments checked against the
 * verb's options, its input read back, its output printed as one JSON
 * document. Failures print {"error": {...}} on stdout and exit 1 (2 for a
 * malformed command line), never a stack trace. Two verbs are the helper's
 * own, not the page's: run-job (a job's detached process) and
 * vmconf-attach-cdrom (for tests and by hand).
 */

import { parseArgs } from "node:util";

import { text } from "../../protocol/text";
import type { VerbInput, VerbName } from "../../protocol/verbs";
import { loadConfig, type HelperConfig } from "../config";
import { HelperError, toErrorReport } from "../errors";
import { attachCdrom } from "../formats/vm-conf";
import { sizeLimit, USER_FILE_LIMITS, userPathProblem, withUserFile } from "../host/user-file";
import { runJobProcess } from "../jobs/control";
import { VERBS, Verdict, type InputSources, type Options, type Values, type VerbEntry } from "./table";
import { USAGE } from "./usage";

/** A parsed command line: the verb and its input. */
export type Invocation = { [V in VerbName]: { verb: V; input: VerbInput<V> } }[VerbName];

interface InternalVerb {
    options: Options;
    positionals: number;
    run(positionals: string[], from: InputSources): Promise<string | Verdict<unknown>>;
}

const INTERNAL_VERBS: Record<string, InternalVerb> = {
    "run-job": {
        options: {},
        positionals: 1,
        run: async ([id], from) => {
            const result = await runJobProcess(from.config(), id, await from.stdin());
            return new Verdict(result, result.ok);
        },
    },
    "vmconf-attach-cdrom": {
        options: {},
        positionals: 2,
        run: async ([vmConf, iso]) => attachCdrom(await readInput(vmConf), iso, vmConf),
    },
};

/* vm.conf for vmconf-attach-cdrom: a user's file, read once through one descriptor and at most USER_FILE_LIMITS.vmConf. */
async function readInput(file: string): Promise<string> {
    if (userPathProblem(file) === "relative")
        throw new HelperError("usage", file, text("verbs.input-relative", { path: file }));
    return withUserFile(file, file, USER_FILE_LIMITS.vmConf, input => input.readText());
}

/** All of stdin: where plans and secrets come from (never argv or the environment); refused above USER_FILE_LIMITS.stdin. */
async function readStdin(): Promise<string> {
    const limit = USER_FILE_LIMITS.stdin;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        // what is above the limit is read and dropped, so the sender is not cut off mid-write
        if (size <= limit)
            chunks.push(chunk as Buffer);
    }
    if (size > limit)
        throw new HelperError("usage", "stdin", text("user-file.stdin-too-large", { limit: sizeLimit(limit) }));
    return Buffer.concat(chunks).toString("utf8");
}

/* A verb's arguments checked against its options and positional count. */
function parseVerbArgs(verb: string, args: string[], options: Options, positionals: number): { values: Values; positionals: string[] } {
    let parsed;
    try {
        parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals > 0 });
    } catch (err) {
        throw new HelperError("usage", verb, text("verbs.bad-option", { verb, reason: (err as Error).message }));
    }
    if (parsed.positionals.length !== positionals)
        throw new HelperError("usage", verb, text("verbs.arguments", { verb, expected: positionals, given: parsed.positionals.length }));
    return { values: parsed.values as Values, positionals: parsed.positionals };
}

function isVerb(name: string): name is VerbName {
    return Object.hasOwn(VERBS, name);
}

/** The verb and input of a protocol command line (args after the helper's path): what ENCODE made, read back. */
export async function parseInvocation(args: string[], from: InputSources): Promise<Invocation> {
    const [verb, ...rest] = args;
    if (verb === undefined)
        throw new HelperError("usage", "(none)", text("verbs.none"));
    if (!isVerb(verb))
        throw new HelperError("usage", verb, text("verbs.unknown", { verb }));
    const entry = VERBS[verb] as VerbEntry<VerbName>;
    const parsed = parseVerbArgs(verb, rest, entry.options, entry.positionals ?? 0);
    return { verb, input: await entry.input(parsed.values, parsed.positionals, from) } as Invocation;
}

function print(value: unknown): void {
    process.stdout.write(JSON.stringify(value) + "\n");
}

/* Prints what a verb handed back; its exit code. */
function printOutput(output: unknown): number {
    if (typeof output === "string") {
        process.stdout.write(output);
        return 0;
    }
    if (output instanceof Verdict) {
        print(output.output);
        return output.ok ? 0 : 1;
    }
    print(output);
    return 0;
}

async function dispatch(args: string[], from: InputSources): Promise<unknown> {
    const [name, ...rest] = args;
    if (name !== undefined && Object.hasOwn(INTERNAL_VERBS, name)) {
        const internal = INTERNAL_VERBS[name];
        const parsed = parseVerbArgs(name, rest, internal.options, internal.positionals);
        return internal.run(parsed.positionals, from);
    }
    const { verb, input } = await parseInvocation(args, from);
    const entry = VERBS[verb] as VerbEntry<VerbName>;
    return entry.run(input, from.config(), print);
}

/** Runs one command line; the exit code. */
export async function runCli(args: string[]): Promise<number> {
    if (["--help", "-h", "help"].includes(args[0] ?? "")) {
        process.stdout.write(USAGE);
        return 0;
    }
    let config: HelperConfig | null = null;
    const from: InputSources = {
        stdin: readStdin,
        config: () => (config ??= loadConfig()),
    };
    try {
        return printOutput(await dispatch(args, from));
    } catch (err) {
        const report = toErrorReport(err);
        print({ error: report });
        return report.code === "usage" ? 2 : 1;
    }
}
