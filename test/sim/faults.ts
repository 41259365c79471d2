// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Failures `sim fault --dir DIR NAME` can arm. Each leaves the sim consistent:
 * it changes what a service answers, never the files behind it.
 */

export const FAULTS: readonly string[] = [
    "not-global-maintenance",   // set-maintenance --mode=global has no effect
    "vm-on-other-host",         // the engine VM runs on host 2
    "not-spm",                  // this host is not the SPM
    "ha-conf-not-3.6",          // hosted-engine.conf has a real spUUID (not at 3.6 level)
    "stale-metadata-host",      // a decommissioned host lingers in the HA metadata
    "dc-version-unsupported",   // a data center at 3.5
    "legacy-aaa-domain",        // the engine has a legacy (kerberos/ldap) AAA domain
    "sd-no-space",              // the storage domain is nearly full
    "disk-create-fails",        // POST /disks fails
    "disk-create-slow",         // a new disk stays locked for a long time
    "vm-wont-stop",             // the engine VM ignores shutdown
    "extend-fails",             // Volume.extendSize's task fails
    "restore-fails",            // engine-backup --mode=restore fails in the appliance
    "setup-fails",              // engine-setup fails in the appliance
    "setup-stalls",             // engine-setup never finishes
    "engine-never-healthy",     // the new engine never answers health
    "register-fails",           // registering the backup disk fails
];
