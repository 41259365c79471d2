// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * vdsm's errors as a JSON-RPC client sees them: {"code": n, "message": "..."}.
 * Codes and texts are vdsm 4.18's (oVirt 4.0): the JSON-RPC layer's own
 * (lib/yajsonrpc/__init__.py), the VM errors (lib/vdsm/exception.py, reported
 * with just their text) and the storage errors (lib/vdsm/storage/exception.py).
 * A storage error's message is its text, ": " and the Python repr of the
 * arguments it was raised with, e.g. "Volume does not exist: ('<volUUID>',)".
 */

export class VdsmError extends Error {
    constructor(readonly code: number, message: string) {
        super(message);
    }

    toJson(): { code: number; message: string } {
        return { code: this.code, message: this.message };
    }
}

/** Python's repr() of a str. */
export function pyStr(value: string): string {
    const quote = value.includes("'") && !value.includes("\"") ? "\"" : "'";
    const escaped = value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
    return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}

function pyValue(value: unknown): string {
    if (typeof value === "string")
        return pyStr(value);
    if (typeof value === "boolean")
        return value ? "True" : "False";
    if (value === null || value === undefined)
        return "None";
    if (Array.isArray(value))
        return `[${value.map(pyValue).join(", ")}]`;
    return String(value);
}

/** Python's repr() of a tuple: "('a',)", "('a', 'b')". */
export function pyTuple(values: unknown[]): string {
    return values.length === 1 ? `(${pyValue(values[0])},)` : `(${values.map(pyValue).join(", ")})`;
}

/** Python's repr() of a list. */
export function pyList(values: unknown[]): string {
    return pyValue(values);
}

/* The JSON-RPC layer */

export const parseError = () => new VdsmError(-32700,
    "Invalid JSON was received by the server. An error occurred on the server while parsing the JSON text.");
export const invalidRequest = (what: string) => new VdsmError(-32600, `The JSON sent is not a valid Request object with ${what}`);
export const methodNotFound = (method: string) => new VdsmError(-32601, `The method ${pyStr(method)} does not exist or is not available.`);
export const invalidParams = (message: string) => new VdsmError(-32602, message);
export const internalError = (message?: string) => new VdsmError(-32603, message || "Internal JSON-RPC error.");

/* VM errors: vdsm's errCode table, reported with their plain text */

export const noVM = () => new VdsmError(1, "Virtual machine does not exist");
export const vmExists = () => new VdsmError(4, "Virtual machine already exists");
export const missingParameter = (message: string) => new VdsmError(11, message);
export const hwInfoError = () => new VdsmError(57, "Failed to read hardware information");

/* Storage errors: text and the arguments' repr */

function storageError(code: number, text: string, args: unknown[]): VdsmError {
    return new VdsmError(code, `${text}: ${pyTuple(args)}`);
}

export const STORAGE_TEXT = {
    volumeDoesNotExist: [201, "Volume does not exist"],
    volumeExtendingError: [206, "Error extending volume"],
    prepareIllegalVolume: [227, "Cannot prepare illegal volume"],
    volumeResizeValue: [232, "Incorrect size value for volume resize"],
    imagePath: [254, "Image path does not exist or cannot be accessed/created"],
    storagePoolUnknown: [309, "Unknown pool id, pool not connected"],
    storageDomainDoesNotExist: [358, "Storage domain does not exist"],
    unknownTask: [401, "Task id unknown"],
    taskState: [410, "Operation is not allowed in this task state"],
    notSpm: [654, "Not SPM"],
    invalidParameter: [1000, "Invalid parameter"],
} as const;

type StorageErrorName = keyof typeof STORAGE_TEXT;

export function storage(name: StorageErrorName, ...args: unknown[]): VdsmError {
    const [code, text] = STORAGE_TEXT[name];
    return storageError(code, text, args);
}
