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

import type { MessageCode } from "../../protocol/messages";
import { text, type Params } from "../../protocol/text";
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

/** A line of vm.conf: where a problem is. */
interface Where {
    file: string;
    line: number;
}

function specError(where: Where, code: MessageCode, params: Params = {}): HelperError {
    return new HelperError("format-invalid", `${where.file} line ${where.line}`, text(code, { file: where.file, line: where.line, ...params }));
}

/* A spec as vdsClient reads it, keeping where each top-level value stands in the text. */
function parseSpecAt(spec: string, start: number, where: Where): ParsedSpec {
    if (spec[start] !== "{")
        throw specError(where, "vm-conf.device-start");
    const entries: Entry[] = [];
    let pos = start + 1;
    const skipSpace = () => {
        while (/\s/.test(spec[pos] ?? ""))
            pos++;
    };
    skipSpace();
    if (spec[pos] === "}")
        return { entries, end: pos };
    for (;;) {
        skipSpace();
        const colon = spec.indexOf(":", pos);
        if (colon < 0)
            throw specError(where, "vm-conf.name-expected", { text: spec.slice(start, pos) });
        const key = spec.slice(pos, colon).replace(/\s+/g, "");
        if (key === "" || /[{},]/.test(key))
            throw specError(where, "vm-conf.name-invalid", { name: key });
        pos = colon + 1;
        skipSpace();
        let entry: Entry;
        if (spec[pos] === "{") {
            const nested = parseSpecAt(spec, pos, where);
            const value: DeviceSpec = {};
            for (const e of nested.entries)
                value[e.key] = e.value;
            entry = { key, valueStart: pos, valueEnd: nested.end + 1, value };
            pos = nested.end + 1;
        } else {
            const valueStart = pos;
            while (pos < spec.length && spec[pos] !== "," && spec[pos] !== "}")
                pos++;
            entry = { key, valueStart, valueEnd: pos, value: spec.slice(valueStart, pos).replace(/\s+/g, "") };
        }
        entries.push(entry);
        skipSpace();
        if (spec[pos] === ",") {
            pos++;
            continue;
        }
        if (spec[pos] === "}")
            return { entries, end: pos };
        throw specError(where, "vm-conf.separator-expected", { text: spec.slice(pos, pos + 20) });
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
export function parseVmConf(content: string, source = "vm.conf"): VmParams {
    const params: VmParams = { devices: [], custom: {} };
    content.split("\n").forEach((line, index) => {
        const where: Where = { file: source, line: index + 1 };
        const split = splitLine(line);
        if (split === null)
            return;
        if (split.valueOffset < 0)
            throw specError(where, "vm-conf.not-key-value", { text: line });
        const valueText = line.replace(/#.*$/, "");
        if (split.key === "devices") {
            let start = split.valueOffset;
            while (/\s/.test(valueText[start] ?? ""))
                start++;
            const spec = parseSpecAt(valueText, start, where);
            if (valueText.slice(spec.end + 1).trim() !== "")
                throw specError(where, "vm-conf.text-after-device");
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

function checkIsoPath(iso: string): void {
    if (!iso.startsWith("/"))
        throw new HelperError("usage", iso, text("vm-conf.iso-relative", { path: iso }));
    if (UNSAFE_IN_SPEC.test(iso))
        throw new HelperError("usage", iso, text("vm-conf.iso-unsafe", { path: iso }));
}

function attachInXml(line: string, iso: string, where: Where): string {
    const disk = /<disk\b[^>]*\bdevice=(["'])cdrom\1[^>]*>([\s\S]*?)<\/disk>/.exec(line);
    if (!disk)
        throw new HelperError("format-invalid", where.file, text("vm-conf.xml-no-cdrom", { file: where.file, line: where.line }));
    const openTag = disk[0].slice(0, disk[0].indexOf(">") + 1);
    const body = disk[2];
    const newBody = /<source\b[^>]*\/?>/.test(body)
        ? body.replace(/<source\b[^>]*?(\/?)>/, (_m, close: string) => `<source file="${iso}"${close}>`)
        : `<source file="${iso}"/>` + body;
    const start = disk.index;
    return line.slice(0, start) + openTag + newBody + "</disk>" + line.slice(start + disk[0].length);
}

/** vm.conf text with the cdrom's path set to `iso`; every other line unchanged. */
export function attachCdrom(content: string, iso: string, source = "vm.conf"): string {
    checkIsoPath(iso);
    const lines = content.split("\n");
    let attached = false;
    const out = lines.map((line, index) => {
        const split = splitLine(line);
        if (split === null || split.valueOffset < 0)
            return line;
        const where: Where = { file: source, line: index + 1 };
        if (split.key === "xml") {
            attached = true;
            return attachInXml(line, iso, where);
        }
        if (split.key !== "devices")
            return line;
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
        throw new HelperError("format-invalid", source, text("vm-conf.no-cdrom", { file: source }));
    return out.join("\n");
}
