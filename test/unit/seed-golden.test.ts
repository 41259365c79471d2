// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The seed against the original's, per variant of the deploy's answers
 * (issue 13): the user-data and meta-data ovirt-hosted-engine-setup's last
 * form of the upgrade (branch 2.2, src/plugins/gr-he-common/vm/cloud_init.py
 * `_misc`, the same as 2.1's for these keys) writes for the same answers,
 * typed out here line by line as its string templates produce them. Both are
 * parsed as cloud-init parses them (YAML) and compared key by key, list item
 * by list item; every place where ours differs on purpose is changed in the
 * original's document below, with the reason beside it. Nothing else may
 * differ.
 */

import YAML from "yaml";

import { hashRootPassword, metaData, userData, type SeedOptions } from "../../src/bridge-helper/formats/cloud-init";
import { identityReport } from "../../src/bridge-helper/upgrade/vm-network";

const VM_ID = "2c4b4a5e-7d3f-4e2a-9b1c-0d8e6f5a4b3c";
const FQDN = "engine.example.com";
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG4rT3vTt99Ox5kndS4HmgTrKBT8SKzhK4rhGkEVGlCI admin@example.com";
const HASH = hashRootPassword("Secret-Root-1");
const IFCFG = "/etc/sysconfig/network-scripts/ifcfg-eth0";
const PORT = "/dev/virtio-ports/org.ovirt.hosted-engine-setup.0";

/* The original's user-data head: root's access (its password in clear text) and the host's time zone. */
const ORIGINAL_HEAD = [
    "#cloud-config",
    "# vim: syntax=yaml",
    "disable_root: false",
    "ssh_authorized_keys:",
    ` - ${KEY}`,
    "ssh_pwauth: True",
    "chpasswd:",
    "  list: |",
    "    root:Secret-Root-1",
    "  expire: False",
    "timezone: Europe/Berlin",
];

const ORIGINAL_PERMIT_ROOT =
    ' - if grep -Gq "^\\s*PermitRootLogin" /etc/ssh/sshd_config; then sed -re "s/^\\s*(PermitRootLogin)\\s+(yes|no|without-password)/ \\1 without-password/" -i.$(date -u +%Y%m%d%H%M%S) /etc/ssh/sshd_config; else echo "PermitRootLogin without-password" >> /etc/ssh/sshd_config; fi';

/* The original's user-data tail, the same in every variant: heanswers.conf, the restore and engine-setup inside firewalld's IndividualCalls=yes, SELinux back to enforcing. */
const ORIGINAL_TAIL = [
    "write_files:",
    " - content: |",
    "     [environment:init]",
    "     DIALOG/autoAcceptDefault=bool:True",
    "     [environment:default]",
    `     OVESETUP_CONFIG/fqdn=str:${FQDN}`,
    "     OVESETUP_PKI/organization=str:example.com",
    "   path: /root/heanswers.conf",
    "   owner: root:root",
    "   permissions: '0640'",
    "runcmd:",
    " - systemctl restart sshd &",
    " - cp /etc/firewalld/firewalld.conf /etc/firewalld/firewalld.conf.hebck",
    ' - if grep -Gq "^\\s*IndividualCalls" /etc/firewalld/firewalld.conf; then sed -re "s/^\\s*(IndividualCalls)\\s*=\\s*(yes|no)/ \\1=yes/" -i.$(date -u +%Y%m%d%H%M%S) /etc/firewalld/firewalld.conf; else echo "IndividualCalls=yes" >> /etc/firewalld/firewalld.conf; fi',
    " - systemctl restart firewalld &",
    ` - engine-backup --mode=restore --file=/root/engine_backup.tar.gz --log=engine_restore.log --restore-permissions --provision-db --provision-dwh-db  1>${PORT} 2>&1`,
    ` - if [ $? -eq 0 ]; then echo "HE_APPLIANCE_ENGINE_RESTORE_SUCCESS" >${PORT}; else echo "HE_APPLIANCE_ENGINE_RESTORE_FAIL" >${PORT}; fi`,
    ` - /usr/bin/engine-setup --offline --config-append=/root/ovirt-engine-answers --config-append=/root/heanswers.conf 1>${PORT} 2>&1 `,
    ` - if [ $? -eq 0 ]; then echo "HE_APPLIANCE_ENGINE_SETUP_SUCCESS" >${PORT}; else echo "HE_APPLIANCE_ENGINE_SETUP_FAIL" >${PORT}; fi`,
    " - mv /etc/firewalld/firewalld.conf.hebck /etc/firewalld/firewalld.conf",
    " - systemctl restart firewalld &",
    " - rm /root/heanswers.conf",
    " - setenforce 1",
    " - systemctl mask cloud-init-local ||  chkconfig cloud-init-local off",
    " - systemctl mask cloud-init || ( chkconfig cloud-init off && chkconfig cloud-config off && chkconfig cloud-final off )",
];

function answers(lines: string[]): string {
    return ["[environment:default]", `OVEHOSTED_NETWORK/fqdn=str:${FQDN}`, "OVEHOSTED_NETWORK/gateway=str:192.168.1.1",
        "OVEHOSTED_VM/vmMACAddr=str:00:16:3e:6a:7a:f9", ...lines, ""].join("\n");
}

/* Our seed for the answers, as the upgrade builds it from what the preflight found (survey.vm) and the plan. */
function ours(answersText: string, plan: Pick<SeedOptions, "network"> & { etcHosts: boolean }) {
    const identity = identityReport(answersText, FQDN, "Europe/Berlin");
    expect(identity.problem).toBeNull();
    const options: SeedOptions = {
        vmId: VM_ID, engineFqdn: FQDN, backupGuestPath: "/root/engine_backup.tar.gz", restoreDwh: true, restoreReports: false,
        rootPasswordHash: HASH, rootSshKey: KEY, rootSshAccess: "without-password",
        etcHosts: plan.etcHosts ? [{ ip: "192.168.1.10", fqdn: "host1.example.com" }] : [],
        network: identity.network ?? plan.network ?? null, hostName: identity.hostName, domain: identity.domain, timeZone: identity.timeZone,
    };
    return { user: YAML.parse(userData(options)), meta: YAML.parse(metaData(options)), text: userData(options) };
}

/* What we change in the original's user-data on purpose, the same in every variant. */
function intended(original: Record<string, unknown>): Record<string, unknown> {
    const doc = { ...original };
    // the original put root's password in clear text into chpasswd.list (`# TODO: use salted hashed password`),
    // so it lay on the ISO; the appliance's cloud-init 0.7.5 cannot take a hash there (chpasswd without -e):
    // the SHA-512 hash goes to usermod -p as the first runcmd line instead
    delete doc.chpasswd;
    const bootcmd = [...(doc.bootcmd as string[])];
    // the original's PermitRootLogin line leaves a dated copy of sshd_config behind and misses a commented-out
    // line; ours deletes every PermitRootLogin line and appends the one asked for (same result on the appliance)
    bootcmd[bootcmd.length - 1] = "sed -i -e '/^PermitRootLogin/d' -e '$a PermitRootLogin without-password' /etc/ssh/sshd_config";
    doc.bootcmd = bootcmd;
    // whitespace only: the original's templates leave a double space where an option is absent
    // ("--provision-dwh-db  1>", "||  chkconfig") and a trailing one after engine-setup
    doc.runcmd = [`usermod -p '${HASH}' root`, ...(doc.runcmd as string[]).map(c => c.replace(/ {2,}/g, " "))];
    // ssh_pwauth: True (YAML 1.1) is written true (YAML 1.2); both parse as the boolean
    return doc;
}

const parse = (lines: string[]) => YAML.parse(lines.join("\n") + "\n");

describe("the seed, line by line against the original's, for the same answers", () => {
    test("static: address, prefix, gateway, two DNS servers, domain, /etc/hosts wanted", () => {
        const answersText = answers([
            "OVEHOSTED_VM/cloudinitInstanceHostName=str:engine.example.com",
            "OVEHOSTED_VM/cloudinitInstanceDomainName=str:example.com",
            "OVEHOSTED_VM/cloudinitVMStaticCIDR=str:192.168.1.222/24",
            "OVEHOSTED_VM/cloudinitVMDNS=str:192.168.1.1, 192.168.1.2",
            "OVEHOSTED_VM/cloudinitVMETCHOSTS=bool:True",
        ]);
        const original = parse([...ORIGINAL_HEAD,
            "bootcmd:",
            ' - echo "192.168.1.10 host1.example.com" >> /etc/hosts',
            ' - echo "192.168.1.222 engine.example.com" >> /etc/hosts',
            ` - echo "DNS1=192.168.1.1" >> ${IFCFG}`,
            ` - echo "DNS2=192.168.1.2" >> ${IFCFG}`,
            ` - echo "DOMAIN=example.com" >> ${IFCFG}`,
            ` - if ! grep -Gq "^GATEWAY" ${IFCFG}; then echo "GATEWAY=192.168.1.1" >> ${IFCFG}; fi`,
            ` - if ! grep -Gq "^DEFROUTE" ${IFCFG}; then echo "DEFROUTE=yes" >> ${IFCFG}; fi`,
            " - ifdown eth0",
            " - ifup eth0",
            " - setenforce 0",
            ORIGINAL_PERMIT_ROOT,
            ...ORIGINAL_TAIL]);
        const originalMeta = parse([
            `instance-id: ${VM_ID}`,
            "local-hostname: engine.example.com",
            "network-interfaces: |",
            "  auto eth0",
            "  iface eth0 inet static",
            "    address 192.168.1.222",
            "    network 192.168.1.0",
            "    netmask 255.255.255.0",
            "    broadcast 192.168.1.255",
            "    gateway 192.168.1.1",
        ]);
        const seed = ours(answersText, { etcHosts: true });
        expect(seed.user).toEqual(intended(original));
        expect(seed.meta).toEqual(originalMeta);
        expect(seed.text).not.toContain("Secret-Root-1");
    });

    test("DHCP (cloudinitVMStaticCIDR none:None beside other cloud-init answers), no /etc/hosts", () => {
        const answersText = answers([
            "OVEHOSTED_VM/cloudinitInstanceHostName=str:engine.example.com",
            "OVEHOSTED_VM/cloudinitInstanceDomainName=str:example.com",
            "OVEHOSTED_VM/cloudinitVMStaticCIDR=none:None",
            "OVEHOSTED_VM/cloudinitVMETCHOSTS=bool:False",
        ]);
        const original = parse([...ORIGINAL_HEAD, "bootcmd:", " - setenforce 0", ORIGINAL_PERMIT_ROOT, ...ORIGINAL_TAIL]);
        const seed = ours(answersText, { etcHosts: false });
        expect(seed.user).toEqual(intended(original));
        // no network-interfaces: the appliance's own ifcfg-eth0 asks DHCP, with the VM's MAC address
        expect(seed.meta).toEqual(parse([`instance-id: ${VM_ID}`, "local-hostname: engine.example.com"]));
    });

    test("DHCP as the 1.3 deploy wrote it (bool:False), /etc/hosts wanted: this host's line only, as the original", () => {
        const answersText = answers(["OVEHOSTED_VM/cloudinitVMStaticCIDR=bool:False", "OVEHOSTED_VM/cloudinitVMDNS=bool:False",
            "OVEHOSTED_VM/cloudinitVMETCHOSTS=bool:True"]);
        const original = parse([...ORIGINAL_HEAD, "bootcmd:", ' - echo "192.168.1.10 host1.example.com" >> /etc/hosts',
            " - setenforce 0", ORIGINAL_PERMIT_ROOT, ...ORIGINAL_TAIL]);
        expect(ours(answersText, { etcHosts: true }).user).toEqual(intended(original));
    });

    test("missing (no cloud-init answers): the static network chosen in Settings, without DNS, as the original's questions give it", () => {
        const network = { mode: "static" as const, address: "192.168.1.222", prefix: 24, gateway: "192.168.1.1", dns: [] };
        const original = parse([...ORIGINAL_HEAD,
            "bootcmd:",
            // no DNS: no DNSn= lines, and the original writes DOMAIN= only beside them
            ` - if ! grep -Gq "^GATEWAY" ${IFCFG}; then echo "GATEWAY=192.168.1.1" >> ${IFCFG}; fi`,
            ` - if ! grep -Gq "^DEFROUTE" ${IFCFG}; then echo "DEFROUTE=yes" >> ${IFCFG}; fi`,
            " - ifdown eth0",
            " - ifup eth0",
            " - setenforce 0",
            ORIGINAL_PERMIT_ROOT,
            ...ORIGINAL_TAIL]);
        const seed = ours(answers([]), { etcHosts: false, network });
        expect(seed.user).toEqual(intended(original));
        expect(seed.meta["network-interfaces"]).toBe(
            "auto eth0\niface eth0 inet static\n  address 192.168.1.222\n  network 192.168.1.0\n  netmask 255.255.255.0\n" +
            "  broadcast 192.168.1.255\n  gateway 192.168.1.1\n");
    });
});
