// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade job (ovirt-upgrade-flow.md steps 7-17) as named steps. Before
 * the engine goes down: read the appliance, build the seed, create the backup
 * disk. Then: shut the engine VM down, copy its disk to the backup disk and
 * verify the copy (a failed copy or verification stops the job before anything
 * is overwritten: the original only logged it), grow the engine disk, write the
 * appliance, inject the engine backup, boot, follow engine-setup on the setup
 * channel, wait for the engine's health, register the backup disk in the new
 * engine and shut the new engine VM down for HA to take over.
 */

import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import { hostPath, type HelperConfig } from "../config";
import { EngineApi } from "../engine-api";
import { HelperError } from "../errors";
import { hashRootPassword, metaData, userData } from "../formats/cloud-init";
import { readOva } from "../formats/ova";
import { attachCdrom, parseVmConf } from "../formats/vm-conf";
import { uploadIntoGuest } from "../guestfish";
import { buildSeedIso } from "../iso";
import type { Facts, JobKind, Step, StepContext } from "../jobs/runner";
import { convert, sameContent } from "../qemu-img";
import { volumeDigest } from "../storage";
import { BLANK_UUID, VdsmClient } from "../vdsm";
import type { UpgradePlan, UpgradeSecrets } from "./plan";
import type { Survey } from "./preflight";

export interface UpgradeJobPlan {
    plan: UpgradePlan;
    survey: Survey;
    workDir: string;
}

type Ctx = StepContext<UpgradeJobPlan, UpgradeSecrets>;

export const CHANNEL = "org.ovirt.hosted-engine-setup.0";
const LOCAL_VM_CONF = "/var/run/ovirt-hosted-engine-ha/vm.conf";

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/*
 * While the engine is down every second of waiting is downtime: vdsm on this
 * host and the engine's health page are cheap to ask, so they are asked often.
 */
const VM_STATUS_POLL_MS = 250;
const SPM_TASK_POLL_MS = 200;
const HEALTH_POLL_MS = 500;

async function withVdsm<T>(config: HelperConfig, work: (vdsm: VdsmClient) => Promise<T>): Promise<T> {
    const vdsm = await VdsmClient.connect(config);
    try {
        return await work(vdsm);
    } finally {
        vdsm.close();
    }
}

function backupLabel(date: Date): string {
    const pad = (n: number) => String(n).padStart(2, "0");
    return `hosted-engine-backup-${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}` +
        `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

function md5File(file: string): string {
    return createHash("md5").update(fs.readFileSync(file)).digest("hex");
}

async function waitForVmDown(ctx: Ctx, vdsm: VdsmClient, vmId: string, graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    for (;;) {
        const status = await vdsm.vmStatus(vmId);
        if (status === null)
            return;
        if (status === "Down") {
            await vdsm.destroyVm(vmId);
            return;
        }
        if (Date.now() > deadline) {
            ctx.log("warning", `The engine VM is still ${status} after ${graceMs / 1000} s: powering it off`);
            await vdsm.destroyVm(vmId);
            return;
        }
        await sleep(VM_STATUS_POLL_MS);
    }
}

async function waitForDisk(api: EngineApi, id: string, ctx: Ctx, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const disk = await api.disk(id);
        if (disk?.status === "ok")
            return;
        if (disk && disk.status !== "locked")
            throw new HelperError("command-failed", "backup disk", `The backup disk is ${disk.status}`);
        if (Date.now() > deadline)
            throw new HelperError("command-failed", "backup disk", `The backup disk is still ${disk?.status ?? "missing"} after ${timeoutMs / 1000} s`);
        await sleep(1000);
    }
}

/** Reads the setup channel until engine-setup's marker; every line becomes a log event. */
function followSetup(config: HelperConfig, ctx: Ctx, vmId: string, stallMs: number): Promise<void> {
    const socketPath = path.join(config.channelsDir, `${vmId}.${CHANNEL}`);
    return new Promise((resolve, reject) => {
        let buffer = "";
        let restoreFailed = false;
        let stallTimer: NodeJS.Timeout | null = null;
        const socket = net.createConnection(socketPath);
        const finish = (err?: Error) => {
            if (stallTimer)
                clearTimeout(stallTimer);
            socket.destroy();
            if (err)
                reject(err);
            else
                resolve();
        };
        const armStall = () => {
            if (stallTimer)
                clearTimeout(stallTimer);
            stallTimer = setTimeout(() => finish(new HelperError("command-failed", "engine-setup",
                `Engine setup is stalled on the appliance: nothing for ${stallMs / 1000} s`)), stallMs);
        };
        armStall();
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => {
            armStall();
            buffer += chunk;
            let newline;
            while ((newline = buffer.indexOf("\n")) >= 0) {
                const line = buffer.slice(0, newline).replace(/\r$/, "");
                buffer = buffer.slice(newline + 1);
                ctx.log("info", line, "appliance");
                if (line.includes("HE_APPLIANCE_ENGINE_RESTORE_FAIL"))
                    restoreFailed = true;
                if (line.includes("HE_APPLIANCE_ENGINE_SETUP_SUCCESS")) {
                    if (restoreFailed)
                        return finish(new HelperError("command-failed", "engine-backup", "engine-backup failed restoring the engine backup on the appliance"));
                    return finish();
                }
                if (line.includes("HE_APPLIANCE_ENGINE_SETUP_FAIL"))
                    return finish(new HelperError("command-failed", restoreFailed ? "engine-backup" : "engine-setup",
                        restoreFailed ? "engine-backup failed restoring the engine backup on the appliance" : "Engine setup failed on the appliance"));
            }
        });
        socket.on("error", err => finish(new HelperError("command-failed", socketPath, `Failed to connect to the appliance's setup channel: ${err.message}`)));
        socket.on("end", () => finish(new HelperError("command-failed", socketPath, "The appliance's setup channel closed before engine-setup finished")));
    });
}

