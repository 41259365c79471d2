// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Runs the privileged helper: `<absolute node> <package dir>/helper.js VERB ...` as root.
 * Each verb's arguments, stdin, output and lines are the protocol's (src/protocol/verbs.ts):
 * the page calls verbs by name with a typed input and gets a typed output. The
 * helper prints one JSON document; on failure {"error": {...}} and a non-zero
 * exit, which cockpit.spawn hands us as the rejection's second argument.
 */

import {
    ENCODE, isText, VERDICT_VERBS,
    type ErrorOutput, type ErrorReport, type VerbInput, type VerbLine, type VerbName, type VerbOutput, type Verbs,
} from "../../protocol";
import { renderText } from "../common/texts";
import cockpit, { type ProcessError, type SpawnPromise } from "./cockpit";
import { locateInterpreter } from "./helper-interpreter";
import { statOf, unsafeHelperReason, withParents } from "./root-owned";

export { unsafeHelperReason };

const _ = cockpit.gettext;

/** The directory name this package is installed under in .../share/cockpit/. */
export const PACKAGE_DIR = "hosted-engine";

export class HelperFailure extends Error {
    /** what went wrong, translated */
    readonly title: string;
    readonly detail: string;
    /** the helper's error code, or "access-denied" / "not-installed" / "spawn-failed" / "closed" */
    readonly code: string;
    readonly what: string | null;

    constructor(code: string, title: string, detail: string, what: string | null = null) {
        super(detail ? `${title}: ${detail}` : title);
        this.name = "HelperFailure";
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.what = what;
    }
}

/** Whatever a helper call threw, as a HelperFailure with a title to show. */
export function asHelperFailure(err: unknown): HelperFailure {
    return err instanceof HelperFailure ? err : new HelperFailure("internal", String(err), "");
}

/** What the page runs: a Node.js interpreter and the helper, both by absolute path. */
export interface HelperCommand {
    node: string;
    helper: string;
}

let helperPath: Promise<HelperCommand> | null = null;

/*
 * The helper runs as root, so it is run only from a system location that only
 * root can change: /usr/local/share (make install), /usr/libexec (the RPM, whose
 * helper sits beside its bundled Node.js) or /usr/share (another package), never from a user's ~/.local/share, where any user who can write their home
 * could plant code (a page in ~/.local/share still runs the system's helper).
 */
export const HELPER_LOCATIONS = [
    `/usr/local/share/cockpit/${PACKAGE_DIR}/helper.js`,
    "/usr/libexec/cockpit-hosted-engine/helper.js",
    `/usr/share/cockpit/${PACKAGE_DIR}/helper.js`,
];

async function locateHelper(): Promise<string> {
    const unsafe: string[] = [];
    for (const candidate of HELPER_LOCATIONS) {
        // stat as the logged-in user: what root would run, and who could have changed it
        const stat = await statOf(withParents(candidate));
        if (stat === null)
            continue;
        const reason = unsafeHelperReason(stat);
        if (reason === null)
            return candidate;
        unsafe.push(`${candidate}: ${reason}`);
    }
    if (unsafe.length > 0)
        throw new HelperFailure("not-installed", _("The hosted-engine helper is not safe to run as root"),
                                cockpit.format(_("$0. Reinstall the package (or run \"make install\" as root) so that only root can change the helper."),
                                               unsafe.join("; ")));
    throw new HelperFailure("not-installed", _("The hosted-engine helper is not installed"),
                            cockpit.format(_("None of these files exists: $0. The page runs the helper only from a system location."),
                                           HELPER_LOCATIONS.join(", ")));
}

async function locateHelperCommand(): Promise<HelperCommand> {
    const helper = await locateHelper();
    const node = await locateInterpreter();
    if (typeof node !== "string")
        throw new HelperFailure("not-installed", node.title, node.detail);
    return { node, helper };
}

/** Looks for the helper again at the next call (tests; the page finds it once per load). */
export function forgetHelperLocation(): void {
    helperPath = null;
}

async function helperFile(): Promise<HelperCommand> {
    helperPath ??= locateHelperCommand();
    try {
        return await helperPath;
    } catch (err) {
        helperPath = null; // installed later: look again next time
        throw err;
    }
}

/* The helper's error document, when the last line of its output is one. */
function parseErrorOutput(stdout: string | undefined): ErrorReport | null {
    if (!stdout)
        return null;
    try {
        const parsed = JSON.parse(stdout.trim().split("\n").pop() ?? "") as Partial<ErrorOutput> | null;
        return parsed?.error && typeof parsed.error.message === "string" ? parsed.error : null;
    } catch {
        return null;
    }
}

function failureFrom(ex: ProcessError, stdout: string | undefined): HelperFailure {
    const report = parseErrorOutput(stdout);
    if (report) {
        // translated by its message code; a helper older than the codes only has its English
        const title = isText(report.text) ? renderText(report.text) : report.message;
        return new HelperFailure(report.code, title, report.detail ?? "", report.what);
    }
    if (ex.problem === "access-denied")
        return new HelperFailure("access-denied", _("Administrative access required"),
                                 _("The hosted-engine helper runs as root. Turn on administrative access and try again."));
    if (ex.problem)
        return new HelperFailure("spawn-failed", _("The hosted-engine helper could not be started"),
                                 ex.message || ex.problem);
    return new HelperFailure("spawn-failed", _("The hosted-engine helper failed"),
                             ex.message || cockpit.format(_("Exit status $0"), ex.exit_status ?? ex.exit_signal));
}

function parseOutput<T>(stdout: string): T {
    try {
        return JSON.parse(stdout) as T;
    } catch {
        throw new HelperFailure("spawn-failed", _("The hosted-engine helper printed something unexpected"),
                                stdout.slice(0, 500));
    }
}

