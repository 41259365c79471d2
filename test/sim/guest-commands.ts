// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * How the appliance's /bin/sh (bash on CentOS 7) runs cloud-init's bootcmd and
 * runcmd scripts (cloud-init 0.7.5 cc_bootcmd: one temporary script run by
 * /bin/sh; cc_runcmd: the per-instance script "runcmd" that scripts-user runs):
 * line by line, lists with ; && || &, one-line if/then/else/fi, ! and $? of the
 * line before. The commands the original's seed uses (ovirt-hosted-engine-setup
 * 2.0-2.2 gr-he-common/vm/cloud_init.py) act on the guest's files: echo with
 * > and >>, grep -q, sed -r -e s/// -i[SUFFIX], cp, mv, rm, test/[; the ones
 * whose effect is not modelled (systemctl, chkconfig, setenforce, engine-backup
 * and engine-setup, which appliance-boot.ts plays) succeed; anything else is
 * "command not found" (status 127), as bash reports it.
 */

import type { GuestFiles } from "./guest-cloud-init";
import { parseShellList, type SimpleCommand } from "./guest-shell";

export interface CommandResult {
    status: number;
    stdout?: string;
}

/** A command the caller implements (usermod, chpasswd, ifup, ifdown, hostname): its words and its stdin. */
export type CommandHandler = (words: string[], stdin: string) => CommandResult;

export interface ScriptOptions {
    files: GuestFiles;
    /** the script's name in messages, e.g. /var/lib/cloud/instance/scripts/runcmd */
    script: string;
    env: Record<string, string>;
    log: (message: string) => void;
    handlers: Record<string, CommandHandler>;
}

/** On CentOS 7 and not modelled here: they succeed and change nothing the sim looks at. */
const QUIET = new Set(["systemctl", "chkconfig", "setenforce", "restorecon", "service", "sleep", "sync", "true", ":",
    "engine-backup", "engine-setup", "/usr/bin/engine-setup", "/usr/bin/engine-backup", "passwd", "chmod", "chown", "touch", "mkdir"]);
const KEYWORDS = new Set(["if", "then", "else", "fi"]);

export function echoOutput(words: string[]): string {
    const args = words.slice(1);
    const noNewline = args[0] === "-n";
    return (noNewline ? args.slice(1) : args).join(" ") + (noNewline ? "" : "\n");
}

/* sed -r -e 's/RE/REPLACEMENT/FLAGS' -i[SUFFIX] FILE: the substitution the seed uses, ERE as JavaScript's. */
function sed(words: string[], o: ScriptOptions): CommandResult {
    let script = "";
    let inPlace: string | null = null;
    const files: string[] = [];
    for (let i = 1; i < words.length; i++) {
        const w = words[i];
        if (w === "-e")
            script = words[++i] ?? "";
        else if (w.startsWith("-i"))
            inPlace = w.slice(2);
        else if (/^-[rEe]+$/.test(w))
            script = w.includes("e") ? words[++i] ?? "" : script;
        else if (!script)
            script = w;
        else
            files.push(w);
    }
    const m = /^s(.)(.*?)\1(.*?)\1([g]*)$/.exec(script);
    if (!m) {
        o.log(`sed: -e expression #1: unknown command: \`${script[0] ?? ""}'`);
        return { status: 1 };
    }
    const re = new RegExp(m[2], m[4] === "g" ? "gm" : "m");
    const replacement = m[3].replace(/\\([0-9])/g, "$$$1");
    for (const file of files) {
        const text = o.files.read(file);
        if (text === null) {
            o.log(`sed: can't read ${file}: No such file or directory`);
            return { status: 2 };
        }
        const changed = text.split("\n").map(line => line.replace(re, replacement)).join("\n");
        if (inPlace === null)
            return { status: 0, stdout: changed };
        if (inPlace)
            o.files.write(file + inPlace, text);
        o.files.write(file, changed);
    }
    return { status: 0 };
}

function grep(words: string[], stdin: string, o: ScriptOptions): CommandResult {
    const options = words.slice(1).filter(w => /^-[A-Za-z]+$/.test(w)).join("");
    const [pattern, file] = words.slice(1).filter(w => !/^-[A-Za-z]+$/.test(w));
    const text = file === undefined ? stdin : o.files.read(file);
    if (text === null) {
        if (!options.includes("s"))
            o.log(`grep: ${file}: No such file or directory`);
        return { status: 2 };
    }
    const re = new RegExp(pattern ?? "");
    const lines = text.split("\n").filter(line => re.test(line) !== options.includes("v"));
    return { status: lines.length ? 0 : 1, stdout: options.includes("q") ? "" : lines.map(l => l + "\n").join("") };
}

