// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The checks the helper runs before a job (the upgrade's preflight, the
 * rollback's conditions): each has a stable id and a title. What a check
 * found travels as a Text; the title is looked up here by id.
 */

import { N_ } from "./messages/marker";
import type { Text } from "./text";

export const CHECK_TITLES = {
    "hosted-engine-conf": N_("Hosted-engine configuration"),
    "host-tools": N_("Programs on this host"),
    "host-packages": N_("Package versions on this host"),
    "global-maintenance": N_("Global maintenance"),
    "ha-metadata": N_("HA metadata"),
    "ha-conf-level": N_("Hosted-engine configuration at 3.6 level"),
    "engine-vm-here": N_("Engine VM on this host"),
    "spm-vdsm": N_("This host is the SPM"),
    vdsm: N_("vdsm"),
    "engine-ca": N_("Engine CA"),
    "admin-password": N_("Engine admin password"),
    "compatibility-levels": N_("Data center and cluster levels"),
    "spm-engine": N_("This host is the SPM in the engine"),
    "engine-api": N_("Engine API"),
    appliance: N_("Engine appliance"),
    versions: N_("Engine and appliance versions"),
    backup: N_("Engine backup"),
    "aaa-domains": N_("Authentication domains"),
    "disk-size": N_("Engine disk size"),
    "storage-space": N_("Space on the hosted-engine storage domain"),
    "temp-space": N_("Space in the temporary directory"),
    "etc-hosts": N_("This host in the engine VM's /etc/hosts"),
    "engine-vm-network": N_("The engine VM's network"),
    "engine-vm-conf": N_("The engine VM's definition (vm.conf)"),
    "tool-paths": N_("Paths given to the disk tools"),
    "engine-vm-down": N_("Engine VM down on every host"),
    "backup-disk": N_("Backup disk"),
} as const;

export type CheckId = keyof typeof CHECK_TITLES;
export type CheckState = "pass" | "warn" | "fail";

export interface Check {
    id: CheckId;
    /** CHECK_TITLES[id], in English, for scripts */
    title: string;
    state: CheckState;
    /** what was found, and for warn/fail what to do */
    detail: Text;
}

/** What preflight, and the start of a job, report: every check, and whether all passed. */
export interface ChecksReport {
    ok: boolean;
    checks: Check[];
}
