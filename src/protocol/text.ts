// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Every sentence the helper shows an administrator travels as a Text: a
 * message code, its parameters, and the English rendering for scripts and
 * logs. The page looks the code up in MESSAGES, translates the template with
 * gettext and fills in the parameters, so a German page reads German.
 */

import { MESSAGES, type MessageCode } from "./messages";

/** A parameter: a value as it is, or a Text of its own (a reason inside a sentence), rendered the same way. */
export type Param = string | number | Text;
export type Params = { [name: string]: Param };

export interface Text {
    code: MessageCode;
    params: Params;
    /** the English template filled in: what the command line prints */
    english: string;
}

/*
 * "$name" and "${name}" are replaced by params.name, as cockpit.format does.
 * A missing parameter stays visible as its placeholder instead of "undefined".
 */
const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z0-9_]+)/g;

export function formatTemplate(template: string, params: Params, render: (nested: Text) => string = nested => nested.english): string {
    return template.replace(PLACEHOLDER, (whole, braced: string | undefined, bare: string | undefined) => {
        const name = braced ?? bare ?? "";
        if (!Object.hasOwn(params, name))
            return whole;
        const value = params[name];
        return typeof value === "object" ? render(value) : String(value);
    });
}

/** The placeholders a template uses, for the tests that keep templates and callers in line. */
export function placeholders(template: string): string[] {
    return [...template.matchAll(PLACEHOLDER)].map(m => m[1] ?? m[2] ?? "");
}

export function text(code: MessageCode, params: Params = {}): Text {
    return { code, params, english: formatTemplate(MESSAGES[code], params) };
}

export function isText(value: unknown): value is Text {
    return typeof value === "object" && value !== null && typeof (value as Text).code === "string" &&
        typeof (value as Text).english === "string";
}
