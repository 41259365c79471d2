// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Every failure the helper reports is a HelperError: a stable kind the page can
 * branch on, a Text for the administrator (a message code the page translates),
 * and "what" names the file, field, command or check that failed so the
 * message is actionable.
 */

import type { ErrorCode, ErrorReport } from "../protocol/errors";
import { text, type Text } from "../protocol/text";

export type { ErrorCode, ErrorReport };

export class HelperError extends Error {
    readonly code: ErrorCode;
    readonly what: string;
    readonly text: Text;
    readonly detail: string | undefined;

    constructor(code: ErrorCode, what: string, said: Text, detail?: string) {
        super(said.english);
        this.name = "HelperError";
        this.code = code;
        this.what = what;
        this.text = said;
        this.detail = detail;
    }

    toReport(): ErrorReport {
        const report: ErrorReport = { code: this.code, text: this.text, message: this.text.english, what: this.what };
        if (this.detail)
            report.detail = this.detail;
        return report;
    }
}

export function toErrorReport(err: unknown): ErrorReport {
    if (err instanceof HelperError)
        return err.toReport();
    const reason = err instanceof Error ? err.message : String(err);
    const said = text("internal.unexpected", { reason });
    return { code: "internal", what: "helper", text: said, message: said.english };
}

/** The Text of whatever was thrown: a HelperError's own, else "unexpected". */
export function errorText(err: unknown): Text {
    return toErrorReport(err).text;
}

/**
 * An error as one English line for a log: the message, and the detail in
 * brackets when there is one. Never for what the page shows: that is a Text
 * (errorText, or the error as a parameter of a sentence of its own).
 */
export function errorMessage(err: unknown): string {
    return err instanceof HelperError ? (err.detail ? `${err.message} (${err.detail})` : err.message) : String(err);
}
