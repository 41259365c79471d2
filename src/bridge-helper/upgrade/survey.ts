// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the preflight learned that the upgrade job starts from, stored with the
 * job's plan: the job acts on exactly what was checked (the engine disk as it
 * was, the CA that was shown, the OVA whose sha1 was measured), never on what
 * it would find anew.
 */

import type { UpgradePlan } from "../../protocol/plans";
import type { BackupReport, OvaReport } from "../../protocol/reports";
import type { EngineDisk } from "../host/engine-disk";
import type { EngineCa } from "../host/engine-session";
import type { VmSettings } from "./checks/engine-vm-network";
import type { PrivateCopies } from "./intake";

export interface Survey {
    /** hosted-engine.conf's fqdn: the new engine keeps the old one's name */
    engineFqdn: string;
    /** the engine disk before the upgrade: its capacity sizes the backup disk and the copies */
    engineDisk: EngineDisk;
    /** the CA shown in the preflight: every later engine session trusts this one */
    engineCa: EngineCa;
    engineVersion: string | null;
    /** the OVA's host path */
    ova: string;
    applianceVersion: string | null;
    ovaReport: OvaReport;
    backup: BackupReport;
    /** the engine disk's size after the upgrade, in bytes */
    targetSize: number;
    /** the lines the new engine VM's /etc/hosts gets (this host, when asked); absent in jobs stored before */
    etcHosts?: { ip: string; fqdn: string }[];
    /** the new engine VM's network, host name, domain and time zone (issue 13); absent in jobs stored before */
    vm?: VmSettings;
    /** the checked private copies of the backup and the appliance disk the job uses (issue 14); absent in jobs stored before */
    copies?: PrivateCopies;
}

/** The upgrade job's stored plan: what the administrator asked, what the preflight found, where to work. */
export interface UpgradeJobPlan {
    plan: UpgradePlan;
    survey: Survey;
    /** the job's own directory for the extracted appliance disk and the seed */
    workDir: string;
}
