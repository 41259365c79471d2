// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What a failed verb prints: {"error": ErrorReport}. `code` is the kind the
 * page branches on; `text` is the sentence for the administrator, by message
 * code; `what` names the file, field, command or check that failed.
 */

import type { Text } from "./text";

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
    text: Text;
    /** text.english: kept for scripts that read the message */
    message: string;
    what: string;
    /** a program's own output or a lower-level reason, as it was: never translated */
    detail?: string;
}

export interface ErrorOutput {
    error: ErrorReport;
}
