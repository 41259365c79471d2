// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * vm.conf, the engine VM definition handed to vdsm (ovirt-formats.md 4.1):
 * key=value lines; repeated devices= lines, each a nested {name:value,...} spec
 * whose values run to the next "," or "}"; `vdsClient create` strips white space
 * and #-comments. A vm.conf may instead carry the libvirt domain as one xml= line.
 *
 * attachCdrom() points the cdrom at the cloud-init ISO. The original tool did a
 * regex replace of "path:[^,]*," that silently did nothing when path was the last
 * key, and lost the change for xml= files; here the cdrom device is found by
 * structure, wherever its path key stands, and every other line is kept as is.
 */

import { HelperError } from "../errors";

export type DeviceSpec = { [key: string]: string | DeviceSpec };

export interface VmParams {
    [key: string]: unknown;
    devices: DeviceSpec[];
    custom: Record<string, string>;
}

interface Entry {
    key: string;
    /** offsets of the value in the spec text (for a nested spec: its braces) */
    valueStart: number;
    valueEnd: number;
    value: string | DeviceSpec;
}

interface ParsedSpec {
    entries: Entry[];
    /** offset of the closing brace */
    end: number;
}

function specError(where: string, why: string): HelperError {
    return new HelperError("format-invalid", where, `${where}: ${why}`);
}

/* A spec as vdsClient reads it, keeping where each top-level value stands in the text. */
function parseSpecAt(text: string, start: number, where: string): ParsedSpec {
    if (text[start] !== "{")
        throw specError(where, "a device must start with {");
    const entries: Entry[] = [];
    let pos = start + 1;
    const skipSpace = () => {
        while (/\s/.test(text[pos] ?? ""))
            pos++;
    };
    skipSpace();
    if (text[pos] === "}")
        return { entries, end: pos };
    for (;;) {
        skipSpace();
        const colon = text.indexOf(":", pos);
        if (colon < 0)
            throw specError(where, `expected name:value after "${text.slice(start, pos)}"`);
        const key = text.slice(pos, colon).replace(/\s+/g, "");
        if (key === "" || /[{},]/.test(key))
            throw specError(where, `bad name "${key}"`);
        pos = colon + 1;
        skipSpace();
        let entry: Entry;
        if (text[pos] === "{") {
            const nested = parseSpecAt(text, pos, where);
            const value: DeviceSpec = {};
            for (const e of nested.entries)
                value[e.key] = e.value;
            entry = { key, valueStart: pos, valueEnd: nested.end + 1, value };
            pos = nested.end + 1;
        } else {
            const valueStart = pos;
            while (pos < text.length && text[pos] !== "," && text[pos] !== "}")
                pos++;
            entry = { key, valueStart, valueEnd: pos, value: text.slice(valueStart, pos).replace(/\s+/g, "") };
        }
        entries.push(entry);
        skipSpace();
        if (text[pos] === ",") {
            pos++;
            continue;
        }
        if (text[pos] === "}")
            return { entries, end: pos };
        throw specError(where, `expected "," or "}" at "${text.slice(pos, pos + 20)}"`);
    }
}

function splitLine(line: string): { key: string; valueOffset: number } | null {
    const stripped = line.replace(/#.*$/, "");
    if (stripped.trim() === "")
        return null;
    const eq = stripped.indexOf("=");
    if (eq <= 0)
        return { key: "", valueOffset: -1 };
    return { key: stripped.slice(0, eq).replace(/\s+/g, ""), valueOffset: eq + 1 };
}

/** Parses vm.conf the way `vdsClient create` does. */
export function parseVmConf(text: string, source = "vm.conf"): VmParams {
    const params: VmParams = { devices: [], custom: {} };
    text.split("\n").forEach((line, index) => {
        const where = `${source} line ${index + 1}`;
        const split = splitLine(line);
        if (split === null)
            return;
        if (split.valueOffset < 0)
            throw specError(where, `"${line}" is not key=value`);
        const valueText = line.replace(/#.*$/, "");
        if (split.key === "devices") {
            let start = split.valueOffset;
            while (/\s/.test(valueText[start] ?? ""))
                start++;
            const spec = parseSpecAt(valueText, start, where);
            if (valueText.slice(spec.end + 1).trim() !== "")
                throw specError(where, "text after the device's closing }");
            const device: DeviceSpec = {};
            for (const e of spec.entries)
                device[e.key] = e.value;
            params.devices.push(device);
        } else if (split.key.startsWith("custom_")) {
            params.custom[split.key.slice("custom_".length)] = valueText.slice(split.valueOffset).replace(/\s+/g, "");
        } else if (split.key === "xml") {
            // the domain XML keeps its spaces
            params.xml = line.slice(split.valueOffset).trim();
        } else {
            params[split.key] = valueText.slice(split.valueOffset).replace(/\s+/g, "");
        }
    });
    return params;
}

/* Characters that would end or nest a value in a device spec, or be stripped by vdsClient. */
const UNSAFE_IN_SPEC = /[\s,{}:=#"'<>&]/;

export function checkIsoPath(iso: string): void {
    if (!iso.startsWith("/"))
        throw new HelperError("usage", iso, `The ISO path "${iso}" must be absolute`);
    if (UNSAFE_IN_SPEC.test(iso))
        throw new HelperError("usage", iso,
                              `The ISO path "${iso}" contains a character that vm.conf cannot carry (white space or one of , { } : = # " ' < > &)`);
}

function attachInXml(line: string, iso: string, source: string, lineNumber: number): string {
    const disk = /<disk\b[^>]*\bdevice=(["'])cdrom\1[^>]*>([\s\S]*?)<\/disk>/.exec(line);
    if (!disk)
        throw new HelperError("format-invalid", source, `${source} line ${lineNumber}: the domain XML has no cdrom disk`);
    const openTag = disk[0].slice(0, disk[0].indexOf(">") + 1);
    const body = disk[2];
    const newBody = /<source\b[^>]*\/?>/.test(body)
        ? body.replace(/<source\b[^>]*?(\/?)>/, (_m, close: string) => `<source file="${iso}"${close}>`)
        : `<source file="${iso}"/>` + body;
    const start = disk.index;
    return line.slice(0, start) + openTag + newBody + "</disk>" + line.slice(start + disk[0].length);
}

/** vm.conf text with the cdrom's path set to `iso`; every other line unchanged. */
export function attachCdrom(text: string, iso: string, source = "vm.conf"): string {
    checkIsoPath(iso);
    const lines = text.split("\n");
    let attached = false;
    const out = lines.map((line, index) => {
        const split = splitLine(line);
        if (split === null || split.valueOffset < 0)
            return line;
        if (split.key === "xml") {
            attached = true;
            return attachInXml(line, iso, source, index + 1);
        }
        if (split.key !== "devices")
            return line;
        const where = `${source} line ${index + 1}`;
        let start = split.valueOffset;
        while (/\s/.test(line[start] ?? ""))
            start++;
        const spec = parseSpecAt(line, start, where);
        const device = spec.entries.find(e => e.key === "device");
        if (device?.value !== "cdrom")
            return line;
        attached = true;
        const pathEntry = spec.entries.find(e => e.key === "path");
        if (pathEntry)
            return line.slice(0, pathEntry.valueStart) + iso + line.slice(pathEntry.valueEnd);
        // no path key at all: add one before the closing brace
        return line.slice(0, spec.end) + `,path:${iso}` + line.slice(spec.end);
    });
    if (!attached)
        throw new HelperError("format-invalid", source, `${source} has no cdrom device to attach the cloud-init ISO to`);
    return out.join("\n");
}
