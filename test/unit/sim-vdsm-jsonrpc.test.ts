// SPDX-License-Identifier: LGPL-2.1-or-later

import { pyStr, pyTuple, storage, VdsmError } from "../sim/vdsm/errors";
import { bindArgs, encodeResponses, serveMessage, type ParamSpec, type VerbTable } from "../sim/vdsm/jsonrpc";

const volumeParams: ParamSpec[] = [
    { name: "volumeID", type: "UUID" },
    { name: "storagepoolID", type: "UUID" },
    { name: "allowIllegal", type: "boolean", optional: true },
];

const calls: Record<string, unknown>[] = [];
const verbs: VerbTable = {
    "Volume.getInfo": { params: volumeParams, call: args => { calls.push(args); return { uuid: args.volumeID }; } },
    "Host.ping": { params: [], call: () => undefined },
    "VM.getStats": { params: [{ name: "vmID", type: "UUID" }], call: () => { throw new VdsmError(1, "Virtual machine does not exist"); } },
    "Host.crash": { params: [], call: () => { throw new Error("boom"); } },
};

const request = (method: string, params: unknown, id: unknown = 7) => JSON.stringify({ jsonrpc: "2.0", method, params, id });

beforeEach(() => {
    calls.length = 0;
});

describe("argument checks (vdsm's strict schema mode)", () => {
    test("named and positional params bind to the schema's names", () => {
        expect(bindArgs("Volume.getInfo", volumeParams, { volumeID: "v", storagepoolID: "p" })).toEqual({ volumeID: "v", storagepoolID: "p" });
        expect(bindArgs("Volume.getInfo", volumeParams, ["v", "p", true])).toEqual({ volumeID: "v", storagepoolID: "p", allowIllegal: true });
    });

    test("an unknown parameter name is refused with vdsm's text", () => {
        expect(() => bindArgs("Volume.getInfo", volumeParams, { volumeID: "v", storagepoolID: "p", sdUUID: "s" }))
                .toThrow(expect.objectContaining({ code: -32602, message: "Following parameters ['sdUUID'] were not recognized" }));
    });

    test("a missing or null required parameter is refused", () => {
        for (const params of [{ volumeID: "v" }, { volumeID: "v", storagepoolID: null }]) {
            expect(() => bindArgs("Volume.getInfo", volumeParams, params)).toThrow(expect.objectContaining({
                code: -32602, message: "Required parameter storagepoolID is not provided when calling Volume.getInfo",
            }));
        }
    });

    test("null leaves an optional parameter out; a wrong type is refused", () => {
        expect(bindArgs("Volume.getInfo", volumeParams, { volumeID: "v", storagepoolID: "p", allowIllegal: null }).allowIllegal).toBeNull();
        expect(() => bindArgs("Volume.getInfo", volumeParams, { volumeID: 5, storagepoolID: "p" }))
                .toThrow(expect.objectContaining({ code: -32602, message: "Parameter volumeID is not string type" }));
        expect(() => bindArgs("Volume.getInfo", volumeParams, { volumeID: "v", storagepoolID: "p", allowIllegal: "yes" }))
                .toThrow(expect.objectContaining({ message: "Parameter allowIllegal is not boolean type" }));
        expect(() => bindArgs("X.y", [{ name: "n", type: "uint" }], { n: -1 })).toThrow(/not uint type/);
        expect(() => bindArgs("X.y", [{ name: "n", type: "int" }], { n: 1.5 })).toThrow(/not int type/);
    });

    test("more positional params than the schema has is vdsm's IndexError", () => {
        expect(() => bindArgs("Volume.getInfo", volumeParams, ["v", "p", true, "extra"]))
                .toThrow(expect.objectContaining({ code: -32603, message: "list index out of range" }));
    });
});

