// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * cockpit-hosted-engine helper: run as root by the Cockpit page through
 * cockpit.spawn(["node", ".../helper.js", VERB, ...], {superuser: "require"}).
 * Every verb prints one JSON document on stdout. Failures print {"error": {...}}
 * on stdout and exit 1 (2 for a malformed command line), never a stack trace.
 */

import { parseArgs, type ParseArgsConfig } from "node:util";

import { loadConfig } from "./config";
import { HelperError, toErrorReport } from "./errors";
import { parseMode, setMaintenance } from "./verbs/set-maintenance";
import { status } from "./verbs/status";

const USAGE = `Usage: node helper.js VERB [OPTIONS]

Verbs:
  status                                  the hosted-engine cluster as ovirt-ha sees it
  set-maintenance --mode global|local|none
                                          switch the maintenance mode through hosted-engine
  --help                                  this text

Configuration: $HE_HELPER_CONFIG, else /etc/cockpit-hosted-engine/helper.json,
else the paths of a real oVirt host.
`;

interface Verb {
    options: NonNullable<ParseArgsConfig["options"]>;
    run: (values: Record<string, string | boolean | undefined>) => Promise<unknown>;
}

const VERBS: Record<string, Verb> = {
    status: {
        options: {},
        run: () => status(loadConfig()),
    },
    "set-maintenance": {
        options: { mode: { type: "string" } },
        run: values => setMaintenance(loadConfig(), parseMode(values.mode as string | undefined)),
    },
};

function print(value: unknown): void {
    process.stdout.write(JSON.stringify(value) + "\n");
}

async function main(argv: string[]): Promise<number> {
    const [verbName, ...rest] = argv;
    if (verbName === "--help" || verbName === "-h" || verbName === "help") {
        process.stdout.write(USAGE);
        return 0;
    }
    const verb = verbName === undefined ? undefined : VERBS[verbName];
    try {
        if (!verb)
            throw new HelperError("usage", verbName ?? "(none)",
                                  verbName === undefined ? "No verb given; see --help" : `Unknown verb "${verbName}"; see --help`);
        let values;
        try {
            values = parseArgs({ args: rest, options: verb.options, strict: true, allowPositionals: false }).values;
        } catch (err) {
            throw new HelperError("usage", verbName ?? "", (err as Error).message);
        }
        print(await verb.run(values as Record<string, string | boolean | undefined>));
        return 0;
    } catch (err) {
        const report = toErrorReport(err);
        print({ error: report });
        return report.code === "usage" ? 2 : 1;
    }
}

main(process.argv.slice(2)).then(code => { process.exitCode = code; });
