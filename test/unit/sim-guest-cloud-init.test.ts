// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated appliance's cloud-init (0.7.5, test/sim/guest-cloud-init.ts)
 * against the helper's user-data and the original's: who can log in as root
 * afterwards, and what /etc/hosts holds.
 */

import YAML from "yaml";

import { hashRootPassword, userData, type SeedOptions } from "../../src/bridge-helper/formats/cloud-init";
import { applyUserData, guestLogin, HOSTS, SHADOW, type GuestFiles } from "../sim/guest-cloud-init";
import { parseShellLine } from "../sim/guest-shell";

const TYPED = "Typed-Root-Pass-9";
const EL7_HOSTS = "127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n";

function guest(): GuestFiles & { files: Map<string, string> } {
    const files = new Map<string, string>([
        [SHADOW, "root:!!:16960:0:99999:7:::\nnode:!!:16960:0:99999:7:::\n"],
        [HOSTS, EL7_HOSTS],
    ]);
    return { files, read: p => files.get(p) ?? null, write: (p, c) => { files.set(p, c); } };
}

function boot(config: Record<string, unknown> | string): ReturnType<typeof guest> & { log: string[] } {
    const g = guest();
    const log: string[] = [];
    const doc = typeof config === "string" ? YAML.parse(config) as Record<string, unknown> : config;
    applyUserData(doc, g, "4f0b3c2d-1e2f-4a5b-8c7d-6e5f4a3b2c1d", m => log.push(m));
    return { ...g, log };
}

const OPTIONS: SeedOptions = {
    vmId: "4f0b3c2d-1e2f-4a5b-8c7d-6e5f4a3b2c1d",
    engineFqdn: "engine.example.com",
    backupGuestPath: "/root/engine_backup.tar.gz",
    restoreDwh: false,
    restoreReports: false,
    rootPasswordHash: null,
    rootSshKey: null,
    rootSshAccess: "yes",
    etcHosts: [],
};

describe("the appliance's cloud-init 0.7.5", () => {
    test("root is locked until user-data sets a password", () => {
        expect(guestLogin(boot({}), "root", "")).toBe("locked");
    });

    test("with the helper's user-data, root logs in with the typed password and nothing else", () => {
        const hash = hashRootPassword(TYPED);
        const g = boot(userData({ ...OPTIONS, rootPasswordHash: hash }));
        expect(guestLogin(g, "root", TYPED)).toBe("ok");
        expect(guestLogin(g, "root", hash)).toBe("wrong-password");
        expect(guestLogin(g, "node", TYPED)).toBe("locked");
    });

    test("a hash in chpasswd.list becomes the password as text (no chpasswd -e before 17.1)", () => {
        const hash = hashRootPassword(TYPED);
        const g = boot({ chpasswd: { list: `root:${hash}\n`, expire: false } });
        expect(guestLogin(g, "root", TYPED)).toBe("wrong-password");
        expect(guestLogin(g, "root", hash)).toBe("ok");
    });

    test("the original's clear-text chpasswd.list works, and expires the password unless expire is false", () => {
        expect(guestLogin(boot({ chpasswd: { list: `root:${TYPED}\n`, expire: false } }), "root", TYPED)).toBe("ok");
        expect(guestLogin(boot({ chpasswd: { list: `root:${TYPED}\n` } }), "root", TYPED)).toBe("expired");
    });

    test("users: for the existing root does not set passwd but locks it", () => {
        const g = boot({ users: [{ name: "root", passwd: hashRootPassword(TYPED) }] });
        expect(guestLogin(g, "root", TYPED)).toBe("locked");
        expect(g.log).toContain("User root already exists, skipping.");
    });

    test("a hash reaches usermod or chpasswd -e only single-quoted: sh expands $6 and $salt to nothing", () => {
        const hash = hashRootPassword(TYPED);
        expect(guestLogin(boot({ runcmd: [`usermod -p '${hash}' root`] }), "root", TYPED)).toBe("ok");
        expect(guestLogin(boot({ runcmd: [["usermod", "-p", hash, "root"]] }), "root", TYPED)).toBe("ok");
        expect(guestLogin(boot({ bootcmd: [`echo 'root:${hash}' | chpasswd -e`] }), "root", TYPED)).toBe("ok");
        expect(guestLogin(boot({ runcmd: [`usermod -p "${hash}" root`] }), "root", TYPED)).toBe("wrong-password");
        expect(guestLogin(boot({ runcmd: [`echo root:${hash} | chpasswd -e`] }), "root", TYPED)).toBe("wrong-password");
    });

    test("bootcmd's echo appends to /etc/hosts", () => {
        const g = boot(userData({ ...OPTIONS, etcHosts: [{ ip: "192.168.1.11", fqdn: "host1.example.com" }] }));
        expect(g.files.get(HOSTS)).toBe(EL7_HOSTS + "192.168.1.11 host1.example.com\n");
    });
});

describe("the sim's sh", () => {
    test("quotes, expansion, pipes, redirections and lists", () => {
        expect(parseShellLine(`echo "a $X b" 'c $X' d\\ e >> /etc/hosts; x=1 && true | cat 1>/dev/null 2>&1`, { X: "x" })).toEqual([
            [{ words: ["echo", "a x b", "c $X", "d e"], redirects: [{ op: ">>", target: "/etc/hosts" }] }],
            [{ words: ["x=1"], redirects: [] }],
            [{ words: ["true"], redirects: [] }, { words: ["cat"], redirects: [{ op: ">", target: "/dev/null" }] }],
        ]);
        expect(() => parseShellLine("echo 'open")).toThrow(/matching/);
    });
});
