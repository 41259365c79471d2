// SPDX-License-Identifier: LGPL-2.1-or-later

import { N_ } from "./marker";

export const HOST_MESSAGES = {
    // hosted-engine.conf
    "he-conf.unreadable": N_("Cannot read $file"),
    "he-conf.missing": N_("$file does not exist: this is not a hosted-engine host"),
    "he-conf.no-disk": N_("$file does not name the engine VM's disk (vm_disk_id, vm_disk_vol_id)"),

    // the service users the helper hands files to
    "identity.unreadable": N_("Cannot read $file: $reason"),
    "identity.missing": N_("$name is not in $file: vdsm and qemu must be installed on this host"),
    "handoff.failed": N_("Cannot give $file to $owner: $reason"),

    // ovirt-ha through the hosted-engine command
    "ha.status-failed": N_("hosted-engine --vm-status --json failed with exit code $code; are ovirt-ha-broker and ovirt-ha-agent running?"),
    "ha.cannot-read": N_("The HA status cannot be read: $reason. Are ovirt-ha-broker and ovirt-ha-agent running?"),
    "ha.maintenance-refused": N_("hosted-engine --set-maintenance --mode=$mode refused: $reason"),
    "ha.vm-shutdown-refused": N_("hosted-engine --vm-shutdown refused: $reason"),
    "ha.vm-shutdown-not-global": N_("The engine VM is not shut down outside global maintenance: the HA agents would start it again. Enter global maintenance first."),
    "ha.maintenance-failed": N_("hosted-engine --set-maintenance --mode=$mode failed with exit code $code"),

    // vdsm
    "vdsm.cannot-ask": N_("vdsm cannot be asked: $reason. Is vdsmd running?"),
    "vdsm.call-failed": N_("vdsm $method failed: $reason"),
    "vdsm.no-packages": N_("vdsm's capabilities list no packages"),
    "vdsm.timeout": N_("vdsm $method did not answer within $seconds s"),
    "vdsm.malformed": N_("vdsm at $where sent a malformed frame"),
    "vdsm.refused": N_("vdsm at $where refused: $reason"),
    "vdsm.unreachable": N_("Cannot talk to vdsm at $where: $reason"),
    "vdsm.closed": N_("vdsm at $where closed the connection"),
    "vdsm.ca-unreadable": N_("Cannot read vdsm's CA certificate $file"),
    "vdsm.cert-unreadable": N_("Cannot read vdsm's client certificate $file"),
    "vdsm.key-unreadable": N_("Cannot read vdsm's client key $file"),
    "vdsm.untrusted": N_("vdsm at $where is not trusted: its certificate is not signed by this host's engine CA ($reason)"),

    // the host's PKI: the engine CA in /etc/pki/vdsm, which vdsm and the engine are trusted by
    "pki.ca-unreadable": N_("Cannot read this host's engine CA certificate $file"),
    "pki.ca-invalid": N_("$file is not a PEM certificate: this host's engine CA cannot be read"),

    // the engine
    "engine.unreachable": N_("Cannot reach the engine at $origin: $reason"),
    "engine.untrusted": N_("The engine at $origin is not trusted: its certificate is not one for $fqdn signed by this host's engine CA ($reason)"),
    "engine.api-unreachable": N_("Cannot reach the engine API at $origin: $reason"),
    "engine.password-refused": N_("The engine refused the admin@internal password"),
    "engine.request-refused": N_("The engine refused $method $path: $reason"),
    "engine.no-version": N_("The engine's /api has no product_info version"),
    "engine.not-up": N_("The engine at $url is not up ($reason)"),
    "engine.not-up-silent": N_("The engine at $url is not up (no answer)"),

    // programs
    "program.timed-out": N_("$command timed out"),
    "program.killed": N_("$command was killed by $signal"),
    "program.not-started": N_("$command could not be started"),
    "program.failed": N_("$command failed with exit code $code"),
    "program.no-digest": N_("sha256sum of $file printed no digest"),
    "program.no-free-space": N_("df printed no free space for $dir"),
} as const;
