// SPDX-License-Identifier: LGPL-2.1-or-later

import { parseOvf } from "../../src/bridge-helper/formats/ovf";

/* The shape of ovirt-formats.md 2.3: un-namespaced children, ovf: attributes, no XML declaration. */
const OVF = `<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ovf:version="0.9">
 <References><File ovf:href="IMG/VOL" ovf:id="VOL" ovf:size="10737418240" ovf:description="appliance"/></References>
 <Section xsi:type="ovf:NetworkSection_Type"><Info>List of Networks</Info></Section>
 <Section xsi:type="ovf:DiskSection_Type">
  <Disk ovf:diskId="VOL" ovf:size="10" ovf:actual_size="10" ovf:fileRef="IMG/VOL" ovf:volume-format="COW" ovf:disk-alias="appliance disk"/>
 </Section>
 <Content xsi:type="ovf:VirtualSystem_Type" ovf:id="out">
  <Section xsi:type="ovf:VirtualHardwareSection_Type"><Info>4 CPU, 16384 Memory</Info>
   <Item><rasd:InstanceId>1</rasd:InstanceId><rasd:ResourceType>3</rasd:ResourceType><rasd:num_of_sockets>2</rasd:num_of_sockets><rasd:cpu_per_socket>2</rasd:cpu_per_socket></Item>
   <Item><rasd:InstanceId>2</rasd:InstanceId><rasd:ResourceType>4</rasd:ResourceType><rasd:AllocationUnits>MegaBytes</rasd:AllocationUnits><rasd:VirtualQuantity>16384</rasd:VirtualQuantity></Item>
  </Section>
 </Content>
</ovf:Envelope>`;

describe("parseOvf", () => {
    test("reads the disk, its size in GiB and bytes, CPUs and memory", () => {
        expect(parseOvf(OVF, "x.ovf")).toEqual({
            diskMember: "images/IMG/VOL",
            fileRef: "IMG/VOL",
            diskSizeGiB: 10,
            virtualSize: 10737418240,
            volumeFormat: "COW",
            diskAlias: "appliance disk",
            cpus: 4,
            memoryMiB: 16384,
        });
    });

    test("a fileRef that climbs out of images/ is refused", () => {
        expect(() => parseOvf(OVF.replace(/ovf:fileRef="IMG\/VOL"/, 'ovf:fileRef="../etc"'), "x.ovf")).toThrow(/is not IMAGE\/VOLUME/);
    });

    test("a disk size that is not whole GiB is refused", () => {
        expect(() => parseOvf(OVF.replace('ovf:size="10" ', 'ovf:size="ten" '), "x.ovf")).toThrow(/not a whole number of GiB/);
    });

    test("broken XML names the file", () => {
        expect(() => parseOvf("<ovf:Envelope><Section>", "master/vms/T/T.ovf")).toThrow(/^master\/vms\/T\/T.ovf: /);
    });
});

test("an OVF with a DTD or entities is refused before parsing", () => {
    const evil = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>${OVF}`;
    expect(() => parseOvf(evil, "x.ovf")).toThrow("x.ovf: has a DTD or entity declarations, which an OVF never needs");
});
