// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the 4.0 appliance's cloud-init does to the guest with the seed's
 * user-data, as far as root's password and /etc/hosts go, and a login against
 * the result. The appliance is CentOS 7 (ovirt-appliance branch ovirt-4.0,
 * engine-appliance/data/ovirt-engine-appliance.ks.in: `rootpw --lock`,
 * `%packages cloud-init`), built in 2016 with cloud-init 0.7.5, the version
 * CentOS 7 had before 7.4 moved to 0.7.9. Taken from cloud-init 0.7.5:
 *  - stages and modules in order (config/cloud.cfg): init runs bootcmd (every
 *    boot) ... users-groups; config runs set-passwords ... runcmd (writes the
 *    script that the final stage's scripts-user runs);
 *  - bootcmd and runcmd (cloudinit/util.py shellify): a list item becomes its
 *    words single-quoted, a string item the line as written, run by /bin/sh;
 *    bootcmd with INSTANCE_ID in the environment (config/cc_bootcmd.py);
 *  - set-passwords (config/cc_set_passwords.py): chpasswd.list is a string of
 *    user:password lines, R or RANDOM for a random one, all fed to `chpasswd`
 *    WITHOUT -e, so a "$6$..." hash there becomes the password as text;
 *    chpasswd.expire (default true) then runs `passwd --expire` for each user.
 *    Hashes there are recognised only from cloud-init 17.1 on;
 *  - users-groups (distros/__init__.py create_user): an existing user such as
 *    root is not added again (add_user skips it, passwd: is never applied),
 *    plain_text_passwd goes to chpasswd, and lock_passwd (default true) runs
 *    `passwd -l`.
 * EL7's chpasswd hashes with SHA-512 (login.defs ENCRYPT_METHOD SHA512); a login
 * checks /etc/shadow as pam_unix does: a "!" or "*" field is locked, a last
 * change of 0 means the password expired.
 */

import { encrypt, verify } from "unixcrypt";

import { readGuestFile, removeGuestFile, writeGuestFile } from "./disk-image";
import { runScript, type CommandHandler } from "./guest-commands";
import type { GuestNetwork } from "./guest-network";

/** The guest's files, as cloud-init and a login see them. */
export interface GuestFiles {
    read(path: string): string | null;
    write(path: string, content: string): void;
    /** a binary file (a time zone's zoneinfo) */
    writeBytes?(path: string, content: Buffer): void;
    /** rm: false when there was no such file */
    remove?(path: string): boolean;
}

/** The files of a guest's disk image (its first partition's ext4). */
export function imageFiles(image: string): GuestFiles {
    return { read: p => readGuestFile(image, p), write: (p, c) => writeGuestFile(image, p, c),
        writeBytes: (p, c) => writeGuestFile(image, p, c), remove: p => removeGuestFile(image, p) };
}

export const SHADOW = "/etc/shadow";
export const HOSTS = "/etc/hosts";

function shadowEntries(guest: GuestFiles): string[][] {
    return (guest.read(SHADOW) ?? "").split("\n").filter(Boolean).map(l => l.split(":"));
}

/** Changes a user's /etc/shadow entry; false when the user does not exist (usermod and chpasswd then fail). */
function changeShadow(guest: GuestFiles, user: string, change: (entry: string[]) => void): boolean {
    const entries = shadowEntries(guest);
    const entry = entries.find(e => e[0] === user);
    if (!entry)
        return false;
    change(entry);
    guest.write(SHADOW, entries.map(e => e.join(":")).join("\n") + "\n");
    return true;
}

const today = () => String(Math.floor(Date.now() / 86_400_000));

function setPassword(guest: GuestFiles, user: string, field: string): boolean {
    return changeShadow(guest, user, e => {
        e[1] = field;
        e[2] = today();
    });
}

/** chpasswd(8): user:password lines; -e takes the password field as it is, else it is hashed (SHA-512 on EL7). */
function chpasswd(guest: GuestFiles, input: string, encrypted: boolean, log: (m: string) => void): void {
    for (const line of input.split("\n").filter(Boolean)) {
        const colon = line.indexOf(":");
        const user = colon < 0 ? line : line.slice(0, colon);
        const password = colon < 0 ? "" : line.slice(colon + 1);
        if (colon < 0 || !setPassword(guest, user, encrypted ? password : encrypt(password)))
            log(`chpasswd: line "${user}": ${colon < 0 ? "missing new password" : "user does not exist"}`);
    }
}

/* The commands of a seed's scripts that touch root's password; the guest's network ones come from `system`. */
function handlers(guest: GuestFiles, log: (m: string) => void, system: GuestSystem): Record<string, CommandHandler> {
    return {
        usermod: words => {
            const i = words.findIndex(w => w === "-p" || w === "--password");
            const user = words[words.length - 1];
            if (i > 0 && i + 2 < words.length && !setPassword(guest, user, words[i + 1])) {
                log(`usermod: user '${user}' does not exist`);
                return { status: 6 };
            }
            return { status: 0 };
        },
        chpasswd: (words, stdin) => {
            chpasswd(guest, stdin, words.includes("-e") || words.includes("--encrypted"), log);
            return { status: 0 };
        },
        ...(system.network ? { ifup: w => system.network!.ifup(w), ifdown: w => system.network!.ifdown(w) } : {}),
        hostname: () => ({ status: 0 }),
    };
}

/** cc_bootcmd / cc_runcmd: every item as util.shellify writes it, one script run by /bin/sh (guest-commands.ts). */
function runCommands(guest: GuestFiles, items: unknown, script: string, env: Record<string, string>, log: (m: string) => void, system: GuestSystem): void {
    if (!Array.isArray(items))
        return;
    const lines = items.map(item => Array.isArray(item) ? item.map(w => `'${String(w).replace(/'/g, "'\\''")}'`).join(" ") : String(item));
    runScript(lines, { files: guest, script, env, log, handlers: handlers(guest, log, system) });
}

/* cc_users_groups for users that exist already (root): nothing added, plain_text_passwd set, the password locked unless told. */
function usersGroups(guest: GuestFiles, users: unknown, log: (m: string) => void): void {
    for (const u of Array.isArray(users) ? users : []) {
        if (typeof u !== "object" || u === null || typeof (u as { name?: unknown }).name !== "string")
            continue;
        const user = u as { name: string; plain_text_passwd?: unknown; lock_passwd?: unknown };
        if (!shadowEntries(guest).some(e => e[0] === user.name))
            continue; // a new user: not modelled
        log(`User ${user.name} already exists, skipping.`);
        if (typeof user.plain_text_passwd === "string" && user.plain_text_passwd)
            chpasswd(guest, `${user.name}:${user.plain_text_passwd}\n`, false, log);
        if (user.lock_passwd !== false)
            changeShadow(guest, user.name, e => { e[1] = e[1].startsWith("!") ? e[1] : "!" + e[1]; });
    }
}

/* cc_set_passwords' chpasswd part (0.7.5): no -e, whatever the password looks like. */
function setPasswords(guest: GuestFiles, chpasswdConfig: unknown, log: (m: string) => void): void {
    if (typeof chpasswdConfig !== "object" || chpasswdConfig === null)
        return;
    const { list, expire } = chpasswdConfig as { list?: unknown; expire?: unknown };
    if (typeof list !== "string" || list === "")
        return;
    const raw = list.split("\n").filter(Boolean);
    if (raw.some(line => !line.includes(":"))) {
        log("set-passwords: a chpasswd list line has no ':' (ValueError): no password set");
        return;
    }
    const lines = raw.map(line => {
        const [user, password] = [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)];
        const random = password === "R" || password === "RANDOM";
        return `${user}:${random ? Math.random().toString(36).slice(2, 11) : password}`;
    });
    chpasswd(guest, lines.join("\n") + "\n", false, log);
    if (expire !== false && expire !== "false" && expire !== "False") {
        for (const line of lines)
            changeShadow(guest, line.slice(0, line.indexOf(":")), e => { e[2] = "0"; });
    }
}

