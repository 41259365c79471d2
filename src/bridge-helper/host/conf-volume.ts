// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The configuration volume on the hosted-engine storage domain
 * (ovirt-upgrade-flow.md section 2, ovirt-formats.md 3.3): an uncompressed tar
 * at offset 0 holding version, fhanswers.conf, hosted-engine.conf, broker.conf
 * and vm.conf. The original read it with `sudo -u vdsm dd if=<volpath> bs=4k |
 * tar -xOf - fhanswers.conf`, the path from vdsm's Image.prepare. Here dd runs
 * as the disk user too (the domain is root-squashed NFS) but reads at most
 * MAX_BYTES: the archive is a few KiB at the start of a 1 GiB volume, and the
 * tar is taken apart in memory.
 */

import type { Readable } from "node:stream";

import { text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { errorText, HelperError } from "../errors";
import { tarMembers } from "../formats/tar-members";
import { streamOutput } from "../process";
import { asDiskUser } from "../qemu-img";
import { prepareVolume } from "./engine-disk";
import { HOSTED_ENGINE_CONF, type HostedEngineConf } from "./hosted-engine-conf";
import type { VdsmClient } from "./vdsm-session";

const BLOCK = 4096;
export const MAX_BYTES = 4 * 1024 * 1024;

async function collect(stream: Readable, limit: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (length < limit)
            chunks.push(chunk.subarray(0, limit - length));
        length += chunk.length;
    }
    return Buffer.concat(chunks);
}

/** The first `limit` bytes of a volume, read as the disk user. */
export async function readVolumeStart(config: HelperConfig, file: string, limit = MAX_BYTES): Promise<Buffer> {
    const [cmd, args] = asDiskUser(config, config.commands.dd,
                                   [`if=${file}`, `bs=${BLOCK}`, `count=${Math.ceil(limit / BLOCK)}`, "status=none"]);
    const { stdout, done } = streamOutput(cmd, args);
    const [data] = await Promise.all([collect(stdout, limit), done]);
    return data;
}

/** One member of the archive at the start of `data`, as text. */
export function confMember(data: Buffer, name: string): string {
    const members = tarMembers(data);
    if (members === null)
        throw new HelperError("format-invalid", "configuration volume", text("conf-volume.not-tar"));
    const member = members.find(m => m.name === name);
    if (!member)
        throw new HelperError("format-invalid", `configuration volume: ${name}`, text("conf-volume.no-member", { name }));
    return member.data.toString("utf8");
}

/** fhanswers.conf from the configuration volume that hosted-engine.conf names, prepared by vdsm. */
export async function readDeployAnswers(config: HelperConfig, vdsm: VdsmClient, conf: HostedEngineConf): Promise<string> {
    if (!conf.confImageUUID || !conf.confVolumeUUID)
        throw new HelperError("format-invalid", `${HOSTED_ENGINE_CONF}: conf_volume_UUID`, text("conf-volume.no-ids"));
    try {
        const file = await prepareVolume(vdsm, conf.sdUUID, conf.confImageUUID, conf.confVolumeUUID);
        return confMember(await readVolumeStart(config, file), "fhanswers.conf");
    } catch (err) {
        if (err instanceof HelperError && err.code === "format-invalid")
            throw err;
        throw new HelperError("command-failed", "configuration volume", text("conf-volume.unreadable", { reason: errorText(err) }),
                              err instanceof HelperError ? err.detail : undefined);
    }
}
