// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `qemu-img create` for test fixtures. A LUKS-encrypted image is created after
 * a PBKDF benchmark of `encrypt.iter-time` milliseconds, which qemu refuses
 * ("Unable to get accurate CPU usage") when a loaded machine gives the
 * benchmark too little CPU time to measure: that is the fixture failing, not
 * the behaviour under test, so such a create is tried again.
 */

import { execFileSync } from "node:child_process";

export function qemuImgCreate(args: string[]): void {
    for (let attempt = 1; ; attempt++) {
        try {
            execFileSync("qemu-img", ["create", "-q", ...args], { stdio: ["ignore", "ignore", "pipe"] });
            return;
        } catch (err) {
            const stderr = String((err as { stderr?: Buffer }).stderr ?? "");
            if (attempt >= 5 || !stderr.includes("Unable to get accurate CPU usage"))
                throw err;
        }
    }
}
