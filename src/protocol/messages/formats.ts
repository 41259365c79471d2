// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What is wrong in a file or a program's output the helper reads (the upgrade
 * plan, hosted-engine.conf, an appliance snippet, an OVA and its OVF, an
 * engine-backup archive, vm.conf, hosted-engine --vm-status), and what the disk
 * tools (qemu-img, qemu-io, guestfish) report. $file names the file as the
 * administrator knows it; $reason is the lower-level cause.
 */

import { N_ } from "./marker";

const PLAN_MESSAGES = {
    "plan.path-invalid": N_("The upgrade plan's $field must be a normalized absolute path"),
    "plan.string-invalid": N_("The upgrade plan's $field must be a string"),
    "plan.sha1-invalid": N_("The upgrade plan's $field must be 40 hex digits"),
    "plan.ssh-key-invalid": N_("The upgrade plan's $field must be one OpenSSH public key line"),
    "plan.ssh-access-invalid": N_("The upgrade plan's $field must be yes, no or without-password"),
    "plan.appliance-invalid": N_("The upgrade plan's appliance must be {\"installed\": CONF} or {\"ova\": PATH, \"sha1\": HEX}"),
    "plan.admin-password-missing": N_("The upgrade plan's adminPassword must be the engine's admin@internal password"),
    "plan.root-password-empty": N_("The upgrade plan's rootPassword must not be empty (leave it out to keep the appliance's)"),
    "plan.disk-size-invalid": N_("The upgrade plan's diskSizeGiB must be a whole number of GiB between 1 and 65536"),
    "plan.flag-invalid": N_("The upgrade plan's $field must be true or false"),
    "plan.estimate-invalid": N_("The upgrade plan's estimate must hold non-negative numbers of seconds and bytes and a rate source"),
} as const;

/* hosted-engine.conf and the *-appliance.conf snippets: key=value lines */
const CONF_MESSAGES = {
    "conf.line-invalid": N_("$file: line \"$line\" is not key=value"),
    "conf.value-missing": N_("$file has no value for \"$key\""),
    "hosted-engine-conf.host-id-invalid": N_("$file: host_id \"$value\" is not a positive integer"),
    "appliance-conf.sha1-invalid": N_("$file: sha1sum is not 40 hex digits"),
    "appliance-conf.path-relative": N_("$file: path \"$path\" is not absolute"),
} as const;

/* a tar member that must not be trusted: $name and why */
const ARCHIVE_MESSAGES = {
    "archive.member-absolute": N_("$name (an absolute path)"),
    "archive.member-climbs": N_("$name (a path with ..)"),
    "archive.member-special": N_("$name (a $type entry)"),
    "archive.unsafe-member": N_("it has a member that could write outside its place: $member"),
    "archive.not-tar": N_("not a tar archive"),
} as const;

const OVA_MESSAGES = {
    "ova.unsafe-member": N_("The OVA has a member that could write outside its place: $member"),
    "ova.ovf-too-large": N_("$member is larger than $limit bytes"),
    "ova.not-gzip": N_("$file is not a gzip-compressed tar (the OVA format hosted-engine-setup reads): $reason"),
    "ova.unreadable": N_("$file could not be read as an OVA: $reason"),
    "ova.sha1-mismatch": N_("The OVA's sha1 is $sha1, not the expected $expected: the file is damaged or not the one expected"),
    "ova.no-ovf": N_("The OVA has no master/.../*.ovf descriptor"),
    "ova.disk-missing": N_("The OVF names the disk $member, which the OVA does not contain"),
    "ova.format-mismatch": N_("The OVF says the disk is $ovfFormat, but $member is $format"),
    "ova.format-missing": N_("The OVF says the disk is of no format, but $member is $format"),
    "ova.size-mismatch": N_("The OVF says the disk has $ovfBytes bytes, but $member has $bytes"),
    "ova.disk-too-large": N_("The disk's virtual size ($bytes bytes) is larger than the OVF's $sizeGiB GiB"),
    "ova.disk-not-extracted": N_("The OVA's disk was not extracted"),
    "ova.extra-image": N_("The OVA holds $member, an image its OVF does not name: an appliance OVA has one disk"),
    /* $member: the disk in the OVA; qemu-img would read what its qcow2 header names from this host */
    "ova.qcow2-backing-file": N_("$member is a qcow2 image with a backing file: qemu-img would read that file from this host"),
    "ova.qcow2-data-file": N_("$member is a qcow2 image with an external data file: qemu-img would read that file from this host"),
    "ova.qcow2-encrypted": N_("$member is an encrypted qcow2 image"),
    "ova.qcow2-corrupt": N_("$member is a qcow2 image marked corrupt"),
    "ova.qcow2-features": N_("$member is a qcow2 image with features the host's qemu-img cannot be trusted to read"),
    "ova.qcow2-version": N_("$member is a qcow image of version $version; only qcow2 versions 2 and 3 are read"),
    "ova.qcow2-truncated": N_("$member ends inside its qcow2 header"),
    "ova.qcow2-cluster-bits": N_("$member is a qcow2 image with an impossible cluster size"),
    "ova.qcow2-size": N_("$member is a qcow2 image whose virtual size is zero or larger than 65536 GiB"),
    "ova.qcow2-extensions": N_("$member is a qcow2 image whose header extensions cannot be read"),
    "ovf.doctype": N_("$file: has a DTD or entity declarations, which an OVF never needs"),
    "ovf.xml-invalid": N_("$file: not valid XML: $reason"),
    "ovf.no-envelope": N_("$file: no ovf:Envelope"),
    "ovf.no-disk": N_("$file: no Disk in any Section"),
    "ovf.file-ref-invalid": N_("$file: Disk ovf:fileRef \"$fileRef\" is not IMAGE/VOLUME"),
    "ovf.disk-size-invalid": N_("$file: Disk ovf:size \"$size\" is not a whole number of GiB"),
} as const;

