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
 *
 * Everything from a "#" on is a comment, as for vdsClient: it is never parsed
 * nor changed, so a commented-out device never becomes the one attached. A line
 * whose braces or brackets do not pair up, or with a NUL byte, is refused with
 * its number; no error carries a line's text (it may be anything).
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
            throw specError(where, "vm-conf.name-expected");
        const key = spec.slice(pos, colon).replace(/\s+/g, "");
        if (key === "" || /[{},]/.test(key))
            throw specError(where, "vm-conf.name-invalid");
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
        throw specError(where, "vm-conf.separator-expected");
    }
}

/** The longest line read: a domain XML on one line is a few KiB. */
export const MAX_LINE = 256 * 1024;

/* The part of a line vdsClient reads: up to its comment. */
const live = (line: string): string => line.replace(/#.*$/, "");

/* Refuses what no vm.conf line holds: a NUL byte, a line beyond MAX_LINE, braces or brackets that do not pair up. */
function checkLine(line: string, where: Where): void {
    if (line.length > MAX_LINE)
        throw specError(where, "vm-conf.line-too-long", { limit: MAX_LINE });
    if (line.includes("\0"))
        throw specError(where, "vm-conf.nul");
    const text = live(line);
    if (/^\s*xml\s*=/.test(text))
        return;
    const open: string[] = [];
    for (const c of text) {
        if (c === "{" || c === "[") {
            open.push(c);
        } else if (c === "}" || c === "]") {
            if (open.pop() !== (c === "}" ? "{" : "["))
                throw specError(where, "vm-conf.unbalanced");
        }
    }
    if (open.length > 0)
        throw specError(where, "vm-conf.unbalanced");
}

function splitLine(line: string): { key: string; valueOffset: number } | null {
    const stripped = live(line);
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
        checkLine(line, where);
        const split = splitLine(line);
        if (split === null)
            return;
        if (split.valueOffset < 0)
            throw specError(where, "vm-conf.not-key-value");
        const valueText = live(line);
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
            // the domain XML keeps its spaces, not its comment
            params.xml = valueText.slice(split.valueOffset).trim();
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
    // the whole file must read as vdsClient reads it before any line is changed
    parseVmConf(content, source);
    const lines = content.split("\n");
    let attached = false;
    const out = lines.map((line, index) => {
        const split = splitLine(line);
        if (split === null || split.valueOffset < 0)
            return line;
        const where: Where = { file: source, line: index + 1 };
        // only the live part changes; the comment after it stays as it was
        const text = live(line);
        const comment = line.slice(text.length);
        if (split.key === "xml") {
            attached = true;
            return attachInXml(text, iso, where) + comment;
        }
        if (split.key !== "devices")
            return line;
        let start = split.valueOffset;
        while (/\s/.test(text[start] ?? ""))
            start++;
        const spec = parseSpecAt(text, start, where);
        const device = spec.entries.find(e => e.key === "device");
        if (device?.value !== "cdrom")
            return line;
        attached = true;
        const pathEntry = spec.entries.find(e => e.key === "path");
        if (pathEntry)
            return text.slice(0, pathEntry.valueStart) + iso + text.slice(pathEntry.valueEnd) + comment;
        // no path key at all: add one before the closing brace
        return text.slice(0, spec.end) + `,path:${iso}` + text.slice(spec.end) + comment;
    });
    if (!attached)
        throw new HelperError("format-invalid", source, text("vm-conf.no-cdrom", { file: source }));
    return out.join("\n");
}
