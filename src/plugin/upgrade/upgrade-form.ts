// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the upgrade wizard collects, what each step needs before Next, and the
 * plan it sends to the helper (on stdin: the passwords are in it). The page
 * checks what it can for a quick answer; the helper checks everything again.
 */

import type {
    ApplianceEntry, BackupReport, EngineLoginResult, OvaReport, ReadinessReport, RootSshAccess, Text, UpgradePlanInput, VmNetworkReport,
} from "../../protocol";
import { networkProblems, vmNetworkOf, type NetworkField } from "./vm-network-form";
import { renderText } from "../common/texts";
import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

export const WIZARD_STEPS = ["readiness", "backup", "appliance", "settings", "review"] as const;
export type WizardStepId = typeof WIZARD_STEPS[number];

export function wizardStepFromPath(path: string[]): WizardStepId {
    return WIZARD_STEPS.find(s => s === path[1]) ?? "readiness";
}

export const GiB = 1024 ** 3;

/* the command the feature page gives to run on the engine VM */
export const ENGINE_BACKUP_COMMAND =
    "engine-backup --mode=backup --archive-compressor=gzip --file=engine_backup.tar.gz --log=engine_backup.log";

export interface UpgradeForm {
    backupArchive: string;
    applianceSource: "installed" | "ova";
    /** the chosen *-appliance.conf */
    installedConf: string | null;
    ovaPath: string;
    ovaSha1: string;
    adminPassword: string;
    rootPassword: string;
    rootPasswordConfirm: string;
    rootSshKey: string;
    rootSshAccess: RootSshAccess | "";
    addHostToEtcHosts: boolean;
    /** the engine VM's network where the deploy's answers do not give it: "" until chosen */
    networkMode: "" | "dhcp" | "static";
    /** as typed */
    vmAddress: string;
    vmPrefix: string;
    vmGateway: string;
    /** comma-separated */
    vmDns: string;
    /** as typed; empty: the minimum */
    diskSizeGiB: string;
    acceptUnsupportedVersions: boolean;
}

export const emptyForm = (): UpgradeForm => ({
    backupArchive: "",
    applianceSource: "installed",
    installedConf: null,
    ovaPath: "",
    ovaSha1: "",
    adminPassword: "",
    rootPassword: "",
    rootPasswordConfirm: "",
    rootSshKey: "",
    rootSshAccess: "",
    addHostToEtcHosts: false,
    networkMode: "",
    vmAddress: "",
    vmPrefix: "",
    vmGateway: "",
    vmDns: "",
    diskSizeGiB: "",
    acceptUnsupportedVersions: false,
});

/** What the steps learned from the helper on the way. */
export interface UpgradeFindings {
    readiness: ReadinessReport | null;
    backup: BackupReport | null;
    appliances: ApplianceEntry[] | null;
    /** the appliance snippets that could not be used, and why */
    appliancesProblems: Text[];
    /** the inspected OVA of an "ova" choice (an installed appliance is inspected by the preflight) */
    ova: OvaReport | null;
    /** the admin password the engine accepted, so a changed password is checked again */
    acceptedPassword: string | null;
    /** what the engine said when it accepted that password: its version and CA */
    engineLogin: EngineLoginResult | null;
    /** the engine VM's network and identity as the deploy's answers give them */
    vmNetwork: VmNetworkReport | null;
    /** how fast the helper read that OVA on this host, bytes a second: the review's measured rate */
    ovaBytesPerSecond: number | null;
}

export const emptyFindings = (): UpgradeFindings => ({
    readiness: null, backup: null, appliances: null, appliancesProblems: [], ova: null, acceptedPassword: null, engineLogin: null, vmNetwork: null,
    ovaBytesPerSecond: null,
});

export function isAbsolutePath(value: string): boolean {
    return value.startsWith("/") && !value.includes("\0") && !/(^|\/)\.\.?(\/|$)/.test(value) && !value.includes("//");
}

export const isSha1 = (value: string): boolean => /^[0-9a-fA-F]{40}$/.test(value);
const SSH_KEY = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( [^\n]*)?$/;

/** Why the readiness step cannot go on, one line each; empty when it can. */
export function readinessProblems(r: ReadinessReport | null): string[] {
    if (!r)
        return [_("The host's state has not been read yet.")];
    const problems: string[] = [];
    if (!r.globalMaintenance)
        problems.push(_("The cluster is not in global maintenance."));
    if (r.vdsmError)
        problems.push(renderText(r.vdsmError));
    if (r.engineVmOnThisHost === false)
        problems.push(_("The engine VM does not run on this host. Open this page on the host that runs it."));
    if (r.spm === false)
        problems.push(cockpit.format(_("This host is not the SPM ($0). Select it as the SPM in the engine."), r.spmStatus ?? "?"));
    return problems;
}

export function backupProblems(form: UpgradeForm, report: BackupReport | null): string[] {
    if (!isAbsolutePath(form.backupArchive))
        return [_("Enter the absolute path of the engine-backup archive on this host.")];
    if (!report || report.path !== form.backupArchive)
        return [_("The archive has not been checked yet.")];
    return report.problems.map(renderText);
}

