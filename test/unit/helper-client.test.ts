// SPDX-License-Identifier: LGPL-2.1-or-later

import { HelperFailure, runHelper } from "../../src/plugin/lib/helper-client";
import { resetMockCockpit, setSpawnHandler, spawnCalls } from "../support/mock-cockpit";

const INSTALLED = "/usr/local/share/cockpit/hosted-engine/helper.js";

beforeEach(() => resetMockCockpit());

function installedAt(path: string) {
    return (args: string[]) => (args[0] === "test" && args[2] !== path ? { fail: { exit_status: 1 } } : null);
}

describe("runHelper", () => {
    test("runs node on the installed helper as root and parses its JSON", async () => {
        setSpawnHandler(call => installedAt(INSTALLED)(call.args) ?? { stdout: '{"hostedEngineHost":false}\n' });
        await expect(runHelper(["status"])).resolves.toEqual({ hostedEngineHost: false });
        const helperCall = spawnCalls.find(c => c.args[0] === "node");
        expect(helperCall?.args).toEqual(["node", INSTALLED, "status"]);
        expect(helperCall?.options).toEqual({ superuser: "require", err: "message" });
    });

    test("the helper's JSON error becomes a failure with its title and detail", async () => {
        setSpawnHandler(call => installedAt(INSTALLED)(call.args) ?? {
            fail: { exit_status: 1 },
            stdout: '{"error":{"code":"command-failed","message":"hosted-engine --vm-status --json failed","what":"hosted-engine --vm-status --json","detail":"broker down"}}\n',
        });
        const failure = await runHelper(["status"]).catch(e => e);
        expect(failure).toBeInstanceOf(HelperFailure);
        expect(failure).toMatchObject({
            code: "command-failed",
            title: "hosted-engine --vm-status --json failed",
            detail: "broker down",
            what: "hosted-engine --vm-status --json",
        });
    });

    test("access denied says administrative access is required", async () => {
        setSpawnHandler(call => installedAt(INSTALLED)(call.args) ?? { fail: { problem: "access-denied", exit_status: null } });
        await expect(runHelper(["status"])).rejects.toMatchObject({ code: "access-denied", title: "Administrative access required" });
    });
});
