// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What booting the appliance needs, checked before anything changes (issue 14,
 * finding 4a): the job boots it from this host's vm.conf (ovirt-formats.md 4.3)
 * with the cloud-init seed on its cdrom, after the engine disk was overwritten.
 * A vm.conf that cannot be read, has no cdrom or no engine disk would fail
 * there, with the old engine already gone. Likewise the paths the job hands to
 * vm.conf, genisoimage, qemu and guestfish (the seed ISO under the job's
 * directory, the engine backup's copy and its place in the guest) are checked
 * here, not where a refusal would come too late.
 */

import fs from "node:fs";
import path from "node:path";

import { text, type Text } from "../../../protocol/text";
import { hostPath, type HelperConfig } from "../../config";
import { HelperError } from "../../errors";
import { USER_FILE_LIMITS } from "../../host/user-file";
import { openRegularFile, readUpTo, RegularFileRefused } from "../../regular-file";
import { attachCdrom, parseVmConf } from "../../formats/vm-conf";
import { guestPathProblem, hostPathProblem } from "../../guestfish";
import { seedDirProblem } from "../../iso";
import { COPY_NAMES } from "./backup";
import { type CheckList, listOf, reasonOf } from "./check-list";

/** Where ovirt-ha-agent writes the engine VM's definition, and the job boots it from. */
export const LOCAL_VM_CONF = "/var/run/ovirt-hosted-engine-ha/vm.conf";
/** A vm.conf is a few KiB: the limit a user's vm.conf has too. */
export const MAX_VM_CONF_BYTES = USER_FILE_LIMITS.vmConf;

/* A job directory as the job store names it (jobs/<yyyymmddThhmmss-xxxxxx>/work): only its state directory can vary. */
const SAMPLE_WORK_DIR = (config: HelperConfig) => path.join(config.stateDir, "jobs", "20260101T000000-000000", "work");

function readVmConf(config: HelperConfig): string {
    let opened: { fd: number; size: number };
    try {
        opened = openRegularFile(hostPath(config, LOCAL_VM_CONF), MAX_VM_CONF_BYTES);
    } catch (err) {
        if (!(err instanceof RegularFileRefused))
            throw err;
        if (["missing", "not-a-directory", "unreadable"].includes(err.problem))
            throw new HelperError("config-invalid", LOCAL_VM_CONF, text("preflight.vm-conf.unreadable", { file: LOCAL_VM_CONF }), err.errno ?? undefined);
        throw new HelperError("format-invalid", LOCAL_VM_CONF, text("preflight.vm-conf.too-large", { file: LOCAL_VM_CONF, limit: MAX_VM_CONF_BYTES }));
    }
    try {
        return readUpTo(opened.fd, opened.size).toString("utf8");
    } finally {
        fs.closeSync(opened.fd);
    }
}

/** The engine VM's vm.conf: readable, as vdsClient reads it, with a cdrom to attach the seed to and the engine disk. */
export function checkVmConf(config: HelperConfig, engineImgUUID: string, checks: CheckList): void {
    const seedIso = path.join(SAMPLE_WORK_DIR(config), "seed", "seed.iso");
    try {
        const content = readVmConf(config);
        // the seed path itself is the tool-paths check's: any plain path shows whether the cdrom takes one
        attachCdrom(content, "/var/tmp/seed.iso", LOCAL_VM_CONF);
        const params = parseVmConf(content, LOCAL_VM_CONF);
        const hasDisk = typeof params.xml === "string"
            ? engineImgUUID !== "" && params.xml.includes(engineImgUUID)
            : params.devices.some(d => d.device === "disk" && engineImgUUID !== "" && d.imageID === engineImgUUID);
        if (!hasDisk) {
            checks.add("engine-vm-conf", "fail", text("preflight.vm-conf.fail", { reason: text("vm-conf.no-disk", { file: LOCAL_VM_CONF }) }));
            return;
        }
        checks.add("engine-vm-conf", "pass", text("preflight.vm-conf.pass", { file: LOCAL_VM_CONF, seed: seedIso }));
    } catch (err) {
        checks.add("engine-vm-conf", "fail", text("preflight.vm-conf.fail", { reason: reasonOf(err) }));
    }
}

/** The paths the job will give vm.conf, genisoimage, qemu and guestfish, each as that tool takes it. */
export function checkToolPaths(config: HelperConfig, checks: CheckList): void {
    const work = SAMPLE_WORK_DIR(config);
    const seedDir = path.join(work, "seed");
    const seedIso = path.join(seedDir, "seed.iso");
    // the job injects its private copy, named by its compression, never the user's file name
    const longestCopyName = Object.values(COPY_NAMES).reduce((a, b) => (b.length > a.length ? b : a));
    const backupCopy = path.join(work, "inject", longestCopyName);
    const guestPath = `/root/${longestCopyName}`;
    const problems: Text[] = [];
    const add = (problem: Text | null) => {
        if (problem)
            problems.push(problem);
    };
    add(seedDirProblem(seedDir));
    try {
        // the seed ISO's path goes into vm.conf's cdrom
        attachCdrom("devices={device:cdrom,path:}", seedIso, LOCAL_VM_CONF);
    } catch (err) {
        problems.push(reasonOf(err));
    }
    add(hostPathProblem(backupCopy));
    add(guestPathProblem(guestPath));
    if (problems.length > 0)
        checks.add("tool-paths", "fail", text("preflight.tool-paths.fail", { reasons: listOf(problems, "list.semicolons") }));
    else
        checks.add("tool-paths", "pass", text("preflight.tool-paths.pass", { dir: config.stateDir, guest: guestPath }));
}