export function upgradeSteps(config: HelperConfig): Step<UpgradeJobPlan, UpgradeSecrets>[] {
    const s = (ctx: Ctx) => ctx.plan.survey;
    return [
        {
            id: "extract-appliance",
            title: "Read the appliance (sha1, OVF, disk)",
            destructive: false,
            apply: async ctx => {
                fs.mkdirSync(ctx.plan.workDir, { recursive: true, mode: 0o700 });
                const report = await readOva(hostPath(config, s(ctx).ova), {
                    extractDiskTo: ctx.plan.workDir,
                    ...(s(ctx).ovaReport?.sha1 ? { expectedSha1: s(ctx).ovaReport?.sha1 } : {}),
                    onProgress: (done, total) => ctx.progress(done, total),
                });
                if (report.problems.length > 0 || !report.disk?.extractedTo)
                    throw new HelperError("format-invalid", s(ctx).ova, report.problems.join(" ") || "The OVA's disk was not extracted");
                return { applianceDisk: report.disk.extractedTo, applianceFormat: report.disk.format, ovaBytesRead: report.bytesRead };
            },
        },
        {
            id: "build-seed",
            title: "Build the cloud-init seed",
            destructive: false,
            apply: async ctx => {
                const backup = s(ctx).backup;
                const options = {
                    vmId: s(ctx).conf.vmId,
                    engineFqdn: s(ctx).conf.fqdn,
                    backupGuestPath: `/root/${path.basename(ctx.plan.plan.backupArchive)}`,
                    restoreDwh: backup?.dwh ?? false,
                    restoreReports: backup?.reports ?? false,
                    rootPasswordHash: ctx.secrets.rootPassword ? hashRootPassword(ctx.secrets.rootPassword) : null,
                    rootSshKey: ctx.plan.plan.rootSshKey,
                    rootSshAccess: ctx.plan.plan.rootSshAccess,
                    etcHosts: [],
                };
                const iso = await buildSeedIso(config, path.join(ctx.plan.workDir, "seed"), userData(options), metaData(options));
                return { seedIso: iso };
            },
        },
        {
            id: "create-backup-disk",
            title: "Create the backup disk",
            destructive: false,
            apply: async ctx => {
                const api = new EngineApi(s(ctx).engineUrl, s(ctx).engineCa?.pem ?? "", ctx.secrets.adminPassword, 3);
                const label = backupLabel(new Date());
                const disk = await api.createDisk(s(ctx).conf.sdUUID, "virtio-disk0", label, s(ctx).engineDiskCapacity);
                ctx.log("info", `Creating the backup disk ${label} (${disk.id})`);
                await waitForDisk(api, disk.id, ctx, config.timeouts.diskCreateSeconds * 1000);
                return { backupImgUUID: disk.id, backupVolUUID: disk.imageId, backupLabel: label };
            },
        },
        {
            id: "shutdown-engine-vm",
            title: "Shut down the engine VM",
            destructive: true,
            apply: async ctx => withVdsm(config, async vdsm => {
                const downSince = (ctx.facts.engineDownSince as number | undefined) ?? Date.now();
                if (await vdsm.vmStatus(s(ctx).conf.vmId) !== null) {
                    await vdsm.shutdownVm(s(ctx).conf.vmId).catch(() => undefined);
                    await waitForVmDown(ctx, vdsm, s(ctx).conf.vmId, config.timeouts.vmShutdownSeconds * 1000);
                }
                return { engineDownSince: downSince };
            }),
        },
        {
            id: "copy-to-backup",
            title: "Copy the engine disk to the backup disk and verify it",
            destructive: false,
            apply: async ctx => withVdsm(config, async vdsm => {
                const target = (await vdsm.prepareImage(s(ctx).conf.sdUUID, BLANK_UUID, String(ctx.facts.backupImgUUID), String(ctx.facts.backupVolUUID))).path;
                const total = s(ctx).engineDiskCapacity;
                await convert(config, s(ctx).engineDiskPath, target, {
                    sourceFormat: "raw", targetFormat: "raw", existingTarget: true,
                    onProgress: fraction => ctx.progress(Math.round(fraction * total), total),
                });
                if (!await sameContent(config, s(ctx).engineDiskPath, target))
                    throw new HelperError("command-failed", "backup verification", "The backup disk does not hold the same bytes as the engine disk; nothing was overwritten");
                return { backupPath: target, bytesCopied: total };
            }),
        },
        {
            id: "extend-engine-disk",
            title: "Grow the engine disk to the appliance's size",
            destructive: true,
            apply: async ctx => withVdsm(config, async vdsm => {
                if (s(ctx).targetSize <= s(ctx).engineDiskCapacity)
                    return;
                const task = await vdsm.extendSize(s(ctx).conf.sdUUID, s(ctx).poolId, s(ctx).conf.imgUUID, s(ctx).conf.volUUID, s(ctx).targetSize);
                for (;;) {
                    const status = await vdsm.taskStatus(task);
                    if (status.taskState === "finished") {
                        // vdsm reports a failed task as finished with taskResult cleanSuccess
                        if (status.taskResult !== "success")
                            throw new HelperError("command-failed", "Volume.extendSize", `Growing the engine disk failed: ${status.message}`, `vdsm code ${status.code}`);
                        return;
                    }
                    await sleep(SPM_TASK_POLL_MS);
                }
            }),
        },
        {
            id: "write-appliance",
            title: "Write the appliance onto the engine disk",
            destructive: true,
            apply: async ctx => {
                const total = s(ctx).targetSize;
                await convert(config, String(ctx.facts.applianceDisk), s(ctx).engineDiskPath, {
                    sourceFormat: ctx.facts.applianceFormat === "qcow2" ? "qcow2" : "raw", targetFormat: "raw", existingTarget: true,
                    onProgress: fraction => ctx.progress(Math.round(fraction * total), total),
                });
            },
        },
        {
            id: "inject-backup",
            title: "Put the engine backup into the appliance",
            destructive: true,
            apply: async ctx => {
                const source = hostPath(config, ctx.plan.plan.backupArchive);
                const guestPath = `/root/${path.basename(ctx.plan.plan.backupArchive)}`;
                const md5 = await uploadIntoGuest(config, s(ctx).engineDiskPath, "raw", source, guestPath);
                if (md5 !== md5File(source))
                    throw new HelperError("command-failed", guestPath, `The backup read back from the appliance (${guestPath}) differs from ${ctx.plan.plan.backupArchive}`);
            },
        },
        {
            id: "boot-appliance",
            title: "Start the new engine VM",
            destructive: true,
            apply: async ctx => withVdsm(config, async vdsm => {
                const vmConfPath = hostPath(config, LOCAL_VM_CONF);
                const text = attachCdrom(fs.readFileSync(vmConfPath, "utf8"), String(ctx.facts.seedIso), vmConfPath);
                const params = parseVmConf(text, vmConfPath);
                if (await vdsm.vmStatus(s(ctx).conf.vmId) === null)
                    await vdsm.createVm(s(ctx).conf.vmId, params);
                for (let i = 0; i < 60; i++) {
                    const status = await vdsm.vmStatus(s(ctx).conf.vmId);
                    if (status === "Up" || status === "Powering up")
                        return;
                    if (status === "Down")
                        throw new HelperError("command-failed", "VM.create", "The engine VM is not powering up: check vdsm's log");
                    await sleep(1000);
                }
                throw new HelperError("command-failed", "VM.create", "The engine VM did not start within a minute");
            }),
        },
        {
            id: "engine-setup",
            title: "Restore the backup and set up the 4.0 engine",
            destructive: true,
            apply: async ctx => followSetup(config, ctx, s(ctx).conf.vmId, config.timeouts.setupStallSeconds * 1000),
        },
        {
            id: "engine-health",
            title: "Wait for the engine to be healthy",
            destructive: false,
            apply: async ctx => {
                const api = new EngineApi(s(ctx).engineUrl, s(ctx).engineCa?.pem ?? "", ctx.secrets.adminPassword, 4);
                const deadline = Date.now() + config.timeouts.engineHealthSeconds * 1000;
                let last = "";
                while (Date.now() < deadline) {
                    const health = await api.health();
                    if (health.up) {
                        ctx.log("info", `Engine replied: ${health.body}`);
                        const upAt = Date.now();
                        // like the original: this host and its data center must be up in the restored engine
                        const hardwareUuid = await withVdsm(config, vdsm => vdsm.hardwareUuid());
                        const host = (await api.hosts()).find(h => h.hardwareUuid === hardwareUuid);
                        const cluster = (await api.clusters()).find(c => c.id === host?.clusterId);
                        const dc = (await api.dataCenters()).find(d => d.id === cluster?.dataCenterId);
                        if (host?.status !== "up" || dc?.status !== "up")
                            throw new HelperError("command-failed", "engine hosts", `This host (${host?.status ?? "unknown to the engine"}) or its data center (${dc?.status ?? "unknown"}) is not up in the restored engine`);
                        return { engineUpAt: upAt };
                    }
                    last = health.body;
                    await sleep(HEALTH_POLL_MS);
                }
                throw new HelperError("command-failed", "engine health", `The new engine did not answer its health check within ${config.timeouts.engineHealthSeconds} s`, last);
            },
        },
        {
            id: "register-backup-disk",
            title: "Register the backup disk in the new engine",
            destructive: false,
            apply: async ctx => {
                const api = new EngineApi(s(ctx).engineUrl, s(ctx).engineCa?.pem ?? "", ctx.secrets.adminPassword, 4);
                const id = String(ctx.facts.backupImgUUID);
                const known = await api.disk(id);
                if (known?.status !== "ok") {
                    const unregistered = await api.unregisteredDisks(s(ctx).conf.sdUUID);
                    if (!unregistered.some(d => d.id === id))
                        throw new HelperError("command-failed", "backup disk", `The backup disk ${id} is not on the storage domain`);
                    await api.registerDisk(s(ctx).conf.sdUUID, id);
                    await waitForDisk(api, id, ctx, config.timeouts.diskCreateSeconds * 1000);
                }
            },
        },
        {
            id: "digest-backup-disk",
            title: "Record the backup disk's digest",
            destructive: false,
            // after the engine is back, so the extra read does not add to the downtime
            apply: async ctx => ({ backupDigest: await volumeDigest(config, String(ctx.facts.backupPath)) }),
        },
        {
            id: "shutdown-new-engine-vm",
            title: "Shut down the new engine VM for the HA agents to take over",
            destructive: false,
            apply: async ctx => withVdsm(config, async vdsm => {
                await vdsm.shutdownVm(s(ctx).conf.vmId).catch(() => undefined);
                await waitForVmDown(ctx, vdsm, s(ctx).conf.vmId, config.timeouts.vmShutdownSeconds * 1000);
            }),
        },
    ];
}

