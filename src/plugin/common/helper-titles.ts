// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The helper names its steps and checks in English. The same titles are
 * marked here so xgettext puts them in the .pot and the page shows them
 * translated; a title these tables do not know is shown as the helper wrote it.
 */

import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;
const N_ = cockpit.noop;

const STEP_TITLES: Record<string, string> = {
    "extract-appliance": N_("Read the appliance (sha1, OVF, disk)"),
    "build-seed": N_("Build the cloud-init seed"),
    "create-backup-disk": N_("Create the backup disk"),
    "shutdown-engine-vm": N_("Shut down the engine VM"),
    "copy-to-backup": N_("Copy the engine disk to the backup disk and verify it"),
    "extend-engine-disk": N_("Grow the engine disk to the appliance's size"),
    "write-appliance": N_("Write the appliance onto the engine disk"),
    "inject-backup": N_("Put the engine backup into the appliance"),
    "boot-appliance": N_("Start the new engine VM"),
    "engine-setup": N_("Restore the backup and set up the 4.0 engine"),
    "engine-health": N_("Wait for the engine to be healthy"),
    "register-backup-disk": N_("Register the backup disk in the new engine"),
    "digest-backup-disk": N_("Record the backup disk's digest"),
    "shutdown-new-engine-vm": N_("Shut down the new engine VM for the HA agents to take over"),
    "check-engine-down": N_("Check that the engine VM is down everywhere"),
    "check-backup": N_("Check the backup disk"),
    "restore-disk": N_("Copy the backup over the engine disk"),
    "verify-restore": N_("Verify the engine disk against the backup"),
};

export function stepTitle(id: string, helperTitle: string): string {
    // own keys only: an id such as "constructor" is not in the table
    return Object.hasOwn(STEP_TITLES, id) ? _(STEP_TITLES[id]) : helperTitle;
}

export const UPGRADE_STEP_IDS = ["extract-appliance", "build-seed", "create-backup-disk", "shutdown-engine-vm", "copy-to-backup",
    "extend-engine-disk", "write-appliance", "inject-backup", "boot-appliance", "engine-setup", "engine-health",
    "register-backup-disk", "digest-backup-disk", "shutdown-new-engine-vm"];

const CHECK_TITLES: Record<string, string> = {
    "hosted-engine-conf": N_("Hosted-engine configuration"),
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
    "engine-vm-down": N_("Engine VM down on every host"),
    "backup-disk": N_("Backup disk"),
};

export function checkTitle(id: string, helperTitle: string): string {
    // the same id may carry another title in another place (engine-vm-here in a rollback): only translate an exact match
    return Object.hasOwn(CHECK_TITLES, id) && CHECK_TITLES[id] === helperTitle ? _(helperTitle) : helperTitle;
}

/** Step titles in the order of a job kind, for the review's list of what will happen. */
export function stepTitles(ids: string[]): string[] {
    return ids.map(id => stepTitle(id, id));
}