describe("JSON-RPC messages", () => {
    test("a call answers with its id and result; the verb got the bound arguments", () => {
        expect(serveMessage(request("Volume.getInfo", { volumeID: "v", storagepoolID: "p" }), verbs))
                .toEqual([{ jsonrpc: "2.0", id: 7, result: { uuid: "v" } }]);
        expect(calls).toEqual([{ volumeID: "v", storagepoolID: "p" }]);
    });

    test("a verb that returns nothing answers true, as vdsm does", () => {
        expect(serveMessage(request("Host.ping", {}), verbs)).toEqual([{ jsonrpc: "2.0", id: 7, result: true }]);
    });

    test("missing params count as none", () => {
        expect(serveMessage(JSON.stringify({ jsonrpc: "2.0", method: "Host.ping", id: "a" }), verbs)[0].result).toBe(true);
        expect(serveMessage(JSON.stringify({ jsonrpc: "2.0", method: "VM.getStats", id: "a" }), verbs)[0].error?.code).toBe(-32602);
    });

    test("errors: vdsm's own, unknown method, bad params, internal", () => {
        const [noVm] = serveMessage(request("VM.getStats", { vmID: "x" }), verbs);
        expect(noVm).toEqual({ jsonrpc: "2.0", id: 7, error: { code: 1, message: "Virtual machine does not exist" } });
        const [unknown] = serveMessage(request("Host.fly", {}), verbs);
        expect(unknown.error).toEqual({ code: -32601, message: "The method 'Host.fly' does not exist or is not available." });
        expect(serveMessage(request("Volume.getInfo", { volumeID: "v" }), verbs)[0].error?.code).toBe(-32602);
        expect(serveMessage(request("Host.crash", {}), verbs)[0].error).toEqual({ code: -32603, message: "boom" });
        expect(calls).toEqual([]);
    });

    test("envelope errors have a null id", () => {
        expect(serveMessage("{not json", verbs)).toEqual([{ jsonrpc: "2.0", id: null, error: expect.objectContaining({ code: -32700 }) }]);
        expect(serveMessage("[]", verbs)[0].error).toEqual({
            code: -32600, message: "The JSON sent is not a valid Request object with request batch is empty",
        });
        expect(serveMessage(JSON.stringify({ jsonrpc: "1.0", method: "Host.ping", id: 1 }), verbs)[0])
                .toEqual({ jsonrpc: "2.0", id: null, error: expect.objectContaining({ code: -32600 }) });
        expect(serveMessage(JSON.stringify({ jsonrpc: "2.0", id: 1 }), verbs)[0].error?.code).toBe(-32600);
        expect(serveMessage(JSON.stringify({ jsonrpc: "2.0", method: "Host.ping", params: "x", id: 1 }), verbs)[0].error?.code).toBe(-32600);
    });

    test("a batch answers each call in order; notifications run but get no answer", () => {
        const batch = `[${request("Host.ping", {}, 1)},${JSON.stringify({ jsonrpc: "2.0", method: "Volume.getInfo", params: ["n", "p"] })},${request("Host.fly", {}, 2)}]`;
        const responses = serveMessage(batch, verbs);
        expect(responses.map(r => r.id)).toEqual([1, 2]);
        expect(calls).toEqual([{ volumeID: "n", storagepoolID: "p" }]);
        expect(JSON.parse(encodeResponses(responses) ?? "null")).toHaveLength(2);
    });

    test("one answer is sent as an object, none as nothing", () => {
        expect(JSON.parse(encodeResponses(serveMessage(request("Host.ping", {}), verbs)) ?? "null")).toMatchObject({ id: 7 });
        expect(encodeResponses(serveMessage(JSON.stringify({ jsonrpc: "2.0", method: "Host.ping" }), verbs))).toBeNull();
    });
});

describe("vdsm error texts", () => {
    test("storage errors carry the repr of their arguments", () => {
        expect(storage("volumeDoesNotExist", "abc").message).toBe("Volume does not exist: ('abc',)");
        expect(storage("invalidParameter", "newSize", "x1").message).toBe("Invalid parameter: ('newSize', 'x1')");
        expect(storage("taskState", "can't clean in state running").message)
                .toBe("Operation is not allowed in this task state: (\"can't clean in state running\",)");
        expect(storage("storageDomainDoesNotExist", "sd").code).toBe(358);
    });

    test("Python reprs", () => {
        expect(pyStr("a'b\"c")).toBe("'a\\'b\"c'");
        expect(pyTuple([])).toBe("()");
        expect(pyTuple([1, true, null])).toBe("(1, True, None)");
    });
});
