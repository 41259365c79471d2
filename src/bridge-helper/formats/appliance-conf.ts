// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * /etc/ovirt-hosted-engine/*-appliance.conf, the discovery snippet of an
 * installed engine appliance (ovirt-formats.md 2.1): key=value lines without a
 * section; hosted-engine-setup requires description, version, path and sha1sum.
 */

import { text } from "../../protocol/text";
import { HelperError } from "../errors";

export interface ApplianceConf {
    description: string;
    version: string;
    /** the OVA's path on the host */
    path: string;
    /** 40 lowercase hex digits */
    sha1sum: string;
}

const REQUIRED = ["description", "version", "path", "sha1sum"] as const;

export function parseApplianceConf(content: string, source: string): ApplianceConf {
    const values = new Map<string, string>();
    for (const raw of content.split("\n")) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#") || line.startsWith(";"))
            continue;
        const eq = line.indexOf("=");
        if (eq <= 0)
            throw new HelperError("format-invalid", source, text("conf.line-invalid", { file: source, line }));
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
        throw new HelperError("format-invalid", `${source}: path`, text("appliance-conf.path-relative", { file: source, path }));
    return { description: values.get("description") ?? "", version: values.get("version") ?? "", path, sha1sum };
}
