// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The appliance's setup channel (ovirt-upgrade-flow.md step 14): the virtio
 * port the seed's commands write engine-backup's and engine-setup's output
 * to, with the HE_APPLIANCE_* markers. Every line becomes a log event; the
 * markers decide how the step ends, and silence for too long is a stall.
 */

import net from "node:net";
import path from "node:path";

import { text } from "../../../protocol/text";
import type { HelperConfig } from "../../config";
import { HelperError } from "../../errors";
import type { UpgradeContext } from "./context";

const CHANNEL = "org.ovirt.hosted-engine-setup.0";

/** What a line of the channel means: nothing, the restore failed, or engine-setup's end. */
type Verdict = "restore-failed" | "setup-succeeded" | "setup-failed" | null;

function verdictOf(line: string): Verdict {
    if (line.includes("HE_APPLIANCE_ENGINE_RESTORE_FAIL"))
        return "restore-failed";
    if (line.includes("HE_APPLIANCE_ENGINE_SETUP_SUCCESS"))
        return "setup-succeeded";
    if (line.includes("HE_APPLIANCE_ENGINE_SETUP_FAIL"))
        return "setup-failed";
    return null;
}

const restoreFailure = () => new HelperError("command-failed", "engine-backup", text("upgrade.restore-failed"));

/** Reads the setup channel until engine-setup's marker; every line becomes a log event. */
export function followSetup(config: HelperConfig, ctx: UpgradeContext, vmId: string, stallMs: number): Promise<void> {
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
                                                                 text("upgrade.setup-stalled", { seconds: stallMs / 1000 }))), stallMs);
        };
        const onLine = (line: string) => {
            ctx.log("info", line, "appliance");
            const verdict = verdictOf(line);
            if (verdict === "restore-failed")
                restoreFailed = true;
            else if (verdict === "setup-succeeded")
                finish(restoreFailed ? restoreFailure() : undefined);
            else if (verdict === "setup-failed")
                finish(restoreFailed ? restoreFailure() : new HelperError("command-failed", "engine-setup", text("upgrade.setup-failed")));
            return verdict === "setup-succeeded" || verdict === "setup-failed";
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
                if (onLine(line))
                    return;
            }
        });
        socket.on("error", err => finish(new HelperError("command-failed", socketPath, text("upgrade.channel-unreachable", { reason: err.message }))));
        socket.on("end", () => finish(new HelperError("command-failed", socketPath, text("upgrade.channel-closed"))));
    });
}
