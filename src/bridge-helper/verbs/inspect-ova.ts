// SPDX-License-Identifier: LGPL-2.1-or-later

/* `inspect-ova PATH [--sha1 HEX] [--progress]`: an appliance OVA read once, through one descriptor. Changes nothing. */

import type { OvaReport } from "../../protocol/reports";
import { text } from "../../protocol/text";
import { hostPath, type HelperConfig } from "../config";
import { HelperError } from "../errors";
import { readOva } from "../formats/ova";
import { USER_FILE_LIMITS, userPathProblem, withUserFile } from "../host/user-file";

export function checkSha1Option(value: string | undefined): string | null {
    if (value !== undefined && !/^[0-9a-fA-F]{40}$/.test(value))
        throw new HelperError("usage", "--sha1", text("verbs.sha1", { value }));
    return value?.toLowerCase() ?? null;
}

/** Reads an OVA once and says whether the upgrade can use it. */
export async function inspectOva(config: HelperConfig, ovaPath: string, expectedSha1: string | null,
                                 onProgress?: (done: number, total: number) => void): Promise<OvaReport> {
    if (userPathProblem(ovaPath) === "relative")
        throw new HelperError("usage", ovaPath, text("verbs.ova-relative", { path: ovaPath }));
    const host = userPathProblem(ovaPath) === null ? hostPath(config, ovaPath) : ovaPath;
    return withUserFile(ovaPath, host, USER_FILE_LIMITS.ova, ova =>
        readOva(ova, { ...(expectedSha1 ? { expectedSha1 } : {}), ...(onProgress ? { onProgress } : {}) }));
}
