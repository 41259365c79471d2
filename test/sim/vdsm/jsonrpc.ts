// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * vdsm's JSON-RPC 2.0 server side, as vdsm 4.18 (oVirt 4.0) behaves
 * (lib/yajsonrpc/__init__.py, lib/vdsm/rpc/Bridge.py, lib/api/vdsmapi.py):
 *  - a message is one request or a batch; the answers to a message go back
 *    together, a lone answer as an object, several as an array;
 *  - requests without an id are notifications and get no answer;
 *  - params are named (an object) or positional (an array, named in the
 *    schema's order);
 *  - arguments are checked against the API schema the way vdsm's
 *    api_strict_mode does: unknown names, missing required parameters and
 *    wrong primitive types are -32602 errors. Production vdsm only logs those
 *    and then fails later or not at all; the sim refuses, so that a client
 *    that gets a call wrong fails here rather than on a real host.
 */

import {
    internalError, invalidParams, invalidRequest, methodNotFound, parseError, pyList, VdsmError,
} from "./errors";

/** The schema types of the parameters the simulated verbs take (vdsm-api.yml). */
export type ParamType = "UUID" | "string" | "int" | "uint" | "boolean" | "UUID[]" | "object";

export interface ParamSpec {
    name: string;
    type: ParamType;
    /** the schema gives a defaultvalue: the parameter may be left out (or be null) */
    optional?: boolean;
}

export type Args = Record<string, unknown>;

export interface Verb {
    /** in the schema's order: positional params are named by it */
    params: ParamSpec[];
    /** returns the verb's result; undefined and null become true, as in vdsm */
    call(args: Args): unknown;
}

export type VerbTable = Record<string, Verb>;

export interface RpcResponse {
    jsonrpc: "2.0";
    id: string | number | null;
    result?: unknown;
    error?: { code: number; message: string };
}

export interface RpcObserver {
    /** every request that names a method, with how it ended */
    call(method: string, params: unknown, outcome: { result: unknown } | { error: VdsmError }): void;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkType(method: string, param: ParamSpec, value: unknown): void {
    const isInt = typeof value === "number" && Number.isInteger(value);
    switch (param.type) {
    case "UUID":
    case "string":
        if (typeof value !== "string")
            throw invalidParams(`Parameter ${param.name} is not string type`);
        return;
    case "int":
        if (!isInt)
            throw invalidParams(`Parameter ${param.name} is not int type`);
        return;
    case "uint":
        if (!isInt || (value as number) < 0)
            throw invalidParams(`Parameter ${param.name} is not uint type`);
        return;
    case "boolean":
        if (typeof value !== "boolean")
            throw invalidParams(`Parameter ${param.name} is not boolean type`);
        return;
    case "UUID[]":
        if (!Array.isArray(value))
            throw invalidParams(`Parameter ${JSON.stringify(value)} is not a sequence`);
        // vdsm names the element type, not the parameter, here
        if (value.some(v => typeof v !== "string"))
            throw invalidParams("Parameter UUID is not string type");
        return;
    case "object":
        if (!isPlainObject(value))
            throw invalidParams(`Unexpected issue with request type verification for ${method}`);
        return;
    }
}

/** Names positional params, then checks the arguments like vdsm's strict schema check. */
export function bindArgs(method: string, spec: ParamSpec[], params: unknown[] | Args): Args {
    let args: Args;
    if (Array.isArray(params)) {
        // vdsm indexes the schema's names with the positions: one too many is an IndexError
        if (params.length > spec.length)
            throw internalError("list index out of range");
        args = Object.fromEntries(params.map((value, i) => [spec[i].name, value]));
    } else {
        args = params;
    }
    const unknown = Object.keys(args).filter(name => !spec.some(p => p.name === name));
    if (unknown.length > 0)
        throw invalidParams(`Following parameters ${pyList(unknown)} were not recognized`);
    for (const param of spec) {
        const value = args[param.name];
        if (value === undefined || value === null) {
            if (!param.optional)
                throw invalidParams(`Required parameter ${param.name} is not provided when calling ${method}`);
            continue;
        }
        checkType(method, param, value);
    }
    return args;
}

type RequestId = string | number | null;

function errorResponse(id: RequestId, error: VdsmError): RpcResponse {
    return { jsonrpc: "2.0", id, error: error.toJson() };
}

function serveRequest(raw: unknown, verbs: VerbTable, observer: RpcObserver | null): RpcResponse | null {
    if (!isPlainObject(raw))
        return errorResponse(null, internalError());
    if (raw.jsonrpc !== "2.0")
        return errorResponse(null, invalidRequest("wrong protocol version"));
    const method = raw.method;
    if (method === undefined || method === null)
        return errorResponse(null, invalidRequest("missing method header"));
    const params = raw.params ?? [];
    if (!Array.isArray(params) && !isPlainObject(params))
        return errorResponse(null, invalidRequest("wrong params type"));
    const id = (raw.id ?? null) as RequestId;
    const notification = id === null;

    const verb = typeof method === "string" && Object.hasOwn(verbs, method) ? verbs[method] : undefined;
    if (!verb) {
        const error = methodNotFound(String(method));
        observer?.call(String(method), params, { error });
        return notification ? null : errorResponse(id, error);
    }
    let result: unknown;
    try {
        result = verb.call(bindArgs(method as string, verb.params, params)) ?? true;
    } catch (err) {
        const error = err instanceof VdsmError ? err : internalError((err as Error).message);
        observer?.call(method as string, params, { error });
        return notification ? null : errorResponse(id, error);
    }
    observer?.call(method as string, params, { result });
    return notification ? null : { jsonrpc: "2.0", id, result };
}

/**
 * Serves one message (a STOMP frame's body) and returns what to answer: the
 * responses in request order, [] when there is nothing to say.
 */
export function serveMessage(body: string, verbs: VerbTable, observer: RpcObserver | null = null): RpcResponse[] {
    let parsed: unknown;
    try {
        parsed = JSON.parse(body);
    } catch {
        return [errorResponse(null, parseError())];
    }
    if (Array.isArray(parsed) && parsed.length === 0)
        return [errorResponse(null, invalidRequest("request batch is empty"))];
    const requests = Array.isArray(parsed) ? parsed : [parsed];
    return requests.map(raw => serveRequest(raw, verbs, observer)).filter((r): r is RpcResponse => r !== null);
}

/** The body of the answer to a message: one response as an object, several as an array. */
export function encodeResponses(responses: RpcResponse[]): string | null {
    if (responses.length === 0)
        return null;
    return JSON.stringify(responses.length === 1 ? responses[0] : responses);
}
