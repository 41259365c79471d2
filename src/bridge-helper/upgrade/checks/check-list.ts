// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The checks a preflight reports, in the order they ran, and what every group
 * of checks needs to word its findings: an error as a reason, a list of
 * findings as one Text, a size in GiB.
 */

import { CHECK_TITLES, type Check, type CheckId, type CheckState } from "../../../protocol/checks";
import { text, type Text } from "../../../protocol/text";
import { errorText, HelperError } from "../../errors";

export class CheckList {
    readonly list: Check[] = [];

    add(id: CheckId, state: CheckState, detail: Text): void {
        this.list.push({ id, title: CHECK_TITLES[id], state, detail });
    }

    /** A check that passes or fails, with a Text for each. */
    verdict(id: CheckId, passed: boolean, pass: Text, fail: Text): void {
        this.add(id, passed ? "pass" : "fail", passed ? pass : fail);
    }

    /** Whether any of `ids` failed. */
    failed(...ids: CheckId[]): boolean {
        return this.list.some(c => c.state === "fail" && ids.includes(c.id));
    }

    get ok(): boolean {
        return this.list.every(c => c.state !== "fail");
    }
}

/** Why something failed, as a reason inside a check's sentence: the error's Text and, when it has one, its detail. */
export function reasonOf(err: unknown): Text {
    if (err instanceof HelperError && err.detail)
        return text("reason.with-detail", { reason: err.text, detail: err.detail });
    return errorText(err);
}

/** Several findings as one Text: sentences after each other, or clauses between semicolons. */
export function listOf(items: readonly Text[], joiner: "list.sentences" | "list.semicolons"): Text {
    const [first, ...rest] = items;
    if (first === undefined)
        throw new HelperError("internal", "preflight", text("internal.unexpected", { reason: "an empty list of findings" }));
    return rest.length === 0 ? first : text(joiner, { first, rest: listOf(rest, joiner) });
}

export const GIB = 1024 ** 3;

/** A size as the checks show it, e.g. "12.0 GiB", "340 MiB": below a GiB in MiB, so a small size never reads "0.0 GiB". */
export function gib(bytes: number): string {
    if (bytes >= GIB)
        return `${(bytes / GIB).toFixed(1)} GiB`;
    if (bytes >= 1024 ** 2)
        return `${Math.ceil(bytes / 1024 ** 2)} MiB`;
    return `${Math.ceil(bytes / 1024)} KiB`;
}
