// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The members of an uncompressed tar read into memory: what the configuration
 * volume holds at offset 0 (ovirt-formats.md 3.3, Python 2 tarfile's GNU
 * format, regular files with bare names). 512-byte headers, sizes in octal (or
 * GNU base-256), data padded to 512 bytes, two zero blocks at the end; every
 * header's checksum is verified. Only regular files are returned; GNU long
 * names ("L") name the member after them. The buffer may end early (the read
 * is bounded): a member cut short ends the listing.
 */

const BLOCK = 512;

export interface TarMember {
    name: string;
    data: Buffer;
}

function field(header: Buffer, offset: number, length: number): string {
    const raw = header.subarray(offset, offset + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? length : end).toString("utf8");
}

function octal(header: Buffer, offset: number, length: number): number | null {
    if ((header[offset] & 0x80) !== 0) {
        let value = 0;
        for (let i = offset + 1; i < offset + length; i++)
            value = value * 256 + header[i];
        return value;
    }
    const textValue = field(header, offset, length).trim();
    return /^[0-7]+$/.test(textValue) ? parseInt(textValue, 8) : (textValue === "" ? 0 : null);
}

function checksumOk(header: Buffer): boolean {
    const stored = octal(header, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++)
        sum += i >= 148 && i < 156 ? 0x20 : header[i];
    return stored === sum;
}

/** The regular files of the archive at the start of `buffer`; null when it does not begin with a tar header. */
export function tarMembers(buffer: Buffer): TarMember[] | null {
    const members: TarMember[] = [];
    let offset = 0;
    let longName: string | null = null;
    while (offset + BLOCK <= buffer.length) {
        const header = buffer.subarray(offset, offset + BLOCK);
        if (header.every(b => b === 0))
            return members;
        if (!checksumOk(header))
            return offset === 0 ? null : members;
        const size = octal(header, 124, 12);
        if (size === null)
            return offset === 0 ? null : members;
        const type = String.fromCharCode(header[156] || 0x30);
        const start = offset + BLOCK;
        if (start + size > buffer.length)
            return members;
        const data = buffer.subarray(start, start + size);
        const prefix = field(header, 345, 155);
        const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
        longName = null;
        if (type === "L")
            longName = data.toString("utf8").replace(/\0+$/, "");
        else if (type === "0" || type === "7")
            members.push({ name: name.replace(/^\.\//, ""), data: Buffer.from(data) });
        offset = start + Math.ceil(size / BLOCK) * BLOCK;
    }
    return members;
}
