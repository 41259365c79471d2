// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the page sends on stdin to restore or delete a backup disk, or to log
 * in to the engine. The backup is named by its image UUID, the one thing that
 * cannot be confused with another disk; unknown fields are errors, as in the
 * upgrade plan.
 */

import type { DeleteBackupInput, EngineLoginInput, RollbackPlan } from "../../protocol/plans";
import { fieldError, parseJsonObject, type JsonObject, type StdinInput } from "../stdin-json";

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function backupUuid(obj: JsonObject, what: StdinInput): string {
    if (typeof obj.backup !== "string" || !UUID_PATTERN.test(obj.backup))
        throw fieldError(what, "backup", "input.backup-uuid");
    return obj.backup;
}

export function parseRollbackPlan(source: string): RollbackPlan {
    const obj = parseJsonObject(source, "rollback plan", ["backup"]);
    return { backup: backupUuid(obj, "rollback plan") };
}

export function parseDeleteBackupPlan(source: string): DeleteBackupInput {
    const obj = parseJsonObject(source, "delete plan", ["backup", "adminPassword", "allowLastVerified"]);
    if (typeof obj.adminPassword !== "string" || obj.adminPassword === "")
        throw fieldError("delete plan", "adminPassword", "input.admin-password");
    if (obj.allowLastVerified !== undefined && typeof obj.allowLastVerified !== "boolean")
        throw fieldError("delete plan", "allowLastVerified", "input.boolean");
    return { backup: backupUuid(obj, "delete plan"), allowLastVerified: obj.allowLastVerified === true, adminPassword: obj.adminPassword };
}

/** The admin password for `engine-login` and `backups --ask-engine`: {"adminPassword": "..."} on stdin. */
export function parseEngineLogin(source: string): EngineLoginInput {
    const obj = parseJsonObject(source, "engine login", ["adminPassword"]);
    if (typeof obj.adminPassword !== "string" || obj.adminPassword === "")
        throw fieldError("engine login", "adminPassword", "input.admin-password-needed");
    return { adminPassword: obj.adminPassword };
}
