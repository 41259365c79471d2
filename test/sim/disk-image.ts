// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Real bootable-looking disk images, built without root or mounts: an MBR with
 * one Linux partition at 1 MiB (sfdisk) holding an ext4 file system made from a
 * directory tree (mkfs.ext4 -d -E offset=...). Files are read back and written
 * with debugfs on "image?offset=N", which changes nothing else on the disk.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const PARTITION_OFFSET = 1 << 20;

/** Writes `files` (path inside the guest -> content) into a new raw image of `sizeBytes`. */
export function buildRawImage(image: string, sizeBytes: number, files: Record<string, string>, label: string): void {
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), "he-sim-tree-"));
    try {
        for (const [guestPath, content] of Object.entries(files)) {
            const target = path.join(tree, guestPath);
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, content);
        }
        if (fs.existsSync(image))
            fs.truncateSync(image, 0);
        fs.writeFileSync(image, "");
        fs.truncateSync(image, sizeBytes);
        execFileSync("sfdisk", ["--quiet", "--no-reread", "--no-tell-kernel", image],
                     { input: `label: dos\nstart=${PARTITION_OFFSET / 512}, type=83, bootable\n`, stdio: ["pipe", "ignore", "pipe"] });
        const fsKiB = Math.floor((sizeBytes - PARTITION_OFFSET) / 1024);
        execFileSync("mkfs.ext4", ["-q", "-F", "-L", label, "-d", tree, "-E", `offset=${PARTITION_OFFSET}`, image, `${fsKiB}k`],
                     { stdio: ["ignore", "ignore", "pipe"] });
    } finally {
        fs.rmSync(tree, { recursive: true, force: true });
    }
}

/** Byte offset of the first partition, from the image's partition table; null for an unpartitioned disk. */
export function firstPartitionOffset(image: string): number | null {
    try {
        const table = JSON.parse(execFileSync("sfdisk", ["--json", image], { stdio: ["ignore", "pipe", "ignore"] }).toString());
        const partition = table.partitiontable?.partitions?.[0];
        return partition ? Number(partition.start) * 512 : null;
    } catch {
        return null;
    }
}

function debugfsTarget(image: string): string {
    const offset = firstPartitionOffset(image);
    if (offset === null)
        throw new Error(`${image} has no partition table`);
    return `${image}?offset=${offset}`;
}

/** A file of the guest's root file system as bytes, or null when it is not there. */
export function readGuestBytes(image: string, guestPath: string): Buffer | null {
    let target: string;
    try {
        target = debugfsTarget(image);
    } catch {
        return null;
    }
    // debugfs exits 0 even when the file is missing: ask for its inode first
    const check = execFileSync("debugfs", ["-R", `stat ${guestPath}`, target], { stdio: ["ignore", "pipe", "pipe"] }).toString();
    if (!check.includes("Inode:"))
        return null;
    return execFileSync("debugfs", ["-R", `cat ${guestPath}`, target], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 30 });
}

/** A text file of the guest's root file system, or null when it is not there. */
export function readGuestFile(image: string, guestPath: string): string | null {
    return readGuestBytes(image, guestPath)?.toString("utf8") ?? null;
}

/** Replaces (or creates) a file in the guest's root file system. */
export function writeGuestFile(image: string, guestPath: string, content: string | Buffer): void {
    const target = debugfsTarget(image);
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "he-sim-file-")), "content");
    try {
        fs.writeFileSync(tmp, content);
        // like mkdir -p: debugfs creates one directory at a time and complains about existing ones
        const parts = path.posix.dirname(guestPath).split("/").filter(Boolean);
        for (let i = 1; i <= parts.length; i++)
            execFileSync("debugfs", ["-w", "-R", `mkdir /${parts.slice(0, i).join("/")}`, target], { stdio: "ignore" });
        // debugfs' write refuses to replace a file, so remove it first
        execFileSync("debugfs", ["-w", "-R", `rm ${guestPath}`, target], { stdio: "ignore" });
        const out = execFileSync("debugfs", ["-w", "-R", `write ${tmp} ${guestPath}`, target], { stdio: ["ignore", "pipe", "pipe"] });
        if (!readGuestBytes(image, guestPath)?.equals(Buffer.from(content)))
            throw new Error(`writing ${guestPath} into ${image} failed: ${out.toString()}`);
    } finally {
        fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
    }
}

/** Removes a file from the guest's root file system; false when it was not there. */
export function removeGuestFile(image: string, guestPath: string): boolean {
    if (readGuestBytes(image, guestPath) === null)
        return false;
    execFileSync("debugfs", ["-w", "-R", `rm ${guestPath}`, debugfsTarget(image)], { stdio: "ignore" });
    return true;
}
