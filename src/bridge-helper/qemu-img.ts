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
}

/** The command line for running a disk tool as the configured disk user, through sudo unless that is us. */
export function asDiskUser(config: HelperConfig, command: string, args: string[]): [string, string[]] {
    const me = process.getuid?.();
    if (config.diskUser === "root" && me === 0)
        return [command, args];
    return [config.commands.sudo, ["-n", "-u", config.diskUser, "-g", config.diskGroup, "--", command, ...args]];
}

export async function imageInfo(config: HelperConfig, file: string): Promise<ImageInfo> {
    const [cmd, args] = asDiskUser(config, config.commands.qemuImg, ["info", "--output", "json", file]);
    const out = await runChecked(cmd, args);
    const info = JSON.parse(out.stdout) as { format: string; "virtual-size": number; "actual-size": number };
    return { format: info.format, virtualSize: info["virtual-size"], actualSize: info["actual-size"] };
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
