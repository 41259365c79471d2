// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Plans and secrets arrive as one JSON object on stdin (never argv or the
 * environment, where other users could read them). Every reader parses it
 * here, so each input refuses the same things the same way: an unknown field
 * is an error, because a typo must never fall back to a default silently.
 */

import type { MessageCode } from "../protocol/messages";
import { text, type Params, type Text } from "../protocol/text";
import { HelperError } from "./errors";

/** The inputs read from stdin, by the name their errors give them. */
const INPUTS = {
    "upgrade plan": "input.upgrade-plan",
    "rollback plan": "input.rollback-plan",
    "delete plan": "input.delete-plan",
    "engine login": "input.engine-login",
    "resume input": "input.resume",
} as const satisfies Record<string, MessageCode>;

export type StdinInput = keyof typeof INPUTS;

export type JsonObject = Record<string, unknown>;

/** The input's name as a Text, for a sentence about it. */
export function inputName(what: StdinInput): Text {
    return text(INPUTS[what]);
}

/** A usage error about one field of an input: `what` in the error names both. */
export function fieldError(what: StdinInput, field: string, code: MessageCode, params: Params = {}): HelperError {
    return new HelperError("usage", `${what}: ${field}`, text(code, { what: inputName(what), field, ...params }));
}

/** Parses `source` as a JSON object whose keys are all in `allowedKeys`. */
export function parseJsonObject(source: string, what: StdinInput, allowedKeys: readonly string[]): JsonObject {
    let data: unknown;
    try {
        data = JSON.parse(source);
    } catch {
        throw new HelperError("usage", what, text("input.not-json", { what: inputName(what) }));
    }
    if (typeof data !== "object" || data === null || Array.isArray(data))
        throw new HelperError("usage", what, text("input.not-object", { what: inputName(what) }));
    for (const key of Object.keys(data)) {
        if (!allowedKeys.includes(key))
            throw fieldError(what, key, "input.unknown-field");
    }
    return data as JsonObject;
}
