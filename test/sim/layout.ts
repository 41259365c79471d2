// SPDX-License-Identifier: LGPL-2.1-or-later

/* Where things live inside a simulated host directory. */

import path from "node:path";

export interface SimLayout {
    dir: string;
    /** the simulated host's file system root (the helper config's "root") */
    root: string;
    bin: string;
    lib: string;
    stateFile: string;
    helperConfig: string;
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
        stateFile: path.join(abs, "state", "sim.json"),
        helperConfig: path.join(abs, "helper-config.json"),
        hostedEngineCommand: path.join(abs, "bin", "hosted-engine"),
        hostedEngineConf: path.join(root, "etc/ovirt-hosted-engine/hosted-engine.conf"),
    };
}
