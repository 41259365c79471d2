// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * This host's time zone, which the original gives the new engine VM when the
 * answers have none (gr-he-common/vm/cloud_init.py 2.1+ `_get_host_tz`: the
 * path /etc/localtime links to, relative to /usr/share/zoneinfo; nothing when it
 * is not such a link). Read under the configured root; /etc/timezone (Debian's
 * file) is the fallback. Only a name of zoneinfo's form is returned.
 */

import fs from "node:fs";
import path from "node:path";

import { hostPath, type HelperConfig } from "../config";

const ZONEINFO = "/usr/share/zoneinfo/";
const ZONE_NAME = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+){0,2}$/;

export function isTimeZoneName(value: string): boolean {
    return ZONE_NAME.test(value) && value.length <= 64;
}

function fromLocaltime(config: HelperConfig): string | null {
    let target: string;
    try {
        target = fs.readlinkSync(hostPath(config, "/etc/localtime"));
    } catch {
        return null;
    }
    // the link's target as the host sees it: relative to /etc, or absolute on the host
    const onHost = path.posix.resolve("/etc", target);
    return onHost.startsWith(ZONEINFO) ? onHost.slice(ZONEINFO.length) : null;
}

function fromTimezoneFile(config: HelperConfig): string | null {
    try {
        return fs.readFileSync(hostPath(config, "/etc/timezone"), "utf8").trim() || null;
    } catch {
        return null;
    }
}

/** The host's time zone name, e.g. "Europe/Berlin"; null when it cannot be told. */
export function hostTimeZone(config: HelperConfig): string | null {
    const zone = fromLocaltime(config) ?? fromTimezoneFile(config);
    return zone !== null && isTimeZoneName(zone) ? zone : null;
}