const BACKUP_MESSAGES = {
    "backup.not-tar": N_("$file is not a tar archive (plain, gzip, bzip2 or xz)"),
    "backup.unreadable": N_("$file is not a readable tar archive: $reason"),
    "backup.incomplete": N_("$file is not a complete engine backup: it lacks $members"),
    "backup.version-invalid": N_("./version \"$version\" is not an engine version"),
    "backup.version-unsupported": N_("The backup is of engine $version; the 4.0 appliance restores backups of 3.6 engines only"),
    "backup.md5sum-line-invalid": N_("./md5sum has a line that is not \"<md5>  <file>\": $line"),
    "backup.md5sum-member-missing": N_("./md5sum lists $member, which the archive lacks: it is corrupted"),
    "backup.md5-mismatch": N_("./$member does not match its MD5 in ./md5sum: the archive is corrupted"),
    "backup.files-too-large": N_("./files is larger than $limit bytes"),
    "backup.files-unreadable": N_("./files cannot be read ($reason); recreate the backup with --files-compressor=gzip"),
    "backup.extension-incomplete": N_("$member in ./files has no ovirt.engine.extension.name or .provides"),
} as const;

/* $file and $line: where in vm.conf */
const VM_CONF_MESSAGES = {
    "vm-conf.not-key-value": N_("$file line $line: not key=value"),
    "vm-conf.device-start": N_("$file line $line: a device must start with {"),
    "vm-conf.name-expected": N_("$file line $line: expected name:value"),
    "vm-conf.name-invalid": N_("$file line $line: a device has an empty or bad name"),
    "vm-conf.separator-expected": N_("$file line $line: expected \",\" or \"}\" after a value"),
    "vm-conf.text-after-device": N_("$file line $line: text after the device's closing }"),
    "vm-conf.xml-no-cdrom": N_("$file line $line: the domain XML has no cdrom disk"),
    "vm-conf.no-cdrom": N_("$file has no cdrom device to attach the cloud-init ISO to"),
    "vm-conf.unbalanced": N_("$file line $line: its { } or [ ] do not pair up"),
    "vm-conf.nul": N_("$file line $line: has a NUL byte"),
    "vm-conf.line-too-long": N_("$file line $line: longer than $limit characters"),
    "vm-conf.no-disk": N_("$file has no disk device for the engine disk"),
    "vm-conf.iso-relative": N_("The ISO path \"$path\" must be absolute"),
    "vm-conf.iso-unsafe": N_("The ISO path \"$path\" contains a character that vm.conf cannot carry (white space or one of , { } : = # \" ' < > &)"),
} as const;

