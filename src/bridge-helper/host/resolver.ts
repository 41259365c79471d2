// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What a name resolves to on this host, the way the host resolves it
 * (nsswitch.conf "hosts: files dns" on EL7): the host's /etc/hosts under the
 * configured root first, then the system resolver. Only IPv4 addresses: the
 * engine VM's address is IPv4, as in the original.
 */

import dns from "node:dns/promises";
import fs from "node:fs";
import net from "node:net";

import { hostPath, type HelperConfig } from "../config";
import { hostsAddresses } from "../formats/etc-hosts";

export interface Resolved {
    addresses: string[];
    /** where the addresses came from; null when the name resolved to nothing */
    source: "hosts" | "dns" | null;
}

const LOOKUP_TIMEOUT_MS = 10_000;

async function lookup(name: string): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), LOOKUP_TIMEOUT_MS);
    });
    try {
        const found = await Promise.race([dns.lookup(name, { all: true, family: 4 }), timeout]);
        return found.map(entry => entry.address);
    } catch {
        return [];
    } finally {
        clearTimeout(timer);
    }
}

export async function resolveHostName(config: HelperConfig, name: string): Promise<Resolved> {
    let hosts = "";
    try {
        hosts = fs.readFileSync(hostPath(config, "/etc/hosts"), "utf8");
    } catch {
        // no hosts file: DNS alone answers
    }
    const fromFile = hostsAddresses(hosts, name).filter(address => net.isIPv4(address));
    if (fromFile.length > 0)
        return { addresses: fromFile, source: "hosts" };
    const fromDns = await lookup(name);
    return { addresses: fromDns, source: fromDns.length > 0 ? "dns" : null };
}