/*
 * What the disks hold when the step `failed` failed, and what to do: the
 * administrator must know whether the engine disk is untouched, whether the
 * backup is complete, and whether to roll back.
 */
export function disksAfterFailure(order: string[], failed: string, facts: Facts): string[] {
    const label = typeof facts.backupLabel === "string" ? facts.backupLabel : null;
    const backup = label ? `The backup disk ${label}` : "The backup disk";
    const at = order.indexOf(failed);
    if (at < order.indexOf("shutdown-engine-vm")) {
        return [
            "The engine VM still runs and its disk is untouched.",
            label ? `The backup disk ${label} was created but holds nothing yet: delete it on the Rollback tab.` : "No backup disk was created.",
            "Nothing else was changed. Fix the cause and start the upgrade again.",
        ];
    }
    if (at <= order.indexOf("extend-engine-disk")) {
        return [
            "The engine disk is untouched: it still holds the old engine. Start the engine VM with hosted-engine --vm-start, then leave global maintenance.",
            typeof facts.backupPath === "string"
                ? `${backup} holds a verified copy of the old engine disk: keep it, or delete it on the Rollback tab.`
                : `${backup} is incomplete or unverified: do not restore it; delete it on the Rollback tab.`,
        ];
    }
    if (at <= order.indexOf("engine-health")) {
        return [
            "The engine disk holds an unfinished 4.0 appliance; the old engine is not on it any more.",
            `${backup} holds the verified copy of the old engine disk.`,
            `Roll back: power the engine VM off if it runs (hosted-engine --vm-poweroff), then restore ${label ?? "the backup disk"} on the Rollback tab.`,
        ];
    }
    return [
        "The engine disk holds the new 4.0 engine, which answered its health check.",
        `${backup} holds the verified copy of the old engine disk; ${failed === "register-backup-disk" ? "the new engine does not list it yet: import it from the storage domain's Disk Import tab" : "it is registered in the new engine"}.`,
        failed === "shutdown-new-engine-vm" ? "Shut the engine VM down (hosted-engine --vm-shutdown), then leave global maintenance." : "Leave global maintenance to let the HA agents take over the engine VM.",
    ];
}

