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
 */

import net from "node:net";

import { encrypt } from "unixcrypt";
import YAML from "yaml";

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
    /** "ip fqdn" lines to add to the appliance's /etc/hosts */
    etcHosts: { ip: string; fqdn: string }[];
}

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

export function userData(options: SeedOptions): string {
    const restore = ["engine-backup", "--mode=restore", `--file=${options.backupGuestPath}`, "--log=engine_restore.log",
        "--restore-permissions", "--provision-db",
        ...(options.restoreDwh ? ["--provision-dwh-db"] : []),
        ...(options.restoreReports ? ["--provision-reports-db"] : [])].join(" ");
    const doc: Record<string, unknown> = {};
    if (options.rootSshKey || options.rootPasswordHash)
        doc.disable_root = false;
    if (options.rootSshKey)
        doc.ssh_authorized_keys = [options.rootSshKey];
    if (options.rootPasswordHash)
        doc.ssh_pwauth = true;
    const bootcmd = options.etcHosts.map(etcHostsCommand);
    if (options.rootSshAccess)
        bootcmd.push(`sed -i -e '/^PermitRootLogin/d' -e '$a PermitRootLogin ${options.rootSshAccess}' /etc/ssh/sshd_config`);
    if (bootcmd.length > 0)
        doc.bootcmd = bootcmd;
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
    doc.runcmd = [
        ...(options.rootPasswordHash ? [setRootPasswordCommand(options.rootPasswordHash)] : []),
        "systemctl restart sshd &",
        toPort(restore),
        marker("HE_APPLIANCE_ENGINE_RESTORE_SUCCESS", "HE_APPLIANCE_ENGINE_RESTORE_FAIL"),
        toPort("/usr/bin/engine-setup --offline --config-append=/root/ovirt-engine-answers --config-append=/root/heanswers.conf"),
        marker("HE_APPLIANCE_ENGINE_SETUP_SUCCESS", "HE_APPLIANCE_ENGINE_SETUP_FAIL"),
        "rm /root/heanswers.conf",
        "systemctl mask cloud-init-local || chkconfig cloud-init-local off",
        "systemctl mask cloud-init || ( chkconfig cloud-init off && chkconfig cloud-config off && chkconfig cloud-final off )",
    ];
    return "#cloud-config\n# vim: syntax=yaml\n" + YAML.stringify(doc, { lineWidth: 0 });
}

export function metaData(options: { vmId: string; engineFqdn: string }): string {
    return YAML.stringify({ "instance-id": options.vmId, "local-hostname": options.engineFqdn });
}
