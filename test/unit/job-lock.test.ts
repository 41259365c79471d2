// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The job lock (issue 14, finding 6): a holder counts only in the same boot,
 * with the same pid started at the same time; of several starters racing for
 * a stale lock exactly one wins.
 */

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { currentBootId, JobLock, processStart } from "../../src/bridge-helper/jobs/lock";

const A = "20261125T031500-aaaaaa";
const B = "20261125T031600-bbbbbb";

let dir: string;
let lock: JobLock;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "he-lock-"));
    lock = new JobLock(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const myStart = () => processStart(process.pid)?.startTime ?? -1;
const writeLock = (content: object | string) =>
    fs.writeFileSync(lock.file, typeof content === "string" ? content : JSON.stringify(content), { mode: 0o600 });
/* A pid no process has: above the kernel's pid_max. */
const NO_PID = 2 ** 22 + 12345;

describe("who holds the lock", () => {
    test("a live holder refuses another job, naming its job id", () => {
        writeLock({ jobId: A, pid: process.pid, bootId: currentBootId(), startTime: myStart() });
        expect(lock.holder()?.jobId).toBe(A);
        expect(() => lock.acquire(B)).toThrow(`Another job is running: ${A}`);
    });

    test("a lock from another boot is stale, though its pid runs now", () => {
        writeLock({ jobId: A, pid: process.pid, bootId: "00000000-0000-0000-0000-000000000000", startTime: myStart() });
        expect(lock.holder()).toBeNull();
        lock.acquire(B);
        expect(lock.holder()).toMatchObject({ jobId: B, pid: process.pid, bootId: currentBootId(), startTime: myStart() });
        expect(lock.leftoverGroup(A)).toBeNull();
    });

    test("a pid reused by a process started at another time is stale", () => {
        writeLock({ jobId: A, pid: process.pid, bootId: currentBootId(), startTime: myStart() - 1 });
        expect(lock.holder()).toBeNull();
        // the old runner's group is gone: a reused pid is not its leader, so nothing is killed
        expect(lock.leftoverGroup(A)).toBeNull();
        lock.acquire(B);
        expect(lock.holder()?.jobId).toBe(B);
    });

    test("an old lock without a boot id holds while its pid exists, and is stale once it is gone", () => {
        writeLock({ jobId: A, pid: process.pid });
        expect(() => lock.acquire(B)).toThrow(`Another job is running: ${A}`);
        writeLock({ jobId: A, pid: NO_PID });
        expect(lock.leftoverGroup(A)).toBe(NO_PID);
        lock.acquire(B);
        expect(lock.holder()?.jobId).toBe(B);
    });

    test.each([
        ["garbage", "SECRET{{{"],
        ["pid 1", JSON.stringify({ jobId: A, pid: 1 })],
        ["pid -1", JSON.stringify({ jobId: A, pid: -1 })],
        ["a huge file", "x".repeat(1 << 20)],
    ])("a lock file holding %s names nobody and is taken over", (_name, content) => {
        writeLock(content);
        expect(lock.holder()).toBeNull();
        expect(lock.leftoverGroup(A)).toBeNull();
        lock.acquire(B);
        expect(lock.holder()?.jobId).toBe(B);
    });

    test("a symlink in the lock's place is replaced, never followed", () => {
        const target = path.join(dir, "target");
        fs.writeFileSync(target, JSON.stringify({ jobId: A, pid: process.pid }));
        fs.symlinkSync(target, lock.file);
        expect(lock.holder()).toBeNull();
        lock.acquire(B);
        expect(fs.lstatSync(lock.file).isFile()).toBe(true);
        expect(JSON.parse(fs.readFileSync(target, "utf8")).jobId).toBe(A);
    });

    test("the lock is root's alone, and no temporary or takeover file stays behind", () => {
        writeLock({ jobId: A, pid: NO_PID });
        lock.acquire(B);
        expect(fs.statSync(lock.file).mode & 0o777).toBe(0o600);
        lock.transfer(B, process.pid);
        expect(fs.statSync(lock.file).mode & 0o777).toBe(0o600);
        expect(fs.readdirSync(dir)).toEqual(["lock"]);
    });
});

describe("racing for a stale lock", () => {
    const WORKERS = 8;
    const ROUNDS = 50;

    test(`of ${WORKERS} starters exactly one wins, in each of ${ROUNDS} rounds`, async () => {
        for (let round = 0; round < ROUNDS; round++) {
            fs.mkdirSync(path.join(dir, `round-${round}`));
            fs.writeFileSync(path.join(dir, `round-${round}`, "lock"), JSON.stringify({ jobId: A, pid: NO_PID, bootId: currentBootId() }));
        }
        const tsx = path.join(__dirname, "../../node_modules/.bin/tsx");
        const worker = path.join(__dirname, "job-lock-race-worker.ts");
        const children = Array.from({ length: WORKERS }, (_v, i) =>
            spawn(tsx, [worker, dir, String(i), String(ROUNDS)], { stdio: ["ignore", "ignore", "inherit"] }));
        const exited = children.map(c => new Promise(resolve => c.on("exit", resolve)));
        const results = (round: number) => fs.readdirSync(path.join(dir, `round-${round}`)).filter(n => n.startsWith("result-"));
        const winners: number[] = [];
        try {
            for (let round = 0; round < ROUNDS; round++) {
                fs.writeFileSync(path.join(dir, `round-${round}`, "go"), "");
                const deadline = Date.now() + 20_000;
                while (results(round).length < WORKERS && Date.now() < deadline)
                    await new Promise(resolve => setTimeout(resolve, 5));
                const outcomes = results(round).map(n => fs.readFileSync(path.join(dir, `round-${round}`, n), "utf8"));
                expect(outcomes).toHaveLength(WORKERS);
                winners.push(outcomes.filter(o => o === "won").length);
                // the losers were refused because the job runs, not because the lock could not be taken
                expect(outcomes.filter(o => o !== "won").filter(o => o !== `lost: Job ${A} is already running`)).toEqual([]);
            }
        } finally {
            children.forEach(c => c.kill());
            await Promise.all(exited);
        }
        expect(winners).toEqual(Array(ROUNDS).fill(1));
    }, 60_000);
});
