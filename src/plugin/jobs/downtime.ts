// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade's downtime, estimated for the review and measured from the
 * job's steps afterwards, in the same parts so the result can set one beside
 * the other.
 *
 * Copy and write: the engine disk read once to the backup disk, the appliance
 * written once over the engine disk, at the rate the helper read the appliance
 * OVA on this host in the Appliance step (the only data this page has seen
 * move here); without that reading, or with an OVA too small to say anything
 * (MIN_MEASURED_BYTES), an assumed rate for shared storage.
 *
 * The appliance's own work is a figure of its own: booting the new VM,
 * restoring the engine backup and running engine-setup until the engine
 * answers do not depend on the disk's size, and nothing on this host measures
 * them before the first upgrade. A real 4.0 appliance spends minutes there
 * (engine-setup alone upgrades the restored database and sets up every
 * service); the page assumes 10 minutes and says that it does.
 */

import type { DowntimeEstimate } from "../../protocol";
import type { JobView, StepView } from "./job-view";

export const ASSUMED_BYTES_PER_SECOND = 150 * 1024 ** 2;
/* a reading shorter than this is mostly the helper's start, not data moving: no measure of a rate */
export const MIN_MEASURED_BYTES = 256 * 1024 ** 2;
/** the engine's shutdown, growing its disk, one libguestfs launch */
export const OTHER_SECONDS = 30;
export const ASSUMED_APPLIANCE_SECONDS = 10 * 60;

export function estimateDowntime(engineDiskBytes: number, applianceBytes: number, measuredBytesPerSecond: number | null): DowntimeEstimate {
    const measured = measuredBytesPerSecond !== null && measuredBytesPerSecond > 0;
    const bytesPerSecond = measured ? measuredBytesPerSecond : ASSUMED_BYTES_PER_SECOND;
    const dataSeconds = Math.round((engineDiskBytes + applianceBytes) / bytesPerSecond);
    return {
        dataSeconds,
        bytesPerSecond: Math.round(bytesPerSecond),
        rateSource: measured ? "measured" : "assumed",
        otherSeconds: OTHER_SECONDS,
        applianceSeconds: ASSUMED_APPLIANCE_SECONDS,
        totalSeconds: dataSeconds + OTHER_SECONDS + ASSUMED_APPLIANCE_SECONDS,
    };
}

/** The same parts as the estimate, as the job took them. */
export interface ActualDowntime {
    dataSeconds: number;
    applianceSeconds: number;
    otherSeconds: number;
    totalSeconds: number;
}

const DATA_STEPS = ["copy-to-backup", "write-appliance"];
const APPLIANCE_STEPS = ["boot-appliance", "engine-setup", "engine-health"];

function seconds(steps: StepView[], ids: string[]): number {
    return steps.filter(s => ids.includes(s.id) && s.startedAt && s.endedAt && s.state === "done")
            .reduce((sum, s) => sum + (Date.parse(s.endedAt ?? "") - Date.parse(s.startedAt ?? "")) / 1000, 0);
}

/** The finished downtime's parts; null while the engine has not come back. */
export function actualDowntime(view: JobView): ActualDowntime | null {
    if (view.engineDownSince === null || view.engineUpAt === null)
        return null;
    const totalSeconds = Math.max(0, Math.round((Date.parse(view.engineUpAt) - Date.parse(view.engineDownSince)) / 1000));
    const dataSeconds = Math.round(seconds(view.steps, DATA_STEPS));
    const applianceSeconds = Math.round(seconds(view.steps, APPLIANCE_STEPS));
    return { dataSeconds, applianceSeconds, otherSeconds: Math.max(0, totalSeconds - dataSeconds - applianceSeconds), totalSeconds };
}