/** What else of the guest cloud-init's modules reach: its network (guest-network.ts) and meta-data's local-hostname. */
export interface GuestSystem {
    network?: GuestNetwork;
    localHostname?: string;
}

/** cloud-init 0.7.5's first boot with this #cloud-config: its modules in config/cloud.cfg's order. */
export function applyUserData(config: Record<string, unknown>, guest: GuestFiles, instanceId: string, log: (m: string) => void,
                              system: GuestSystem = {}): void {
    runCommands(guest, config.bootcmd, `/tmp/tmp${instanceId.slice(0, 6)}.sh`, { INSTANCE_ID: instanceId }, log, system);
    if (system.localHostname)
        system.network?.setHostname(system.localHostname);
    usersGroups(guest, config.users, log);
    setPasswords(guest, config.chpasswd, log);
    if (config.timezone !== undefined && config.timezone !== null)
        system.network?.setTimezone(String(config.timezone));
    runCommands(guest, config.runcmd, "/var/lib/cloud/instance/scripts/runcmd", {}, log, system);
}

export type LoginOutcome = "ok" | "wrong-password" | "locked" | "expired" | "unknown-user";

/** A password login as pam_unix checks it against /etc/shadow. */
export function guestLogin(guest: GuestFiles, user: string, password: string): LoginOutcome {
    const entry = shadowEntries(guest).find(e => e[0] === user);
    if (!entry)
        return "unknown-user";
    const [, field, lastChange] = entry;
    if (field.startsWith("!") || field.startsWith("*"))
        return "locked";
    // crypt(3) of glibc on EL7 knows $1$, $5$ and $6$; the sim's library only the SHA ones, which is all EL7 writes
    let matches = field === "" && password === "";
    try {
        matches ||= /^\$[56]\$/.test(field) && verify(password, field);
    } catch {
        matches = false; // a field crypt(3) cannot read matches no password
    }
    if (!matches)
        return "wrong-password";
    return lastChange === "0" ? "expired" : "ok";
}
