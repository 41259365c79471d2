// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The one place the helper starts programs. Always an argument array, never a
 * shell, so nothing from the page or a file name can be interpreted as syntax.
 */

import { spawn } from "node:child_process";
import { Readable } from "node:stream";

import { execa } from "execa";

import { text } from "../protocol/text";
import { HelperError } from "./errors";

export interface RunOptions {
    /** written to the child's stdin; the way secrets travel */
    input?: string;
    timeoutMs?: number;
    /** extra environment; null unsets a variable */
    env?: Record<string, string | null>;
    /** called with stdout as it arrives (progress) */
    onStdout?: (chunk: string) => void;
}

function environment(extra: Record<string, string | null> | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [key, value] of Object.entries(extra ?? {})) {
        if (value === null)
            delete env[key];
        else
            env[key] = value;
    }
    return env;
}

export interface RunResult {
    exitCode: number;
    stdout: string;
    stderr: string;
}

/** Runs a command and returns what it printed, whatever its exit code. */
export async function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const subprocess = execa(command, args, {
        reject: false,
        shell: false,
        stripFinalNewline: false,
        timeout: options.timeoutMs ?? 120_000,
        env: environment(options.env),
        extendEnv: false,
        ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" as const }),
    });
    if (options.onStdout)
        subprocess.stdout?.on("data", (chunk: Buffer) => options.onStdout?.(chunk.toString("utf8")));
    const result = await subprocess;
    if (result.failed && result.exitCode === undefined) {
        // not started, killed by a signal or timed out: there is no exit code to report
        const why = result.timedOut ? text("program.timed-out", { command })
            : (result.signal ? text("program.killed", { command, signal: result.signal }) : text("program.not-started", { command }));
        // execa 8 types shortMessage on its errors only; reject: false hands the error back as the result
        const { shortMessage } = result as { shortMessage?: string };
        throw new HelperError("command-failed", command, why, String(result.stderr || shortMessage || "").trim());
    }
    return { exitCode: result.exitCode ?? 0, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Like run() but a non-zero exit is an error naming the command line. */
export async function runChecked(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await run(command, args, options);
    if (result.exitCode !== 0) {
        const shown = [command, ...args].join(" ");
        const detail = (result.stderr.trim() || result.stdout.trim()).slice(0, 4000);
        throw new HelperError("command-failed", shown, text("program.failed", { command: shown, code: result.exitCode }), detail);
    }
    return result;
}

/* What a streamed command reads: nothing, bytes, or a stream (a user's file through its one descriptor). */
function stdinOf(input: Uint8Array | Readable | undefined): { stdin: "ignore" } | { input: Buffer | Readable } {
    if (input === undefined)
        return { stdin: "ignore" };
    if (input instanceof Readable)
        return { input };
    // execa 8 takes a Buffer, not any Uint8Array: the same bytes, not a copy
    return { input: Buffer.from(input.buffer, input.byteOffset, input.byteLength) };
}

/** A command whose stdout is read as a stream (a decompressor, say); `done` rejects when it fails. */
export function streamOutput(command: string, args: readonly string[], input?: Uint8Array | Readable): { stdout: Readable; done: Promise<void> } {
    const subprocess = execa(command, args, {
        shell: false,
        buffer: false,
        ...stdinOf(input),
        stderr: "pipe",
        reject: false,
    });
    let stderr = "";
    subprocess.stderr?.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    const done = subprocess.then(result => {
        if (result.exitCode !== 0) {
            throw new HelperError("command-failed", [command, ...args].join(" "),
                                  text("program.failed", { command, code: result.exitCode ?? result.signal ?? "?" }), stderr.trim().slice(0, 2000));
        }
    });
    return { stdout: subprocess.stdout as Readable, done };
}

/**
 * Starts a program that outlives the helper (a job's process: the page's spawn
 * may end at any time): in its own session and process group, `input` on its
 * stdin and then end of file, stdout and stderr appended to `logFd`. Returns
 * its process id.
 */
export function startDetached(command: string, args: readonly string[], input: string, logFd: number): number {
    const child = spawn(command, args, { detached: true, shell: false, stdio: ["pipe", logFd, logFd], env: process.env });
    // a child that cannot start reports it as an event: its missing pid says so here
    child.on("error", () => {});
    child.stdin?.on("error", () => {});
    child.stdin?.end(input);
    child.unref();
    if (child.pid === undefined)
        throw new HelperError("command-failed", command, text("program.not-started", { command }));
    return child.pid;
}
