// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the upgrade's preflight found, check by check ("preflight.<check>.<state>"),
 * and the upgrade job's own words: why a step failed, the result, and what the
 * disks hold after a failure. $reason is a lower-level Text (an error's);
 * sizes come formatted ("12.0 GiB").
 */

import { N_ } from "./marker";

/* Lists of Texts, built as a chain: each item first, the rest after the separator. */
const LIST_MESSAGES = {
    "list.sentences": N_("$first $rest"),
    "list.semicolons": N_("$first; $rest"),
    "reason.with-detail": N_("$reason ($detail)"),
} as const;

const HOST_CHECK_MESSAGES = {
    "preflight.hosted-engine-conf.fail": N_("$file cannot be read: $reason. Run this on a hosted-engine host."),
    "preflight.global-maintenance.pass": N_("The cluster is in global maintenance: the HA agents will leave the engine VM alone."),
    "preflight.global-maintenance.fail": N_("The cluster is not in global maintenance. Enter global maintenance (Status tab, or hosted-engine --set-maintenance --mode=global) before upgrading."),
    "preflight.global-maintenance.unknown": N_("The HA status cannot be read: $reason. Are ovirt-ha-broker and ovirt-ha-agent running?"),
    "preflight.ha-metadata.pass": N_("$count hosts, all written by 3.6 or later agents."),
    "preflight.ha-metadata.fail": N_("Host $hosts has metadata from a decommissioned or pre-3.6 agent. Remove it with $commands on a host that does not run the engine VM."),
    "preflight.ha-conf-level.pass": N_("The configuration is on the shared storage and spUUID is blank."),
    "preflight.ha-conf-level.fail": N_("$file did not reach 3.6 level (spUUID $spUUID, configuration volume $volume). Upgrade every host's ovirt-hosted-engine-ha to 3.6 and let the agents move the configuration to the shared storage first."),
    "preflight.value-set": N_("set"),
    "preflight.value-missing": N_("missing"),
    "preflight.engine-vm-here.pass": N_("The engine VM $vmId runs on this host."),
    "preflight.engine-vm-here.fail": N_("The engine VM is not running on this host. Run the upgrade on the host that runs it (see the Status tab)."),
    "preflight.spm-vdsm.pass": N_("vdsm holds the SPM role here: the engine disk can be extended."),
    "preflight.spm-vdsm.fail": N_("This host is not the SPM ($status). Select it as the SPM in the engine, or run the upgrade on the SPM host."),
    "preflight.vdsm.fail": N_("vdsm cannot be asked: $reason. Is vdsmd running?"),
} as const;

/* $package is the EL7 package to install; $minimum a version (and release) as rpm orders them */
const PREREQUISITE_MESSAGES = {
    "preflight.host-tools.pass": N_("Installed and owned by root: $commands."),
    "preflight.host-tools.missing": N_("$path does not exist: install the package $package."),
    "preflight.host-tools.not-executable": N_("$path is not an executable file: reinstall the package $package."),
    "preflight.host-tools.unsafe": N_("$path is not owned by root or can be changed by other users, yet the upgrade runs it as root: reinstall the package $package."),
    "preflight.host-packages.pass": N_("Installed: $packages."),
    "preflight.host-packages.too-old": N_("$name $version is installed; the upgrade needs $minimum or later: update the package $package."),
    "preflight.host-packages.missing": N_("$name is not installed: install the package $package ($minimum or later)."),
    "preflight.host-packages.rpm-failed": N_("The rpm database cannot be read: $reason."),
    "preflight.host-packages.vdsm-failed": N_("vdsm does not say which packages are installed: $reason."),
} as const;

const ENGINE_CHECK_MESSAGES = {
    "preflight.engine-ca.pass": N_("$subject; SHA-256 fingerprint $fingerprint"),
    "preflight.engine-ca.fail": N_("The engine at $url cannot be reached: $reason"),
    "preflight.admin-password.pass": N_("admin@internal logged in."),
    "preflight.admin-password.fail": N_("The engine refused the admin@internal password. Enter it again."),
    "preflight.compatibility-levels.pass": N_("All at $levels."),
    "preflight.compatibility-levels.fail": N_("$levels. Raise them to 3.6 in the engine first."),
    "preflight.compatibility-levels.data-center": N_("Data center $name is at version $version, which this upgrade does not support"),
    "preflight.compatibility-levels.cluster": N_("Cluster $name is at version $version, which this upgrade does not support"),
    "preflight.spm-engine.pass": N_("The engine knows this host as $name, the SPM."),
    "preflight.spm-engine.fail": N_("The engine says $name is not the SPM ($spm). Select it as the SPM from the engine."),
    "preflight.spm-engine.unknown-host": N_("The engine does not know this host (no host with its hardware UUID)."),
    "preflight.etc-hosts.pass": N_("The new engine VM's /etc/hosts gets the line \"$ip $fqdn\"."),
    "preflight.etc-hosts.no-address": N_("vdsm gives the management bridge $bridge no IPv4 address ($address). Do not add this host to /etc/hosts, or configure the bridge first."),
    "preflight.etc-hosts.no-name": N_("The engine knows this host by \"$address\", which is not a host name. Do not add this host to /etc/hosts."),
} as const;

const FILE_CHECK_MESSAGES = {
    "preflight.appliance.pass": N_("$path: $sizeGiB GiB disk, $cpus CPUs, $memoryMiB MiB; sha1 verified."),
    "preflight.appliance.pass-unverified": N_("$path: $sizeGiB GiB disk, $cpus CPUs, $memoryMiB MiB; sha1 not given."),
    "preflight.appliance.missing": N_("$path does not exist."),
    "preflight.appliance.conf-unreadable": N_("$file cannot be read: $reason"),
    "preflight.versions.pass": N_("Engine $engine, appliance $appliance. This is the supported $source to $target upgrade."),
    "preflight.versions.warn": N_("Engine $engine, appliance $appliance. Only $source to $target is supported; you accepted the risk."),
    "preflight.versions.fail": N_("Engine $engine, appliance $appliance. Only $source to $target is supported. Accept unsupported versions explicitly to go on at your own risk."),
    "preflight.versions.unknown": N_("unknown"),
    "preflight.versions.appliance-unknown": N_("unknown (an OVA file names no version)"),
    "preflight.backup.pass": N_("Engine $version."),
    "preflight.backup.pass-dwh": N_("Engine $version, with the DWH database."),
    "preflight.backup.missing": N_("$path does not exist on this host. Copy the engine-backup archive here first."),
    "preflight.aaa-domains.pass": N_("$domains: all configured as AAA extensions."),
    "preflight.aaa-domains.fail-one": N_("$domains is configured the legacy way, which 4.0 dropped. Migrate to ovirt-engine-extension-aaa-ldap (ovirt-engine-kerbldap-migration), take a new backup, then upgrade."),
    "preflight.aaa-domains.fail-many": N_("$domains are configured the legacy way, which 4.0 dropped. Migrate to ovirt-engine-extension-aaa-ldap (ovirt-engine-kerbldap-migration), take a new backup, then upgrade."),
} as const;

const SPACE_CHECK_MESSAGES = {
    "preflight.disk-size.too-small": N_("$requested GiB is smaller than the current disk ($current) or the appliance ($appliance); a volume never shrinks."),
    "preflight.disk-size.grows": N_("The engine disk grows from $current to $target (after the backup is made)."),
    "preflight.disk-size.stays": N_("The engine disk stays at $current."),
    "preflight.storage-space.pass": N_("$needed needed (the backup disk $backup, the engine disk's growth $growth), $available available."),
    "preflight.storage-space.fail": N_("$needed needed (the backup disk $backup, the engine disk's growth $growth), $available available. Extend the hosted-engine storage domain or free space on it."),
    "preflight.storage-space.pass.no-growth": N_("$needed needed for the backup disk (the engine disk keeps its size), $available available."),
    "preflight.storage-space.fail.no-growth": N_("$needed needed for the backup disk (the engine disk keeps its size), $available available. Extend the hosted-engine storage domain or free space on it."),
    "preflight.temp-space": N_("$needed needed in $dir (the extracted appliance disk $disk, the engine backup $backup, the cloud-init seed $seed), $available available."),
} as const;

/* the engine VM's vm.conf and the paths the job hands to vm.conf, genisoimage, qemu and guestfish (issue 14) */
const BOOT_CHECK_MESSAGES = {
    "preflight.vm-conf.pass": N_("$file has the cdrom the cloud-init seed ($seed) is attached to, and the engine disk."),
    "preflight.vm-conf.fail": N_("$reason. The upgrade boots the new engine VM from it after the engine disk is overwritten. ovirt-ha-agent writes it from the engine's OVF_STORE: check the engine VM's devices in the engine and restart ovirt-ha-agent, then run the checks again."),
    "preflight.vm-conf.unreadable": N_("$file cannot be read"),
    "preflight.vm-conf.too-large": N_("$file is not a regular file of at most $limit bytes"),
    "preflight.tool-paths.pass": N_("The job's files under $dir and the engine backup's place in the appliance, $guest, are paths vm.conf, genisoimage, qemu and guestfish take as they are."),
    "preflight.tool-paths.fail": N_("$reasons. Choose a state directory (stateDir in the helper's configuration) or rename the engine backup so that the paths hold no white space, quote, comma or other such character."),
} as const;

/* why an upgrade step failed */
const UPGRADE_STEP_MESSAGES = {
    "upgrade.survey-incomplete": N_("The job's plan lacks $what from its preflight"),
    "upgrade.backup-disk-no-volume": N_("The engine created the backup disk $id without naming its volume"),
    "upgrade.backup-disk-state": N_("The backup disk is $status"),
    "upgrade.backup-disk-stuck": N_("The backup disk is still $status after $seconds s"),
    "upgrade.backup-disk-gone": N_("The backup disk is still missing after $seconds s"),
    "upgrade.backup-differs": N_("The backup disk does not hold the same bytes as the engine disk; nothing was overwritten"),
    "upgrade.extend-failed": N_("Growing the engine disk failed: $reason"),
    "upgrade.injected-backup-differs": N_("The backup read back from the appliance ($guestPath) differs from $archive"),
    "upgrade.vm-not-powering-up": N_("The engine VM is not powering up: check vdsm's log"),
    "upgrade.vm-not-started": N_("The engine VM did not start within a minute"),
    "upgrade.setup-stalled": N_("Engine setup is stalled on the appliance: nothing for $seconds s"),
    "upgrade.restore-failed": N_("engine-backup failed restoring the engine backup on the appliance"),
    "upgrade.setup-failed": N_("Engine setup failed on the appliance"),
    "upgrade.channel-unreachable": N_("Failed to connect to the appliance's setup channel: $reason"),
    "upgrade.channel-closed": N_("The appliance's setup channel closed before engine-setup finished"),
    "upgrade.engine-not-healthy": N_("The new engine did not answer its health check within $seconds s"),
    "upgrade.engine-api-unavailable": N_("The new engine's API did not answer within $seconds s of its health check: $reason"),
    "upgrade.host-not-in-engine": N_("The restored engine does not list this host (hardware UUID $uuid): is the backup this engine's?"),
    "upgrade.host-not-up": N_("This host ($hostStatus) or its data center ($dataCenterStatus) is not up in the restored engine"),
    "upgrade.host-not-up-after": N_("This host ($hostStatus) or its data center ($dataCenterStatus) is still not up in the restored engine after $seconds s"),
    "upgrade.status-unknown": N_("unknown"),
    "upgrade.backup-disk-absent": N_("The backup disk $id is not on the storage domain"),
} as const;

/* the upgrade's result and what to do next */
const UPGRADE_RESULT_MESSAGES = {
    "upgrade.succeeded": N_("Hosted Engine successfully upgraded"),
    "upgrade.succeeded.leave-maintenance": N_("Leave global maintenance to let the HA agents start the new engine VM."),
    "upgrade.succeeded.host-keys": N_("The engine VM's SSH host keys have changed: remove its old entry from known_hosts on your clients."),
    "upgrade.succeeded.backup-kept": N_("The old engine's disk is kept as the backup disk $label."),
    "upgrade.failed.unchanged": N_("Hosted Engine upgrade failed before anything was changed: $reason"),
    "upgrade.failed.changed": N_("Hosted Engine upgrade failed after it began changing the engine VM: $reason"),
} as const;

/* what the disks hold after a failed upgrade; $backup is one of the backup-named Texts */
const UPGRADE_DISKS_MESSAGES = {
    "upgrade.disks.backup-named": N_("The backup disk $label"),
    "upgrade.disks.backup-unnamed": N_("The backup disk"),
    "upgrade.disks.backup-unnamed-lower": N_("the backup disk"),
    "upgrade.disks.vm-untouched": N_("The engine VM still runs and its disk is untouched."),
    "upgrade.disks.backup-empty": N_("The backup disk $label was created but holds nothing yet: delete it on the Rollback tab."),
    "upgrade.disks.no-backup": N_("No backup disk was created."),
    "upgrade.disks.nothing-else": N_("Nothing else was changed. Fix the cause and start the upgrade again."),
    "upgrade.disks.engine-disk-untouched": N_("The engine disk is untouched: it still holds the old engine. Start the engine VM with hosted-engine --vm-start, then leave global maintenance."),
    "upgrade.disks.backup-keep": N_("$backup holds a verified copy of the old engine disk: keep it, or delete it on the Rollback tab."),
    "upgrade.disks.backup-incomplete": N_("$backup is incomplete or unverified: do not restore it; delete it on the Rollback tab."),
    "upgrade.disks.appliance-unfinished": N_("The engine disk holds an unfinished 4.0 appliance; the old engine is not on it any more."),
    "upgrade.disks.backup-verified": N_("$backup holds the verified copy of the old engine disk."),
    "upgrade.disks.roll-back": N_("Roll back: power the engine VM off if it runs (hosted-engine --vm-poweroff), then restore $label on the Rollback tab."),
    "upgrade.disks.new-engine": N_("The engine disk holds the new 4.0 engine, which answered its health check."),
    "upgrade.disks.backup-unregistered": N_("$backup holds the verified copy of the old engine disk; the new engine does not list it yet: import it from the storage domain's Disk Import tab."),
    "upgrade.disks.backup-registered": N_("$backup holds the verified copy of the old engine disk; it is registered in the new engine."),
    "upgrade.disks.shut-down-vm": N_("Shut the engine VM down (hosted-engine --vm-shutdown), then leave global maintenance."),
    "upgrade.disks.leave-maintenance": N_("Leave global maintenance to let the HA agents take over the engine VM."),
} as const;

export const CHECKS_MESSAGES = {
    ...LIST_MESSAGES,
    ...HOST_CHECK_MESSAGES,
    ...PREREQUISITE_MESSAGES,
    ...ENGINE_CHECK_MESSAGES,
    ...FILE_CHECK_MESSAGES,
    ...SPACE_CHECK_MESSAGES,
    ...BOOT_CHECK_MESSAGES,
    ...UPGRADE_STEP_MESSAGES,
    ...UPGRADE_RESULT_MESSAGES,
    ...UPGRADE_DISKS_MESSAGES,
} as const;