/* Starts one verb as root: its arguments and stdin as the protocol encodes its input. */
function spawnVerb<V extends VerbName>(command: HelperCommand, verb: V, input: VerbInput<V>): SpawnPromise {
    const encode: (input: VerbInput<V>) => { args: string[]; stdin?: string } = ENCODE[verb];
    const invocation = encode(input);
    const process = cockpit.spawn([command.node, command.helper, ...invocation.args], { superuser: "require", err: "message" });
    if (invocation.stdin !== undefined)
        process.input(invocation.stdin);
    return process;
}

export interface Verdict<T> {
    /** false: the helper said "no" (exit 1) and `value` is its report of why */
    ok: boolean;
    value: T;
}

async function run<V extends VerbName>(verb: V, input: VerbInput<V>): Promise<Verdict<VerbOutput<V>>> {
    const command = await helperFile();
    const process = spawnVerb(command, verb, input);
    const verdict = (VERDICT_VERBS as readonly VerbName[]).includes(verb);
    return await new Promise<Verdict<VerbOutput<V>>>((resolve, reject) => {
        process.then(stdout => {
            try {
                resolve({ ok: true, value: parseOutput<VerbOutput<V>>(stdout) });
            } catch (err) {
                reject(err);
            }
        }, (ex, data) => {
            if (verdict && ex.problem === null && ex.exit_status === 1 && data && !parseErrorOutput(data)) {
                try {
                    resolve({ ok: false, value: parseOutput<VerbOutput<V>>(data) });
                    return;
                } catch { /* not a report: a failure like any other */ }
            }
            reject(failureFrom(ex, data));
        });
    });
}

/** Runs a verb and returns its output; any non-zero exit is a HelperFailure. */
export async function call<V extends VerbName>(verb: V, input: VerbInput<V>): Promise<VerbOutput<V>> {
    const verdict = await run(verb, input);
    if (!verdict.ok)
        throw new HelperFailure("spawn-failed", _("The hosted-engine helper failed"), cockpit.format(_("Exit status $0"), 1));
    return verdict.value;
}

/*
 * For the verbs whose answer may be a "no" (VERDICT_VERBS: validate-backup,
 * inspect-ova, preflight, upgrade, rollback): they print their report and exit
 * 1, which is a finding to show, not a failure of the helper.
 */
export async function callVerdict<V extends VerbName>(verb: V, input: VerbInput<V>): Promise<Verdict<VerbOutput<V>>> {
    return await run(verb, input);
}

/** The verbs that print lines before their output. */
export type LineVerb = { [V in VerbName]: Verbs[V] extends { line: unknown } ? V : never }[VerbName];

/*
 * Which line of a line verb is its output rather than one more line: a verb
 * added to the protocol with lines fails to compile here until the page knows.
 */
const IS_OUTPUT: { [V in LineVerb]: (value: object) => boolean } = {
    follow: value => (value as { type?: unknown }).type === "end",
    "inspect-ova": value => (value as { type?: unknown }).type !== "progress",
};

export interface HelperStream<T> {
    /** the verb's output when it ran to its end (whatever its exit status); null if it printed none; rejects like call() */
    done: Promise<T | null>;
    /** stops following: closes the channel (the helper's job, if any, goes on) */
    close(): void;
}

/* What one run of a line verb has seen: its lines go to onLine, its output and error document are kept. */
function lineReader<V extends LineVerb>(verb: V, onLine: (line: VerbLine<V>) => void) {
    const seen = { output: null as VerbOutput<V> | null, lastLine: "" };
    let buffer = "";
    const take = (line: string) => {
        if (!line.trim())
            return;
        seen.lastLine = line;
        let value: unknown;
        try {
            value = JSON.parse(line);
        } catch {
            return;
        }
        if (typeof value !== "object" || value === null || "error" in value)
            return; // the error document becomes the rejection
        if (IS_OUTPUT[verb](value))
            seen.output = value as VerbOutput<V>;
        else
            onLine(value as VerbLine<V>);
    };
    // cockpit's stream() delivers chunks, not lines: keep the partial last line for the next chunk
    const chunk = (data: string) => {
        buffer += data;
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        lines.forEach(take);
    };
    const flush = () => {
        take(buffer);
        buffer = "";
    };
    return { seen, chunk, flush };
}

/*
 * Runs a verb that prints one JSON object a line (`follow`, `inspect-ova`
 * with progress) and hands each line to onLine as it arrives. Its last line,
 * the verb's output (follow's {"type": "end"}, inspect-ova's report), is not
 * a line: `done` resolves with it.
 */
export function stream<V extends LineVerb>(verb: V, input: VerbInput<V>, onLine: (line: VerbLine<V>) => void): HelperStream<VerbOutput<V>> {
    let channel: SpawnPromise | null = null;
    let closed = false;
    const done = helperFile().then(command => new Promise<VerbOutput<V> | null>((resolve, reject) => {
        if (closed) {
            resolve(null);
            return;
        }
        const reader = lineReader(verb, onLine);
        channel = spawnVerb(command, verb, input);
        channel.stream(reader.chunk);
        channel.then(() => {
            reader.flush();
            resolve(reader.seen.output);
        }, ex => {
            reader.flush();
            const report = parseErrorOutput(reader.seen.lastLine);
            if (closed)
                reject(new HelperFailure("closed", _("Stopped following"), ""));
            else if (!report && ex.problem === null && ex.exit_status !== null && reader.seen.output !== null)
                resolve(reader.seen.output); // ran to its end with a "no" (a failed job, an unusable OVA): its output says why
            else
                reject(failureFrom(ex, reader.seen.lastLine));
        });
    }));
    return {
        done,
        close() {
            closed = true;
            channel?.close();
        },
    };
}