/* $command: hosted-engine --vm-status --json; $where and $kind are Texts of their own */
const VM_STATUS_MESSAGES = {
    "vm-status.not-json": N_("$command did not print JSON"),
    "vm-status.not-object": N_("$command output: expected an object of hosts"),
    "vm-status.key-unexpected": N_("$command output: unexpected key \"$key\" (host ids are positive integers)"),
    "vm-status.host-not-object": N_("$command output: host $id should be an object"),
    "vm-status.host-id-mismatch": N_("$command output: host $key reports host-id $id"),
    "vm-status.field-wrong": N_("$command output: \"$key\" of $where should be $kind, got $value"),
    "vm-status.field-not": N_("$command output: \"$key\" of $where should be $kind"),
    "vm-status.where-top": N_("the status"),
    "vm-status.where-host": N_("host $id"),
    "vm-status.where-engine-status": N_("host $id.engine-status"),
    "vm-status.kind-boolean": N_("true or false"),
    "vm-status.kind-integer": N_("an integer"),
    "vm-status.kind-string": N_("a string"),
    "vm-status.kind-object": N_("an object"),
    "vm-status.nothing": N_("nothing"),
} as const;

const DISK_TOOL_MESSAGES = {
    "qemu-img.compare-failed": N_("qemu-img compare $first $second failed"),
    "qemu-img.info-unreadable": N_("qemu-img info did not describe $file"),
    /* $file: an image about to be converted; $format: what it was opened as; $found: what qemu-img reports */
    "qemu-img.backing-file": N_("qemu-img reports that $file names a backing file: it is not converted"),
    "qemu-img.data-file": N_("qemu-img reports that $file names an external data file: it is not converted"),
    "qemu-img.encrypted": N_("qemu-img reports that $file is encrypted: it is not converted"),
    "qemu-img.format-differs": N_("qemu-img reads $file as $found, not as $format: it is not converted"),
    "qemu-io.zero-failed": N_("Zeroing $file from byte $offset failed"),
    "guestfish.path-invalid": N_("\"$path\" is not a plain absolute path inside the appliance"),
    "guestfish.host-path-invalid": N_("$path holds white space, a quote, a backslash, a comma or a control character, which guestfish or qemu would misread"),
    "iso.dir-invalid": N_("$path holds = or \\ or a control character, which genisoimage's graft points would misread"),
    "guestfish.no-checksum": N_("guestfish did not read $path back from the appliance disk"),
} as const;

/* a file a user named (host/user-file.ts): $path as given, never what the file holds */
const USER_FILE_MESSAGES = {
    "user-file.relative": N_("\"$path\" must be an absolute path"),
    "user-file.characters": N_("The path $path contains a newline or NUL character"),
    "user-file.symlink": N_("$path is a symbolic link; name the file it points to"),
    "user-file.directory": N_("$path is a directory, not a file"),
    "user-file.fifo": N_("$path is a named pipe, not a file"),
    "user-file.device": N_("$path is a device, not a file"),
    "user-file.special": N_("$path is not a regular file"),
    "user-file.too-large": N_("$path is larger than $limit"),
    "user-file.unreadable": N_("$path is not readable ($reason)"),
    "user-file.read-failed": N_("$path could not be read ($reason)"),
    "user-file.copy-failed": N_("$path could not be copied to $target ($reason)"),
    "user-file.stdin-too-large": N_("The input on stdin is larger than $limit"),
    "conf.line-number-invalid": N_("$file line $line is not key=value"),
    "appliance-conf.path-not-absolute": N_("$file: path is not an absolute path"),
    "appliance-conf.version-invalid": N_("$file: version is not a version (letters, digits, dots, dashes)"),
    "plan.string-too-long": N_("The upgrade plan's $field is longer than $limit characters or holds a control character"),
    "conf.line-too-long": N_("$file line $line is longer than $limit characters"),
    "backup.member-name-invalid": N_("$file has a member whose name is not printable UTF-8 or longer than $limit characters"),
    "backup.version-unreadable": N_("./version is not an engine version (a line like 3.6.7.5 of at most $limit characters)"),
    "backup.md5sum-line-number-invalid": N_("./md5sum line $line is not \"<md5>  <file>\""),
    "backup.parse-failed": N_("$file could not be read as an engine backup ($reason)"),
    "backup.copy-missing": N_("The job's private copy of the engine backup is gone; start the upgrade again"),
} as const;

export const FORMATS_MESSAGES = {
    ...USER_FILE_MESSAGES,
    ...PLAN_MESSAGES,
    ...CONF_MESSAGES,
    ...ARCHIVE_MESSAGES,
    ...OVA_MESSAGES,
    ...BACKUP_MESSAGES,
    ...VM_CONF_MESSAGES,
    ...VM_STATUS_MESSAGES,
    ...DISK_TOOL_MESSAGES,
} as const;
