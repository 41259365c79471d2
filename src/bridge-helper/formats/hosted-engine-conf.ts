// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * /etc/ovirt-hosted-engine/hosted-engine.conf: plain key=value lines, also sourced
 * by the hosted-engine shell script. Like ovirt-ha's reader we split on the first
 * "=" and strip the value; quotes stay part of the value (ca_subject keeps them).
 */

import { text } from "../../protocol/text";
import { HelperError } from "../errors";

export interface HostedEngineConf {
    /** every key as written, for the fields we do not model */
    values: ReadonlyMap<string, string>;
    fqdn: string;
    hostId: number;
    vmId: string;
    sdUUID: string;
    spUUID: string;
}

export function parseHostedEngineConf(content: string, source: string): HostedEngineConf {
    const values = new Map<string, string>();
    for (const rawLine of content.split("\n")) {
        const line = rawLine.trim();
        if (line === "" || line.startsWith("#"))
            continue;
        const eq = line.indexOf("=");
        if (eq <= 0)
            throw new HelperError("format-invalid", source, text("conf.line-invalid", { file: source, line }));
        values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }

    const required = (key: string): string => {
        const value = values.get(key);
        if (value === undefined || value === "")
            throw new HelperError("format-invalid", `${source}: ${key}`, text("conf.value-missing", { file: source, key }));
        return value;
    };

    const hostIdText = required("host_id");
    if (!/^[1-9][0-9]*$/.test(hostIdText))
        throw new HelperError("format-invalid", `${source}: host_id`,
                              text("hosted-engine-conf.host-id-invalid", { file: source, value: hostIdText }));

    return {
        values,
        fqdn: required("fqdn"),
        hostId: Number(hostIdText),
        vmId: required("vmid"),
        sdUUID: required("sdUUID"),
        spUUID: values.get("spUUID") ?? "",
    };
}
