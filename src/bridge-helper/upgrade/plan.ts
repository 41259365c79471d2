// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade plan the page sends on stdin (secrets included: stdin is the only
 * way they travel). Every field is checked for its type and form; unknown
 * fields are errors, so a typo never silently falls back to a default.
 */

import path from "node:path";

import { HelperError } from "../errors";
import type { RootSshAccess } from "../formats/cloud-init";

export type ApplianceChoice =
    | { installed: string }
    | { ova: string; sha1: string | null };

export interface UpgradePlan {
    /** the engine-backup archive on this host */
    backupArchive: string;
    appliance: ApplianceChoice;
    rootSshKey: string | null;
    rootSshAccess: RootSshAccess | null;
    addHostToEtcHosts: boolean;
    /** the engine disk's size after the upgrade; null: the larger of the current disk and the OVF's size */
    diskSizeGiB: number | null;
    /** allow versions other than 3.6 -> 4.0, which the original called highly experimental */
    acceptUnsupportedVersions: boolean;
}

export interface UpgradeSecrets {
    adminPassword: string;
    rootPassword: string | null;
}

type Json = Record<string, unknown>;

function fail(field: string, message: string): never {
    throw new HelperError("usage", `plan: ${field}`, `The upgrade plan's ${field} ${message}`);
}

function absolutePath(value: unknown, field: string): string {
    if (typeof value !== "string" || !path.isAbsolute(value) || value.includes("\0") || path.normalize(value) !== value)
        fail(field, "must be a normalized absolute path");
    return value;
}

function nullableString(value: unknown, field: string, pattern?: RegExp, what?: string): string | null {
    if (value === undefined || value === null)
        return null;
    if (typeof value !== "string" || (pattern && !pattern.test(value)))
        fail(field, `must be ${what ?? "a string"}`);
    return value;
}

function checkKeys(obj: Json, allowed: string[], where: string): void {
    for (const key of Object.keys(obj)) {
        if (!allowed.includes(key))
            fail(where ? `${where}.${key}` : key, "is not a field the plan has");
    }
}

const SSH_KEY = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( [^\n]*)?$/;

export function parsePlan(text: string): { plan: UpgradePlan; secrets: UpgradeSecrets } {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch {
        throw new HelperError("usage", "plan", "The upgrade plan on stdin is not JSON");
    }
    if (typeof data !== "object" || data === null || Array.isArray(data))
        throw new HelperError("usage", "plan", "The upgrade plan must be a JSON object");
    const obj = data as Json;
    checkKeys(obj, ["backupArchive", "appliance", "adminPassword", "rootPassword", "rootSshKey", "rootSshAccess",
        "addHostToEtcHosts", "diskSizeGiB", "acceptUnsupportedVersions"], "");

    const appliance = obj.appliance as Json | undefined;
    let applianceChoice: ApplianceChoice;
    if (typeof appliance !== "object" || appliance === null || Array.isArray(appliance))
        fail("appliance", "must be {\"installed\": CONF} or {\"ova\": PATH, \"sha1\": HEX}");
    if ("installed" in appliance) {
        checkKeys(appliance, ["installed"], "appliance");
        applianceChoice = { installed: absolutePath(appliance.installed, "appliance.installed") };
    } else {
        checkKeys(appliance, ["ova", "sha1"], "appliance");
        applianceChoice = {
            ova: absolutePath(appliance.ova, "appliance.ova"),
            sha1: nullableString(appliance.sha1, "appliance.sha1", /^[0-9a-fA-F]{40}$/, "40 hex digits")?.toLowerCase() ?? null,
        };
    }

    if (typeof obj.adminPassword !== "string" || obj.adminPassword === "")
        fail("adminPassword", "must be the engine's admin@internal password");
    const rootPassword = nullableString(obj.rootPassword, "rootPassword");
    if (rootPassword === "")
        fail("rootPassword", "must not be empty (leave it out to keep the appliance's)");
    const access = nullableString(obj.rootSshAccess, "rootSshAccess", /^(yes|no|without-password)$/, "yes, no or without-password");

    let diskSizeGiB: number | null = null;
    if (obj.diskSizeGiB !== undefined && obj.diskSizeGiB !== null) {
        if (typeof obj.diskSizeGiB !== "number" || !Number.isInteger(obj.diskSizeGiB) || obj.diskSizeGiB < 1 || obj.diskSizeGiB > 65536)
            fail("diskSizeGiB", "must be a whole number of GiB between 1 and 65536");
        diskSizeGiB = obj.diskSizeGiB;
    }
    for (const flag of ["addHostToEtcHosts", "acceptUnsupportedVersions"]) {
        if (obj[flag] !== undefined && typeof obj[flag] !== "boolean")
            fail(flag, "must be true or false");
    }

    return {
        plan: {
            backupArchive: absolutePath(obj.backupArchive, "backupArchive"),
            appliance: applianceChoice,
            rootSshKey: nullableString(obj.rootSshKey, "rootSshKey", SSH_KEY, "one OpenSSH public key line"),
            rootSshAccess: access as RootSshAccess | null,
            addHostToEtcHosts: obj.addHostToEtcHosts === true,
            diskSizeGiB,
            acceptUnsupportedVersions: obj.acceptUnsupportedVersions === true,
        },
        secrets: { adminPassword: obj.adminPassword, rootPassword },
    };
}
