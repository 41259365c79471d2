// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated host's `hosted-engine` command (ovirt-hosted-engine-setup 2.0
 * with ovirt-hosted-engine-ha behind it). It answers from the sim's state file,
 * with the real tool's output formats, messages and exit codes.
 * Bundled by `sim start` to <dir>/lib/hosted-engine.cjs; <dir>/bin/hosted-engine runs it.
 */

import fs from "node:fs";
import path from "node:path";

import { vmStatusJson } from "./ha-metadata";
import { simLayout } from "./layout";
import { readState, updateState, type SimState } from "./state";

const USAGE = `Usage: /usr/sbin/hosted-engine [--help] <command> [<command-args>]
    --deploy [options]
        run ovirt-hosted-engine deployment
    --vm-start
        start VM on this host
    --vm-shutdown
        gracefully shutdown the VM on this host
    --vm-poweroff
        forcefully poweroff the VM on this host
    --vm-status [--json]
        VM status according to the HA agent. If --json is given, the
        output will be in machine-readable (JSON) format
    --check-deployed
        Checks whether the hosted engine has been deployed already.
    --set-maintenance --mode=<mode>
        Set maintenance status to the specified mode (global/local/none)
`;

function brokerDown(): number {
    // what the HA client prints when ovirt-ha-broker's socket is gone
    process.stdout.write("{'reason': 'Unable to connect to broker', 'status': 'failed'}\n");
    process.stderr.write("Traceback (most recent call last):\n" +
        "  File \"/usr/lib/python2.7/site-packages/ovirt_hosted_engine_ha/client/client.py\", line 92, in get_all_stats\n" +
        "BrokerConnectionError: Failed to connect to broker, the number of errors has exceeded the limit (1)\n");
    return 1;
}

function vmStatus(state: SimState, args: string[]): number {
    if (!state.running)
        return brokerDown();
    if (args.includes("--json")) {
        process.stdout.write(vmStatusJson(state) + "\n");
        return 0;
    }
    process.stderr.write("the simulator prints --vm-status only with --json\n");
    return 1;
}

function setMaintenance(file: string, state: SimState, args: string[]): number {
    const mode = args.length === 1 && args[0].startsWith("--mode=") ? args[0].slice("--mode=".length) : null;
    if (mode !== "global" && mode !== "local" && mode !== "none") {
        process.stderr.write("Usage: hosted-engine --set-maintenance --mode=<global|local|none>\n");
        return 1;
    }
    if (!state.running)
        return brokerDown();
    if (mode === "local" && state.engineVm.hostId === state.thisHostId) {
        process.stderr.write("Unable to enter local maintenance mode: the engine VM is running on the current host, " +
                             "please migrate it before entering local maintenance mode.\n");
        return 1;
    }
    updateState(file, s => {
        // like ovirt-ha: the local flag is this host's, the global flag is the cluster's
        const me = s.hosts.find(h => h.id === s.thisHostId);
        if (me)
            me.localMaintenance = mode === "local";
        s.globalMaintenance = mode === "global";
    });
    return 0;
}

export function main(argv: string[]): number {
    const layout = simLayout(path.resolve(__dirname, ".."));
    const [command, ...args] = argv;
    if (command === undefined || command === "--help") {
        process.stdout.write(USAGE);
        return command === undefined ? 1 : 0;
    }
    if (!fs.existsSync(layout.hostedEngineConf)) {
        if (command === "--check-deployed")
            return 1;
        process.stderr.write("You must run deploy first\n");
        return 1;
    }
    const state = readState(layout.stateFile);
    switch (command) {
    case "--check-deployed":
        return 0;
    case "--vm-status":
        return vmStatus(state, args);
    case "--set-maintenance":
        return setMaintenance(layout.stateFile, state, args);
    default:
        process.stderr.write(`Invalid option '${command}'\n${USAGE}`);
        return 1;
    }
}

process.exitCode = main(process.argv.slice(2));
