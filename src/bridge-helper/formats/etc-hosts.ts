// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * /etc/hosts (hosts(5)): an address, then the canonical name and aliases, "#"
 * to the end of the line a comment. The addresses a name has there, in the
 * file's order, compared without regard to case as the resolver does.
 */

export function hostsAddresses(content: string, name: string): string[] {
    const wanted = name.toLowerCase().replace(/\.$/, "");
    const found: string[] = [];
    for (const line of content.split("\n")) {
        const [address, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
        if (address && names.some(n => n.toLowerCase().replace(/\.$/, "") === wanted) && !found.includes(address))
            found.push(address);
    }
    return found;
}
