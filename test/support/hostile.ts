// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What every hostile case asserts (issue 14): the helper, given a hostile
 * input, exits 1 with one JSON error naming the file and the problem, prints
 * no stack trace, echoes none of the file's contents, stays within bounded
 * memory, and leaves the simulated host as it was.
 */

import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { HELPER, HELPER_NODE, TOP, type SimInfo } from "./sim-control";

/** Peak resident memory a refusal may take: the helper reads hostile files in bounded amounts. */
export const REFUSAL_RSS_LIMIT_KIB = 256 * 1024;

export interface HostileRun {
    code: number;
    stdout: string;
    stderr: string;
    /** the printed JSON, or null when stdout was not one JSON document */
    json: { error?: { code: string; message: string; english?: string; detail?: string } } & Record<string, unknown> | null;
    /** peak resident set of the helper process, in KiB (GNU time's %M) */
    maxRssKiB: number;
}

/** Runs the built helper under GNU time with `input` on stdin; its output, exit code and peak memory. */
export function runHelper(helperConfig: string, args: string[], input = "", timeoutMs = 120_000): HostileRun {
    const timeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "he-rss-")), "rss");
    try {
        const out = spawnSync("/usr/bin/time", ["-f", "%M", "-o", timeFile, HELPER_NODE, HELPER, ...args], {
            input, cwd: TOP, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20,
            env: { ...process.env, HE_HELPER_CONFIG: helperConfig },
        });
        if (out.error)
            throw new Error(`helper ${args.join(" ")}: ${out.error.message}`);
        let json: HostileRun["json"] = null;
        try {
            json = JSON.parse(out.stdout) as HostileRun["json"];
        } catch {
            json = null;
        }
        const rssLine = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop() ?? "";
        return { code: out.status ?? -1, stdout: out.stdout, stderr: out.stderr, json, maxRssKiB: Number(rssLine) };
    } finally {
        fs.rmSync(path.dirname(timeFile), { recursive: true, force: true });
    }
}

/** The message a refusal carries, English or whatever the report printed: what a user reads. */
export function refusalText(run: HostileRun): string {
    return JSON.stringify(run.json);
}

/**
 * A clean refusal: exit 1 (or `code`), a JSON error and nothing else on stdout,
 * no stack trace anywhere, none of `secrets` (file contents, passwords) echoed,
 * and bounded memory.
 */
export function expectCleanRefusal(run: HostileRun, options: { secrets?: string[]; code?: number } = {}): void {
    const shown = `${run.stdout}\n${run.stderr}`;
    expect({ code: run.code, json: run.json !== null, stdout: run.stdout.slice(0, 400) })
        .toMatchObject({ code: options.code ?? 1, json: true });
    expect(shown).not.toMatch(/\n\s+at .+\(?.*:\d+:\d+\)?/); // a stack frame
    expect(shown).not.toMatch(/\b(TypeError|RangeError|ReferenceError|SyntaxError): /);
    for (const secret of options.secrets ?? [])
        expect(shown.includes(secret) ? `echoed: ${secret.slice(0, 40)}` : "not echoed").toBe("not echoed");
    expect(run.maxRssKiB).toBeGreaterThan(0);
    expect(run.maxRssKiB).toBeLessThan(REFUSAL_RSS_LIMIT_KIB);
}

function digestFile(file: string): string {
    const hash = createHash("sha256");
    const fd = fs.openSync(file, "r");
    const buffer = Buffer.alloc(1 << 20);
    try {
        for (;;) {
            const n = fs.readSync(fd, buffer, 0, buffer.length, null);
            if (n === 0)
                break;
            hash.update(buffer.subarray(0, n));
        }
    } finally {
        fs.closeSync(fd);
    }
    return hash.digest("hex");
}

/*
 * Directories whose contents change on their own while a sim runs (logs, the HA
 * agents' metadata, vdsm's runtime), and the host's mount of the export (root is squashed there; the export is walked instead).
 */
const VOLATILE = [/^rhev\/data-center\//, /^var\/log\//, /^var\/run\//, /^run\//, /^var\/lib\/ovirt-hosted-engine-ha\//, /\/ha_agent\//, /\.lease$/, /\/dom_md\/(ids|inbox|outbox)$/];

/*
 * The HA agents' metadata and lockspace volumes on the storage domain, which
 * the agents write every cycle (hosted-engine.conf's metadata_image_UUID and
 * lockspace_image_UUID), and rpm's shared-memory files, which any query touches.
 */
function haVolumes(info: SimInfo): RegExp[] {
    const conf = fs.readFileSync(path.join(info.root, "etc/ovirt-hosted-engine/hosted-engine.conf"), "utf8");
    const images = ["metadata_image_UUID", "lockspace_image_UUID"]
            .map(key => new RegExp(`^${key}=([0-9a-f-]+)$`, "m").exec(conf)?.[1])
            .filter((uuid): uuid is string => Boolean(uuid));
    return [...images.map(uuid => new RegExp(`/images/${uuid}/`)), /\.sqlite-(shm|wal)$/];
}

/**
 * What a refused command must leave as it was on the simulated host: every
 * file under the storage domain export and the host's root (path, type, size,
 * mode, owner; the content of regular files under 64 MiB and the engine
 * disk's), and the helper's job list and lock.
 */
export function hostSnapshot(info: SimInfo): Record<string, string> {
    const snapshot: Record<string, string> = {};
    const volatile = [...VOLATILE, ...haVolumes(info)];
    const walk = (top: string, label: string): void => {
        const visit = (dir: string): void => {
            let names: string[];
            try {
                names = fs.readdirSync(dir);
            } catch {
                return;
            }
            for (const name of names.sort()) {
                const full = path.join(dir, name);
                const rel = path.relative(top, full);
                if (volatile.some(re => re.test(rel) || re.test(rel + "/")))
                    continue;
                const st = fs.lstatSync(full);
                const kind = st.isDirectory() ? "d" : st.isFile() ? "f" : st.isSymbolicLink() ? "l" : "o";
                let content = "";
                if (st.isFile() && st.size < 64 << 20)
                    content = digestFile(full);
                else if (st.isFile())
                    content = `mtime ${st.mtimeMs}`;
                else if (st.isSymbolicLink())
                    content = fs.readlinkSync(full);
                snapshot[`${label}/${rel}`] = `${kind} ${st.isDirectory() ? "" : st.size} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${content}`;
                if (st.isDirectory())
                    visit(full);
            }
        };
        visit(top);
    };
    walk(info.nfsExport, "export");
    walk(info.root, "root");
    walk(path.join(info.dir, "helper/state"), "helper-state");
    return snapshot;
}

/** The differences between two snapshots, as "path: before -> after" lines; empty when nothing changed. */
export function snapshotChanges(before: Record<string, string>, after: Record<string, string>): string[] {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].sort().filter(k => before[k] !== after[k]).map(k => `${k}: ${before[k] ?? "(none)"} -> ${after[k] ?? "(none)"}`);
}
