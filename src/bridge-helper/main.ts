// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * cockpit-hosted-engine helper: run as root by the Cockpit page through
 * cockpit.spawn(["node", ".../helper.js", VERB, ...], {superuser: "require"}).
 * Every verb prints one JSON document on stdout (verbs/cli.ts); this file only
 * starts it, so the command line can be tested without running it.
 */

import { runCli } from "./verbs/cli";

runCli(process.argv.slice(2)).then(code => { process.exitCode = code; });
