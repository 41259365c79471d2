// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Cockpit 195 (EL7's last) shows the page only if the manifest asks for no more:
 * its src/bridge/cockpitpackages.c hides a package whose requires.cockpit
 * compares above its own version (dot-separated numbers, src/common/cockpitversion.c)
 * and one whose requires names anything but "cockpit".
 */

import fs from "node:fs";
import path from "node:path";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "../../manifest.json"), "utf8")) as {
    requires?: Record<string, string>;
};

function compareVersions(one: string, two: string): number {
    const a = one.split(".").map(Number);
    const b = two.split(".").map(Number);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] !== b[i])
            return a[i] < b[i] ? -1 : 1;
    }
    return Math.sign(a.length - b.length);
}

test("the manifest asks for no more than Cockpit 195, and for nothing but Cockpit", () => {
    const requires = manifest.requires ?? {};
    expect(Object.keys(requires).filter(k => k !== "cockpit")).toEqual([]);
    for (const version of ["195", "195.12"])
        expect(compareVersions(version, requires.cockpit ?? "0")).toBeGreaterThanOrEqual(0);
});
