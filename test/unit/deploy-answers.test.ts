// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The deploy's answers on the configuration volume (issue 13): the otopi
 * answer file, the tar it sits in (made here with tar, as the first deploy's
 * Python tarfile made it), and what they say of the engine VM's identity,
 * including values that must never reach the seed.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { confMember } from "../../src/bridge-helper/host/conf-volume";
import { parseAnswers } from "../../src/bridge-helper/formats/otopi-answers";
import { tarMembers } from "../../src/bridge-helper/formats/tar-members";
import { identityReport, vmIdentity } from "../../src/bridge-helper/upgrade/vm-network";

const FQDN = "engine.example.com";

describe("otopi answers", () => {
    test("typed values of [environment:default], other sections left out, keys case-sensitive", () => {
        const answers = parseAnswers([
            "[environment:init]", "DIALOG/autoAcceptDefault=bool:True",
            "[environment:default]",
            "OVEHOSTED_NETWORK/fqdn=str:engine.example.com",
            "OVEHOSTED_VM/vmMemSizeMB=int:4096",
            "OVEHOSTED_VM/cloudinitVMETCHOSTS=bool:False",
            "OVEHOSTED_STORAGE/mntOptions=none:None",
            "OVEHOSTED_VM/weird=str:a=b:c \"quoted\" $(x) # not a comment",
            "; a comment", "# another",
            "OVEHOSTED_VM/cloudinitVMETCHOSTS2 = bool:True",
        ].join("\n"), "fhanswers.conf");
        expect(Object.fromEntries(answers)).toEqual({
            "OVEHOSTED_NETWORK/fqdn": "engine.example.com",
            "OVEHOSTED_VM/vmMemSizeMB": 4096,
            "OVEHOSTED_VM/cloudinitVMETCHOSTS": false,
            "OVEHOSTED_STORAGE/mntOptions": null,
            "OVEHOSTED_VM/weird": "a=b:c \"quoted\" $(x) # not a comment",
            "OVEHOSTED_VM/cloudinitVMETCHOSTS2": true,
        });
    });

    test.each([
        ["OVEHOSTED_VM/x=str:a", /is not an answer/],
        ["[environment:default]\nOVEHOSTED_VM/x=int:four", /value of OVEHOSTED_VM\/x does not match its type/],
        ["[environment:default]\nno separator here", /is not an answer/],
    ])("refuses %j", (content, message) => {
        expect(() => parseAnswers(content, "fhanswers.conf")).toThrow(message);
    });
});

describe("the configuration volume's tar", () => {
    let dir: string;
    beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-conf-tar-")); });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    function volume(members: [string, string][], tail = 1 << 20): Buffer {
        for (const [name, content] of members)
            fs.writeFileSync(path.join(dir, name), content);
        const tar = execFileSync("tar", ["--format=gnu", "--numeric-owner", "--owner=0", "--group=0", "--mode=0644", "--mtime=@0",
            "-cf", "-", "-C", dir, ...members.map(([name]) => name)]);
        // the volume goes on after the archive with whatever the disk held
        return Buffer.concat([tar, Buffer.alloc(tail, 0x5a)]);
    }

    test("the five members, fhanswers.conf read out as text", () => {
        const answers = "[environment:default]\nOVEHOSTED_NETWORK/fqdn=str:engine.example.com\n";
        const data = volume([["version", "1.3.5.7"], ["fhanswers.conf", answers], ["hosted-engine.conf", "fqdn=x\n"],
            ["broker.conf", "[email]\n"], ["vm.conf", "vmId=1\n"]]);
        expect(tarMembers(data)?.map(m => m.name)).toEqual(["version", "fhanswers.conf", "hosted-engine.conf", "broker.conf", "vm.conf"]);
        expect(confMember(data, "fhanswers.conf")).toBe(answers);
    });

    test("a member larger than a block and a long name", () => {
        const long = "a".repeat(120);
        const big = "x".repeat(5000) + "\u00e4\n";
        const data = volume([[long, big], ["fhanswers.conf", "[environment:default]\n"]]);
        expect(tarMembers(data)?.find(m => m.name === long)?.data.toString("utf8")).toBe(big);
    });

    test("no tar, a cut-short read, a missing member", () => {
        expect(() => confMember(Buffer.alloc(8192, 0x41), "fhanswers.conf")).toThrow("does not begin with a tar archive");
        const data = volume([["version", "1"], ["fhanswers.conf", "y".repeat(3000)]], 0);
        expect(tarMembers(data.subarray(0, 2048))?.map(m => m.name)).toEqual(["version"]);
        expect(() => confMember(data, "vm.conf")).toThrow("archive has no vm.conf");
    });
});

function answers(lines: string[]): string {
    return ["[environment:default]", `OVEHOSTED_NETWORK/fqdn=str:${FQDN}`, "OVEHOSTED_NETWORK/gateway=str:192.168.1.1",
        "OVEHOSTED_VM/vmMACAddr=str:00:16:3E:6A:7A:F9", ...lines].join("\n");
}

