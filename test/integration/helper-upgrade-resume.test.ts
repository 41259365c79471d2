// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade job killed (SIGKILL, like a crash) while each destructive step
 * runs, then resumed with the secrets again on stdin: it must end in a good
 * upgrade, also when the host rebooted in between. While jobs run, no process's argv or environment holds a password.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { followToEnd, killWhenRunning } from "../support/job-control";
import { helperSync, sim, simWorld, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo & { adminPassword: string };
const ROOT_PASSWORD = "Resume-Root-Pass-9";
let secretsSeen: string[] = [];
let scanner: NodeJS.Timeout | null = null;

const helper = (args: string[], input = "") => helperSync(info.helperConfig, args, input);

/** Every process's argv and environment, searched for the secrets. */
function scanProc(): void {
    for (const pid of fs.readdirSync("/proc").filter(n => /^[0-9]+$/.test(n))) {
        for (const what of ["cmdline", "environ"]) {
            let text = "";
            try {
                text = fs.readFileSync(`/proc/${pid}/${what}`, "latin1");
            } catch {
                continue;
            }
            for (const secret of [info.adminPassword, ROOT_PASSWORD]) {
                if (text.includes(secret))
                    secretsSeen.push(`${secret === ROOT_PASSWORD ? "root password" : "admin password"} in /proc/${pid}/${what}: ${text.split("\0").join(" ").slice(0, 200)}`);
            }
        }
    }
}

beforeEach(async () => {
    info = await startSim() as typeof info;
    execFileSync(info.hostedEngine, ["--set-maintenance", "--mode=global"]);
    fs.mkdirSync(path.join(info.root, "root"), { recursive: true });
    await sim("make-backup", info.dir, "--out", path.join(info.root, "root/engine_backup.tar.gz"));
    secretsSeen = [];
    scanner = setInterval(scanProc, 100);
});

afterEach(async () => {
    if (scanner)
        clearInterval(scanner);
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

/** Steps after which the job is resumed as after a reboot of the host (the engine VM is down while they run). */
const AFTER_A_REBOOT = ["extend-engine-disk", "write-appliance", "inject-backup"];

test.each(["shutdown-engine-vm", "extend-engine-disk", "write-appliance", "inject-backup", "boot-appliance", "engine-setup"])(
    "killed during %s, resumed, the upgrade ends well", async step => {
        const started = helper(["upgrade"], JSON.stringify({
            backupArchive: "/root/engine_backup.tar.gz",
            appliance: { installed: "/etc/ovirt-hosted-engine/10-appliance.conf" },
            vmNetwork: { mode: "dhcp" },
            adminPassword: info.adminPassword,
            rootPassword: ROOT_PASSWORD,
        }));
        const { job } = JSON.parse(started.stdout) as { job: string };
        const killed = await killWhenRunning(info.dir, job, step);
        expect(killed).toBe(true);

        const jobs = JSON.parse(helper(["jobs"]).stdout) as { running: string | null; jobs: { id: string; state: string }[] };
        expect(jobs.running).toBeNull();
        expect(jobs.jobs[0]).toMatchObject({ id: job, state: "interrupted" });
        if (AFTER_A_REBOOT.includes(step)) {
            // the host rebooted while the engine VM was down: /var/run is a tmpfs, every image vdsm prepared is
            // torn down; a resumed step that used a path an earlier run was given (the backup disk's, recorded by
            // copy-to-backup) would fail on it
            fs.rmSync(path.join(info.root, "var/run/vdsm/storage"), { recursive: true, force: true });
        }

        const resumed = helper(["resume", job], JSON.stringify({ adminPassword: info.adminPassword, rootPassword: ROOT_PASSWORD }));
        expect(resumed.code).toBe(0);
        const { events, result } = await followToEnd(info.helperConfig, job);
        expect(result).toMatchObject({ ok: true, message: { english: "Hosted Engine successfully upgraded" } });
        expect(events.filter(e => e.type === "job")).toHaveLength(2);
        const world = await simWorld<{ engine: { version: string } }>(info.dir);
        expect(world.engine.version).toBe("4.0.6.3");
        expect(fs.existsSync(path.join(info.dir, "helper/state/jobs", job, "work"))).toBe(false);
        expect(secretsSeen).toEqual([]);
    });
