// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * libguestfs' guestfish, to put the engine backup into the appliance's root file
 * system before it first boots (ovirt-upgrade-flow.md step 11). One appliance
 * launch does the upload and reads the file's checksum back, so what the new
 * engine will restore is verified before the VM starts. Run as the storage's
 * owner with XDG_RUNTIME_DIR unset (libguestfs >= 1.32 puts its sockets there,
 * bz1467813) and the configured backend (TCG where KVM does not work).
 */

import { text, type Text } from "../protocol/text";
import type { HelperConfig } from "./config";
import { HelperError } from "./errors";
import { runChecked } from "./process";

function libguestfsEnvironment(config: HelperConfig): Record<string, string | null> {
    const env: Record<string, string | null> = { XDG_RUNTIME_DIR: null };
    if (config.libguestfs.backend)
        env.LIBGUESTFS_BACKEND = config.libguestfs.backend;
    if (config.libguestfs.backendSettings)
        env.LIBGUESTFS_BACKEND_SETTINGS = config.libguestfs.backendSettings;
    return env;
}

/** guestfish's command line, through sudo and env when it must run as another user (sudo resets the environment). */
function guestfishCommand(config: HelperConfig, args: string[]): { command: string; args: string[]; env: Record<string, string | null> } {
    const env = libguestfsEnvironment(config);
    if (config.diskUser === "root" && process.getuid?.() === 0)
        return { command: config.commands.guestfish, args, env };
    const assignments = Object.entries(env).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`);
    return {
        command: config.commands.sudo,
        args: ["-n", "-u", config.diskUser, "-g", config.diskGroup, "--", "env", "-u", "XDG_RUNTIME_DIR", ...assignments,
            config.commands.guestfish, ...args],
        env: {},
    };
}

/* What guestfish takes as one word of a command and qemu as one file name: no white space, quote, backslash, comma or control character. */
const HOST_PATH = /^\/[^\s"'`\\,\p{Cc}]+$/u;
/* A path inside the guest, plainly spelt. */
const GUEST_PATH = /^\/[A-Za-z0-9._/-]+$/;

/** Why guestfish cannot be given `file` (a path on this host) as it is, or null. */
export function hostPathProblem(file: string): Text | null {
    return HOST_PATH.test(file) ? null : text("guestfish.host-path-invalid", { path: file });
}

/** Why `guestPath` cannot be the guest's file name, or null. */
export function guestPathProblem(guestPath: string): Text | null {
    return GUEST_PATH.test(guestPath) && !guestPath.split("/").includes("..") ? null : text("guestfish.path-invalid", { path: guestPath });
}

/**
 * Uploads `source` to `guestPath` on the image's first partition and returns the
 * MD5 guestfish reads back from the guest.
 */
export async function uploadIntoGuest(config: HelperConfig, image: string, format: "raw" | "qcow2",
                                      source: string, guestPath: string): Promise<string> {
    const guestProblem = guestPathProblem(guestPath);
    if (guestProblem)
        throw new HelperError("usage", guestPath, guestProblem);
    for (const file of [image, source]) {
        const problem = hostPathProblem(file);
        if (problem)
            throw new HelperError("usage", file, problem);
    }
    const { command, args, env } = guestfishCommand(config, [
        "--rw", `--format=${format}`, "-a", image, "-m", "/dev/sda1", "--",
        "upload", source, guestPath, ":",
        "chmod", "0600", guestPath, ":",
        "checksum", "md5", guestPath,
    ]);
    const out = await runChecked(command, args, { env, timeoutMs: 30 * 60_000 });
    const md5 = out.stdout.trim().split("\n").pop() ?? "";
    if (!/^[0-9a-f]{32}$/.test(md5))
        throw new HelperError("command-failed", "guestfish", text("guestfish.no-checksum", { path: guestPath }), out.stdout.slice(0, 500));
    return md5;
}
