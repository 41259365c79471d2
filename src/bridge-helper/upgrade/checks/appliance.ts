// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The appliance (ovirt-upgrade-flow.md step 10): an installed one named by its
 * *-appliance.conf, or an OVA file. The OVA is read once, its sha1 checked when
 * one is known, its OVF and disk checked; the versions of the engine and the
 * appliance decide whether this is the supported 3.6 to 4.0 upgrade.
 */

import type { UpgradePlan } from "../../../protocol/plans";
import type { OvaReport } from "../../../protocol/reports";
import { text } from "../../../protocol/text";
import { hostPath, type HelperConfig } from "../../config";
import { type ApplianceConf, parseApplianceConf } from "../../formats/appliance-conf";
import { readOva } from "../../formats/ova";
import { USER_FILE_LIMITS, withUserFile } from "../../host/user-file";
import { type CheckList, listOf, reasonOf } from "./check-list";

export interface ApplianceFacts {
    /** the OVA's host path; "" when the plan's appliance could not be read */
    ova: string;
    /** from the *-appliance.conf; an OVA file names none */
    version: string | null;
    report: OvaReport | null;
}

export const SUPPORTED_SOURCE = "3.6";
const SUPPORTED_TARGET = "4.0";

const majorMinor = (version: string | null) => version?.split("-")[0].split(".").slice(0, 2).join(".") ?? null;

/* The *-appliance.conf the plan names, read once through one descriptor and at most USER_FILE_LIMITS.applianceConf. */
async function readConf(config: HelperConfig, conf: string): Promise<ApplianceConf> {
    const content = await withUserFile(conf, hostPath(config, conf), USER_FILE_LIMITS.applianceConf, file => file.readText());
    return parseApplianceConf(content, conf);
}

/*
 * The OVA read once through one descriptor; with `intake`, its disk is
 * extracted there in the same pass, and that extracted disk is what the job
 * writes (the OVA is not opened again).
 */
async function checkOva(config: HelperConfig, ova: string, expectedSha1: string | null, checks: CheckList,
                        intake: string | null): Promise<OvaReport | null> {
    let report: OvaReport;
    try {
        report = await withUserFile(ova, hostPath(config, ova), USER_FILE_LIMITS.ova, file =>
            readOva(file, { ...(expectedSha1 ? { expectedSha1 } : {}), ...(intake ? { extractDiskTo: intake } : {}) }));
    } catch (err) {
        checks.add("appliance", "fail", reasonOf(err));
        return null;
    }
    if (report.problems.length > 0) {
        checks.add("appliance", "fail", listOf(report.problems, "list.sentences"));
    } else {
        const found = { path: ova, sizeGiB: report.ovf?.diskSizeGiB ?? "?", cpus: report.ovf?.cpus ?? "?", memoryMiB: report.ovf?.memoryMiB ?? "?" };
        checks.add("appliance", "pass", text(expectedSha1 ? "preflight.appliance.pass" : "preflight.appliance.pass-unverified", found));
    }
    return report;
}

/** `intake`: where the upgrade's preflight keeps the extracted appliance disk; null for the dry run. */
export async function checkAppliance(config: HelperConfig, plan: UpgradePlan, checks: CheckList,
                                     intake: string | null = null): Promise<ApplianceFacts> {
    const facts: ApplianceFacts = { ova: "", version: null, report: null };
    let expectedSha1: string | null;
    try {
        if ("installed" in plan.appliance) {
            const appliance = await readConf(config, plan.appliance.installed);
            facts.ova = appliance.path;
            facts.version = appliance.version;
            expectedSha1 = appliance.sha1sum;
        } else {
            facts.ova = plan.appliance.ova;
            expectedSha1 = plan.appliance.sha1;
        }
    } catch (err) {
        checks.add("appliance", "fail", reasonOf(err));
        return facts;
    }
    facts.report = await checkOva(config, facts.ova, expectedSha1, checks, intake);
    return facts;
}

/** Only 3.6 to 4.0 is supported; others go on only when the administrator accepted the risk. */
export function checkVersions(plan: UpgradePlan, engineVersion: string | null, applianceVersion: string | null,
                              checks: CheckList): void {
    const supported = majorMinor(engineVersion) === SUPPORTED_SOURCE && majorMinor(applianceVersion) === SUPPORTED_TARGET;
    const found = {
        engine: engineVersion ?? text("preflight.versions.unknown"),
        appliance: applianceVersion ?? text("preflight.versions.appliance-unknown"),
        source: SUPPORTED_SOURCE,
        target: SUPPORTED_TARGET,
    };
    if (supported)
        checks.add("versions", "pass", text("preflight.versions.pass", found));
    else if (plan.acceptUnsupportedVersions)
        checks.add("versions", "warn", text("preflight.versions.warn", found));
    else
        checks.add("versions", "fail", text("preflight.versions.fail", found));
}
