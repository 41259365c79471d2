// SPDX-License-Identifier: LGPL-2.1-or-later

/* Drives test/sim and the built helper from tests, as separate processes like in production. */

import { execFile, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { simLayout } from "../sim/layout";
import { askBroker } from "../sim/sim-client";

const execFileAsync = promisify(execFile);

export const TOP = path.resolve(__dirname, "../..");
export const HELPER = path.join(TOP, "dist/helper.js");
/*
 * The Node.js every test, the sim, the demo and the bench start the helper
 * with: HE_HELPER_NODE (make check-node16 sets build/node16/bin/node, the
 * EL7 floor), else the Node that runs jest. Jest itself stays on its own.
 */
export const HELPER_NODE = helperNode(process.env.HE_HELPER_NODE);

function helperNode(chosen: string | undefined): string {
    if (!chosen)
        return process.execPath;
    if (!path.isAbsolute(chosen) || !fs.existsSync(chosen))
        throw new Error(`HE_HELPER_NODE=${chosen} is not an absolute path to an existing Node.js (make deps installs build/node16/bin/node)`);
    return chosen;
}
const TSX = path.join(TOP, "node_modules/.bin/tsx");
const SIM_CLI = path.join(TOP, "test/sim/cli.ts");

export interface SimInfo {
    dir: string;
    helperConfig: string;
    root: string;
    /** the storage domain's export on the NFS server's side: where a test reads volumes (root is squashed on the host's) */
    nfsExport: string;
    hostedEngine: string;
    engineFqdn: string;
}

export interface ProcessOutput {
    code: number;
    stdout: string;
    stderr: string;
}

async function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessOutput> {
    try {
        const { stdout, stderr } = await execFileAsync(command, args, { env, cwd: TOP, maxBuffer: 64 << 20 });
        return { code: 0, stdout, stderr };
    } catch (err) {
        const e = err as { code?: number | string; stdout?: string; stderr?: string };
        if (typeof e.code !== "number")
            throw err;
        return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
}

export async function sim(command: string, dir: string, ...args: string[]): Promise<Record<string, unknown>> {
    const out = await runProcess(TSX, [SIM_CLI, command, "--dir", dir, ...args]);
    if (out.code !== 0)
        throw new Error(`sim ${command} failed (${out.code}): ${out.stderr}`);
    const lines = out.stdout.trim().split("\n");
    if (lines.length !== 1)
        throw new Error(`sim ${command} printed ${lines.length} lines, expected one JSON line: ${out.stdout}`);
    return JSON.parse(lines[0]) as Record<string, unknown>;
}

/** The running sim's whole state, straight from its daemon (faster than `sim inspect` in a polling loop). */
export async function simWorld<T = Record<string, unknown>>(dir: string): Promise<T> {
    const answer = await askBroker(simLayout(dir).brokerSocket, { op: "world" });
    if (!answer?.stdout)
        throw new Error(`the sim in ${dir} is not running`);
    return JSON.parse(answer.stdout) as T;
}

export interface StartOptions {
    /** how the engine VM's network was deployed (test/sim/network.ts); the sim's default when absent */
    network?: "static" | "dhcp" | "missing";
    /** the storage domain's throughput in MB/s each way, as a real domain's network limits it; unlimited when absent */
    storageMBps?: number;
}

export async function startSim(dir?: string, options: StartOptions = {}): Promise<SimInfo> {
    const target = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "he-sim-"));
    return await sim("start", target, ...(options.network ? ["--network", options.network] : []),
                     ...(options.storageMBps === undefined ? [] : ["--storage-mbps", String(options.storageMBps)])) as unknown as SimInfo;
}

export interface HelperOutput<T = unknown> extends ProcessOutput {
    json: T;
}

/** Runs `HELPER_NODE dist/helper.js ARGS` with HE_HELPER_CONFIG pointing at the sim. */
export async function helper<T = Record<string, unknown>>(config: string, ...args: string[]): Promise<HelperOutput<T>> {
    if (!fs.existsSync(HELPER))
        throw new Error(`${HELPER} is missing: run "make" first`);
    const out = await runProcess(HELPER_NODE, [HELPER, ...args], { ...process.env, HE_HELPER_CONFIG: config });
    let json: T;
    try {
        json = JSON.parse(out.stdout) as T;
    } catch {
        throw new Error(`helper ${args.join(" ")} printed no JSON (exit ${out.code}): ${out.stdout}${out.stderr}`);
    }
    return { ...out, json };
}

/** Runs the built helper with `input` on stdin without blocking this process, whose servers keep answering. */
export function helperWithInput(config: string, args: string[], input: string): Promise<ProcessOutput> {
    return new Promise((resolve, reject) => {
        const child = spawn(HELPER_NODE, [HELPER, ...args], { env: { ...process.env, HE_HELPER_CONFIG: config }, cwd: TOP });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
        child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on("error", reject);
        child.on("close", code => resolve({ code: code ?? -1, stdout, stderr }));
        child.stdin.end(input);
    });
}

/** Runs the built helper synchronously with `input` on stdin: exit code, stdout and stderr. */
export function helperSync(config: string, args: string[], input = ""): { code: number; stdout: string; stderr: string } {
    const out = spawnSync(HELPER_NODE, [HELPER, ...args], { input, env: { ...process.env, HE_HELPER_CONFIG: config }, encoding: "utf8" });
    return { code: out.status ?? -1, stdout: out.stdout, stderr: out.stderr };
}

/** `sim guest-login`: a password login on the engine VM's disk as cloud-init left it, the password on stdin. */
export function simGuestLogin(dir: string, user: string, password: string): string {
    const out = spawnSync(TSX, [SIM_CLI, "guest-login", "--dir", dir, user], { input: password + "\n", cwd: TOP, encoding: "utf8" });
    if (out.status !== 0)
        throw new Error(`sim guest-login failed (${out.status}): ${out.stderr}`);
    return (JSON.parse(out.stdout) as { login: string }).login;
}
