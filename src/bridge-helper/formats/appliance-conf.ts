// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * /etc/ovirt-hosted-engine/*-appliance.conf, the discovery snippet of an
 * installed engine appliance (ovirt-formats.md 2.1): key=value lines without a
 * section; hosted-engine-setup requires description, version, path and sha1sum.
 * The file may be anything a user pointed at (/etc/shadow): a problem names
 * the line by its number, never quotes it.
 */

import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { hasControlCharacter } from "../host/user-file";

export interface ApplianceConf {
    description: string;
    version: string;
    /** the OVA's path on the host */
    path: string;
    /** 40 lowercase hex digits */
    sha1sum: string;
}

const REQUIRED = ["description", "version", "path", "sha1sum"] as const;
const MAX_LINE = 4096;

export function parseApplianceConf(content: string, source: string): ApplianceConf {
    const values = new Map<string, string>();
    for (const [index, raw] of content.split("\n").entries()) {
        const line = raw.trim();
        if (line.length > MAX_LINE)
            throw new HelperError("format-invalid", source, text("conf.line-too-long", { file: source, line: index + 1, limit: MAX_LINE }));
        if (line === "" || line.startsWith("#") || line.startsWith(";"))
            continue;
        const eq = line.indexOf("=");
        if (eq <= 0 || hasControlCharacter(line, "\t"))
            throw new HelperError("format-invalid", source, text("conf.line-number-invalid", { file: source, line: index + 1 }));
        values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
    for (const key of REQUIRED) {
        if (!values.get(key))
            throw new HelperError("format-invalid", `${source}: ${key}`, text("conf.value-missing", { file: source, key }));
    }
    const sha1sum = (values.get("sha1sum") ?? "").toLowerCase();
    if (!/^[0-9a-f]{40}$/.test(sha1sum))
        throw new HelperError("format-invalid", `${source}: sha1sum`, text("appliance-conf.sha1-invalid", { file: source }));
    const path = values.get("path") ?? "";
    if (!path.startsWith("/"))
        throw new HelperError("format-invalid", `${source}: path`, text("appliance-conf.path-not-absolute", { file: source }));
    const version = values.get("version") ?? "";
    if (!/^[0-9A-Za-z._-]{1,64}$/.test(version))
        throw new HelperError("format-invalid", `${source}: version`, text("appliance-conf.version-invalid", { file: source }));
    return { description: values.get("description") ?? "", version, path, sha1sum };
}
