// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `hosted-engine --vm-status --json`: one JSON object whose keys are host ids as
 * strings ("1", "2", ...) beside a boolean "global_maintenance". Each host value
 * carries the fields of its metadata slot plus "live-data". Key order is not
 * guaranteed and old metadata blocks lack "stopped", so we validate field by field
 * into explicit types rather than trusting the shape.
 */

import type { EngineStatus, HaHost } from "../api";
import { HelperError } from "../errors";

export interface VmStatus {
    globalMaintenance: boolean;
    /** sorted by host id */
    hosts: HaHost[];
}

const SOURCE = "hosted-engine --vm-status --json";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(field: string, message: string): never {
    throw new HelperError("format-invalid", `${SOURCE}: ${field}`, `${SOURCE} output: ${message}`);
}

function field<T>(obj: JsonObject, key: string, where: string, check: (v: unknown) => v is T, kind: string): T {
    const value = obj[key];
    if (!check(value))
        fail(`${where}.${key}`, `"${key}" of ${where} should be ${kind}, got ${JSON.stringify(value) ?? "nothing"}`);
    return value;
}

const isBool = (v: unknown): v is boolean => typeof v === "boolean";
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isString = (v: unknown): v is string => typeof v === "string";

/** The "state=" line of the human-readable "extra" block, e.g. GlobalMaintenance. */
export function agentStateFromExtra(extra: string): string | null {
    const match = /^state=(.*)$/m.exec(extra);
    return match ? match[1].trim() : null;
}

function parseEngineStatus(value: unknown, where: string): EngineStatus {
    if (!isObject(value))
        fail(`${where}.engine-status`, `"engine-status" of ${where} should be an object`);
    const es = `${where}.engine-status`;
    const reason = value.reason;
    if (reason !== undefined && !isString(reason))
        fail(`${es}.reason`, `"reason" of ${es} should be a string`);
    return {
        vm: field(value, "vm", es, isString, "a string"),
        health: field(value, "health", es, isString, "a string"),
        detail: field(value, "detail", es, isString, "a string"),
        reason: reason ?? null,
    };
}

function parseHost(key: string, value: unknown): HaHost {
    const where = `host ${key}`;
    if (!isObject(value))
        fail(key, `${where} should be an object`);

    const id = field(value, "host-id", where, isInt, "an integer");
    if (String(id) !== key)
        fail(`${key}.host-id`, `${where} reports host-id ${id}`);

    const stopped = value.stopped;
    if (stopped !== undefined && !isBool(stopped))
        fail(`${key}.stopped`, `"stopped" of ${where} should be true or false`);
    const extra = value.extra;
    if (extra !== undefined && !isString(extra))
        fail(`${key}.extra`, `"extra" of ${where} should be a string`);
    const hostTs = value["host-ts"];
    if (hostTs !== undefined && !isInt(hostTs))
        fail(`${key}.host-ts`, `"host-ts" of ${where} should be an integer`);

    return {
        id,
        hostname: field(value, "hostname", where, isString, "a string"),
        score: field(value, "score", where, isInt, "an integer"),
        engineStatus: parseEngineStatus(value["engine-status"], where),
        liveData: field(value, "live-data", where, isBool, "true or false"),
        localMaintenance: field(value, "maintenance", where, isBool, "true or false"),
        stopped: stopped ?? null,
        agentState: extra === undefined ? null : agentStateFromExtra(extra),
        hostTimestamp: hostTs ?? null,
    };
}

export function parseVmStatus(text: string): VmStatus {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch {
        // The broker being down makes the tool print a Python repr and a traceback.
        const firstLine = text.trim().split("\n")[0] ?? "";
        throw new HelperError("format-invalid", SOURCE, `${SOURCE} did not print JSON`,
                              firstLine.slice(0, 500));
    }
    if (!isObject(data))
        fail("(top level)", "expected an object of hosts");

    const globalMaintenance = field(data, "global_maintenance", "the status", isBool, "true or false");

    const hosts: HaHost[] = [];
    for (const [key, value] of Object.entries(data)) {
        if (key === "global_maintenance")
            continue;
        if (!/^[1-9][0-9]*$/.test(key))
            fail(key, `unexpected key "${key}" (host ids are positive integers)`);
        hosts.push(parseHost(key, value));
    }
    hosts.sort((a, b) => a.id - b.id);
    return { globalMaintenance, hosts };
}
