// SPDX-License-Identifier: LGPL-2.1-or-later

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { HelperError } from "../../src/bridge-helper/errors";
import { freeBytes, freeBytesByDf } from "../../src/bridge-helper/free-space";

/* Node 16 has no fs.statfsSync: the helper asks df there, and both must agree on what is free. */
describe("free space", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "he-free-"));
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    test("df says what statfs says (within what other processes write meanwhile)", async () => {
        const byStatfs = fs.statfsSync(tmp);
        const byDf = await freeBytesByDf(tmp);
        expect(Math.abs(byDf - byStatfs.bavail * byStatfs.bsize)).toBeLessThan(256 << 20);
        expect(Math.abs(await freeBytes(tmp) - byDf)).toBeLessThan(256 << 20);
    });

    test("a directory named like an option is a directory to df", async () => {
        const dashed = path.join(tmp, "-h");
        fs.mkdirSync(dashed);
        const cwd = process.cwd();
        process.chdir(tmp);
        try {
            await expect(freeBytesByDf("-h")).resolves.toBeGreaterThan(0);
        } finally {
            process.chdir(cwd);
        }
    });

    test("a directory that is not there is a failure naming df, not a number", async () => {
        const failure = await freeBytesByDf(path.join(tmp, "missing")).catch((err: unknown) => err);
        expect(failure).toBeInstanceOf(HelperError);
        expect((failure as HelperError).code).toBe("command-failed");
    });
});
