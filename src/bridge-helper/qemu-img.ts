// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * qemu-img, for every copy of a disk: it skips holes (sparse copies at several
 * GiB/s here), converts qcow2 to raw, and reports progress on stdout as
 * "    (12.34/100%)\r". Run as the storage's owner (vdsm:kvm on a real host):
 * volumes on NFS must not be written by root (root_squash).
 */

import { text } from "../protocol/text";
import type { HelperConfig } from "./config";
import { HelperError } from "./errors";
import { run, runChecked, type RunOptions } from "./process";

export interface ImageInfo {
    format: string;
    virtualSize: number;
    actualSize: number;
    /** the backing file the image names, or null */
    backingFile: string | null;
    /** the external data file a qcow2 image names, or null */
    dataFile: string | null;
    encrypted: boolean;
}

/** The command line for running a disk tool as the configured disk user, through sudo unless that is us. */
export function asDiskUser(config: HelperConfig, command: string, args: string[]): [string, string[]] {
    const me = process.getuid?.();
    if (config.diskUser === "root" && me === 0)
        return [command, args];
    return [config.commands.sudo, ["-n", "-u", config.diskUser, "-g", config.diskGroup, "--", command, ...args]];
}

interface InfoJson {
    format?: unknown;
    "virtual-size"?: unknown;
    "actual-size"?: unknown;
    "backing-filename"?: unknown;
    "full-backing-filename"?: unknown;
    encrypted?: unknown;
    "format-specific"?: { data?: { "data-file"?: unknown } };
}

/*
 * What qemu-img says of an image, opened as `format` (never probed: a raw image
 * that looks like qcow2 would otherwise be read as one). qemu-img info opens no
 * backing file and reads no data.
 */
export async function imageInfo(config: HelperConfig, file: string, format: "raw" | "qcow2"): Promise<ImageInfo> {
    const [cmd, args] = asDiskUser(config, config.commands.qemuImg, ["info", "-f", format, "--output=json", file]);
    const out = await runChecked(cmd, args);
    let info: InfoJson;
    try {
        info = JSON.parse(out.stdout) as InfoJson;
    } catch {
        throw new HelperError("command-failed", "qemu-img info", text("qemu-img.info-unreadable", { file }));
    }
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
    return {
        format: typeof info.format === "string" ? info.format : "",
        virtualSize: Number(info["virtual-size"]),
        actualSize: Number(info["actual-size"]),
        backingFile: str(info["backing-filename"]) ?? str(info["full-backing-filename"]),
        dataFile: str(info["format-specific"]?.data?.["data-file"]),
        encrypted: info.encrypted === true,
    };
}

/**
 * Refuses an image qemu-img would read another file for (a backing or external
 * data file), an encrypted one, or one qemu-img does not read as `format`: the
 * appliance disk's header was checked when the OVA was read, and this asks
 * qemu-img itself before anything converts the disk. No file name it reports
 * is repeated (the image's header chose it).
 */
export async function checkPlainImage(config: HelperConfig, file: string, format: "raw" | "qcow2"): Promise<void> {
    const info = await imageInfo(config, file, format);
    const refuse = (code: "qemu-img.backing-file" | "qemu-img.data-file" | "qemu-img.encrypted" | "qemu-img.format-differs") => {
        throw new HelperError("format-invalid", file, text(code, { file, format, found: info.format }));
    };
    if (info.backingFile !== null)
        refuse("qemu-img.backing-file");
    if (info.dataFile !== null)
        refuse("qemu-img.data-file");
    if (info.encrypted)
        refuse("qemu-img.encrypted");
    if (info.format !== format)
        refuse("qemu-img.format-differs");
}

/** Parses qemu-img -p output; returns the last percentage seen in `text`, if any. */
export function lastPercent(text: string): number | null {
    const matches = [...text.matchAll(/\(\s*([0-9]+(?:\.[0-9]+)?)\/100%\)/g)];
    return matches.length > 0 ? Number(matches[matches.length - 1][1]) : null;
}

export interface ConvertOptions {
    sourceFormat: "raw" | "qcow2";
    targetFormat: "raw";
    /** write into an existing target (a volume) instead of creating it */
    existingTarget: boolean;
    /** called with the fraction done, 0..1 */
    onProgress?: (fraction: number) => void;
}

export async function convert(config: HelperConfig, source: string, target: string, options: ConvertOptions): Promise<void> {
    const args = ["convert", "-p", "-f", options.sourceFormat, "-O", options.targetFormat, ...(options.existingTarget ? ["-n"] : []), source, target];
    const [cmd, full] = asDiskUser(config, config.commands.qemuImg, args);
    const runOptions: RunOptions = { timeoutMs: 6 * 3600_000 };
    if (options.onProgress) {
        const onProgress = options.onProgress;
        runOptions.onStdout = chunk => {
            const percent = lastPercent(chunk);
            if (percent !== null)
                onProgress(percent / 100);
        };
    }
    await runChecked(cmd, full, runOptions);
}

/** Whether two images hold the same bytes (qemu-img compare: 0 same, 1 different, else an error). */
export async function sameContent(config: HelperConfig, first: string, second: string, format: "raw" | "qcow2" = "raw"): Promise<boolean> {
    const [cmd, args] = asDiskUser(config, config.commands.qemuImg, ["compare", "-q", "-f", format, "-F", "raw", first, second]);
    const result = await run(cmd, args, { timeoutMs: 6 * 3600_000 });
    if (result.exitCode === 0)
        return true;
    if (result.exitCode === 1)
        return false;
    throw new HelperError("command-failed", "qemu-img compare", text("qemu-img.compare-failed", { first, second }), result.stderr.trim());
}

/*
 * Zeroes bytes [offset, offset+length) of a raw image with qemu-io, which writes
 * zeroes efficiently (punching holes where it can) on files and block devices alike.
 */
export async function zeroRange(config: HelperConfig, file: string, offset: number, length: number): Promise<void> {
    if (length <= 0)
        return;
    const [cmd, args] = asDiskUser(config, config.commands.qemuIo, ["-f", "raw", "-c", `write -z ${offset} ${length}`, file]);
    const result = await runChecked(cmd, args, { timeoutMs: 6 * 3600_000 });
    // qemu-io reports a failed command on stdout with exit 0
    if (/error|failed/i.test(result.stdout))
        throw new HelperError("command-failed", "qemu-io write -z", text("qemu-io.zero-failed", { file, offset }), result.stdout.trim().slice(0, 2000));
}