/** The OVA the chosen appliance is read from. */
export function chosenOvaPath(form: UpgradeForm, findings: UpgradeFindings): string | null {
    if (form.applianceSource === "installed")
        return findings.appliances?.find(a => a.conf === form.installedConf)?.path ?? null;
    return form.ovaPath;
}

export function applianceProblems(form: UpgradeForm, findings: UpgradeFindings): string[] {
    if (form.applianceSource === "installed") {
        const chosen = findings.appliances?.find(a => a.conf === form.installedConf);
        if (!chosen)
            return [_("Choose an installed appliance.")];
        if (!chosen.installed)
            return [cockpit.format(_("The appliance's OVA $0 is missing."), chosen.path)];
    } else {
        const problems: string[] = [];
        if (!isAbsolutePath(form.ovaPath))
            problems.push(_("Enter the absolute path of the appliance OVA on this host."));
        if (form.ovaSha1 !== "" && !isSha1(form.ovaSha1))
            problems.push(_("The sha1 must be 40 hexadecimal digits."));
        if (problems.length > 0)
            return problems;
    }
    // an OVA is read once here (sha1, OVF): the disk size and the problems are known before the review
    const ova = findings.ova;
    if (!ova || ova.path !== chosenOvaPath(form, findings))
        return [_("The appliance has not been checked yet.")];
    return ova.problems.map(renderText);
}

/** The smallest engine disk the upgrade can make: never smaller than the disk now, nor than the appliance's OVF asks. */
export function minimumDiskGiB(findings: UpgradeFindings): number | null {
    const current = findings.readiness?.engineDiskBytes ?? null;
    const ovf = findings.ova?.ovf?.diskSizeGiB ?? null;
    const sizes = [current === null ? null : Math.ceil(current / GiB), ovf].filter((n): n is number => n !== null);
    return sizes.length > 0 ? Math.max(...sizes) : null;
}

export type SettingsField = "adminPassword" | "rootPassword" | "rootPasswordConfirm" | "rootSshKey" | "diskSizeGiB" | NetworkField;

export function settingsProblems(form: UpgradeForm, findings: UpgradeFindings): Partial<Record<SettingsField, string>> {
    const problems: Partial<Record<SettingsField, string>> = {};
    if (form.adminPassword === "")
        problems.adminPassword = _("The engine's admin@internal password is needed.");
    else if (findings.acceptedPassword !== form.adminPassword)
        problems.adminPassword = _("Check the password against the engine.");
    if (form.rootPassword !== form.rootPasswordConfirm)
        problems.rootPasswordConfirm = _("The passwords differ.");
    if (form.rootSshKey.trim() !== "" && !SSH_KEY.test(form.rootSshKey.trim()))
        problems.rootSshKey = _("Paste one OpenSSH public key line, such as \"ssh-ed25519 AAAA... user@host\".");
    if (form.diskSizeGiB !== "") {
        const size = Number(form.diskSizeGiB);
        const minimum = minimumDiskGiB(findings);
        if (!/^[0-9]+$/.test(form.diskSizeGiB) || size < 1 || size > 65536)
            problems.diskSizeGiB = _("Enter a whole number of GiB.");
        else if (minimum !== null && size < minimum)
            problems.diskSizeGiB = cockpit.format(_("The disk cannot be smaller than $0 GiB."), minimum);
    }
    return { ...problems, ...networkProblems(form, findings.vmNetwork) };
}

/** The plan of the helper's `preflight` and `upgrade` verbs, secrets included (it travels on stdin). */
export function planOf(form: UpgradeForm): UpgradePlanInput {
    return {
        backupArchive: form.backupArchive,
        appliance: form.applianceSource === "installed"
            ? { installed: form.installedConf ?? "" }
            : { ova: form.ovaPath, sha1: form.ovaSha1 === "" ? null : form.ovaSha1.toLowerCase() },
        rootSshKey: form.rootSshKey.trim() === "" ? null : form.rootSshKey.trim(),
        rootSshAccess: form.rootSshAccess === "" ? null : form.rootSshAccess,
        addHostToEtcHosts: form.addHostToEtcHosts,
        vmNetwork: vmNetworkOf(form),
        diskSizeGiB: form.diskSizeGiB === "" ? null : Number(form.diskSizeGiB),
        acceptUnsupportedVersions: form.acceptUnsupportedVersions,
        adminPassword: form.adminPassword,
        rootPassword: form.rootPassword === "" ? null : form.rootPassword,
    };
}

/** What the upgrade's backup disk will be called, give or take the minutes until its step runs: hosted-engine-backup-YYYYmmddHHMMSS in local time, as the helper names it. */
export function expectedBackupLabel(at: Date): string {
    const pad = (n: number) => String(n).padStart(2, "0");
    return `hosted-engine-backup-${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}` +
           `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
}