export function upgradeKind(config: HelperConfig): JobKind<UpgradeJobPlan, UpgradeSecrets> {
    return {
        kind: "upgrade",
        steps: () => upgradeSteps(config),
        succeeded: (facts: Facts) => ({
            message: "Hosted Engine successfully upgraded",
            next: [
                "Leave global maintenance to let the HA agents start the new engine VM.",
                "The engine VM's SSH host keys have changed: remove its old entry from known_hosts on your clients.",
                `The old engine's disk is kept as the backup disk ${String(facts.backupLabel)}.`,
            ],
            figures: {
                ...(typeof facts.engineDownSince === "number" && typeof facts.engineUpAt === "number"
                    ? { downtimeSeconds: Math.round((facts.engineUpAt - facts.engineDownSince) / 1000) } : {}),
                ...(typeof facts.bytesCopied === "number" ? { bytesCopied: facts.bytesCopied } : {}),
                ...(typeof facts.ovaBytesRead === "number" ? { ovaBytesRead: facts.ovaBytesRead } : {}),
            },
        }),
        failed: (step, err, facts, destructiveStarted) => ({
            message: destructiveStarted ? `Hosted Engine upgrade failed at "${step.title}": ${err.message}`
                : `Hosted Engine upgrade failed before anything was changed: ${err.message}`,
            next: disksAfterFailure(upgradeSteps(config).map(x => x.id), step.id, facts),
            figures: {},
        }),
    };
}
