// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What ovirt-ha-broker reports for each host: the fields of the host's 4 KiB
 * metadata slot (whose first 512 bytes are a "|"-separated block protected by a
 * CRC32) plus live-data, rendered the way `hosted-engine --vm-status --json`
 * prints them (Python 2 json.dumps, one line).
 */

import type { SimHost, SimWorld } from "./world";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});

export function crc32(text: string): number {
    let crc = 0xffffffff;
    for (const byte of Buffer.from(text, "utf8"))
        crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
}

/** Python 2's json.dumps: ", " and ": " separators, ASCII only. */
export function pythonJson(value: unknown): string {
    if (Array.isArray(value))
        return "[" + value.map(pythonJson).join(", ") + "]";
    if (value !== null && typeof value === "object")
        return "{" + Object.entries(value).map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(", ") + "}";
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, c => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** time.ctime() */
function ctime(epochSeconds: number): string {
    const d = new Date(epochSeconds * 1000);
    const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${days[d.getDay()]} ${months[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ` +
           `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${d.getFullYear()}`;
}

function engineStatus(world: SimWorld, host: SimHost): Record<string, string> {
    const vm = world.vm;
    if (vm.hostId === host.id && vm.status !== "Down") {
        const detail = vm.status.toLowerCase();
        if (vm.status === "Up" && world.engine.health === "good")
            return { health: "good", vm: "up", detail };
        return { reason: vm.status === "Up" ? "failed liveliness check" : "bad vm status", health: "bad", vm: "up", detail };
    }
    return { reason: "vm not running on this host", health: "bad", vm: "down", detail: "unknown" };
}

function agentState(world: SimWorld, host: SimHost): string {
    if (host.agentStopped)
        return "AgentStopped";
    if (host.localMaintenance)
        return "LocalMaintenance";
    if (world.ha.globalMaintenance)
        return "GlobalMaintenance";
    return world.vm.hostId === host.id && world.vm.status === "Up" ? "EngineUp" : "EngineDown";
}

export function hostReport(world: SimWorld, host: SimHost, now: number): Record<string, unknown> {
    const hostTs = Math.max(1, now - host.agentStartedAt);
    const refreshTs = Math.max(0, hostTs - 5);
    const score = host.localMaintenance || host.agentStopped ? 0 : 3400;
    const status = engineStatus(world, host);
    const block = (crc: string) => ["1", "1", hostTs, host.id, score, pythonJson(status), host.hostname,
        host.localMaintenance ? 1 : 0, host.agentStopped ? 1 : 0, crc, 1, refreshTs].join("|");
    const crc = crc32(block("00000000")).toString(16).padStart(8, "0");
    const extra = [
        "metadata_parse_version=1",
        "metadata_feature_version=1",
        `timestamp=${hostTs} (${ctime(now)})`,
        `host-id=${host.id}`,
        `score=${score}`,
        `vm_conf_refresh_time=${refreshTs} (${ctime(now - 5)})`,
        "conf_on_shared_storage=True",
        `maintenance=${host.localMaintenance ? "True" : "False"}`,
        `state=${agentState(world, host)}`,
        `stopped=${host.agentStopped ? "True" : "False"}`,
        "",
    ].join("\n");
    const report: Record<string, unknown> = {
        "conf_on_shared_storage": true,
        "live-data": !host.agentStopped && !host.stale,
        extra,
        hostname: host.hostname,
        "host-id": host.id,
        "engine-status": status,
        score,
        stopped: host.agentStopped,
        maintenance: host.localMaintenance,
        crc32: crc,
        "local_conf_timestamp": refreshTs,
        "host-ts": hostTs,
    };
    // a decommissioned host's slot was last written by a pre-3.6 agent: no "stopped" field
    if (host.stale)
        delete report.stopped;
    Object.defineProperty(report, "block", { value: block(crc), enumerable: false });
    return report;
}

const SLOT = 4096;

/**
 * The HA metadata volume as the agents leave it: slot 0 holds the global
 * block ("maintenance=0|1"), slot N host N's 512-byte block followed by its
 * "extra" text, each NUL-padded to 4 KiB.
 */
export function metadataVolume(world: SimWorld, now: number = Math.floor(Date.now() / 1000)): Buffer {
    const slots = Math.max(1, ...world.ha.hosts.map(h => h.id)) + 1;
    const data = Buffer.alloc(slots * SLOT);
    data.write(`maintenance=${world.ha.globalMaintenance ? 1 : 0}`, 0, "ascii");
    for (const host of world.ha.hosts) {
        const report = hostReport(world, host, now) as Record<string, unknown> & { block: string };
        data.write(report.block.slice(0, 511), host.id * SLOT, "ascii");
        data.write(String(report.extra ?? "").slice(0, SLOT - 512), host.id * SLOT + 512, "ascii");
    }
    return data;
}

export function vmStatusJson(world: SimWorld, now: number = Math.floor(Date.now() / 1000)): string {
    const report: Record<string, unknown> = {};
    for (const host of world.ha.hosts)
        report[String(host.id)] = hostReport(world, host, now);
    report.global_maintenance = world.ha.globalMaintenance;
    return pythonJson(report);
}
