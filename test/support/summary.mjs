// SPDX-License-Identifier: LGPL-2.1-or-later

// Prints one closing line for `make check` over the jest result files of every layer.
import fs from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
    const result = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    skipped += result.numPendingTests + result.numTodoTests;
}
console.log(`check: ${passed} passed, ${failed} failed, ${skipped} skipped`);
