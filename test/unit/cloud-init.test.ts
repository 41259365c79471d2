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

    test("the root password is a SHA-512 crypt hash that verifies, never the password", () => {
        const hash = hashRootPassword("Secret-Root-1");
        expect(hash).toMatch(/^\$6\$/);
        expect(verify("Secret-Root-1", hash)).toBe(true);
        const text = userData({ ...OPTIONS, rootPasswordHash: hash, rootSshKey: "ssh-ed25519 AAAA admin@example", rootSshAccess: "without-password" });
        expect(text).not.toContain("Secret-Root-1");
        const doc = YAML.parse(text);
        expect(doc.chpasswd).toEqual({ list: `root:${hash}\n`, expire: false });
        expect(doc.ssh_authorized_keys).toEqual(["ssh-ed25519 AAAA admin@example"]);
        expect(doc.disable_root).toBe(false);
        expect(doc.bootcmd.join("\n")).toContain("PermitRootLogin without-password");
    });

    test("/etc/hosts lines go into bootcmd", () => {
        const doc = YAML.parse(userData({ ...OPTIONS, etcHosts: [{ ip: "192.0.2.10", fqdn: "host1.example.com" }] }));
        expect(doc.bootcmd).toEqual(['echo "192.0.2.10 host1.example.com" >> /etc/hosts']);
    });

    test("meta-data names the instance by the VM id", () => {
        expect(YAML.parse(metaData(OPTIONS))).toEqual({ "instance-id": OPTIONS.vmId, "local-hostname": "engine.example.com" });
    });

    test("the PKI organization is the FQDN's domain, or Test", () => {
        expect(pkiOrganization("engine.lab.example.com")).toBe("lab.example.com");
        expect(pkiOrganization("engine")).toBe("Test");
    });
});
