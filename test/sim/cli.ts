// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated oVirt 3.6 hosted-engine host.
 *   npm run --silent sim -- start --dir DIR   build DIR if new, start its services, print one JSON line
 *   npm run --silent sim -- stop --dir DIR    stop its services; start resumes the same state
 */

import fs from "node:fs";
import { parseArgs } from "node:util";

import { buildHost, installCommands, writeHelperConfig } from "./build-host";
import { simLayout } from "./layout";
import { readState, updateState } from "./state";

function fail(message: string): never {
    process.stderr.write(`sim: ${message}\n`);
    process.exit(2);
}

function start(dir: string): Record<string, unknown> {
    const layout = simLayout(dir);
    if (!fs.existsSync(layout.stateFile))
        buildHost(layout);
    installCommands(layout);
    writeHelperConfig(layout);
    const state = updateState(layout.stateFile, s => { s.running = true; });
    return {
        dir: layout.dir,
        helperConfig: layout.helperConfig,
        root: layout.root,
        hostedEngine: layout.hostedEngineCommand,
        engineFqdn: state.engineFqdn,
        hosts: state.hosts.map(h => ({ id: h.id, hostname: h.hostname })),
    };
}

function stop(dir: string): Record<string, unknown> {
    const layout = simLayout(dir);
    if (!fs.existsSync(layout.stateFile))
        fail(`${layout.dir} is not a simulated host`);
    updateState(layout.stateFile, s => { s.running = false; });
    return { dir: layout.dir, stopped: true };
}

function inspect(dir: string): Record<string, unknown> {
    const layout = simLayout(dir);
    if (!fs.existsSync(layout.stateFile))
        fail(`${layout.dir} is not a simulated host`);
    return { ha: readState(layout.stateFile) };
}

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({ args: rest, options: { dir: { type: "string" } }, strict: true });
if (!values.dir)
    fail("--dir DIR is required");

const commands: Record<string, (dir: string) => Record<string, unknown>> = { start, stop, inspect };
const run = command === undefined ? undefined : commands[command];
if (!run)
    fail(`unknown command "${command ?? ""}"; use start, stop or inspect`);
process.stdout.write(JSON.stringify(run(values.dir)) + "\n");
