// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The hosted-engine storage domain as vdsm shows it: which volumes are backup
 * disks, and their digests. A backup disk is found the way the
 * original rollback found it (ovirt-upgrade-flow.md section 4): a volume whose
 * description is JSON with a DiskDescription starting "hosted-engine-backup-".
 * Images or volumes that cannot be read are skipped, as there.
 */

import type { HelperConfig } from "../config";
import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { runChecked } from "../process";
import { asDiskUser } from "../qemu-img";
import { BLANK_UUID, type VdsmClient } from "./vdsm-session";

export const BACKUP_PREFIX = "hosted-engine-backup-";

export interface BackupVolume {
    label: string;
    imgUUID: string;
    volUUID: string;
    /** seconds since the epoch, from the volume's CTIME; null when absent */
    ctime: number | null;
    capacity: number;
    apparentSize: number;
    trueSize: number;
}

/** The DiskDescription of a volume description, or null when it is not the engine's JSON. */
export function diskDescription(description: unknown): string | null {
    if (typeof description !== "string" || !description.startsWith("{"))
        return null;
    try {
        const parsed = JSON.parse(description) as { DiskDescription?: unknown };
        return typeof parsed.DiskDescription === "string" ? parsed.DiskDescription : null;
    } catch {
        return null;
    }
}

export async function findBackupVolumes(vdsm: VdsmClient, sdUUID: string): Promise<BackupVolume[]> {
    const found: BackupVolume[] = [];
    for (const imgUUID of await vdsm.images(sdUUID)) {
        let volumes: string[];
        try {
            volumes = await vdsm.volumes(sdUUID, BLANK_UUID, imgUUID);
        } catch {
            continue;
        }
        for (const volUUID of volumes) {
            let info: Record<string, unknown>;
            try {
                info = await vdsm.volumeInfo(sdUUID, BLANK_UUID, imgUUID, volUUID);
            } catch {
                continue;
            }
            const label = diskDescription(info.description);
            if (label === null || !label.startsWith(BACKUP_PREFIX))
                continue;
            const ctime = Number(info.ctime);
            found.push({
                label, imgUUID, volUUID,
                ctime: Number.isFinite(ctime) && ctime > 0 ? ctime : null,
                capacity: Number(info.capacity),
                apparentSize: Number(info.apparentsize),
                trueSize: Number(info.truesize),
            });
        }
    }
    return found;
}

/** sha256 of a whole volume, read as the disk user (root may not read an NFS domain). */
export async function volumeDigest(config: HelperConfig, file: string): Promise<string> {
    const [cmd, args] = asDiskUser(config, config.commands.sha256sum, ["--", file]);
    const out = await runChecked(cmd, args, { timeoutMs: 6 * 3600_000 });
    const digest = out.stdout.trim().split(/\s+/)[0];
    if (!/^[0-9a-f]{64}$/.test(digest))
        throw new HelperError("command-failed", "sha256sum", text("program.no-digest", { file }), out.stdout.slice(0, 200));
    return digest;
}
