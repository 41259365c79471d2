// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Every check of the upgrade (ovirt-upgrade-flow.md steps 1-7) and its
 * prerequisites on the host (programs, package versions), run before
 * anything changes and reported together, each with what to do about it. The
 * facts gathered on the way (the engine disk, the appliance, the backup, the
 * engine's CA) form the survey the upgrade job starts from. Nothing here
 * writes anything on the host; the preflight of `upgrade` (keepCopies) makes
 * root-only copies of the user's backup and appliance disk, checks those, and
 * hands them to the job (intake.ts); they are removed when a check fails.
 */

import path from "node:path";

import type { Check } from "../../protocol/checks";
import type { UpgradePlan, UpgradeSecrets } from "../../protocol/plans";
import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { HOSTED_ENGINE_CONF, hostedEngineConf, type HostedEngineConf } from "../host/hosted-engine-conf";
import { checkAppliance, checkVersions } from "./checks/appliance";
import { checkBackup } from "./checks/backup";
import { CheckList, reasonOf } from "./checks/check-list";
import { checkEngine } from "./checks/engine";
import { checkEngineVmNetwork } from "./checks/engine-vm-network";
import { checkEtcHosts } from "./checks/etc-hosts";
import { checkHa } from "./checks/ha";
import { checkHostPackages } from "./checks/host-packages";
import { checkHostTools } from "./checks/host-tools";
import { checkSpace } from "./checks/space";
import { bridgeName, checkVdsm } from "./checks/vdsm";
import { checkToolPaths, checkVmConf } from "./checks/vm-conf";
import { newIntakeDir, removeIntakeDir } from "./intake";
import type { Survey } from "./survey";
import { readVmNetwork } from "./vm-network";

export interface PreflightReport {
    ok: boolean;
    checks: Check[];
    /** what the job starts from: only when every check passed */
    survey: Survey | null;
}

export interface PreflightOptions {
    /** copy the user's files for the job (the `upgrade` verb); the dry-run `preflight` reads them in place */
    keepCopies: boolean;
}

export async function preflight(config: HelperConfig, plan: UpgradePlan, secrets: UpgradeSecrets,
                                options: PreflightOptions = { keepCopies: true }): Promise<PreflightReport> {
    let intake: string | null = null;
    let report: PreflightReport | null = null;
    try {
        report = await runChecks(config, plan, secrets, () => (intake ??= newIntakeDir(config)), options.keepCopies);
        return report;
    } finally {
        if (!report?.survey)
            removeIntakeDir(intake);
    }
}

async function runChecks(config: HelperConfig, plan: UpgradePlan, secrets: UpgradeSecrets, intakeDir: () => string,
                         keepCopies: boolean): Promise<PreflightReport> {
    const checks = new CheckList();
    let conf: HostedEngineConf;
    try {
        conf = hostedEngineConf(config);
    } catch (err) {
        checks.add("hosted-engine-conf", "fail", text("preflight.hosted-engine-conf.fail", { file: HOSTED_ENGINE_CONF, reason: reasonOf(err) }));
        return { ok: false, checks: checks.list, survey: null };
    }

    // the host's programs and packages first: each missing one fails here, before anything else is asked
    checkHostTools(config, checks);
    await checkHa(config, conf, checks);
    const host = await checkVdsm(config, conf, checks, { bridgeAddress: plan.addHostToEtcHosts });
    await checkHostPackages(config, host.packages, checks);
    const engine = await checkEngine(config, secrets, host.hardwareUuid, conf.sdUUID, checks);
    const appliance = await checkAppliance(config, plan, checks, keepCopies ? intakeDir() : null);
    // when the engine could not be asked, that failure is already reported
    if (engine.version !== null || !checks.failed("engine-ca", "admin-password", "engine-api"))
        checkVersions(plan, engine.version, appliance.version, checks);
    const etcHosts = checkEtcHosts(plan, { bridge: bridgeName(conf), bridgeAddress: host.bridgeAddress, hostAddress: engine.hostAddress }, checks);
    const vm = await checkEngineVmNetwork(config, plan, await readVmNetwork(config), conf.fqdn, checks);
    checkVmConf(config, conf.imgUUID, checks);
    checkToolPaths(config, checks);
    const checkedBackup = await checkBackup(config, plan, engine.domains, checks, keepCopies ? intakeDir() : null);
    const backup = checkedBackup?.report ?? null;
    const targetSize = await checkSpace(plan, {
        engineDiskBytes: host.engineDisk?.capacity ?? 0, ova: appliance.report, backup, available: engine.available,
    }, checks);

    const { engineDisk } = host;
    const { ca, version } = engine;
    const { report: ovaReport } = appliance;
    if (!checks.ok || !engineDisk || !ca || !ovaReport || !backup || !vm)
        return { ok: checks.ok, checks: checks.list, survey: null };
    const survey: Survey = {
        engineFqdn: conf.fqdn, engineDisk, engineCa: ca, engineVersion: version,
        ova: appliance.ova, applianceVersion: appliance.version, ovaReport, backup, targetSize, etcHosts, vm,
    };
    if (keepCopies) {
        const copy = checkedBackup?.copy;
        const disk = ovaReport.disk;
        if (!copy || !disk?.extractedTo)
            return { ok: false, checks: checks.list, survey: null };
        survey.copies = {
            dir: intakeDir(), backup: copy.name, backupMd5: copy.md5, applianceDisk: path.basename(disk.extractedTo), applianceFormat: disk.format,
        };
    }
    return { ok: true, checks: checks.list, survey };
}
