// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The appliance OVA's OVF descriptor (ovirt-formats.md 2.3): ovf:Envelope with
 * un-namespaced child elements and ovf:-prefixed attributes. What the upgrade
 * needs: the disk (the tar member is images/<ovf:fileRef>, ovf:size is the size in
 * GiB the engine disk must have), its virtual size, CPUs and memory.
 */

import { XMLParser, XMLValidator } from "fast-xml-parser";

import type { MessageCode } from "../../protocol/messages";
import type { OvfFacts } from "../../protocol/reports";
import { text, type Params } from "../../protocol/text";
import { HelperError } from "../errors";
import { asArray, text as nodeText, type XmlNode } from "./xml-nodes";

type Node = XmlNode;

function fail(source: string, code: MessageCode, params: Params = {}): never {
    throw new HelperError("format-invalid", source, text(code, { file: source, ...params }));
}

export function parseOvf(xml: string, source: string): OvfFacts {
    // an OVF has no business with a DTD or entities (billion laughs, external files): refuse them outright
    if (/<!DOCTYPE|<!ENTITY/i.test(xml))
        fail(source, "ovf.doctype");
    // the validator's own code and line, never its message: that quotes the OVF's text
    const validity = XMLValidator.validate(xml);
    if (validity !== true)
        fail(source, "ovf.xml-invalid", { reason: `${validity.err.code} at line ${validity.err.line}` });
    let doc: Node;
    try {
        doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", removeNSPrefix: false, parseTagValue: false, processEntities: false })
                .parse(xml, true) as Node;
    } catch (err) {
        fail(source, "ovf.xml-invalid", { reason: (err as Error).name });
    }
    const envelope = doc["ovf:Envelope"] as Node | undefined;
    if (!envelope)
        fail(source, "ovf.no-envelope");

    // like hosted-engine-setup: the first Section/Disk
    const disk = asArray(envelope.Section).flatMap(s => asArray(s.Disk))[0];
    if (!disk)
        fail(source, "ovf.no-disk");
    const fileRef = String(disk["@ovf:fileRef"] ?? "");
    if (!/^[^/]+\/[^/]+$/.test(fileRef) || fileRef.includes(".."))
        fail(source, "ovf.file-ref-invalid", { fileRef });
    const diskSizeGiB = Number(disk["@ovf:size"]);
    if (!Number.isInteger(diskSizeGiB) || diskSizeGiB <= 0)
        fail(source, "ovf.disk-size-invalid", { size: String(disk["@ovf:size"]) });

    const file = asArray((envelope.References as Node | undefined)?.File).find(f => f["@ovf:href"] === fileRef);
    const fileSize = file ? Number(file["@ovf:size"]) : NaN;

    const content = envelope.Content as Node | undefined;
    const items = asArray(content ? asArray(content.Section).flatMap(s => asArray(s.Item)) : []);
    const item = (type: number) => items.find(i => nodeText(i["rasd:ResourceType"]) === String(type));
    const cpu = item(3);
    const sockets = Number(nodeText(cpu?.["rasd:num_of_sockets"]));
    const perSocket = Number(nodeText(cpu?.["rasd:cpu_per_socket"]));
    const memory = Number(nodeText(item(4)?.["rasd:VirtualQuantity"]));

    return {
        diskMember: `images/${fileRef}`,
        fileRef,
        diskSizeGiB,
        virtualSize: Number.isFinite(fileSize) && fileSize > 0 ? fileSize : null,
        volumeFormat: String(disk["@ovf:volume-format"] ?? "").toUpperCase(),
        diskAlias: disk["@ovf:disk-alias"] === undefined ? null : String(disk["@ovf:disk-alias"]),
        cpus: sockets > 0 && perSocket > 0 ? sockets * perSocket : null,
        memoryMiB: memory > 0 ? memory : null,
    };
}
