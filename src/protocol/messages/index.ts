// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Every English template the helper's Texts use, by code. Codes are stable:
 * the page translates by them, and po/ keeps the translations of the
 * templates. A template's $names are its parameters.
 *
 * checks: what the preflight and the rollback checks found; jobs: step
 * failures, results and next steps; rollback: the rollback's checks, steps
 * and results, and the backup disks; host: the host's interfaces (vdsm, the
 * engine, ovirt-ha, hosted-engine.conf, programs); formats: what is wrong in a
 * file; verbs: the command line, its inputs and the helper's configuration.
 */

import { CHECKS_MESSAGES } from "./checks";
import { FORMATS_MESSAGES } from "./formats";
import { HOST_MESSAGES } from "./host";
import { JOBS_MESSAGES } from "./jobs";
import { N_ } from "./marker";
import { NETWORK_MESSAGES } from "./network";
import { ROLLBACK_MESSAGES } from "./rollback";
import { VERBS_MESSAGES } from "./verbs";

/** For what has no code of its own yet (an unexpected exception): the English is all there is. */
const GENERIC_MESSAGES = {
    "internal.unexpected": N_("Unexpected helper failure: $reason"),
} as const;

export const MESSAGES = {
    ...GENERIC_MESSAGES,
    ...CHECKS_MESSAGES,
    ...JOBS_MESSAGES,
    ...ROLLBACK_MESSAGES,
    ...HOST_MESSAGES,
    ...FORMATS_MESSAGES,
    ...VERBS_MESSAGES,
    ...NETWORK_MESSAGES,
} as const;

export type MessageCode = keyof typeof MESSAGES;
