// SPDX-License-Identifier: LGPL-2.1-or-later

import { HelperError } from "../../src/bridge-helper/errors";
import { agentStateFromExtra, parseVmStatus } from "../../src/bridge-helper/formats/vm-status";
import { VM_STATUS_EXAMPLE } from "../support/fixtures";

function parseError(text: string): HelperError {
    try {
        parseVmStatus(text);
    } catch (err) {
        if (err instanceof HelperError)
            return err;
        throw err;
    }
    throw new Error("expected parseVmStatus to fail");
}

describe("parseVmStatus", () => {
    test("reads the two-host example of ovirt-formats.md into typed hosts", () => {
        const status = parseVmStatus(VM_STATUS_EXAMPLE);
        expect(status.globalMaintenance).toBe(true);
        expect(status.hosts.map(h => h.id)).toEqual([1, 2]);

        const [host1, host2] = status.hosts;
        expect(host1).toEqual({
            id: 1,
            hostname: "host1.example.com",
            score: 3400,
            engineStatus: { vm: "up", health: "good", detail: "up", reason: null },
            liveData: true,
            localMaintenance: false,
            stopped: false,
            agentState: "GlobalMaintenance",
            hostTimestamp: 612345,
        });
        expect(host2.engineStatus).toEqual({ vm: "down", health: "bad", detail: "unknown", reason: "vm not running on this host" });
    });

    test("sorts hosts by id whatever the key order", () => {
        const data = JSON.parse(VM_STATUS_EXAMPLE);
        const reordered = JSON.stringify({ global_maintenance: false, 2: data["2"], 1: data["1"] });
        expect(parseVmStatus(reordered).hosts.map(h => h.hostname)).toEqual(["host1.example.com", "host2.example.com"]);
    });

    test("a metadata block without 'stopped' or 'extra' gives null, not false", () => {
        const data = JSON.parse(VM_STATUS_EXAMPLE);
        delete data["2"].stopped;
        delete data["2"].extra;
        const host2 = parseVmStatus(JSON.stringify(data)).hosts[1];
        expect(host2.stopped).toBeNull();
        expect(host2.agentState).toBeNull();
    });

    test("the broker's Python repr instead of JSON is an error naming the command", () => {
        const err = parseError("{'reason': 'Unable to connect to broker', 'status': 'failed'}\nTraceback ...");
        expect(err.code).toBe("format-invalid");
        expect(err.what).toBe("hosted-engine --vm-status --json");
        expect(err.message).toMatch(/did not print JSON/);
        expect(err.detail).toContain("Unable to connect to broker");
    });

    test("a host whose host-id differs from its key is refused", () => {
        const data = JSON.parse(VM_STATUS_EXAMPLE);
        data["2"]["host-id"] = 3;
        expect(parseError(JSON.stringify(data)).message).toMatch(/host 2 reports host-id 3/);
    });

    test("wrong field types name the host and the field", () => {
        const data = JSON.parse(VM_STATUS_EXAMPLE);
        data["1"].score = "3400";
        const err = parseError(JSON.stringify(data));
        expect(err.what).toBe("hosted-engine --vm-status --json: host 1.score");
        expect(err.message).toMatch(/"score" of host 1 should be an integer, got "3400"/);
        // the place and the kind are Texts of their own, translated with the sentence
        expect(err.text.code).toBe("vm-status.field-wrong");
        expect(err.text.params.where).toMatchObject({ code: "vm-status.where-host", params: { id: "1" } });
        expect(err.text.params.kind).toMatchObject({ code: "vm-status.kind-integer" });
    });

    test("missing global_maintenance and unknown top-level keys are refused", () => {
        const data = JSON.parse(VM_STATUS_EXAMPLE);
        delete data.global_maintenance;
        expect(parseError(JSON.stringify(data)).message).toMatch(/global_maintenance/);
        expect(parseError(JSON.stringify({ global_maintenance: true, host: {} })).message).toMatch(/unexpected key "host"/);
    });

    test("an empty cluster is valid", () => {
        expect(parseVmStatus('{"global_maintenance": false}')).toEqual({ globalMaintenance: false, hosts: [] });
    });
});

describe("agentStateFromExtra", () => {
    test("finds the state line among the others", () => {
        expect(agentStateFromExtra("score=0\nstate=EngineStop\ntimeout=Fri Jan  6 10:00:00 2017\n")).toBe("EngineStop");
        expect(agentStateFromExtra("score=0\n")).toBeNull();
    });
});
