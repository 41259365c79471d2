// SPDX-License-Identifier: LGPL-2.1-or-later

import fs from "node:fs";

import { hostPath, type HelperConfig } from "../config";
import { HelperError } from "../errors";
import { readOva, type OvaReport } from "../formats/ova";

export function checkSha1Option(value: string | undefined): string | undefined {
    if (value !== undefined && !/^[0-9a-fA-F]{40}$/.test(value))
        throw new HelperError("usage", "--sha1", `--sha1 must be 40 hex digits, not "${value}"`);
    return value?.toLowerCase();
}

/** Reads an OVA once and says whether the upgrade can use it. Changes nothing. */
export async function inspectOva(config: HelperConfig, ovaPath: string, expectedSha1: string | undefined,
                                 onProgress?: (done: number, total: number) => void): Promise<OvaReport> {
    if (!ovaPath.startsWith("/"))
        throw new HelperError("usage", ovaPath, `The OVA path "${ovaPath}" must be absolute`);
    const file = hostPath(config, ovaPath);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile())
        throw new HelperError("usage", ovaPath, `${ovaPath} does not exist or is not a file`);
    const report = await readOva(file, { ...(expectedSha1 ? { expectedSha1 } : {}), ...(onProgress ? { onProgress } : {}) });
    return { ...report, path: ovaPath };
}
