// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Every failure the helper reports is a HelperError: a stable code the page can
 * branch on, a sentence for the administrator, and "what" names the file, field,
 * command or check that failed so the message is actionable.
 */

export type ErrorCode =
    | "usage"
    | "config-invalid"
    | "not-hosted-engine"
    | "format-invalid"
    | "command-failed"
    | "refused"
    | "internal";

export interface ErrorReport {
    code: ErrorCode;
    message: string;
    what: string;
    detail?: string;
}

export class HelperError extends Error {
    readonly code: ErrorCode;
    readonly what: string;
    readonly detail: string | undefined;

    constructor(code: ErrorCode, what: string, message: string, detail?: string) {
        super(message);
        this.name = "HelperError";
        this.code = code;
        this.what = what;
        this.detail = detail;
    }

    toReport(): ErrorReport {
        const report: ErrorReport = { code: this.code, message: this.message, what: this.what };
        if (this.detail)
            report.detail = this.detail;
        return report;
    }
}

export function toErrorReport(err: unknown): ErrorReport {
    if (err instanceof HelperError)
        return err.toReport();
    const message = err instanceof Error ? err.message : String(err);
    return { code: "internal", what: "helper", message: "Unexpected helper failure: " + message };
}

/** An error as one line for a check's detail: the message, and the detail in brackets when there is one. */
export function errorMessage(err: unknown): string {
    return err instanceof HelperError ? (err.detail ? `${err.message} (${err.detail})` : err.message) : String(err);
}
