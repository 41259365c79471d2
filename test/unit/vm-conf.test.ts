// SPDX-License-Identifier: LGPL-2.1-or-later

import { attachCdrom, parseVmConf } from "../../src/bridge-helper/formats/vm-conf";

const ISO = "/var/tmp/he-upgrade-1/seed.iso";

/* The setup template's vm.conf (ovirt-formats.md 4.2) with its spaces, and the OVF-derived one (4.3). */
const TEMPLATE = `vmId=4f0b3c2d-1e2f-4a5b-8c7d-6e5f4a3b2c1d
memSize=4096
display=vnc
devices={index:2,iface:ide,address:{ controller:0, target:0,unit:0, bus:1, type:drive},specParams:{},readonly:true,deviceId:8c3179ac-b322-4f5c-9449-c52e3665e0ae,path:,device:cdrom,shared:false,type:disk}
devices={index:0,iface:virtio,format:raw,poolID:00000000-0000-0000-0000-000000000000,volumeID:v1,imageID:i1,specParams:{},readonly:false,domainID:d1,optional:false,deviceId:i1,address:{bus:0x00, slot:0x06, domain:0x0000, type:pci, function:0x0},device:disk,shared:exclusive,propagateErrors:off,type:disk,bootOrder:1}
vmName=HostedEngine
# a comment
smp=2
`;

describe("parseVmConf", () => {
    test("reads devices as nested specs and strips white space like vdsClient", () => {
        const params = parseVmConf(TEMPLATE);
        expect(params.vmId).toBe("4f0b3c2d-1e2f-4a5b-8c7d-6e5f4a3b2c1d");
        expect(params.smp).toBe("2");
        expect(params.devices).toHaveLength(2);
        expect(params.devices[0]).toMatchObject({
            device: "cdrom",
            path: "",
            address: { controller: "0", target: "0", unit: "0", bus: "1", type: "drive" },
            specParams: {},
        });
        expect(params.devices[1]).toMatchObject({ device: "disk", volumeID: "v1", bootOrder: "1" });
    });

    test("a broken device names the line", () => {
        expect(() => parseVmConf("vmId=x\ndevices={device:cdrom,path:\n")).toThrow(/vm.conf line 2/);
    });
});

describe("attachCdrom", () => {
    test("sets the path in place and leaves every other line unchanged", () => {
        const out = attachCdrom(TEMPLATE, ISO);
        const before = TEMPLATE.split("\n");
        const after = out.split("\n");
        expect(after).toHaveLength(before.length);
        expect(after.filter((line, i) => line !== before[i])).toEqual([
            before[3].replace("path:,", `path:${ISO},`),
        ]);
        expect(parseVmConf(out).devices[0].path).toBe(ISO);
    });

    test("works whatever the key order, with path as the last key", () => {
        const conf = "vmId=x\ndevices={device:cdrom,type:disk,deviceId:c1,path:/old.iso}\n";
        expect(attachCdrom(conf, ISO)).toBe(`vmId=x\ndevices={device:cdrom,type:disk,deviceId:c1,path:${ISO}}\n`);
    });

    test("adds a path key when the cdrom has none", () => {
        const conf = "devices={device:cdrom,type:disk}\n";
        expect(parseVmConf(attachCdrom(conf, ISO)).devices[0]).toEqual({ device: "cdrom", type: "disk", path: ISO });
    });

    test("patches the cdrom source in the xml= form", () => {
        const conf = "vmId=x\nxml=<domain type=\"kvm\"><devices><disk type=\"file\" device=\"disk\"><source file=\"/disk\"/></disk>" +
                     "<disk type=\"file\" device=\"cdrom\"><source file=\"\"/><target dev=\"hdc\"/></disk></devices></domain>\n";
        const out = attachCdrom(conf, ISO);
        expect(out).toContain(`<disk type="file" device="cdrom"><source file="${ISO}"/><target dev="hdc"/></disk>`);
        expect(out).toContain("<source file=\"/disk\"/>");
    });

    test("no cdrom device is a clear error", () => {
        expect(() => attachCdrom("vmId=x\ndevices={device:disk,path:/a}\n", ISO, "/tmp/vm.conf"))
                .toThrow("/tmp/vm.conf has no cdrom device to attach the cloud-init ISO to");
    });

    test.each(["relative/seed.iso", "/tmp/a,b.iso", "/tmp/a b.iso", "/tmp/a}.iso", "/tmp/a:b.iso"])(
        "an ISO path that would break the syntax (%s) is refused", iso => {
            expect(() => attachCdrom(TEMPLATE, iso)).toThrow(/ISO path/);
        });
});

