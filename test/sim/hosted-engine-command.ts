// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated host's `hosted-engine` command (ovirt-hosted-engine-setup 2.0
 * with ovirt-hosted-engine-ha behind it). It answers from the sim's state file,
 * with the real tool's output formats, messages and exit codes.
 * Bundled by `sim start` to <dir>/lib/hosted-engine.cjs; <dir>/bin/hosted-engine runs it.
 */

import fs from "node:fs";
import path from "node:path";

import type { BrokerRequest } from "./broker";
import { simLayout } from "./layout";
import { askBroker } from "./sim-client";
import { parseVmConf } from "./vm-conf";
import { LOCAL_VM_CONF } from "./host-config";

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

async function relay(socketPath: string, request: BrokerRequest): Promise<number> {
    const answer = await askBroker(socketPath, request);
    if (answer === null)
        return brokerDown();
    if (answer.stdout)
        process.stdout.write(answer.stdout);
    if (answer.stderr)
        process.stderr.write(answer.stderr);
    return answer.ok ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
    const layout = simLayout(path.resolve(__dirname, ".."));
    const [command, ...args] = argv;
    if (command === undefined || command === "--help") {
        process.stdout.write(USAGE);
        return command === undefined ? 1 : 0;
    }
    if (!fs.existsSync(layout.hostedEngineConf)) {
        if (command !== "--check-deployed")
            process.stderr.write("You must run deploy first\n");
        return 1;
    }
    switch (command) {
    case "--check-deployed":
        return 0;
    case "--vm-status":
        if (!args.includes("--json")) {
            process.stderr.write("the simulator prints --vm-status only with --json\n");
            return 1;
        }
        return relay(layout.brokerSocket, { op: "vm-status" });
    case "--set-maintenance": {
        const mode = args.length === 1 && args[0].startsWith("--mode=") ? args[0].slice("--mode=".length) : null;
        if (mode !== "global" && mode !== "local" && mode !== "none") {
            process.stderr.write("Usage: hosted-engine --set-maintenance --mode=<global|local|none>\n");
            return 1;
        }
        return relay(layout.brokerSocket, { op: "set-maintenance", mode });
    }
    case "--vm-start": {
        // like the real command: the local vm.conf, or the file given with --vm-conf=
        const given = args.find(a => a.startsWith("--vm-conf="))?.slice("--vm-conf=".length);
        const file = given ?? path.join(layout.root, LOCAL_VM_CONF);
        let params;
        try {
            params = parseVmConf(fs.readFileSync(file, "utf8"), file);
        } catch (err) {
            process.stderr.write(`Unable to read vm.conf ${file}: ${(err as Error).message}\n`);
            return 1;
        }
        return relay(layout.brokerSocket, { op: "vm-start", params });
    }
    case "--vm-shutdown":
        return relay(layout.brokerSocket, { op: "vm-shutdown" });
    case "--vm-poweroff":
        return relay(layout.brokerSocket, { op: "vm-poweroff" });
    default:
        process.stderr.write(`Invalid option '${command}'\n${USAGE}`);
        return 1;
    }
}

main(process.argv.slice(2)).then(code => { process.exitCode = code; });
