// SPDX-License-Identifier: LGPL-2.1-or-later

import { N_ } from "./marker";

export const ROLLBACK_MESSAGES = {
    // the rollback's checks
    "rollback.check.maintenance": N_("The cluster is in global maintenance: the HA agents will not start the engine VM during the restore."),
    "rollback.check.no-maintenance": N_("The cluster is not in global maintenance. Enter global maintenance (Status tab) before restoring."),
    "rollback.check.vm-down": N_("No host runs the engine VM."),
    "rollback.check.vm-up": N_("The engine VM seems up on host $hosts. Power it off there (hosted-engine --vm-poweroff) before restoring."),
    "rollback.check.vm-here": N_("vdsm runs the engine VM on this host ($status). Power it off (hosted-engine --vm-poweroff) before restoring."),
    "rollback.check.backup-is-engine-disk": N_("$backup is the engine VM's own disk, not a backup."),
    "rollback.check.backup-missing": N_("There is no backup disk with image $backup on the hosted-engine storage domain $sd. Reload the list of backups."),
    "rollback.check.backup-found": N_("$label: $size."),
    "rollback.check.size-fits": N_("The engine disk ($engine) holds the backup ($backup)."),
    "rollback.check.size-too-small": N_("The selected backup (size $backup) doesn't fit the engine VM disk (size $engine)."),

    // the rollback job's steps
    "rollback.left-maintenance": N_("The cluster left global maintenance: the HA agents could start the engine VM during the restore"),
    "rollback.vm-up": N_("The engine VM seems up on host $hosts: power it off before restoring"),
    "rollback.vm-here": N_("vdsm runs the engine VM on this host ($status): power it off before restoring"),
    "rollback.backup-changed": N_("The backup disk $label changed since job $job verified it (sha256 $digest, recorded $recorded); it is not restored"),
    "rollback.verify-failed": N_("The engine disk does not hold the bytes of $label after the copy"),

    // the rollback job's result
    "rollback.succeeded": N_("Hosted Engine successfully rolled back"),
    "rollback.succeeded.leave-maintenance": N_("Leave global maintenance to let the HA agents start the engine VM from the restored disk."),
    "rollback.succeeded.ssh-keys": N_("The engine VM's SSH host keys are the old engine's again: update known_hosts on your clients."),
    "rollback.succeeded.data-lost": N_("Anything done in the engine after the backup was taken is lost."),
    "rollback.failed-at": N_("Hosted Engine rollback failed at \"$step\": $reason"),
    "rollback.failed-before": N_("Hosted Engine rollback failed before anything was changed: $reason"),
    "rollback.failed.partly-overwritten": N_("The engine disk is partly overwritten: do not start the engine VM."),
    "rollback.failed.backup-unchanged": N_("The backup disk is unchanged: resume this job or start the restore again once the cause is fixed."),
    "rollback.failed.nothing-changed": N_("Nothing was changed: the engine disk and the backup disk are as they were. Fix the cause and restore again."),

    // listing and deleting backup disks
    "backups.engine-not-asked": N_("The engine was not asked (no admin password given)."),
    "backups.engine-unavailable": N_("The engine could not be asked: $reason"),
    "backups.delete.engine-disk": N_("$backup is the engine VM's own disk; it is never deleted here"),
    "backups.delete.missing": N_("There is no backup disk with image $backup on the hosted-engine storage domain"),
    "backups.delete.last-verified": N_("$label is the last verified backup of the engine disk; it is only deleted when you confirm that explicitly"),
    "backups.delete.unknown-to-engine": N_("The engine does not know $label, so it cannot delete it. Import it first (Storage, the domain's Disk Import tab) or remove the volume with the storage tools"),
    "backups.delete.locked": N_("$label is locked in the engine (another operation uses it); try again later"),
    "backups.delete.still-listed": N_("The engine accepted deleting $label but still lists it after $seconds s"),
} as const;
