// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The cloud-init NoCloud seed for the new appliance's first boot
 * (ovirt-upgrade-flow.md step 12, ovirt-formats.md section 8): user-data that
 * writes /root/heanswers.conf, restores /root/NAME with engine-backup and runs
 * engine-setup, sending both outputs and the HE_APPLIANCE_* markers to the setup
 * channel; meta-data naming the instance. Built as data and written with a YAML
 * library.
 *
 * The root password. The original put it in clear text into chpasswd.list. The
 * 4.0 appliance is CentOS 7 (ovirt-appliance branch ovirt-4.0, kickstart
 * `rootpw --lock`, `%packages cloud-init`) built in 2016, with the cloud-init
 * CentOS 7 had before 7.4 moved to 0.7.9: 0.7.5. Its
 * cloudinit/config/cc_set_passwords.py hands every chpasswd.list line to
 * `chpasswd` without `-e` (0.7.9 still does): a `$6$` hash there becomes the
 * password, as text. Hashes in chpasswd.list are recognised from cloud-init 17.1
 * on (commit 21632972 "Add support for setting hashed passwords"). `users:` is
 * no way either: 0.7.5's cloudinit/distros/__init__.py add_user skips an
 * existing user (root) and create_user then locks its password. So the SHA-512
 * hash goes to `usermod -p` as the first runcmd line (once per instance, like
 * set-passwords), single-quoted for /bin/sh; the ISO never holds the password.
 *
 * The engine VM's identity (issue 13), as the original's final form (2.2)
 * writes it: `timezone:`; in bootcmd the /etc/hosts lines (this host, and the
 * VM itself when static), for a static address the DNSn= and DOMAIN= lines into
 * ifcfg-eth0, GATEWAY= and DEFROUTE=yes where cloud-init left them out
 * (bz1492726), ifdown/ifup eth0 (launchpad 1225922), then `setenforce 0`
 * (bz1126096); in runcmd firewalld's IndividualCalls=yes around the restore and
 * engine-setup (bz1621015) and `setenforce 1` at the end; in meta-data
 * local-hostname and the static address as Debian-style network-interfaces.
 * Every value is checked here again (addresses, names, the time zone) before it
 * is written, and the documents are YAML the library quotes, never text glued
 * together: nothing from the answers or the page becomes YAML or shell syntax.
 */

import net from "node:net";

import { encrypt } from "unixcrypt";
import YAML from "yaml";

import { isIpv4, isIpv6, MAX_DNS, staticNetworkProblems, subnetOf, type VmNetwork } from "../../protocol/network";
import type { RootSshAccess } from "../../protocol/reports";

export const VIRTIO_PORT = "/dev/virtio-ports/org.ovirt.hosted-engine-setup.0";

export interface SeedOptions {
    vmId: string;
    engineFqdn: string;
    /** where the engine backup is inside the appliance, e.g. /root/engine_backup.tar.gz */
    backupGuestPath: string;
    restoreDwh: boolean;
    restoreReports: boolean;
    /** a SHA-512 crypt hash ($6$...) of the appliance's root password, or null to leave it */
    rootPasswordHash: string | null;
    rootSshKey: string | null;
    rootSshAccess: RootSshAccess | null;
    /** "ip fqdn" lines to add to the appliance's /etc/hosts (this host's, when asked) */
    etcHosts: { ip: string; fqdn: string }[];
    /** the engine VM's network; absent or null leaves the appliance's own (DHCP), as jobs stored before did */
    network?: VmNetwork | null;
    /** the engine VM's host name for meta-data's local-hostname; absent: engineFqdn */
    hostName?: string;
    /** DOMAIN= in ifcfg-eth0 beside the DNS servers */
    domain?: string | null;
    /** e.g. Europe/Berlin; absent or null: no timezone, the appliance keeps UTC */
    timeZone?: string | null;
}

export const INTERFACE = "eth0";
const IFCFG = `/etc/sysconfig/network-scripts/ifcfg-${INTERFACE}`;
const FIREWALLD_CONF = "/etc/firewalld/firewalld.conf";

/** SHA-512 crypt with a random salt, what /etc/shadow and `usermod -p` take. */
export function hashRootPassword(password: string): string {
    return encrypt(password);
}

/* crypt(3)'s SHA-512 form: only [./0-9A-Za-z] besides the "$" separators, nothing a shell or YAML reads specially. */
const SHA512_CRYPT = /^\$6\$(rounds=[0-9]{1,9}\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}$/;

