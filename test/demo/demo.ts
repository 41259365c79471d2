// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * `make demo`: the Hosted Engine page in a real Cockpit on 127.0.0.1 against the
 * simulated 3.6 hosted-engine host. Runs until Ctrl-C, then stops what it
 * started and removes what it wrote, except the demo user and .demo/ (the sim's
 * state, kept so the next demo resumes it); both are printed.
 */

import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import {
    ensureUser, freePort, installPlugin, installSystemHelperConfig, requireRoot, startCockpitWs,
    SYSTEM_HELPER_CONFIG,
} from "../support/cockpit-harness";
import { checkReachable } from "../sim/privileges";
import { TOP, sim, startSim } from "../support/sim-control";

// --dir lets the end-to-end test run the demo without touching a developer's .demo/
const DEMO_DIR = path.resolve(parseArgs({ options: { dir: { type: "string" } } }).values.dir ?? path.join(TOP, ".demo"));
const DEMO_USER = "he-demo";
const DEMO_PASSWORD = "he-demo-password";
/* where the wizard's Engine backup step looks by default (its placeholder), as a path on the host */
const BACKUP_ARCHIVE = "/root/engine_backup.tar.gz";

/*
 * The sim's vdsm and qemu are other users, who must reach its files: the
 * demo's own directory is made passable (0711, still not listable); a
 * checkout in a private home directory (0700 on Debian 12) keeps them out
 * all the same, so the sim then lives under /var/tmp.
 */
function simDirFor(demoDir: string): string {
    fs.mkdirSync(demoDir, { recursive: true });
    fs.chmodSync(demoDir, fs.statSync(demoDir).mode & 0o777 | 0o011);
    const simDir = path.join(demoDir, "sim");
    try {
        checkReachable(simDir);
        return simDir;
    } catch {
        return "/var/tmp/cockpit-hosted-engine-demo/sim";
    }
}

async function main(): Promise<void> {
    requireRoot();
    const simDir = simDirFor(DEMO_DIR);
    const info = await startSim(simDir) as Awaited<ReturnType<typeof startSim>> & { adminPassword: string };
    console.log(`Simulated hosted-engine host: ${info.dir} (hosts ${info.root}, engine ${info.engineFqdn})`);

    const restoreConfig = installSystemHelperConfig(info.helperConfig);
    console.log(`Wrote ${SYSTEM_HELPER_CONFIG} (removed again on exit) pointing the helper at the sim`);

    const user = ensureUser(DEMO_USER, DEMO_PASSWORD, true);
    console.log(`Local user ${user.name} (sudo group) exists with password ${DEMO_PASSWORD}; it is left in place`);
    const plugin = installPlugin([user]);
    console.log(`Installed the page and the helper in ${plugin.dir} as "make install" does (removed again on exit)`);

    // what engine-backup gives on the engine VM, already copied to the host: the wizard's step 2 reads it
    const archive = path.join(info.root, BACKUP_ARCHIVE);
    const backupCommand = ["npm", "run", "--silent", "sim", "--", "make-backup", "--dir", info.dir, "--out", archive];
    fs.mkdirSync(path.dirname(archive), { recursive: true });
    await sim("make-backup", info.dir, "--out", archive);

    const ws = await startCockpitWs(await freePort(9090), path.join(DEMO_DIR, "cockpit-ws.log"));

    let stopping = false;
    const stop = async () => {
        if (stopping)
            return;
        stopping = true;
        console.log("\nStopping the demo...");
        await ws.stop();
        plugin.restore();
        restoreConfig();
        await sim("stop", info.dir);
        console.log(`Stopped. Left in place: user ${DEMO_USER}, ${info.dir} (the sim; delete it for a fresh host).`);
        process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    ws.process.once("exit", code => {
        if (!stopping) {
            console.error(`cockpit-ws exited unexpectedly (${code}); see ${ws.log}`);
            stop();
        }
    });

    console.log(`
Cockpit is running: ${ws.url}/hosted-engine
  Log in as:  ${DEMO_USER}
  Password:   ${DEMO_PASSWORD}
  Then turn on administrative access: click "Limited access" in the top bar and enter the
  password again (Cockpit remembers the choice for the next login).

What the upgrade wizard asks for:
  Engine backup archive:          ${BACKUP_ARCHIVE}
    Made just now, as engine-backup would on the engine VM; it is ${archive} here.
    To take it again (for instance after the engine changed), run in ${TOP}:
      ${backupCommand.join(" ")}
  Engine admin@internal password: ${info.adminPassword}
    Settings checks it against the engine; the Rollback tab asks for it too.
  Appliance:                      the installed 4.0 appliance, offered in the Appliance step.
  Root password of the new VM:    any you choose in Settings.

Press Ctrl-C to stop.`);
}

main().catch(err => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exit(1);
});