/* Issue 14, finding 12: comments stay comments, braces must pair up, and no error repeats a line's text. */
describe("hostile vm.conf", () => {
    const CDROM = "devices={device:cdrom,path:,type:disk}";
    const DISK = "devices={device:disk,imageID:i1,type:disk}";

    const errorOf = (f: () => unknown): { english: string; code: string } => {
        try {
            f();
        } catch (err) {
            const text = (err as { text?: { english: string; code: string } }).text;
            if (text)
                return text;
            throw err;
        }
        throw new Error("no error");
    };

    test("a comment after a live device is kept untouched, and a cdrom inside it is not attached", () => {
        const content = `${DISK} # ${CDROM.replace("path:", "path:/old.iso")}\n${CDROM} # was devices={device:cdrom,path:/x}\n`;
        const out = attachCdrom(content, ISO);
        expect(out).toBe(`${DISK} # ${CDROM.replace("path:", "path:/old.iso")}\n${CDROM.replace("path:", `path:${ISO}`)} # was devices={device:cdrom,path:/x}\n`);
    });

    test.each([
        ["a cdrom only in a comment after another device", `${DISK} # ${CDROM}\n`],
        ["a cdrom only on a commented line", `${DISK}\n  #${CDROM}\n`],
        ["a cdrom in a comment after the domain XML", "xml=<domain><devices/></domain> # <disk device='cdrom'><source file='/a'/></disk>\n"],
    ])("%s is no cdrom", (_name, content) => {
        expect(() => attachCdrom(content, ISO)).toThrow(/no cdrom/);
    });

    test("a device whose value is cut by a # is refused, not attached", () => {
        expect(errorOf(() => attachCdrom(`devices={#device:disk,device:cdrom,path:}\n${DISK}\n`, ISO)).english).toMatch(/line 1/);
    });

    test.each([
        ["an extra }", `${DISK}\n${CDROM}}\n`, 2],
        ["an extra } after a nested spec", `${DISK}\ndevices={device:cdrom,address:{bus:1}}}\n`, 2],
        ["a missing }", `${DISK}\ndevices={device:cdrom,address:{bus:1}\n`, 2],
        ["a } on a scalar line", `memSize=4096}\n${CDROM}\n${DISK}\n`, 1],
        ["an unclosed [", `smp=[2\n${CDROM}\n${DISK}\n`, 1],
        ["a NUL byte", `${CDROM}\nvmName=Hosted\0Engine\n${DISK}\n`, 2],
        ["a 1 MiB line", `${CDROM}\nvmName=${"A".repeat(1 << 20)}\n${DISK}\n`, 2],
    ])("%s is refused by attachCdrom and parseVmConf with its line number", (_name, content, line) => {
        for (const run of [() => attachCdrom(content, ISO), () => parseVmConf(content)])
            expect(errorOf(run).english).toMatch(new RegExp(`^vm\\.conf line ${line}: `));
    });

    test("no error carries the text of the line", () => {
        for (const content of ["SECRET-LINE-TEXT\n", "devices={SECRET-LINE-TEXT}\n", "devices={a:b SECRET-LINE-TEXT{c:d}\n", "devices={a:b,SECRET}\n", "devices={:SECRET}\n"])
            expect(errorOf(() => parseVmConf(content)).english).not.toMatch(/SECRET/);
    });
});
