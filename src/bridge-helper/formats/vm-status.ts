// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `hosted-engine --vm-status --json`: one JSON object whose keys are host ids as
 * strings ("1", "2", ...) beside a boolean "global_maintenance". Each host value
 * carries the fields of its metadata slot plus "live-data". Key order is not
 * guaranteed and old metadata blocks lack "stopped", so we validate field by field
 * into explicit types rather than trusting the shape.
 */

import type { MessageCode } from "../../protocol/messages";
import type { EngineStatus, HaHost } from "../../protocol/reports";
import { text, type Params, type Text } from "../../protocol/text";
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

function fail(field: string, code: MessageCode, params: Params = {}): never {
    throw new HelperError("format-invalid", `${SOURCE}: ${field}`, text(code, { command: SOURCE, ...params }));
}

/** A type check and how the message names the type. */
interface Kind<T> {
    is: (v: unknown) => v is T;
    name: Text;
}

const BOOLEAN: Kind<boolean> = { is: (v): v is boolean => typeof v === "boolean", name: text("vm-status.kind-boolean") };
const INTEGER: Kind<number> = { is: (v): v is number => typeof v === "number" && Number.isInteger(v), name: text("vm-status.kind-integer") };
const STRING: Kind<string> = { is: (v): v is string => typeof v === "string", name: text("vm-status.kind-string") };

/** Where in the output: `field` for HelperError.what, `where` for the message. */
interface Place {
    field: string;
    where: Text;
}

function field<T>(obj: JsonObject, key: string, place: Place, kind: Kind<T>): T {
    const value = obj[key];
    if (!kind.is(value)) {
        const shown = JSON.stringify(value);
        fail(`${place.field}.${key}`, "vm-status.field-wrong",
             { key, where: place.where, kind: kind.name, value: shown ?? text("vm-status.nothing") });
    }
    return value;
}

/** An optional field: absent is undefined, present must be of its kind. */
function optional<T>(obj: JsonObject, key: string, place: Place, kind: Kind<T>): T | undefined {
    const value = obj[key];
    if (value !== undefined && !kind.is(value))
        fail(`${place.field}.${key}`, "vm-status.field-not", { key, where: place.where, kind: kind.name });
    return value;
}

/** The "state=" line of the human-readable "extra" block, e.g. GlobalMaintenance. */
export function agentStateFromExtra(extra: string): string | null {
    const match = /^state=(.*)$/m.exec(extra);
    return match ? match[1].trim() : null;
}

function parseEngineStatus(value: unknown, key: string): EngineStatus {
    if (!isObject(value)) {
        fail(`host ${key}.engine-status`, "vm-status.field-not",
             { key: "engine-status", where: text("vm-status.where-host", { id: key }), kind: text("vm-status.kind-object") });
    }
    const place: Place = { field: `host ${key}.engine-status`, where: text("vm-status.where-engine-status", { id: key }) };
    return {
        vm: field(value, "vm", place, STRING),
        health: field(value, "health", place, STRING),
        detail: field(value, "detail", place, STRING),
        reason: optional(value, "reason", place, STRING) ?? null,
    };
}

function parseHost(key: string, value: unknown): HaHost {
    if (!isObject(value))
        fail(key, "vm-status.host-not-object", { id: key });
    const place: Place = { field: `host ${key}`, where: text("vm-status.where-host", { id: key }) };

    const id = field(value, "host-id", place, INTEGER);
    if (String(id) !== key)
        fail(`${key}.host-id`, "vm-status.host-id-mismatch", { key, id });

    const stopped = optional(value, "stopped", place, BOOLEAN);
    const extra = optional(value, "extra", place, STRING);
    const hostTs = optional(value, "host-ts", place, INTEGER);
    return {
        id,
        hostname: field(value, "hostname", place, STRING),
        score: field(value, "score", place, INTEGER),
        engineStatus: parseEngineStatus(value["engine-status"], key),
        liveData: field(value, "live-data", place, BOOLEAN),
        localMaintenance: field(value, "maintenance", place, BOOLEAN),
        stopped: stopped ?? null,
        agentState: extra === undefined ? null : agentStateFromExtra(extra),
        hostTimestamp: hostTs ?? null,
    };
}

export function parseVmStatus(output: string): VmStatus {
    let data: unknown;
    try {
        data = JSON.parse(output);
    } catch {
        // The broker being down makes the tool print a Python repr and a traceback.
        const firstLine = output.trim().split("\n")[0] ?? "";
        throw new HelperError("format-invalid", SOURCE, text("vm-status.not-json", { command: SOURCE }), firstLine.slice(0, 500));
    }
    if (!isObject(data))
        fail("(top level)", "vm-status.not-object");

    const top: Place = { field: "the status", where: text("vm-status.where-top") };
    const globalMaintenance = field(data, "global_maintenance", top, BOOLEAN);

    const hosts: HaHost[] = [];
    for (const [key, value] of Object.entries(data)) {
        if (key === "global_maintenance")
            continue;
        if (!/^[1-9][0-9]*$/.test(key))
            fail(key, "vm-status.key-unexpected", { key });
        hosts.push(parseHost(key, value));
    }
    hosts.sort((a, b) => a.id - b.id);
    return { globalMaintenance, hosts };
}