function test(words: string[]): CommandResult {
    const args = words[0] === "[" ? words.slice(1, -1) : words.slice(1);
    const [a, op, b] = args;
    const ok = args.length === 1 ? a !== "" : op === "-eq" ? Number(a) === Number(b) : op === "-ne" ? Number(a) !== Number(b)
        : op === "=" ? a === b : op === "!=" ? a !== b : a === "-n" ? op !== "" : a === "-z" ? op === "" : false;
    return { status: ok ? 0 : 1 };
}

function fileCommand(words: string[], o: ScriptOptions): CommandResult {
    const [name, ...args] = words;
    const operands = args.filter(a => !a.startsWith("-"));
    if (name === "rm") {
        for (const f of operands) {
            if (!(o.files.remove?.(f) ?? false) && !args.includes("-f")) {
                o.log(`rm: cannot remove '${f}': No such file or directory`);
                return { status: 1 };
            }
        }
        return { status: 0 };
    }
    const [from, to] = operands;
    const text = o.files.read(from);
    if (text === null || to === undefined) {
        o.log(`${name}: cannot stat '${from}': No such file or directory`);
        return { status: 1 };
    }
    o.files.write(to, text);
    if (name === "mv")
        o.files.remove?.(from);
    return { status: 0 };
}

function runCommand(command: SimpleCommand, stdin: string, line: number, o: ScriptOptions): CommandResult {
    const words = command.words.filter((w, i) => !(i === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)));
    const name = words[0];
    if (name === undefined)
        return { status: 0 };
    if (o.handlers[name])
        return o.handlers[name](words, stdin);
    if (name === "echo")
        return { status: 0, stdout: echoOutput(words) };
    if (name === "grep")
        return grep(words, stdin, o);
    if (name === "sed")
        return sed(words, o);
    if (name === "[" || name === "test")
        return test(words);
    if (name === "false")
        return { status: 1 };
    if (name === "cp" || name === "mv" || name === "rm")
        return fileCommand(words, o);
    if (QUIET.has(name))
        return { status: 0 };
    o.log(`${o.script}: line ${line}: ${name}: command not found`);
    return { status: 127 };
}

/* A pipeline: each command's stdout feeds the next; > and >> write the guest's files (not /dev or /proc). */
function runPipeline(pipeline: SimpleCommand[], line: number, o: ScriptOptions): number {
    let stdin = "";
    let status = 0;
    for (const command of pipeline) {
        const result = runCommand(command, stdin, line, o);
        status = result.status;
        stdin = result.stdout ?? "";
        for (const r of command.redirects.filter(r => !/^\/(dev|proc)\//.test(r.target))) {
            o.files.write(r.target, (r.op === ">>" ? o.files.read(r.target) ?? "" : "") + stdin);
            stdin = "";
        }
    }
    return status;
}

interface Frame { phase: "if" | "then" | "else"; cond: number; outer: boolean }

/** Runs a bootcmd or runcmd list as cloud-init's script does: each item one line. */
export function runScript(lines: string[], o: ScriptOptions): void {
    let status = 0;
    lines.forEach((text, index) => {
        let list;
        try {
            list = parseShellList(text, { ...o.env, "?": String(status) });
        } catch (err) {
            o.log(`${o.script}: line ${index + 1}: syntax error: ${(err as Error).message}`);
            status = 2;
            return;
        }
        const frames: Frame[] = [];
        const active = () => frames.every(f => f.outer && (f.phase === "if" || (f.phase === "then") === (f.cond === 0)));
        let skip = false;
        for (const { pipeline, op } of list) {
            let words = pipeline[0].words;
            while (KEYWORDS.has(words[0] ?? "")) {
                const top = frames[frames.length - 1];
                if (words[0] === "if")
                    frames.push({ phase: "if", cond: 0, outer: active() });
                else if (words[0] === "then" && top)
                    Object.assign(top, { phase: "then", cond: status });
                else if (words[0] === "else" && top)
                    top.phase = "else";
                else if (words[0] === "fi")
                    frames.pop();
                words = words.slice(1);
            }
            const negate = words[0] === "!";
            const rest = [{ ...pipeline[0], words: negate ? words.slice(1) : words }, ...pipeline.slice(1)];
            if (!skip && active() && (rest[0].words.length > 0 || rest.length > 1)) {
                const s = runPipeline(rest, index + 1, o);
                status = negate ? Number(s === 0) : s;
            }
            skip = (op === "&&" && status !== 0) || (op === "||" && status === 0);
        }
    });
}
