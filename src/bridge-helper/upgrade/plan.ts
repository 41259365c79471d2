// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade plan the page sends on stdin (secrets included: stdin is the only
 * way they travel). Every field is checked for its type and form; unknown
 * fields are errors, so a typo never silently falls back to a default.
 */

import path from "node:path";

import type { MessageCode } from "../../protocol/messages";
import { staticNetworkProblems, type VmNetwork } from "../../protocol/network";
import type { ApplianceChoice, DowntimeEstimate, UpgradePlan, UpgradeSecrets } from "../../protocol/plans";
import type { RootSshAccess } from "../../protocol/reports";
import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { hasControlCharacter } from "../host/user-file";
import { fieldError, parseJsonObject, type JsonObject as Json } from "../stdin-json";

function fail(field: string, code: MessageCode): never {
    throw new HelperError("usage", `plan: ${field}`, text(code, { field }));
}

const MAX_PATH = 4096;
const MAX_SECRET = 1024;
const MAX_SSH_KEY = 16 << 10;

function absolutePath(value: unknown, field: string): string {
    if (typeof value !== "string" || !path.isAbsolute(value) || hasControlCharacter(value) || value.length > MAX_PATH ||
        path.normalize(value) !== value)
        fail(field, "plan.path-invalid");
    return value;
}

/* A string a person typed (a password, a key): bounded, and without NUL or line breaks that could split what it goes into. */
function boundedString(value: string, field: string, limit: number): string {
    if (value.length > limit || /[\n\r]/.test(value) || value.includes("\u0000"))
        throw new HelperError("usage", `plan: ${field}`, text("plan.string-too-long", { field, limit }));
    return value;
}

/** A string or nothing; `pattern` and the code that says what it must be, when the form matters. */
function nullableString(value: unknown, field: string, form?: { pattern: RegExp; code: MessageCode }): string | null {
    if (value === undefined || value === null)
        return null;
    if (typeof value !== "string")
        fail(field, form?.code ?? "plan.string-invalid");
    if (form && !form.pattern.test(value))
        fail(field, form.code);
    return value;
}

/* The appliance choice is an object inside the plan: its unknown fields are refused like the plan's own. */
function checkKeys(obj: Json, allowed: string[], where: string): void {
    for (const key of Object.keys(obj)) {
        if (!allowed.includes(key))
            throw fieldError("upgrade plan", `${where}.${key}`, "input.unknown-field");
    }
}

const SSH_KEY = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( [^\n]*)?$/;

function sshKey(value: unknown): string | null {
    const key = nullableString(value, "rootSshKey", { pattern: SSH_KEY, code: "plan.ssh-key-invalid" });
    return key === null ? null : boundedString(key, "rootSshKey", MAX_SSH_KEY);
}

function parseAppliance(appliance: unknown): ApplianceChoice {
    if (typeof appliance !== "object" || appliance === null || Array.isArray(appliance))
        throw new HelperError("usage", "plan: appliance", text("plan.appliance-invalid"));
    const obj = appliance as Json;
    if ("installed" in obj) {
        checkKeys(obj, ["installed"], "appliance");
        return { installed: absolutePath(obj.installed, "appliance.installed") };
    }
    checkKeys(obj, ["ova", "sha1"], "appliance");
    const sha1 = nullableString(obj.sha1, "appliance.sha1", { pattern: /^[0-9a-fA-F]{40}$/, code: "plan.sha1-invalid" });
    return { ova: absolutePath(obj.ova, "appliance.ova"), sha1: sha1?.toLowerCase() ?? null };
}

function parseDiskSize(value: unknown): number | null {
    if (value === undefined || value === null)
        return null;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65536)
        throw new HelperError("usage", "plan: diskSizeGiB", text("plan.disk-size-invalid"));
    return value;
}

