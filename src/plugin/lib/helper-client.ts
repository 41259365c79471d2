// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Runs the privileged helper: `node <package dir>/helper.js VERB ...` as root.
 * The helper prints one JSON document; on failure {"error": {...}} and a non-zero
 * exit, which cockpit.spawn hands us as the rejection's second argument.
 */

import type { ErrorOutput } from "../../bridge-helper/api";
import type { ErrorReport } from "../../bridge-helper/errors";
import cockpit, { type ProcessError } from "./cockpit";

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

/** Runs a helper verb and returns its parsed JSON output. `input` goes to stdin (secrets only travel there). */
export async function runHelper<T>(args: string[], input?: string): Promise<T> {
    helperPath ??= locateHelper();
    let path: string;
    try {
        path = await helperPath;
    } catch (err) {
        helperPath = null; // installed later: look again next time
        throw err;
    }

    const process = cockpit.spawn(["node", path, ...args], { superuser: "require", err: "message" });
    if (input !== undefined)
        process.input(input);
    const stdout = await new Promise<string>((resolve, reject) => {
        process.then(resolve, (ex, data) => reject(failureFrom(ex, data)));
    });
    try {
        return JSON.parse(stdout) as T;
    } catch {
        throw new HelperFailure("spawn-failed", _("The hosted-engine helper printed something unexpected"),
                                stdout.slice(0, 500));
    }
}
