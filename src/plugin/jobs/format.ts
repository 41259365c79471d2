// SPDX-License-Identifier: LGPL-2.1-or-later

/* How durations and sizes read on the progress, review and rollback pages. */

import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

export function formatDuration(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60)
        return cockpit.format(_("$0 s"), s);
    const minutes = Math.floor(s / 60);
    if (minutes < 60)
        return cockpit.format(_("$0 min $1 s"), minutes, String(s % 60).padStart(2, "0"));
    return cockpit.format(_("$0 h $1 min"), Math.floor(minutes / 60), String(minutes % 60).padStart(2, "0"));
}

/** Disk and image sizes in binary units (GiB), as oVirt and qemu-img give them. */
export function formatBytes(bytes: number): string {
    return cockpit.format_bytes(bytes, 1024);
}
