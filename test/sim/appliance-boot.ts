// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The first boot of the 4.0 appliance with a cloud-init seed: cloud-init's
 * NoCloud datasource reads the ISO attached as cdrom (volume id "cidata",
 * user-data and meta-data), writes /root/heanswers.conf and runs runcmd: the
 * engine-backup restore of /root/NAME and engine-setup, their output and the
 * HE_APPLIANCE_* markers going to the setup channel. Everything the original
 * tool's seed must contain is checked; whatever is wrong ends in the FAIL
 * marker with a line that says why. Root's password and /etc/hosts come out on
 * the guest's disk as the appliance's cloud-init 0.7.5 makes them
 * (guest-cloud-init.ts).
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import YAML from "yaml";

import { APPLIANCE_ENGINE_VERSION } from "./appliance";
import type { ConsoleChannel } from "./console-channel";
import { readGuestBytes } from "./disk-image";
import type { EngineDatabase } from "./engine-disk";
import { restoreBackup } from "./engine-backup";
import { applyUserData, imageFiles } from "./guest-cloud-init";
import type { SimWorld, VmNetwork } from "./world";
import { GuestNetwork } from "./guest-network";
import { simNetwork } from "./network";

export const VIRTIO_PORT = "/dev/virtio-ports/org.ovirt.hosted-engine-setup.0";

export interface SeedPlan {
    /** the backup's path inside the guest, e.g. /root/engine_backup.tar.gz */
    backupPath: string;
    provisionDwh: boolean;
}

export interface SeedCheck {
    plan: SeedPlan | null;
    /** the #cloud-config user-data, when it is one */
    userData?: Record<string, unknown>;
    /** the meta-data, when the seed has it */
    metaData?: Record<string, unknown>;
    /** why the seed cannot work, one line each */
    problems: string[];
}

function isoFile(iso: string, name: string): string | null {
    try {
        return execFileSync("isoinfo", ["-R", "-i", iso, "-x", `/${name}`], { stdio: ["ignore", "pipe", "ignore"] }).toString();
    } catch {
        return null;
    }
}

function commandText(entry: unknown): string {
    return Array.isArray(entry) ? entry.map(String).join(" ") : String(entry);
}

