// SPDX-License-Identifier: LGPL-2.1-or-later

import { verify } from "unixcrypt";
import YAML from "yaml";

import { hashRootPassword, metaData, pkiOrganization, userData, VIRTIO_PORT, type SeedOptions } from "../../src/bridge-helper/formats/cloud-init";

const OPTIONS: SeedOptions = {
    vmId: "4f0b3c2d-1e2f-4a5b-8c7d-6e5f4a3b2c1d",
    engineFqdn: "engine.example.com",
    backupGuestPath: "/root/engine_backup.tar.gz",
    restoreDwh: true,
    restoreReports: false,
    rootPasswordHash: null,
    rootSshKey: null,
    rootSshAccess: null,
    etcHosts: [],
};

describe("cloud-init user-data", () => {
    test("is a #cloud-config YAML document that restores the backup and runs engine-setup, in that order", () => {
        const text = userData(OPTIONS);
        expect(text.startsWith("#cloud-config\n# vim: syntax=yaml\n")).toBe(true);
        const doc = YAML.parse(text);
        expect(doc.write_files[0]).toMatchObject({ path: "/root/heanswers.conf", owner: "root:root", permissions: "0640" });
        expect(doc.write_files[0].content).toContain("OVESETUP_CONFIG/fqdn=str:engine.example.com\n");
        expect(doc.write_files[0].content).toContain("OVESETUP_PKI/organization=str:example.com\n");
        expect(doc.write_files[0].content).not.toContain("adminPassword");
        const runcmd: string[] = doc.runcmd;
        const restore = runcmd.findIndex(c => c.startsWith("engine-backup --mode=restore --file=/root/engine_backup.tar.gz"));
        const setup = runcmd.findIndex(c => c.startsWith("/usr/bin/engine-setup --offline"));
        expect(restore).toBeGreaterThan(-1);
        expect(setup).toBeGreaterThan(restore);
        expect(runcmd[restore]).toContain("--provision-dwh-db");
        expect(runcmd[restore]).not.toContain("--provision-reports-db");
        expect(runcmd[restore]).toMatch(new RegExp(`1>${VIRTIO_PORT} 2>&1$`));
        expect(runcmd[restore + 1]).toContain("HE_APPLIANCE_ENGINE_RESTORE_SUCCESS");
        expect(runcmd[setup + 1]).toContain("HE_APPLIANCE_ENGINE_SETUP_FAIL");
        expect(doc.chpasswd).toBeUndefined();
    });

    test("the root password is only a SHA-512 crypt hash, set by usermod -p before anything else, never by chpasswd", () => {
        const hash = hashRootPassword("Secret-Root-1");
        expect(hash).toMatch(/^\$6\$/);
        expect(verify("Secret-Root-1", hash)).toBe(true);
        const text = userData({ ...OPTIONS, rootPasswordHash: hash, rootSshKey: "ssh-ed25519 AAAA admin@example", rootSshAccess: "without-password" });
        expect(text).not.toContain("Secret-Root-1");
        const doc = YAML.parse(text);
        // the appliance's cloud-init 0.7.5 feeds chpasswd.list to chpasswd without -e: a hash there would be the password
        expect(doc.chpasswd).toBeUndefined();
        expect(doc.runcmd[0]).toBe(`usermod -p '${hash}' root`);
        expect(doc.ssh_pwauth).toBe(true);
        expect(doc.ssh_authorized_keys).toEqual(["ssh-ed25519 AAAA admin@example"]);
        expect(doc.disable_root).toBe(false);
        expect(doc.bootcmd.join("\n")).toContain("PermitRootLogin without-password");
    });

    test("anything but a SHA-512 crypt hash is refused as the root password", () => {
        for (const bad of ["Secret-Root-1", "$6$salt$x' ; rm -rf / ; '", "$1$abc$def"])
            expect(() => userData({ ...OPTIONS, rootPasswordHash: bad })).toThrow(/SHA-512/);
    });

    test("/etc/hosts lines go into bootcmd", () => {
        const doc = YAML.parse(userData({ ...OPTIONS, etcHosts: [{ ip: "192.0.2.10", fqdn: "host1.example.com" }] }));
        expect(doc.bootcmd).toEqual(['echo "192.0.2.10 host1.example.com" >> /etc/hosts']);
    });

    test("an /etc/hosts line is only ever an IPv4 address and a host name", () => {
        for (const bad of [{ ip: "192.0.2.10; reboot", fqdn: "host1.example.com" }, { ip: "192.0.2.10", fqdn: "host1.example.com\" >> /etc/passwd; echo \"" },
            { ip: "192.0.2.10", fqdn: "$(reboot).example.com" }, { ip: "192.0.2.10", fqdn: "192.0.2.10" }, { ip: "::1", fqdn: "host1.example.com" },
            { ip: "192.0.2.10", fqdn: "host1" }])
            expect(() => userData({ ...OPTIONS, etcHosts: [bad] })).toThrow(/not an IPv4 address and a host name/);
    });

    test("meta-data names the instance by the VM id", () => {
        expect(YAML.parse(metaData(OPTIONS))).toEqual({ "instance-id": OPTIONS.vmId, "local-hostname": "engine.example.com" });
    });

    test("the PKI organization is the FQDN's domain, or Test", () => {
        expect(pkiOrganization("engine.lab.example.com")).toBe("lab.example.com");
        expect(pkiOrganization("engine")).toBe("Test");
    });
});
