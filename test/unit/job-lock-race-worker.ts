// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * One of the starters racing for a stale job lock (job-lock.test.ts): for
 * each round it waits for the go file, tries to take the round's lock, and
 * says whether it won. It stays alive throughout, so a lock it won is held.
 */

import fs from "node:fs";
import path from "node:path";

import { JobLock } from "../../src/bridge-helper/jobs/lock";

const [top, worker, rounds] = process.argv.slice(2);
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

for (let round = 0; round < Number(rounds); round++) {
    const dir = path.join(top, `round-${round}`);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(path.join(dir, "go")) && Date.now() < deadline)
        sleep(0.2);
    let outcome: string;
    try {
        new JobLock(dir).acquire("20261125T031500-aaaaaa");
        outcome = "won";
    } catch (err) {
        outcome = `lost: ${(err as Error).message}`;
    }
    // whole, or not there: the test reads it as soon as it appears
    fs.writeFileSync(path.join(dir, `.result-${worker}`), outcome);
    fs.renameSync(path.join(dir, `.result-${worker}`), path.join(dir, `result-${worker}`));
}
