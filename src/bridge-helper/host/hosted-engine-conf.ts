// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * /etc/ovirt-hosted-engine/hosted-engine.conf, the one file that says this is
 * a hosted-engine host and where its engine VM and disk are. Read here only,
 * once per process: every verb and step sees the same values.
 */

import fs from "node:fs";

import { hostPath, type HelperConfig } from "../config";
import { text } from "../../protocol/text";
import { HelperError } from "../errors";
import { parseHostedEngineConf, type HostedEngineConf as ParsedHostedEngineConf } from "../formats/hosted-engine-conf";

export const HOSTED_ENGINE_CONF = "/etc/ovirt-hosted-engine/hosted-engine.conf";

/** hosted-engine.conf as parsed, with the fields the helper needs beyond the parser's own. */
export interface HostedEngineConf extends ParsedHostedEngineConf {
    /** the engine VM's disk: vm_disk_id and vm_disk_vol_id; "" when absent (checked where needed) */
    imgUUID: string;
    volUUID: string;
    /** the configuration volume on the shared storage (3.6 level); "" when absent */
    confImageUUID: string;
    confVolumeUUID: string;
}

let cached: { file: string; conf: HostedEngineConf | null } | null = null;

function load(config: HelperConfig): HostedEngineConf | null {
    const file = hostPath(config, HOSTED_ENGINE_CONF);
    if (cached?.file === file)
        return cached.conf;
    let content: string;
    try {
        content = fs.readFileSync(file, "utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT")
            throw new HelperError("config-invalid", HOSTED_ENGINE_CONF, text("he-conf.unreadable", { file: HOSTED_ENGINE_CONF }), (err as Error).message);
        cached = { file, conf: null };
        return null;
    }
    const parsed = parseHostedEngineConf(content, HOSTED_ENGINE_CONF);
    const value = (key: string) => parsed.values.get(key) ?? "";
    const conf: HostedEngineConf = {
        ...parsed,
        imgUUID: value("vm_disk_id"),
        volUUID: value("vm_disk_vol_id"),
        confImageUUID: value("conf_image_UUID"),
        confVolumeUUID: value("conf_volume_UUID"),
    };
    cached = { file, conf };
    return conf;
}

/** hosted-engine.conf, or null on a host that has none (not a hosted-engine host). */
export function hostedEngineConfIfAny(config: HelperConfig): HostedEngineConf | null {
    return load(config);
}

/** hosted-engine.conf; a host without one is refused as not a hosted-engine host. */
export function hostedEngineConf(config: HelperConfig): HostedEngineConf {
    const conf = load(config);
    if (conf === null)
        throw new HelperError("not-hosted-engine", HOSTED_ENGINE_CONF, text("he-conf.missing", { file: HOSTED_ENGINE_CONF }));
    return conf;
}

/** Forget what was read: for tests that change the file within one process. */
export function forgetHostedEngineConf(): void {
    cached = null;
}
