// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The little of /bin/sh the simulated appliance needs to run cloud-init's
 * bootcmd and runcmd lines: words with single quotes, double quotes and
 * backslashes, parameter expansion ($6, $name, ${name}: what the script's
 * environment does not set expands to nothing, as in sh, so a crypt hash in
 * double quotes or unquoted loses its "$6$salt$" parts), redirections and
 * pipes, lists split at ; && || & (parseShellList keeps the operators, for
 * the if/then/else/fi and && || that guest-commands.ts runs), and the one
 * command substitution the original seed uses, $(date -u +%Y%m%d%H%M%S).
 */

export interface Redirect {
    /** ">" or ">>"; a duplication such as 2>&1 is dropped */
    op: ">" | ">>";
    target: string;
}

export interface SimpleCommand {
    words: string[];
    redirects: Redirect[];
}

/** One pipeline: its commands, stdout of each feeding the next. */
export type Pipeline = SimpleCommand[];

type Token = { kind: "word"; text: string } | { kind: "op"; text: string };

const OPERATOR_CHARS = "|&;<>()";

/* $(...): only date(1) is known; anything else expands to nothing, as a command that is not found prints nothing. */
function substitute(command: string): string {
    if (!/^date\b/.test(command.trim()))
        return "";
    const now = new Date().toISOString();
    return /\+%Y%m%d%H%M%S/.test(command) ? now.slice(0, 19).replace(/[-T:]/g, "") : now;
}

function expand(line: string, start: number, env: Record<string, string>): { value: string; end: number } {
    let i = start + 1;
    if (line[i] === "(") {
        const close = line.indexOf(")", i);
        if (close < 0)
            throw new Error("unexpected EOF while looking for matching `)'");
        return { value: substitute(line.slice(i + 1, close)), end: close + 1 };
    }
    if (line[i] === "{") {
        const close = line.indexOf("}", i);
        const name = close < 0 ? line.slice(i + 1) : line.slice(i + 1, close);
        return { value: env[name] ?? "", end: close < 0 ? line.length : close + 1 };
    }
    if (/[0-9?#$!*@-]/.test(line[i] ?? ""))
        return { value: env[line[i]] ?? "", end: i + 1 };
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i))?.[0];
    if (!name)
        return { value: "$", end: i };
    i += name.length;
    return { value: env[name] ?? "", end: i };
}

function doubleQuoted(line: string, start: number, env: Record<string, string>): { value: string; end: number } {
    let value = "";
    let i = start + 1;
    while (i < line.length && line[i] !== "\"") {
        const c = line[i];
        if (c === "\\" && "$`\"\\\n".includes(line[i + 1] ?? "")) {
            value += line[i + 1];
            i += 2;
        } else if (c === "$") {
            const x = expand(line, i, env);
            value += x.value;
            i = x.end;
        } else {
            value += c;
            i++;
        }
    }
    if (i >= line.length)
        throw new Error("unexpected EOF while looking for matching `\"'");
    return { value, end: i + 1 };
}

function tokenize(line: string, env: Record<string, string>): Token[] {
    const tokens: Token[] = [];
    let word: string | null = null;
    const flush = () => {
        if (word !== null)
            tokens.push({ kind: "word", text: word });
        word = null;
    };
    let i = 0;
    while (i < line.length) {
        const c = line[i];
        if (c === " " || c === "\t") {
            flush();
            i++;
        } else if (c === "#" && word === null) {
            break;
        } else if (c === "'") {
            const close = line.indexOf("'", i + 1);
            if (close < 0)
                throw new Error("unexpected EOF while looking for matching `''");
            word = (word ?? "") + line.slice(i + 1, close);
            i = close + 1;
        } else if (c === "\"") {
            const x = doubleQuoted(line, i, env);
            word = (word ?? "") + x.value;
            i = x.end;
        } else if (c === "\\") {
            word = (word ?? "") + (line[i + 1] ?? "");
            i += 2;
        } else if (c === "$") {
            const x = expand(line, i, env);
            word = (word ?? "") + x.value;
            i = x.end;
        } else if (OPERATOR_CHARS.includes(c)) {
            // "1>" and "2>": the digits name a file descriptor, not a word
            if (c === ">" && word !== null && /^[0-9]$/.test(word) && !/\s/.test(line[i - 1] ?? " "))
                word = null;
            flush();
            const two = line.slice(i, i + 2);
            const op = [">>", "&&", "||", ">&"].includes(two) ? two : c;
            tokens.push({ kind: "op", text: op });
            i += op.length;
        } else {
            word = (word ?? "") + c;
            i++;
        }
    }
    flush();
    return tokens;
}

/** The operator that ends a pipeline of a list: how the next one runs (";" also for the last). */
export type ListOperator = ";" | "&&" | "||" | "&";

/** A line as sh reads it: its lists' pipelines, in order, with words expanded from `env`. */
export function parseShellLine(line: string, env: Record<string, string> = {}): Pipeline[] {
    return parseShellList(line, env).map(p => p.pipeline);
}

/** A line's pipelines with the operator after each. */
export function parseShellList(line: string, env: Record<string, string> = {}): { pipeline: Pipeline; op: ListOperator }[] {
    const pipelines: { pipeline: Pipeline; op: ListOperator }[] = [];
    let pipeline: Pipeline = [];
    let command: SimpleCommand = { words: [], redirects: [] };
    const endCommand = () => {
        if (command.words.length > 0 || command.redirects.length > 0)
            pipeline.push(command);
        command = { words: [], redirects: [] };
    };
    const endPipeline = (op: string) => {
        endCommand();
        if (pipeline.length > 0)
            pipelines.push({ pipeline, op: (["&&", "||", "&"].includes(op) ? op : ";") as ListOperator });
        pipeline = [];
    };
    const tokens = tokenize(line, env);
    for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        if (t.kind === "word") {
            command.words.push(t.text);
        } else if (t.text === ">" || t.text === ">>") {
            const target = tokens[++i];
            if (target?.kind !== "word")
                throw new Error(`syntax error near unexpected token \`${target?.text ?? "newline"}'`);
            command.redirects.push({ op: t.text, target: target.text });
        } else if (t.text === ">&") {
            i++; // 2>&1: where stderr goes does not matter here
        } else if (t.text === "|") {
            endCommand();
        } else {
            endPipeline(t.text);
        }
    }
    endPipeline(";");
    return pipelines;
}