/* A host name as RFC 1123 allows it, with at least one dot: nothing a shell or YAML reads specially. */
const FQDN = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isFqdn(name: string): boolean {
    return FQDN.test(name) && !/^[0-9.]+$/.test(name);
}

/** The /etc/hosts line the original's bootcmd appends; refuses anything but an IPv4 address and a host name. */
function etcHostsCommand(entry: { ip: string; fqdn: string }): string {
    if (!net.isIPv4(entry.ip) || !isFqdn(entry.fqdn))
        throw new Error(`not an IPv4 address and a host name: ${JSON.stringify(entry)}`);
    return `echo "${entry.ip} ${entry.fqdn}" >> /etc/hosts`;
}

function setRootPasswordCommand(hash: string): string {
    if (!SHA512_CRYPT.test(hash))
        throw new Error("the root password must be a SHA-512 crypt hash");
    return `usermod -p '${hash}' root`;
}

/** The engine FQDN's domain for engine-setup's PKI organization, as the original derives it. */
export function pkiOrganization(fqdn: string): string {
    const dot = fqdn.indexOf(".");
    return dot > 0 && dot < fqdn.length - 1 ? fqdn.slice(dot + 1) : "Test";
}

function toPort(command: string): string {
    return `${command} 1>${VIRTIO_PORT} 2>&1`;
}

function marker(success: string, failure: string): string {
    return `if [ $? -eq 0 ]; then echo "${success}" >${VIRTIO_PORT}; else echo "${failure}" >${VIRTIO_PORT}; fi`;
}

/* A static network, checked again: it goes into shell commands and meta-data. */
function checkedStatic(network: VmNetwork | null | undefined): Extract<VmNetwork, { mode: "static" }> | null {
    if (!network || network.mode !== "static")
        return null;
    if (staticNetworkProblems(network).length > 0 || network.dns.length > MAX_DNS || !network.dns.every(d => isIpv4(d) || isIpv6(d)))
        throw new Error(`not a usable static network: ${JSON.stringify(network)}`);
    return network;
}

const DOMAIN = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const TIME_ZONE = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+){0,2}$/;

/* The original's bootcmd for a static address: DNS and DOMAIN, the gateway cloud-init 0.7.x may leave out, the interface restarted. */
function staticBootcmd(network: Extract<VmNetwork, { mode: "static" }>, domain: string | null): string[] {
    const lines = network.dns.map((server, i) => `echo "DNS${i + 1}=${server}" >> ${IFCFG}`);
    if (network.dns.length > 0 && domain) {
        if (!DOMAIN.test(domain))
            throw new Error(`not a domain name: ${JSON.stringify(domain)}`);
        lines.push(`echo "DOMAIN=${domain}" >> ${IFCFG}`);
    }
    lines.push(`if ! grep -Gq "^GATEWAY" ${IFCFG}; then echo "GATEWAY=${network.gateway}" >> ${IFCFG}; fi`);
    lines.push(`if ! grep -Gq "^DEFROUTE" ${IFCFG}; then echo "DEFROUTE=yes" >> ${IFCFG}; fi`);
    lines.push(`ifdown ${INTERFACE}`, `ifup ${INTERFACE}`);
    return lines;
}

function bootcmd(options: SeedOptions): string[] {
    const network = checkedStatic(options.network);
    const hostName = options.hostName ?? options.engineFqdn;
    const entries = [...options.etcHosts];
    // the original adds the VM's own line only beside this host's, and only for a static address
    if (entries.length > 0 && network)
        entries.push({ ip: network.address, fqdn: hostName });
    const lines = entries.map(etcHostsCommand);
    if (network)
        lines.push(...staticBootcmd(network, options.domain ?? null));
    if (options.network)
        lines.push("setenforce 0");
    if (options.rootSshAccess)
        lines.push(`sed -i -e '/^PermitRootLogin/d' -e '$a PermitRootLogin ${options.rootSshAccess}' /etc/ssh/sshd_config`);
    return lines;
}

