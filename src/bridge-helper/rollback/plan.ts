// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the page sends on stdin to restore or delete a backup disk. The backup
 * is named by its image UUID, the one thing that cannot be confused with
 * another disk; unknown fields are errors, as in the upgrade plan.
 */

import { HelperError } from "../errors";

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface RollbackPlan {
    /** the backup disk's image UUID */
    backup: string;
}

export interface DeleteBackupPlan {
    backup: string;
    /** the last verified backup is only deleted when this is set */
    allowLastVerified: boolean;
}

type Json = Record<string, unknown>;

function parseObject(text: string, what: string, allowed: string[]): Json {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch {
        throw new HelperError("usage", what, `The ${what} on stdin is not JSON`);
    }
    if (typeof data !== "object" || data === null || Array.isArray(data))
        throw new HelperError("usage", what, `The ${what} must be a JSON object`);
    for (const key of Object.keys(data)) {
        if (!allowed.includes(key))
            throw new HelperError("usage", `${what}: ${key}`, `The ${what}'s ${key} is not a field it has`);
    }
    return data as Json;
}

function backupUuid(obj: Json, what: string): string {
    if (typeof obj.backup !== "string" || !UUID_PATTERN.test(obj.backup))
        throw new HelperError("usage", `${what}: backup`, `The ${what}'s backup must be the backup disk's image UUID (lower-case 8-4-4-4-12 hex)`);
    return obj.backup;
}

export function parseRollbackPlan(text: string): RollbackPlan {
    const obj = parseObject(text, "rollback plan", ["backup"]);
    return { backup: backupUuid(obj, "rollback plan") };
}

export function parseDeleteBackupPlan(text: string): { plan: DeleteBackupPlan; adminPassword: string } {
    const obj = parseObject(text, "delete plan", ["backup", "adminPassword", "allowLastVerified"]);
    if (typeof obj.adminPassword !== "string" || obj.adminPassword === "")
        throw new HelperError("usage", "delete plan: adminPassword", "The delete plan's adminPassword must be the engine's admin@internal password");
    if (obj.allowLastVerified !== undefined && typeof obj.allowLastVerified !== "boolean")
        throw new HelperError("usage", "delete plan: allowLastVerified", "The delete plan's allowLastVerified must be true or false");
    return { plan: { backup: backupUuid(obj, "delete plan"), allowLastVerified: obj.allowLastVerified === true }, adminPassword: obj.adminPassword };
}

/** The admin password for `backups --ask-engine`: {"adminPassword": "..."} on stdin. */
export function parseEngineLogin(text: string): string {
    const obj = parseObject(text, "engine login", ["adminPassword"]);
    if (typeof obj.adminPassword !== "string" || obj.adminPassword === "")
        throw new HelperError("usage", "engine login: adminPassword", "The engine's admin@internal password is needed on stdin");
    return obj.adminPassword;
}
