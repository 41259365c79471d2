// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The helper's interpreter, by absolute path: Cockpit 195 starts the superuser
 * bridge through pkexec, which resets PATH, so "node" is not dependable. First
 * the one an administrator named in INTERPRETER_CONFIG, then the one the
 * package brings, then a system node; each only if root owns it (it runs as
 * root) and it is Node 16.17 or later (the helper's floor, README).
 */
import cockpit from "./cockpit";
import { statOf, unsafeHelperReason, withParents } from "./root-owned";

const _ = cockpit.gettext;

export const INTERPRETER_CONFIG = "/etc/cockpit-hosted-engine/interpreter";
export const BUNDLED_NODE = "/usr/libexec/cockpit-hosted-engine/node/bin/node";
export const SYSTEM_NODES = ["/usr/bin/node", "/usr/local/bin/node"];
const NODE_FLOOR = [16, 17];

/** Whether `node --version`'s output is the helper's floor or later. */
export function nodeIsNewEnough(version: string): boolean {
    const match = /^v(\d+)\.(\d+)\./.exec(version.trim());
    if (!match)
        return false;
    const [major, minor] = [Number(match[1]), Number(match[2])];
    return major > NODE_FLOOR[0] || (major === NODE_FLOOR[0] && minor >= NODE_FLOOR[1]);
}

/* Why `candidate` cannot run the helper, or its real path; null when there is none. */
async function checkInterpreter(candidate: string): Promise<{ node: string } | { problem: string } | null> {
    // a symbolic link (Debian's /usr/bin/node) is judged by what it points to, and each directory above that
    const real = await cockpit.spawn(["realpath", "-e", "--", candidate], { err: "ignore" }).then(out => out.trim(), () => "");
    if (!real.startsWith("/"))
        return null;
    const stat = await statOf(withParents(real));
    const reason = stat === null ? cockpit.format(_("$0 cannot be examined"), real) : unsafeHelperReason(stat);
    if (reason !== null)
        return { problem: reason };
    const version = await cockpit.spawn([real, "--version"], { err: "ignore" }).then(out => out.trim(), () => "");
    if (!nodeIsNewEnough(version))
        return { problem: cockpit.format(_("$0 is Node.js $1, older than 16.17"), candidate, version || "?") };
    return { node: real };
}

async function configuredInterpreter(): Promise<string | InterpreterProblem | null> {
    const stat = await statOf(withParents(INTERPRETER_CONFIG));
    if (stat === null)
        return null;
    const reason = unsafeHelperReason(stat);
    const named = reason === null ? (await cockpit.spawn(["cat", "--", INTERPRETER_CONFIG], { err: "ignore" }).then(out => out, () => "")).trim() : "";
    if (reason === null && named.startsWith("/") && !named.includes("\n"))
        return named;
    return { title: _("The configured Node.js for the hosted-engine helper cannot be used"),
             detail: reason ?? cockpit.format(_("$0 does not name a program by its absolute path"), INTERPRETER_CONFIG) };
}

/** Why no interpreter can run the helper: what the page shows. */
export interface InterpreterProblem {
    title: string;
    detail: string;
}

/** The interpreter's absolute path, or why there is none. */
export async function locateInterpreter(): Promise<string | InterpreterProblem> {
    const configured = await configuredInterpreter();
    if (configured !== null && typeof configured !== "string")
        return configured;
    if (configured !== null) {
        // named by an administrator: no other one is silently taken instead
        const found = await checkInterpreter(configured);
        if (found && "node" in found)
            return found.node;
        return {
            title: _("The configured Node.js for the hosted-engine helper cannot be used"),
            detail: found?.problem ?? cockpit.format(_("$0 names $1, which does not exist"), INTERPRETER_CONFIG, configured),
        };
    }
    const problems: string[] = [];
    for (const candidate of [BUNDLED_NODE, ...SYSTEM_NODES]) {
        const found = await checkInterpreter(candidate);
        if (found && "node" in found)
            return found.node;
        if (found)
            problems.push(found.problem);
    }
    return {
        title: _("Node.js for the hosted-engine helper is not installed"),
        detail: [
            ...problems.map(p => p + "."),
            cockpit.format(_("The helper needs Node.js 16.17 or later. Install the cockpit-hosted-engine package, which brings its own at $0, or Node.js 16.17 or later as $1, or write the absolute path of one into $2."),
                           BUNDLED_NODE, SYSTEM_NODES[0], INTERPRETER_CONFIG),
        ].join(" "),
    };
}
