// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The qcow2 header (qemu docs/interop/qcow2.txt), read from the first bytes of
 * an image before any tool opens it. An appliance disk is run through qemu-img
 * as root's helper: a header that names a backing file or an external data file
 * would have qemu-img read that file (any file on the host) into the engine
 * disk, so such images, and whatever this reader or the host's qemu (2.x on
 * EL7) cannot vouch for, are reported as problems rather than passed on.
 *
 * Layout (big endian): 0 magic, 4 version, 8 backing_file_offset (u64),
 * 16 backing_file_size, 20 cluster_bits, 24 size (u64), 32 crypt_method;
 * version 3 adds 72 incompatible_features (u64), 96 refcount_order,
 * 100 header_length. Header extensions follow the header (at 72 for version 2,
 * at header_length for 3) as (type u32, length u32, data padded to 8), up to
 * type 0, all within the first cluster.
 */

export const QCOW2_MAGIC = 0x514649fb;

/** Enough of an image to hold its header and extensions: the first cluster of a default (64 KiB) image. */
export const QCOW2_HEAD_BYTES = 64 * 1024;

/** The largest virtual size accepted: the upgrade plan's largest engine disk, 65536 GiB. */
export const MAX_VIRTUAL_SIZE = 65536 * 1024 ** 3;

const V2_HEADER_LENGTH = 72;
const V3_HEADER_LENGTH = 104;

const EXT_END = 0x00000000;
const EXT_BACKING_FORMAT = 0xe2792aca;
const EXT_FULL_DISK_ENCRYPTION = 0x0537be77;
const EXT_DATA_FILE = 0x44415441;

const INCOMPAT_DIRTY = 1n << 0n;
const INCOMPAT_CORRUPT = 1n << 1n;
const INCOMPAT_DATA_FILE = 1n << 2n;

export type Qcow2Problem =
    | "truncated" | "version" | "cluster-bits" | "size" | "backing-file" | "data-file" | "encrypted" | "corrupt" | "features" | "extensions";

export interface Qcow2Header {
    version: number;
    /** bytes; only meaningful when problems has no "truncated" */
    virtualSize: number;
    problems: Qcow2Problem[];
}

/** Whether `head` begins with the qcow magic (any version, qcow v1 included). */
export function hasQcowMagic(head: Buffer): boolean {
    return head.length >= 4 && head.readUInt32BE(0) === QCOW2_MAGIC;
}

/* The header extensions between `start` and the end of the first cluster (or of `head`, when shorter). */
function readExtensions(head: Buffer, start: number, clusterSize: number, complete: boolean, problems: Set<Qcow2Problem>): void {
    const limit = Math.min(clusterSize, head.length);
    let pos = start;
    for (;;) {
        if (pos + 8 > limit) {
            // past the first cluster is not qcow2; a whole file ending here is cut short; past what was read, unvouched for
            problems.add(limit === clusterSize ? "extensions" : complete ? "truncated" : "extensions");
            return;
        }
        const type = head.readUInt32BE(pos);
        const length = head.readUInt32BE(pos + 4);
        if (type === EXT_END)
            return;
        if (type === EXT_BACKING_FORMAT)
            problems.add("backing-file");
        else if (type === EXT_DATA_FILE)
            problems.add("data-file");
        else if (type === EXT_FULL_DISK_ENCRYPTION)
            problems.add("encrypted");
        pos += 8 + Math.ceil(length / 8) * 8;
    }
}

/**
 * The header of the qcow2 image whose first bytes are `head`, and what makes the
 * image unfit to hand to qemu-img. `complete` says `head` holds the whole image
 * (a file shorter than QCOW2_HEAD_BYTES).
 */
export function readQcow2Header(head: Buffer, complete = false): Qcow2Header {
    const problems = new Set<Qcow2Problem>();
    const result = (version: number, virtualSize: number): Qcow2Header => ({ version, virtualSize, problems: [...problems] });
    if (head.length < 8 || !hasQcowMagic(head)) {
        problems.add("truncated");
        return result(0, 0);
    }
    const version = head.readUInt32BE(4);
    if (version !== 2 && version !== 3) {
        problems.add("version");
        return result(version, 0);
    }
    const headerLength = version === 3 && head.length >= V3_HEADER_LENGTH ? head.readUInt32BE(100) : V2_HEADER_LENGTH;
    if (head.length < (version === 3 ? V3_HEADER_LENGTH : V2_HEADER_LENGTH)) {
        problems.add("truncated");
        return result(version, 0);
    }
    if (head.readBigUInt64BE(8) !== 0n || head.readUInt32BE(16) !== 0)
        problems.add("backing-file");
    const clusterBits = head.readUInt32BE(20);
    // qemu accepts 512 bytes to 2 MiB clusters
    if (clusterBits < 9 || clusterBits > 21)
        problems.add("cluster-bits");
    const size = head.readBigUInt64BE(24);
    if (size === 0n || size > BigInt(MAX_VIRTUAL_SIZE))
        problems.add("size");
    if (head.readUInt32BE(32) !== 0)
        problems.add("encrypted");
    if (version === 3) {
        const incompatible = head.readBigUInt64BE(72);
        if (incompatible & INCOMPAT_DATA_FILE)
            problems.add("data-file");
        if (incompatible & INCOMPAT_CORRUPT)
            problems.add("corrupt");
        // a dirty image only needs its refcounts rebuilt; anything else the host's qemu 2.x may not know
        if (incompatible & ~(INCOMPAT_DIRTY | INCOMPAT_CORRUPT | INCOMPAT_DATA_FILE))
            problems.add("features");
        if (headerLength < V3_HEADER_LENGTH || headerLength % 8 !== 0)
            problems.add("extensions");
    }
    if (!problems.has("cluster-bits") && !problems.has("extensions"))
        readExtensions(head, headerLength, 2 ** clusterBits, complete, problems);
    return result(version, problems.has("size") ? 0 : Number(size));
}
