// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Reading what fast-xml-parser makes of a document (attributes prefixed with
 * "@", text of elements with attributes under "#text"): a repeated element is
 * an array, a single one is not, an empty one is "".
 */

export type XmlNode = Record<string, unknown>;

export function asArray(value: unknown): XmlNode[] {
    return (Array.isArray(value) ? value : value === undefined || value === "" ? [] : [value]) as XmlNode[];
}

/** An element's text, whether it has attributes or not. */
export function text(value: unknown): string | null {
    if (value === undefined || value === null)
        return null;
    if (typeof value === "object")
        return text((value as XmlNode)["#text"]);
    return String(value);
}
