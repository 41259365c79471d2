// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The appliance OVA's OVF descriptor (ovirt-formats.md 2.3): ovf:Envelope with
 * un-namespaced child elements and ovf:-prefixed attributes. What the upgrade
 * needs: the disk (the tar member is images/<ovf:fileRef>, ovf:size is the size in
 * GiB the engine disk must have), its virtual size, CPUs and memory.
 */

import { XMLParser } from "fast-xml-parser";

import { HelperError } from "../errors";
import { asArray, text, type XmlNode } from "./xml-nodes";

export interface OvfFacts {
    /** tar member of the disk: images/<fileRef> */
    diskMember: string;
    fileRef: string;
    /** ovf:size of the Disk: whole GiB the engine disk must have */
    diskSizeGiB: number;
    /** ovf:size of the referenced File: the disk's virtual size in bytes, when given */
    virtualSize: number | null;
    /** "COW" (qcow2) or "RAW", from ovf:volume-format */
    volumeFormat: string;
    diskAlias: string | null;
    cpus: number | null;
    memoryMiB: number | null;
}

type Node = XmlNode;


function fail(source: string, why: string): never {
    throw new HelperError("format-invalid", source, `${source}: ${why}`);
}

export function parseOvf(xml: string, source: string): OvfFacts {
    // an OVF has no business with a DTD or entities (billion laughs, external files): refuse them outright
    if (/<!DOCTYPE|<!ENTITY/i.test(xml))
        fail(source, "has a DTD or entity declarations, which an OVF never needs");
    let doc: Node;
    try {
        doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", removeNSPrefix: false, parseTagValue: false, processEntities: false })
                .parse(xml, true) as Node;
    } catch (err) {
        fail(source, `not valid XML: ${(err as Error).message.split("\n")[0]}`);
    }
    const envelope = doc["ovf:Envelope"] as Node | undefined;
    if (!envelope)
        fail(source, "no ovf:Envelope");

    // like hosted-engine-setup: the first Section/Disk
    const disk = asArray(envelope.Section).flatMap(s => asArray(s.Disk))[0];
    if (!disk)
        fail(source, "no Disk in any Section");
    const fileRef = String(disk["@ovf:fileRef"] ?? "");
    if (!/^[^/]+\/[^/]+$/.test(fileRef) || fileRef.includes(".."))
        fail(source, `Disk ovf:fileRef "${fileRef}" is not IMAGE/VOLUME`);
    const diskSizeGiB = Number(disk["@ovf:size"]);
    if (!Number.isInteger(diskSizeGiB) || diskSizeGiB <= 0)
        fail(source, `Disk ovf:size "${String(disk["@ovf:size"])}" is not a whole number of GiB`);

    const file = asArray((envelope.References as Node | undefined)?.File).find(f => f["@ovf:href"] === fileRef);
    const fileSize = file ? Number(file["@ovf:size"]) : NaN;

    const content = envelope.Content as Node | undefined;
    const items = asArray(content ? asArray(content.Section).flatMap(s => asArray(s.Item)) : []);
    const item = (type: number) => items.find(i => text(i["rasd:ResourceType"]) === String(type));
    const cpu = item(3);
    const sockets = Number(text(cpu?.["rasd:num_of_sockets"]));
    const perSocket = Number(text(cpu?.["rasd:cpu_per_socket"]));
    const memory = Number(text(item(4)?.["rasd:VirtualQuantity"]));

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