describe("the engine VM's identity from the answers", () => {
    test("static: address, prefix, gateway, DNS without spaces; host name, domain, time zone, /etc/hosts", () => {
        const report = identityReport(answers([
            "OVEHOSTED_VM/cloudinitVMStaticCIDR=str:192.168.1.222/24", "OVEHOSTED_VM/cloudinitVMDNS=str:192.168.1.1 , 192.168.1.2",
            "OVEHOSTED_VM/cloudinitInstanceHostName=str:engine.example.com", "OVEHOSTED_VM/cloudinitInstanceDomainName=str:lab.example.com",
            "OVEHOSTED_VM/cloudinitVMETCHOSTS=bool:True", "OVEHOSTED_VM/cloudinitVMTZ=str:America/New_York"]), FQDN, "Europe/Berlin");
        expect(report).toEqual({
            network: { mode: "static", address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: ["192.168.1.1", "192.168.1.2"] },
            hostName: FQDN, domain: "lab.example.com", macAddress: "00:16:3e:6a:7a:f9", timeZone: "America/New_York", etcHosts: true, problem: null,
        });
    });

    test("DHCP: bool:False, or none:None beside other cloud-init answers; the host's time zone when the answers have none", () => {
        for (const cidr of ["bool:False", "none:None"]) {
            const report = identityReport(answers([`OVEHOSTED_VM/cloudinitVMStaticCIDR=${cidr}`, "OVEHOSTED_VM/cloudinitInstanceHostName=str:engine.example.com"]),
                                          FQDN, "Europe/Berlin");
            expect(report).toMatchObject({ network: { mode: "dhcp" }, timeZone: "Europe/Berlin", domain: "example.com", problem: null });
        }
    });

    test("missing: no cloud-init answers (or all of them none) say nothing; the name is hosted-engine.conf's fqdn", () => {
        expect(identityReport(answers([]), FQDN, null)).toEqual({
            network: null, hostName: FQDN, domain: "example.com", macAddress: "00:16:3e:6a:7a:f9", timeZone: null, etcHosts: null, problem: null,
        });
        expect(identityReport(answers(["OVEHOSTED_VM/cloudinitVMStaticCIDR=none:None", "OVEHOSTED_VM/cloudinitVMDNS=none:None"]), FQDN, null).network)
            .toBeNull();
    });

    test("an unreadable volume is a problem, and the host's part stays", () => {
        const report = identityReport(new Error("vdsm said no"), FQDN, "UTC");
        expect(report).toMatchObject({ network: null, hostName: FQDN, timeZone: "UTC" });
        expect(report.problem?.english).toContain("vdsm said no");
    });

    test.each([
        ["OVEHOSTED_VM/cloudinitVMStaticCIDR=str:192.168.1.222", "cloudinitVMStaticCIDR", /prefix length/],
        ["OVEHOSTED_VM/cloudinitVMStaticCIDR=str:192.168.1.222/24; reboot", "cloudinitVMStaticCIDR", /prefix length/],
        ["OVEHOSTED_VM/cloudinitVMStaticCIDR=str:192.168.1.0/24", "cloudinitVMStaticCIDR", /network or broadcast/],
        ["OVEHOSTED_VM/cloudinitVMStaticCIDR=str:10.0.0.5/24", "OVEHOSTED_NETWORK/gateway", /not in the engine VM's subnet/],
        ["OVEHOSTED_VM/cloudinitVMStaticCIDR=str:192.168.1.222/24\nOVEHOSTED_VM/cloudinitVMDNS=str:192.168.1.1\" >> /etc/passwd",
            "cloudinitVMDNS", /IP addresses/],
        ["OVEHOSTED_VM/cloudinitVMStaticCIDR=str:192.168.1.222/24\nOVEHOSTED_VM/cloudinitVMDNS=str:1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4",
            "cloudinitVMDNS", /At most three/],
        ["OVEHOSTED_VM/cloudinitInstanceHostName=str:engine.example.com\nrm -rf /", "", /is not an answer/],
        ["OVEHOSTED_VM/cloudinitInstanceHostName=str:$(reboot).example.com", "cloudinitInstanceHostName", /not a host name/],
        ["OVEHOSTED_VM/cloudinitInstanceDomainName=str:example.com; reboot", "cloudinitInstanceDomainName", /not a domain name/],
        ["OVEHOSTED_VM/cloudinitVMTZ=str:Europe/Berlin\\nruncmd: [reboot]", "cloudinitVMTZ", /not a time zone name/],
        ["OVEHOSTED_VM/cloudinitVMTZ=str:../../etc/shadow", "cloudinitVMTZ", /not a time zone name/],
    ])("refuses %j: nothing of it reaches the seed", (line, key, message) => {
        const report = identityReport(answers(["OVEHOSTED_VM/cloudinitVMETCHOSTS=bool:True", line]), FQDN, "UTC");
        expect(report.network).toBeNull();
        expect(report.problem?.english).toMatch(message);
        expect(report.problem?.english).toContain(key);
    });

    test("the host's part alone when nothing was read", () => {
        expect(vmIdentity(null, FQDN, null)).toMatchObject({ network: null, hostName: FQDN, macAddress: null });
    });
});
