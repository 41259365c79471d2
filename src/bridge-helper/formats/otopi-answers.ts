// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * An otopi answer file (ovirt-formats.md 3.2), as the first deploy left it in
 * the configuration volume (fhanswers.conf): an INI file whose
 * [environment:default] section holds lines `NAMESPACE/key=type:value`, keys
 * case-sensitive, types str, int, bool (false iff 0, f, F, false, False),
 * none (None) and multi-str. Read like Python 2's ConfigParser reads it: the
 * key ends at the first "=" or ":", the value is stripped, an indented line
 * continues the value before it, "#" and ";" start comments. A value may hold
 * any character; nothing here interprets it beyond its type.
 */

import { text } from "../../protocol/text";
import { HelperError } from "../errors";

export type AnswerValue = string | number | boolean | null | string[];

export type Answers = ReadonlyMap<string, AnswerValue>;

const FALSE = new Set(["0", "f", "F", "false", "False"]);

function typed(raw: string, key: string, source: string): AnswerValue {
    const colon = raw.indexOf(":");
    const [type, value] = colon < 0 ? ["str", raw] : [raw.slice(0, colon), raw.slice(colon + 1)];
    switch (type) {
    case "str":
        return value;
    case "none":
        return null;
    case "bool":
        return !FALSE.has(value);
    case "int":
        if (!/^-?[0-9]+$/.test(value))
            break;
        return Number(value);
    case "multi-str":
        return value.split("\n");
    }
    throw new HelperError("format-invalid", `${source}: ${key}`, text("answers.value-invalid", { file: source, key }));
}

/** The [environment:default] section's answers; other sections are left out. */
export function parseAnswers(content: string, source: string): Answers {
    const answers = new Map<string, AnswerValue>();
    const raw = new Map<string, string>();
    let section: string | null = null;
    let last: string | null = null;
    for (const line of content.split(/\r?\n/)) {
        if (line.trim() === "" || /^[#;]/.test(line)) {
            continue;
        }
        if (/^\s/.test(line)) {
            if (last === null)
                throw new HelperError("format-invalid", source, text("answers.line-invalid", { file: source, line: line.trim() }));
            raw.set(last, `${raw.get(last)}\n${line.trim()}`);
            continue;
        }
        const header = /^\[([^\]]+)\]/.exec(line);
        if (header) {
            section = header[1];
            last = null;
            continue;
        }
        const separator = line.search(/[=:]/);
        if (section === null || separator <= 0)
            throw new HelperError("format-invalid", source, text("answers.line-invalid", { file: source, line }));
        if (section !== "environment:default") {
            last = null;
            continue;
        }
        last = line.slice(0, separator).trim();
        raw.set(last, line.slice(separator + 1).trim());
    }
    for (const [key, value] of raw)
        answers.set(key, typed(value, key, source));
    return answers;
}
