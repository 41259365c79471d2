// SPDX-License-Identifier: LGPL-2.1-or-later

/* Where things live inside a simulated host directory. */

import { createHash } from "node:crypto";
import os from "node:os";
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
    /**
     * Unix sockets live in a short directory of their own: a socket path has
     * at most 107 bytes, which the real paths under a deep sim root exceed.
     */
    socketDir: string;
    /** the sim's ovirt-ha-broker socket */
    brokerSocket: string;
    /** where the VM's channel sockets are (/var/lib/libvirt/qemu/channels on a real host) */
    channelsDir: string;
    hostedEngineCommand: string;
    hostedEngineConf: string;
    /** the NFS server's side of the storage domain's export: mounted root-squashed under root/rhev (nfs-squash.ts) */
    exportDir: string;
}

export function simLayout(dir: string): SimLayout {
    const abs = path.resolve(dir);
    const root = path.join(abs, "root");
    const socketDir = path.join(os.tmpdir(), `hesim-${createHash("sha1").update(abs).digest("hex").slice(0, 10)}`);
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
        socketDir,
        brokerSocket: path.join(socketDir, "broker.socket"),
        channelsDir: path.join(socketDir, "channels"),
        hostedEngineCommand: path.join(abs, "bin", "hosted-engine"),
        hostedEngineConf: path.join(root, "etc/ovirt-hosted-engine/hosted-engine.conf"),
        exportDir: path.join(abs, "nfs-export"),
    };
}