/* The network chosen in Settings: DHCP, or a static address checked as the page checks it while typed. */
function parseVmNetwork(value: unknown): VmNetwork | null {
    if (value === undefined || value === null)
        return null;
    const invalid = () => new HelperError("usage", "plan: vmNetwork", text("plan.vm-network-invalid"));
    if (typeof value !== "object" || Array.isArray(value))
        throw invalid();
    const obj = value as Json;
    if (obj.mode === "dhcp") {
        checkKeys(obj, ["mode"], "vmNetwork");
        return { mode: "dhcp" };
    }
    if (obj.mode !== "static")
        throw invalid();
    checkKeys(obj, ["mode", "address", "prefix", "gateway", "dns"], "vmNetwork");
    const { address, prefix, gateway, dns } = obj;
    if (typeof address !== "string" || typeof prefix !== "number" || typeof gateway !== "string" ||
        !Array.isArray(dns) || !dns.every(d => typeof d === "string"))
        throw invalid();
    const network = { mode: "static" as const, address, prefix, gateway, dns: dns as string[] };
    const [problem] = staticNetworkProblems(network);
    if (problem)
        throw new HelperError("usage", "plan: vmNetwork", text("plan.vm-network-bad-field", { reason: text(problem) }));
    return network;
}

function parseSecrets(obj: Json): UpgradeSecrets {
    if (typeof obj.adminPassword !== "string" || obj.adminPassword === "")
        throw new HelperError("usage", "plan: adminPassword", text("plan.admin-password-missing"));
    const rootPassword = nullableString(obj.rootPassword, "rootPassword");
    if (rootPassword === "")
        throw new HelperError("usage", "plan: rootPassword", text("plan.root-password-empty"));
    return {
        adminPassword: boundedString(obj.adminPassword, "adminPassword", MAX_SECRET),
        rootPassword: rootPassword === null ? null : boundedString(rootPassword, "rootPassword", MAX_SECRET),
    };
}

const ESTIMATE_FIGURES = ["dataSeconds", "bytesPerSecond", "otherSeconds", "applianceSeconds", "totalSeconds"] as const;

/* The review's estimate: only recorded and shown again, never acted on; still checked like the rest. */
function parseEstimate(value: unknown): DowntimeEstimate {
    if (typeof value !== "object" || value === null || Array.isArray(value))
        fail("estimate", "plan.estimate-invalid");
    const obj = value as Json;
    checkKeys(obj, [...ESTIMATE_FIGURES, "rateSource"], "estimate");
    for (const key of ESTIMATE_FIGURES) {
        const figure = obj[key];
        if (typeof figure !== "number" || !Number.isFinite(figure) || figure < 0)
            fail("estimate", "plan.estimate-invalid");
    }
    if (obj.rateSource !== "measured" && obj.rateSource !== "assumed")
        fail("estimate", "plan.estimate-invalid");
    return obj as unknown as DowntimeEstimate;
}

export function parsePlan(input: string): { plan: UpgradePlan; secrets: UpgradeSecrets } {
    const obj = parseJsonObject(input, "upgrade plan", ["backupArchive", "appliance", "adminPassword", "rootPassword", "rootSshKey",
        "rootSshAccess", "addHostToEtcHosts", "vmNetwork", "diskSizeGiB", "acceptUnsupportedVersions", "estimate"]);

    const appliance = parseAppliance(obj.appliance);
    const secrets = parseSecrets(obj);
    const access = nullableString(obj.rootSshAccess, "rootSshAccess", { pattern: /^(yes|no|without-password)$/, code: "plan.ssh-access-invalid" });
    const diskSizeGiB = parseDiskSize(obj.diskSizeGiB);
    for (const flag of ["addHostToEtcHosts", "acceptUnsupportedVersions"]) {
        if (obj[flag] !== undefined && typeof obj[flag] !== "boolean")
            fail(flag, "plan.flag-invalid");
    }

    return {
        plan: {
            backupArchive: absolutePath(obj.backupArchive, "backupArchive"),
            appliance,
            rootSshKey: sshKey(obj.rootSshKey),
            rootSshAccess: access as RootSshAccess | null,
            addHostToEtcHosts: obj.addHostToEtcHosts === true,
            vmNetwork: parseVmNetwork(obj.vmNetwork),
            diskSizeGiB,
            acceptUnsupportedVersions: obj.acceptUnsupportedVersions === true,
            ...(obj.estimate !== undefined && obj.estimate !== null ? { estimate: parseEstimate(obj.estimate) } : {}),
        },
        secrets,
    };
}