/* firewalld's IndividualCalls=yes while the restore and engine-setup run (bz1621015, rhbz1446162), as the original sets it. */
const FIREWALLD_BEFORE = [
    `cp ${FIREWALLD_CONF} ${FIREWALLD_CONF}.hebck`,
    `if grep -Gq "^\\s*IndividualCalls" ${FIREWALLD_CONF}; then sed -re "s/^\\s*(IndividualCalls)\\s*=\\s*(yes|no)/ \\1=yes/" -i.$(date -u +%Y%m%d%H%M%S) ${FIREWALLD_CONF}; else echo "IndividualCalls=yes" >> ${FIREWALLD_CONF}; fi`,
    "systemctl restart firewalld &",
];
const FIREWALLD_AFTER = [`mv ${FIREWALLD_CONF}.hebck ${FIREWALLD_CONF}`, "systemctl restart firewalld &"];

function runcmd(options: SeedOptions): string[] {
    const restore = ["engine-backup", "--mode=restore", `--file=${options.backupGuestPath}`, "--log=engine_restore.log",
        "--restore-permissions", "--provision-db",
        ...(options.restoreDwh ? ["--provision-dwh-db"] : []),
        ...(options.restoreReports ? ["--provision-reports-db"] : [])].join(" ");
    // seeds of jobs stored before issue 13 (no network in their survey) stay as they were
    const identity = options.network !== undefined && options.network !== null;
    return [
        ...(options.rootPasswordHash ? [setRootPasswordCommand(options.rootPasswordHash)] : []),
        "systemctl restart sshd &",
        ...(identity ? FIREWALLD_BEFORE : []),
        toPort(restore),
        marker("HE_APPLIANCE_ENGINE_RESTORE_SUCCESS", "HE_APPLIANCE_ENGINE_RESTORE_FAIL"),
        toPort("/usr/bin/engine-setup --offline --config-append=/root/ovirt-engine-answers --config-append=/root/heanswers.conf"),
        marker("HE_APPLIANCE_ENGINE_SETUP_SUCCESS", "HE_APPLIANCE_ENGINE_SETUP_FAIL"),
        ...(identity ? FIREWALLD_AFTER : []),
        "rm /root/heanswers.conf",
        ...(identity ? ["setenforce 1"] : []),
        "systemctl mask cloud-init-local || chkconfig cloud-init-local off",
        "systemctl mask cloud-init || ( chkconfig cloud-init off && chkconfig cloud-config off && chkconfig cloud-final off )",
    ];
}

export function userData(options: SeedOptions): string {
    const doc: Record<string, unknown> = {};
    if (options.rootSshKey || options.rootPasswordHash)
        doc.disable_root = false;
    if (options.rootSshKey)
        doc.ssh_authorized_keys = [options.rootSshKey];
    if (options.rootPasswordHash)
        doc.ssh_pwauth = true;
    if (options.timeZone) {
        if (!TIME_ZONE.test(options.timeZone))
            throw new Error(`not a time zone name: ${JSON.stringify(options.timeZone)}`);
        doc.timezone = options.timeZone;
    }
    const boot = bootcmd(options);
    if (boot.length > 0)
        doc.bootcmd = boot;
    doc.write_files = [{
        content: [
            "[environment:init]",
            "DIALOG/autoAcceptDefault=bool:True",
            "[environment:default]",
            `OVESETUP_CONFIG/fqdn=str:${options.engineFqdn}`,
            `OVESETUP_PKI/organization=str:${pkiOrganization(options.engineFqdn)}`,
            "",
        ].join("\n"),
        path: "/root/heanswers.conf",
        owner: "root:root",
        permissions: "0640",
    }];
    doc.runcmd = runcmd(options);
    return "#cloud-config\n# vim: syntax=yaml\n" + YAML.stringify(doc, { lineWidth: 0 });
}

/** meta-data: the instance, its host name and, for a static address, the original's network-interfaces stanza. */
export function metaData(options: Pick<SeedOptions, "vmId" | "engineFqdn" | "hostName" | "network">): string {
    const hostName = options.hostName ?? options.engineFqdn;
    if (!isFqdn(hostName))
        throw new Error(`not a host name: ${JSON.stringify(hostName)}`);
    const doc: Record<string, unknown> = { "instance-id": options.vmId, "local-hostname": hostName };
    const network = checkedStatic(options.network);
    if (network) {
        const { network: subnet, netmask, broadcast } = subnetOf(network.address, network.prefix);
        doc["network-interfaces"] = [
            `auto ${INTERFACE}`,
            `iface ${INTERFACE} inet static`,
            `  address ${network.address}`,
            `  network ${subnet}`,
            `  netmask ${netmask}`,
            `  broadcast ${broadcast}`,
            `  gateway ${network.gateway}`,
            "",
        ].join("\n");
    }
    return YAML.stringify(doc, { lineWidth: 0 });
}
