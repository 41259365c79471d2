// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Every check of the upgrade (ovirt-upgrade-flow.md steps 1-7), run before
 * anything changes and reported together, each with what to do about it. The
 * facts gathered on the way (the engine disk, the appliance, the backup, the
 * engine's CA) form the survey the upgrade job starts from. Nothing here
 * writes anything.
 */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { hostPath, type HelperConfig } from "../config";
import { EngineApi, type EngineCa } from "../engine-api";
import { errorMessage, HelperError } from "../errors";
import { parseApplianceConf } from "../formats/appliance-conf";
import { readEngineBackup, type BackupReport } from "../formats/engine-backup";
import { parseHostedEngineConf, type HostedEngineConf } from "../formats/hosted-engine-conf";
import { readOva, type OvaReport } from "../formats/ova";
import { readVmStatus } from "../ha";
import { BLANK_UUID, VdsmClient } from "../vdsm";
import { HOSTED_ENGINE_CONF } from "../verbs/status";
import type { UpgradePlan, UpgradeSecrets } from "./plan";

export type CheckState = "pass" | "warn" | "fail";

export interface Check {
    id: string;
    title: string;
    state: CheckState;
    /** what was found, and for warn/fail what to do */
    detail: string;
}

export interface Survey {
    conf: { fqdn: string; hostId: number; vmId: string; sdUUID: string; imgUUID: string; volUUID: string };
    poolId: string;
    engineDiskPath: string;
    engineDiskCapacity: number;
    engineUrl: string;
    engineCa: EngineCa | null;
    engineVersion: string | null;
    ova: string;
    applianceVersion: string | null;
    ovaReport: OvaReport | null;
    backup: BackupReport | null;
    /** the engine disk's size after the upgrade */
    targetSize: number;
}

export interface PreflightReport {
    ok: boolean;
    checks: Check[];
    survey: Survey | null;
}

const GiB = 1024 ** 3;
const SUPPORTED_SOURCE = "3.6";
const SUPPORTED_TARGET = "4.0";
const SUPPORTED_LEVELS = ["3.6", "4.0"];

const majorMinor = (version: string | null) => version?.split("-")[0].split(".").slice(0, 2).join(".") ?? null;
const gib = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;

class Checks {
    readonly list: Check[] = [];
    add(id: string, title: string, state: CheckState, detail: string): boolean {
        this.list.push({ id, title, state, detail });
        return state !== "fail";
    }
}

export async function preflight(config: HelperConfig, plan: UpgradePlan, secrets: UpgradeSecrets,
                                onProgress?: (what: string, done: number, total: number) => void): Promise<PreflightReport> {
    const checks = new Checks();
    const confPath = hostPath(config, HOSTED_ENGINE_CONF);
    let conf: HostedEngineConf;
    try {
        conf = parseHostedEngineConf(fs.readFileSync(confPath, "utf8"), confPath);
    } catch (err) {
        checks.add("hosted-engine-conf", "Hosted-engine configuration", "fail",
                   `${confPath} cannot be read: ${errorMessage(err)}. Run this on a hosted-engine host.`);
        return { ok: false, checks: checks.list, survey: null };
    }
    const imgUUID = conf.values.get("vm_disk_id") ?? "";
    const volUUID = conf.values.get("vm_disk_vol_id") ?? "";

    // 1. global maintenance and stale metadata, from ovirt-ha
    try {
        const status = await readVmStatus(config);
        checks.add("global-maintenance", "Global maintenance", status.globalMaintenance ? "pass" : "fail",
                   status.globalMaintenance
                       ? "The cluster is in global maintenance: the HA agents will leave the engine VM alone."
                       : "The cluster is not in global maintenance. Enter global maintenance (Status tab, or hosted-engine --set-maintenance --mode=global) before upgrading.");
        const stale = status.hosts.filter(h => h.stopped === null);
        checks.add("ha-metadata", "HA metadata", stale.length === 0 ? "pass" : "fail",
                   stale.length === 0
                       ? `${status.hosts.length} hosts, all written by 3.6 or later agents.`
                       : `Host ${stale.map(h => `${h.id} (${h.hostname})`).join(", ")} has metadata from a decommissioned or pre-3.6 agent. ` +
                         `Remove it with ${stale.map(h => `hosted-engine --clean-metadata --host-id=${h.id}`).join("; ")} on a host that does not run the engine VM.`);
    } catch (err) {
        checks.add("global-maintenance", "Global maintenance", "fail", `The HA status cannot be read: ${errorMessage(err)}. Are ovirt-ha-broker and ovirt-ha-agent running?`);
    }

    // 2. hosted-engine.conf at 3.6 level
    const at36 = conf.spUUID === BLANK_UUID && Boolean(conf.values.get("conf_volume_UUID")) && Boolean(conf.values.get("conf_image_UUID"));
    checks.add("ha-conf-level", "Hosted-engine configuration at 3.6 level", at36 ? "pass" : "fail",
               at36 ? "The configuration is on the shared storage and spUUID is blank."
                   : `${confPath} did not reach 3.6 level (spUUID ${conf.spUUID || "missing"}, configuration volume ${conf.values.get("conf_volume_UUID") ? "set" : "missing"}). ` +
                     "Upgrade every host's ovirt-hosted-engine-ha to 3.6 and let the agents move the configuration to the shared storage first.");

    // 3. vdsm: the engine VM here, this host SPM, the engine disk
    let poolId = BLANK_UUID;
    let engineDiskPath = "";
    let engineDiskCapacity = 0;
    let hardwareUuid: string | null = null;
    let vdsm: VdsmClient | null = null;
    try {
        vdsm = await VdsmClient.connect(config);
        const vms = await vdsm.vmList();
        checks.add("engine-vm-here", "Engine VM on this host", vms.includes(conf.vmId) ? "pass" : "fail",
                   vms.includes(conf.vmId) ? `The engine VM ${conf.vmId} runs on this host.`
                       : "The engine VM is not running on this host. Run the upgrade on the host that runs it (see the Status tab).");
        hardwareUuid = await vdsm.hardwareUuid();
        poolId = (await vdsm.domainInfo(conf.sdUUID)).pool[0] ?? BLANK_UUID;
        const spm = await vdsm.spmStatus(poolId);
        checks.add("spm-vdsm", "This host is the SPM", spm.spmStatus === "SPM" ? "pass" : "fail",
                   spm.spmStatus === "SPM" ? "vdsm holds the SPM role here: the engine disk can be extended."
                       : `This host is not the SPM (${spm.spmStatus}). Select it as the SPM in the engine, or run the upgrade on the SPM host.`);
        const info = await vdsm.volumeInfo(conf.sdUUID, BLANK_UUID, imgUUID, volUUID);
        engineDiskCapacity = Number(info.capacity);
        engineDiskPath = (await vdsm.prepareImage(conf.sdUUID, BLANK_UUID, imgUUID, volUUID)).path;
    } catch (err) {
        checks.add("vdsm", "vdsm", "fail", `vdsm cannot be asked: ${errorMessage(err)}. Is vdsmd running?`);
    } finally {
        vdsm?.close();
    }

    // 4. the engine: CA, password, versions, SPM, AAA domains, space
    const engineUrl = config.engineUrl ?? `https://${conf.fqdn}/ovirt-engine`;
    let ca: EngineCa | null = null;
    let engineVersion: string | null = null;
    let engineDomains: string[] | null = null;
    let available: number | null = null;
    try {
        ca = await EngineApi.fetchCa(engineUrl);
        checks.add("engine-ca", "Engine CA", "pass", `${ca.subject.replace(/\n/g, ", ")}; SHA-256 fingerprint ${ca.sha256Fingerprint}`);
        const api = new EngineApi(engineUrl, ca.pem, secrets.adminPassword, 3);
        try {
            engineVersion = await api.productVersion();
            checks.add("admin-password", "Engine admin password", "pass", "admin@internal logged in.");
        } catch (err) {
            checks.add("admin-password", "Engine admin password", "fail",
                       err instanceof HelperError && err.code === "refused" ? "The engine refused the admin@internal password. Enter it again." : errorMessage(err));
            throw err;
        }
        const levels = [...(await api.dataCenters()).map(dc => ({ kind: "Data center", name: dc.name, v: dc.version })),
            ...(await api.clusters()).map(c => ({ kind: "Cluster", name: c.name, v: c.version }))];
        const bad = levels.filter(l => !SUPPORTED_LEVELS.includes(`${l.v.major}.${l.v.minor}`));
        checks.add("compatibility-levels", "Data center and cluster levels", bad.length === 0 ? "pass" : "fail",
                   bad.length === 0 ? `All at ${[...new Set(levels.map(l => `${l.v.major}.${l.v.minor}`))].join(", ")}.`
                       : bad.map(l => `${l.kind} ${l.name} is at version ${l.v.major}.${l.v.minor}, which this upgrade does not support`).join("; ") +
                         ". Raise them to 3.6 in the engine first.");
        const me = (await api.hosts()).find(h => h.hardwareUuid !== null && h.hardwareUuid === hardwareUuid);
        checks.add("spm-engine", "This host is the SPM in the engine", me?.spm === "spm" ? "pass" : "fail",
                   me === undefined ? "The engine does not know this host (no host with its hardware UUID)."
                       : me.spm === "spm" ? `The engine knows this host as ${me.name}, the SPM.`
                           : `The engine says ${me.name} is not the SPM (${me.spm}). Select it as the SPM from the engine.`);
        engineDomains = await api.domains();
        available = (await api.storageDomainSpace(conf.sdUUID)).available;
    } catch (err) {
        if (!checks.list.some(c => c.id === "admin-password" || c.id === "engine-ca"))
            checks.add("engine-ca", "Engine CA", "fail", `The engine at ${engineUrl} cannot be reached: ${errorMessage(err)}`);
        else if (!checks.list.some(c => c.state === "fail" && c.id === "admin-password"))
            checks.add("engine-api", "Engine API", "fail", errorMessage(err));
    }

    // 5. the appliance
    let ova = "";
    let applianceVersion: string | null = null;
    let expectedSha1: string | null = null;
    try {
        if ("installed" in plan.appliance) {
            const file = hostPath(config, plan.appliance.installed);
            const appliance = parseApplianceConf(fs.readFileSync(file, "utf8"), plan.appliance.installed);
            ova = appliance.path;
            applianceVersion = appliance.version;
            expectedSha1 = appliance.sha1sum;
        } else {
            ova = plan.appliance.ova;
            expectedSha1 = plan.appliance.sha1;
        }
    } catch (err) {
        checks.add("appliance", "Engine appliance", "fail", errorMessage(err));
    }
    let ovaReport: OvaReport | null = null;
    if (ova) {
        const file = hostPath(config, ova);
        if (!fs.existsSync(file)) {
            checks.add("appliance", "Engine appliance", "fail", `${ova} does not exist.`);
        } else {
            ovaReport = await readOva(file, { ...(expectedSha1 ? { expectedSha1 } : {}), onProgress: (d, t) => onProgress?.("appliance", d, t) });
            checks.add("appliance", "Engine appliance", ovaReport.problems.length === 0 ? "pass" : "fail",
                       ovaReport.problems.length === 0
                           ? `${ova}: ${ovaReport.ovf?.diskSizeGiB} GiB disk, ${ovaReport.ovf?.cpus ?? "?"} CPUs, ${ovaReport.ovf?.memoryMiB ?? "?"} MiB; sha1 ${expectedSha1 ? "verified" : "not given"}.`
                           : ovaReport.problems.join(" "));
        }
    }

    // 6. versions (when the engine could not be asked, that failure is already reported)
    const source = majorMinor(engineVersion);
    const target = majorMinor(applianceVersion);
    const supported = source === SUPPORTED_SOURCE && target === SUPPORTED_TARGET;
    const engineUnasked = engineVersion === null &&
        checks.list.some(c => c.state === "fail" && ["engine-ca", "admin-password", "engine-api"].includes(c.id));
    if (!engineUnasked) {
        checks.add("versions", "Engine and appliance versions", supported ? "pass" : plan.acceptUnsupportedVersions ? "warn" : "fail",
                   `Engine ${engineVersion ?? "unknown"}, appliance ${applianceVersion ?? "unknown (an OVA file names no version)"}. ` +
                   (supported ? "This is the supported 3.6 to 4.0 upgrade."
                       : `Only ${SUPPORTED_SOURCE} to ${SUPPORTED_TARGET} is supported${plan.acceptUnsupportedVersions ? "; you accepted the risk." : ". Accept unsupported versions explicitly to go on at your own risk."}`));
    }

    // 7. the engine backup and its AAA domains
    let backup: BackupReport | null = null;
    const archive = hostPath(config, plan.backupArchive);
    if (!fs.existsSync(archive)) {
        checks.add("backup", "Engine backup", "fail", `${plan.backupArchive} does not exist on this host. Copy the engine-backup archive here first.`);
    } else {
        backup = await readEngineBackup(archive, { xz: config.commands.xz, bzip2: config.commands.bzip2 });
        if (backup.majorMinor !== null && backup.majorMinor !== SUPPORTED_SOURCE)
            backup.problems.push(`The backup is of engine ${backup.version}; the 4.0 appliance restores backups of 3.6 engines only`);
        checks.add("backup", "Engine backup", backup.problems.length === 0 ? "pass" : "fail",
                   backup.problems.length === 0 ? `Engine ${backup.version}${backup.dwh ? ", with the DWH database" : ""}.` : backup.problems.join(" "));
        if (engineDomains !== null && backup.problems.length === 0) {
            const unbacked = engineDomains.filter(d => !backup?.authzExtensions.includes(d));
            checks.add("aaa-domains", "Authentication domains", unbacked.length === 0 ? "pass" : "fail",
                       unbacked.length === 0 ? `${engineDomains.join(", ")}: all configured as AAA extensions.`
                           : `${unbacked.join(", ")} ${unbacked.length === 1 ? "is" : "are"} configured the legacy way, which 4.0 dropped. ` +
                             "Migrate to ovirt-engine-extension-aaa-ldap (ovirt-engine-kerbldap-migration), take a new backup, then upgrade.");
        }
    }

    // 8. disk size and space
    const ovfBytes = (ovaReport?.ovf?.diskSizeGiB ?? 0) * GiB;
    const requested = plan.diskSizeGiB === null ? 0 : plan.diskSizeGiB * GiB;
    const targetSize = Math.max(engineDiskCapacity, ovfBytes, requested);
    if (plan.diskSizeGiB !== null && requested < Math.max(engineDiskCapacity, ovfBytes)) {
        checks.add("disk-size", "Engine disk size", "fail",
                   `${plan.diskSizeGiB} GiB is smaller than the current disk (${gib(engineDiskCapacity)}) or the appliance (${gib(ovfBytes)}); a volume never shrinks.`);
    } else if (engineDiskCapacity > 0) {
        checks.add("disk-size", "Engine disk size", "pass",
                   targetSize > engineDiskCapacity ? `The engine disk grows from ${gib(engineDiskCapacity)} to ${gib(targetSize)} (after the backup is made).`
                       : `The engine disk stays at ${gib(engineDiskCapacity)}.`);
    }
    if (available !== null && engineDiskCapacity > 0) {
        const needed = engineDiskCapacity + (targetSize - engineDiskCapacity);
        checks.add("storage-space", "Space on the hosted-engine storage domain", available >= needed ? "pass" : "fail",
                   `${gib(needed)} needed (the backup disk ${gib(engineDiskCapacity)}, the engine disk's growth ${gib(targetSize - engineDiskCapacity)}), ${gib(available)} available.` +
                   (available >= needed ? "" : " Extend the hosted-engine storage domain or free space on it."));
    }
    const tmp = os.tmpdir();
    const tmpFree = fs.statfsSync(tmp);
    const tmpNeeded = (ovaReport?.disk?.sizeBytes ?? 0) + (backup?.sizeBytes ?? 0) + (16 << 20);
    const tmpAvailable = tmpFree.bavail * tmpFree.bsize;
    checks.add("temp-space", "Space in the temporary directory", tmpAvailable >= tmpNeeded ? "pass" : "fail",
               `${gib(tmpNeeded)} needed in ${path.resolve(tmp)} for the extracted appliance disk, ${gib(tmpAvailable)} available.`);

    const ok = checks.list.every(c => c.state !== "fail");
    return {
        ok,
        checks: checks.list,
        survey: {
            conf: { fqdn: conf.fqdn, hostId: conf.hostId, vmId: conf.vmId, sdUUID: conf.sdUUID, imgUUID, volUUID },
            poolId,
            engineDiskPath,
            engineDiskCapacity,
            engineUrl,
            engineCa: ca,
            engineVersion,
            ova,
            applianceVersion,
            ovaReport,
            backup,
            targetSize,
        },
    };
}
