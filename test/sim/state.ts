// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated cluster's state, one JSON file. The fake commands read it and
 * write it back atomically (write a temporary file, rename), so a reader never
 * sees half a file.
 */

import fs from "node:fs";
import path from "node:path";

export interface SimHost {
    id: number;
    hostname: string;
    localMaintenance: boolean;
    /** the agent was stopped cleanly (ovirt-ha-agent stop) */
    agentStopped: boolean;
    /** epoch seconds when the agent started; host-ts counts from here */
    agentStartedAt: number;
}

export interface SimState {
    /** whether the sim's services (the HA broker for now) are running */
    running: boolean;
    globalMaintenance: boolean;
    /** the id of the host this simulated machine is (hosted-engine.conf host_id) */
    thisHostId: number;
    engineFqdn: string;
    engineVm: {
        /** the host running the engine VM, null when it runs nowhere */
        hostId: number | null;
        health: "good" | "bad";
    };
    hosts: SimHost[];
}

export function readState(file: string): SimState {
    return JSON.parse(fs.readFileSync(file, "utf8")) as SimState;
}

export function writeState(file: string, state: SimState): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n");
    fs.renameSync(tmp, file);
}

export function updateState(file: string, change: (state: SimState) => void): SimState {
    const state = readState(file);
    change(state);
    writeState(file, state);
    return state;
}
