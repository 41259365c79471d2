// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Runs the privileged helper: `node <package dir>/helper.js VERB ...` as root.
 * The helper prints one JSON document; on failure {"error": {...}} and a non-zero
 * exit, which cockpit.spawn hands us as the rejection's second argument.
 */

import type { ErrorOutput } from "../../bridge-helper/api";
import type { ErrorReport } from "../../bridge-helper/errors";
import cockpit, { type ProcessError, type SpawnPromise } from "./cockpit";

const _ = cockpit.gettext;

/** The directory name this package is installed under in .../share/cockpit/. */
export const PACKAGE_DIR = "hosted-engine";

export class HelperFailure extends Error {
    readonly title: string;
    readonly detail: string;
    /** the helper's error code, or "access-denied" / "not-installed" / "spawn-failed" */
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

let helperPath: Promise<string> | null = null;

/*
 * Cockpit looks for packages in ~/.local/share, then /usr/local/share, then
 * /usr/share; the helper beside the page that is being served is the first of
 * those that exists.
 */
async function locateHelper(): Promise<string> {
    const user = await cockpit.user();
    const candidates = [
        `${user.home}/.local/share/cockpit/${PACKAGE_DIR}/helper.js`,
        `/usr/local/share/cockpit/${PACKAGE_DIR}/helper.js`,
        `/usr/share/cockpit/${PACKAGE_DIR}/helper.js`,
    ];
    for (const candidate of candidates) {
        const found = await cockpit.spawn(["test", "-f", candidate], { err: "ignore" })
                .then(() => true, () => false);
        if (found)
            return candidate;
    }
    throw new HelperFailure("not-installed", _("The hosted-engine helper is not installed"),
                            cockpit.format(_("None of these files exists: $0"), candidates.join(", ")));
}

function parseErrorOutput(stdout: string | undefined): ErrorReport | null {
    if (!stdout)
        return null;
    try {
        const parsed = JSON.parse(stdout.trim().split("\n").pop() ?? "") as Partial<ErrorOutput>;
        return parsed.error && typeof parsed.error.message === "string" ? parsed.error : null;
    } catch {
        return null;
    }
}

function failureFrom(ex: ProcessError, stdout: string | undefined): HelperFailure {
    const report = parseErrorOutput(stdout);
    if (report)
        return new HelperFailure(report.code, report.message, report.detail ?? "", report.what);
    if (ex.problem === "access-denied")
        return new HelperFailure("access-denied", _("Administrative access required"),
                                 _("The hosted-engine helper runs as root. Turn on administrative access and try again."));
    if (ex.problem)
        return new HelperFailure("spawn-failed", _("The hosted-engine helper could not be started"),
                                 ex.message || ex.problem);
    return new HelperFailure("spawn-failed", _("The hosted-engine helper failed"),
                             ex.message || cockpit.format(_("Exit status $0"), ex.exit_status ?? ex.exit_signal));
}

async function helperFile(): Promise<string> {
    helperPath ??= locateHelper();
    try {
        return await helperPath;
    } catch (err) {
        helperPath = null; // installed later: look again next time
        throw err;
    }
}

function parseOutput<T>(stdout: string): T {
    try {
        return JSON.parse(stdout) as T;
    } catch {
        throw new HelperFailure("spawn-failed", _("The hosted-engine helper printed something unexpected"),
                                stdout.slice(0, 500));
    }
}

/** Runs a helper verb and returns its parsed JSON output. `input` goes to stdin (secrets only travel there). */
export async function runHelper<T>(args: string[], input?: string): Promise<T> {
    const verdict = await runHelperVerdict<T>(args, input);
    if (!verdict.ok)
        throw new HelperFailure("spawn-failed", _("The hosted-engine helper failed"), cockpit.format(_("Exit status $0"), 1));
    return verdict.value;
}

/*
 * For verbs whose answer may be a "no" (validate-backup, inspect-ova,
 * preflight, upgrade): they print their report and exit 1, which is a finding
 * to show, not a failure of the helper.
 */
export async function runHelperVerdict<T>(args: string[], input?: string): Promise<{ ok: boolean; value: T }> {
    const path = await helperFile();
    const process = cockpit.spawn(["node", path, ...args], { superuser: "require", err: "message" });
    if (input !== undefined)
        process.input(input);
    return await new Promise<{ ok: boolean; value: T }>((resolve, reject) => {
        process.then(stdout => {
            try {
                resolve({ ok: true, value: parseOutput<T>(stdout) });
            } catch (err) {
                reject(err);
            }
        }, (ex, data) => {
            if (ex.problem === null && ex.exit_status === 1 && data && !parseErrorOutput(data)) {
                try {
                    resolve({ ok: false, value: parseOutput<T>(data) });
                    return;
                } catch { /* not a report: a failure like any other */ }
            }
            reject(failureFrom(ex, data));
        });
    });
}

export interface HelperStream {
    /** resolves with the last line when the verb ran to its end (whatever its exit status); rejects like runHelper */
    done: Promise<unknown>;
    /** stops following: closes the channel (the helper's job, if any, goes on) */
    close(): void;
}

/*
 * Runs a verb that prints one JSON object a line (`follow`, `inspect-ova
 * --progress`) and hands each to onLine as it arrives. cockpit's stream()
 * delivers chunks, not lines: keep the partial last line for the next chunk.
 */
export function streamHelper(args: string[], onLine: (value: unknown) => void, input?: string): HelperStream {
    let channel: SpawnPromise | null = null;
    let closed = false;
    const done = helperFile().then(path => new Promise<unknown>((resolve, reject) => {
        if (closed) {
            resolve(null);
            return;
        }
        let buffer = "";
        let last: unknown = null;
        // every line goes to onLine except the final error document, which becomes the rejection
        let lastLine = "";
        const take = (line: string) => {
            if (!line.trim())
                return;
            lastLine = line;
            try {
                last = JSON.parse(line);
            } catch {
                return;
            }
            if (!(typeof last === "object" && last !== null && "error" in last))
                onLine(last);
        };
        channel = cockpit.spawn(["node", path, ...args], { superuser: "require", err: "message" });
        channel.stream(chunk => {
            buffer += chunk;
            const lines = buffer.split("\n");
            buffer = lines.pop() ?? "";
            lines.forEach(take);
        });
        if (input !== undefined)
            channel.input(input);
        channel.then(() => {
            take(buffer);
            resolve(last);
        }, ex => {
            take(buffer);
            const report = parseErrorOutput(lastLine);
            if (closed)
                reject(new HelperFailure("closed", _("Stopped following"), ""));
            else if (!report && ex.problem === null && ex.exit_status !== null)
                resolve(last); // ran to its end with a "no" (e.g. a followed job that failed): its lines said why
            else
                reject(failureFrom(ex, lastLine));
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