/** What cloud-init makes of the seed ISO, and whether it restores and sets up the engine as the upgrade needs. */
export function checkSeed(iso: string, world: SimWorld): SeedCheck {
    const problems: string[] = [];
    const done = (plan: SeedPlan | null = null): SeedCheck => ({ plan: problems.length ? null : plan, problems });
    if (!iso || !fs.existsSync(iso)) {
        problems.push(`cloud-init: no seed: the cdrom ${iso ? `${iso} does not exist` : "is empty"}`);
        return done();
    }
    let description = "";
    try {
        description = execFileSync("isoinfo", ["-d", "-i", iso], { stdio: ["ignore", "pipe", "pipe"] }).toString();
    } catch {
        problems.push(`cloud-init: ${iso} is not an ISO 9660 image`);
        return done();
    }
    if (!/^Volume id: cidata$/m.test(description))
        problems.push("cloud-init: NoCloud needs the volume id \"cidata\"");
    const userData = isoFile(iso, "user-data");
    const metaData = isoFile(iso, "meta-data");
    if (userData === null || metaData === null) {
        problems.push("cloud-init: the seed lacks user-data or meta-data");
        return done();
    }
    let meta: Record<string, unknown> | null = null;
    try {
        meta = YAML.parse(metaData) as Record<string, unknown> | null;
    } catch (err) {
        problems.push(`cloud-init: meta-data is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
    if (!meta || meta["instance-id"] !== world.vm.vmId)
        problems.push(`cloud-init: meta-data instance-id should be the VM id ${world.vm.vmId}`);
    const withMeta = (check: SeedCheck): SeedCheck => (meta && typeof meta === "object" ? { ...check, metaData: meta } : check);

    if (!userData.startsWith("#cloud-config\n"))
        problems.push("cloud-init: user-data does not start with #cloud-config");
    let config: Record<string, unknown>;
    try {
        const parsed: unknown = YAML.parse(userData);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
            throw new Error("not a mapping");
        config = parsed as Record<string, unknown>;
    } catch (err) {
        problems.push(`cloud-init: user-data is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
        return withMeta(done());
    }

    const files = Array.isArray(config.write_files) ? config.write_files as Record<string, unknown>[] : [];
    const answers = files.find(f => f.path === "/root/heanswers.conf");
    const answersText = typeof answers?.content === "string" ? answers.content : "";
    if (!answers)
        problems.push("cloud-init: write_files has no /root/heanswers.conf");
    else if (!answersText.includes("[environment:default]") || !answersText.includes(`OVESETUP_CONFIG/fqdn=str:${world.engine.fqdn}`))
        problems.push(`cloud-init: /root/heanswers.conf does not set OVESETUP_CONFIG/fqdn=str:${world.engine.fqdn}`);
    if (answersText.includes("OVESETUP_CONFIG/adminPassword"))
        problems.push("cloud-init: /root/heanswers.conf sets adminPassword, which an upgrade must not (the restored database keeps it)");

    const runcmd = Array.isArray(config.runcmd) ? config.runcmd.map(commandText) : [];
    const restore = runcmd.find(c => /\bengine-backup\b.*--mode=restore/.test(c));
    // (the setup channel's name, hosted-engine-setup.0, must not count as engine-setup)
    const setup = runcmd.find(c => /(?:^|[/\s])engine-setup(?:\s|$)/.test(c));
    let plan: SeedPlan | null = null;
    if (!restore) {
        problems.push("cloud-init: runcmd has no engine-backup --mode=restore");
    } else {
        const file = /--file=(\S+)/.exec(restore)?.[1];
        if (!file || !file.startsWith("/root/"))
            problems.push("cloud-init: engine-backup --mode=restore needs --file=/root/<backup>");
        for (const option of ["--restore-permissions", "--provision-db"]) {
            if (!restore.split(/\s+/).includes(option))
                problems.push(`cloud-init: engine-backup --mode=restore lacks ${option}`);
        }
        if (!restore.includes(VIRTIO_PORT))
            problems.push(`cloud-init: engine-backup's output does not go to ${VIRTIO_PORT}`);
        if (file)
            plan = { backupPath: file, provisionDwh: restore.split(/\s+/).includes("--provision-dwh-db") };
    }
    for (const marker of ["HE_APPLIANCE_ENGINE_RESTORE_SUCCESS", "HE_APPLIANCE_ENGINE_SETUP_SUCCESS"]) {
        if (!runcmd.some(c => c.includes(marker) && c.includes(VIRTIO_PORT)))
            problems.push(`cloud-init: runcmd never echoes ${marker} to ${VIRTIO_PORT}`);
    }
    if (!setup || !/--offline/.test(setup) || !setup.includes("--config-append=/root/ovirt-engine-answers") ||
            !setup.includes("--config-append=/root/heanswers.conf"))
        problems.push("cloud-init: runcmd lacks engine-setup --offline --config-append=/root/ovirt-engine-answers --config-append=/root/heanswers.conf");
    // cloud-init applies a #cloud-config whatever else the seed lacks
    return withMeta(userData.startsWith("#cloud-config\n") ? { ...done(plan), userData: config } : done(plan));
}

/** cloud-init's first boot on the guest: its network (NoCloud's local stage, then network.target), then the user-data. */
function firstBootSystem(image: string, seed: SeedCheck, world: SimWorld, log: (message: string) => void): VmNetwork {
    const files = imageFiles(image);
    const network = new GuestNetwork(files, simNetwork(world), message => log(`guest: ${message}`));
    const meta = seed.metaData ?? {};
    const localHostname = typeof meta["local-hostname"] === "string" ? meta["local-hostname"] : undefined;
    try {
        if (typeof meta["network-interfaces"] === "string")
            network.applyNetworkInterfaces(meta["network-interfaces"]);
        network.boot();
        if (seed.userData)
            applyUserData(seed.userData, files, world.vm.vmId, message => log(`cloud-init: ${message}`), { network, localHostname });
        else if (localHostname)
            network.setHostname(localHostname);
    } catch (err) {
        log(`cloud-init: applying user-data failed: ${(err as Error).message}`);
    }
    const result = network.result();
    log(`eth0: ${result.address ?? "no address"} (${result.detail})`);
    return result;
}

export interface ApplianceOutcome {
    /** the restored engine database when restore and setup succeeded */
    database: EngineDatabase | null;
}

/**
 * Plays the appliance's first boot on the channel, one line every `stepMs`, and
 * calls `finish` at the end (or never, when engine-setup stalls).
 */
export function playApplianceBoot(options: {
    image: string;
    iso: string;
    world: SimWorld;
    channel: ConsoleChannel;
    hasFault: (name: string) => boolean;
    stepMs: number;
    log: (message: string) => void;
    finish: (outcome: ApplianceOutcome) => void;
}): () => void {
    const { image, iso, world, channel, hasFault, stepMs, log, finish } = options;
    const script: (string | (() => void))[] = [];
    const say = (...lines: string[]) => script.push(...lines);
    let database: EngineDatabase | null = null;

    const seed = checkSeed(iso, world);
    world.vm.network = firstBootSystem(image, seed, world, log);
    if (!seed.plan) {
        for (const problem of seed.problems)
            log(problem);
        // cloud-init reports what it could not do, and nothing restores the engine
        say(...seed.problems, "HE_APPLIANCE_ENGINE_RESTORE_FAIL");
    } else {
        const guestName = seed.plan.backupPath;
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "he-sim-guest-"));
        try {
            const local = path.join(tmp, "backup");
            let restoreOk = false;
            const content = readGuestBytes(image, guestName);
            if (content === null) {
                say(`FATAL: Backup file '${guestName}' not found`, "HE_APPLIANCE_ENGINE_RESTORE_FAIL");
            } else {
                fs.writeFileSync(local, content);
                const result = restoreBackup(local, guestName, APPLIANCE_ENGINE_VERSION);
                if (result.ok && result.dwh && !seed.plan.provisionDwh) {
                    say(...result.lines.slice(0, 4), "FATAL: Can't connect to database 'ovirt_engine_history'. Please see '/root/engine_restore.log' for details.",
                        "HE_APPLIANCE_ENGINE_RESTORE_FAIL");
                } else if (result.ok && hasFault("restore-fails")) {
                    say(...result.lines.slice(0, 6), "FATAL: Errors while restoring database engine", "HE_APPLIANCE_ENGINE_RESTORE_FAIL");
                } else if (result.ok) {
                    say(...result.lines, "HE_APPLIANCE_ENGINE_RESTORE_SUCCESS");
                    restoreOk = true;
                    database = result.database;
                } else {
                    say(...result.lines, "HE_APPLIANCE_ENGINE_RESTORE_FAIL");
                }
            }
            // like the original runcmd, engine-setup runs whatever the restore did
            say("[ INFO  ] Stage: Initializing", "[ INFO  ] Stage: Environment setup",
                "          Configuration files: ['/etc/ovirt-engine-setup.conf.d/10-packaging-jboss.conf', '/etc/ovirt-engine-setup.conf.d/10-packaging.conf', '/root/ovirt-engine-answers', '/root/heanswers.conf']",
                "[ INFO  ] Stage: Environment packages setup", "[ INFO  ] Stage: Programs detection",
                "[ INFO  ] Stage: Environment customization");
            if (hasFault("setup-stalls")) {
                say("[ INFO  ] Stage: Setup validation");
                script.push(() => log("engine-setup stalls (fault setup-stalls)"));
            } else if (!restoreOk || hasFault("setup-fails")) {
                say("[ INFO  ] Stage: Setup validation", "[ ERROR ] Failed to execute stage 'Setup validation': " +
                    (restoreOk ? "Command '/usr/share/ovirt-engine/bin/engine-config' failed to execute" : "Engine database is empty"),
                    "[ INFO  ] Stage: Clean up", "[ ERROR ] Execution of setup failed", "HE_APPLIANCE_ENGINE_SETUP_FAIL");
                database = null;
                script.push(() => finish({ database: null }));
            } else {
                say("[ INFO  ] Stage: Setup validation", "[ INFO  ] Stage: Transaction setup", "[ INFO  ] Stopping engine service",
                    "[ INFO  ] Stage: Misc configuration", "[ INFO  ] Upgrading CA", "[ INFO  ] Updating Engine database schema",
                    "[ INFO  ] Stage: Closing up", "[ INFO  ] Starting engine service", "[ INFO  ] Restarting httpd",
                    "[ INFO  ] Stage: Clean up", "[ INFO  ] Stage: Pre-termination", "[ INFO  ] Stage: Termination",
                    "[ INFO  ] Execution of setup completed successfully", "HE_APPLIANCE_ENGINE_SETUP_SUCCESS");
                // engine-setup upgrades the restored 3.6 schema: the engine is now the appliance's version
                script.push(() => finish({ database: database && { version: APPLIANCE_ENGINE_VERSION, data: database.data } }));
            }
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    }
    if (!seed.plan)
        script.push(() => finish({ database: null }));

    let index = 0;
    let timer: NodeJS.Timeout | null = null;
    const next = () => {
        const step = script[index++];
        if (step === undefined)
            return;
        if (typeof step === "string")
            channel.writeLine(step);
        else
            step();
        timer = setTimeout(next, stepMs);
    };
    timer = setTimeout(next, stepMs);
    return () => {
        if (timer)
            clearTimeout(timer);
    };
}
