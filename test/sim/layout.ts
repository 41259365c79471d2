// SPDX-License-Identifier: LGPL-2.1-or-later

/* Where things live inside a simulated host directory. */

import path from "node:path";

export interface SimLayout {
    dir: string;
    /** the simulated host's file system root (the helper config's "root") */
    root: string;
    bin: string;
    lib: string;
    run: string;
    logDir: string;
    pki: string;
    stateFile: string;
    helperConfig: string;
    pidFile: string;
    /** ovirt-ha-broker's socket, where the real one is, under root */
    brokerSocket: string;
    hostedEngineCommand: string;
    hostedEngineConf: string;
}

export function simLayout(dir: string): SimLayout {
    const abs = path.resolve(dir);
    const root = path.join(abs, "root");
    return {
        dir: abs,
        root,
        bin: path.join(abs, "bin"),
        lib: path.join(abs, "lib"),
        run: path.join(abs, "run"),
        logDir: path.join(abs, "log"),
        pki: path.join(abs, "pki"),
        stateFile: path.join(abs, "state", "sim.json"),
        helperConfig: path.join(abs, "helper-config.json"),
        pidFile: path.join(abs, "run", "simd.pid"),
        brokerSocket: path.join(root, "var/run/ovirt-hosted-engine-ha/broker.socket"),
        hostedEngineCommand: path.join(abs, "bin", "hosted-engine"),
        hostedEngineConf: path.join(root, "etc/ovirt-hosted-engine/hosted-engine.conf"),
    };
}
