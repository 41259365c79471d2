// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * A new simulated 3.6 hosted-engine cluster: two hosts with the engine VM on
 * host 1, the hosted-engine storage domain with its volumes, and a 3.6 engine
 * whose data an engine-backup would carry.
 */

import { randomUUID } from "node:crypto";

import type { SimLayout } from "./layout";
import { createDomain, createVolume, domainDir, volumePath } from "./storage";
import { GiB, type NetworkVariant, type SimWorld, type VolumeRef } from "./world";
import { DEFAULT_NETWORK_VARIANT, deployedVmNetwork, newNetwork } from "./network";
import { buildRawImage } from "./disk-image";
import { el6EngineFiles } from "./engine-disk";

export { GiB } from "./world";

/** The engine disk of a new sim: 2 GiB, smaller than the appliance so an upgrade must grow it. */
export const DEFAULT_DISK_SIZE = 2 * GiB;

export interface WorldOptions {
    /** the engine disk's size in bytes (default 2 GiB) */
    diskSize?: number;
    /** how the first deploy configured the engine VM's network (network.ts); default DEFAULT_NETWORK_VARIANT */
    network?: NetworkVariant;
    now?: number;
}

function volumeRef(): VolumeRef {
    return { imgUUID: randomUUID(), volUUID: randomUUID() };
}

export function newWorld(options: WorldOptions = {}): SimWorld {
    const now = options.now ?? Math.floor(Date.now() / 1000);
    const dcId = randomUUID();
    const clusterId = randomUUID();
    const hostUuids = [randomUUID(), randomUUID()];
    const engineHostIds = [randomUUID(), randomUUID()];
    const spUUID = dcId; // the engine's data center id is the storage pool id
    const sdUUID = randomUUID();
    const world: SimWorld = {
        running: false,
        ports: { vdsm: 0, engineHttps: 0, engineHttp: 0 },
        ha: {
            globalMaintenance: false,
            thisHostId: 1,
            hosts: [1, 2].map(id => ({
                id,
                hostname: `host${id}.example.com`,
                localMaintenance: false,
                agentStopped: false,
                agentStartedAt: now - (id === 1 ? 612345 : 598101),
                hardwareUuid: hostUuids[id - 1],
                engineHostId: engineHostIds[id - 1],
            })),
        },
        storage: {
            sdUUID,
            spUUID,
            remotePath: "nfs.example.com:/exports/he",
            engineDisk: volumeRef(),
            confVolume: volumeRef(),
            metadataVolume: volumeRef(),
            lockspaceVolume: volumeRef(),
            ovfStores: [volumeRef(), volumeRef()],
            capacityBytes: 60 * GiB,
        },
        vm: {
            vmId: randomUUID(),
            status: "Up",
            hostId: 1,
            bootCount: 1,
            bootedSystem: "el6-engine-3.6",
            cdrom: "",
            shutdownAt: null,
            exitMessage: "",
        },
        engine: {
            fqdn: "engine.example.com",
            version: "3.6.7.5",
            health: "good",
            adminPassword: "sim-admin-" + randomUUID().slice(0, 8),
            data: {
                dataCenters: [{ id: dcId, name: "Default", version: { major: 3, minor: 6 }, status: "up", storageFormat: "v3" }],
                clusters: [{ id: clusterId, name: "Default", dataCenterId: dcId, version: { major: 3, minor: 6 } }],
                hosts: [1, 2].map(id => ({
                    id: engineHostIds[id - 1],
                    name: `host${id}.example.com`,
                    address: `host${id}.example.com`,
                    clusterId,
                    status: "up" as const,
                    spm: id === 1 ? "spm" as const : "none" as const,
                    spmPriority: 5,
                    hardwareUuid: hostUuids[id - 1],
                })),
                aaaDomains: ["internal-authz"],
                disks: [],
                marker: `engine data made ${new Date(now * 1000).toISOString()}`,
                dwh: true,
            },
            tokens: {},
        },
        tasks: {},
        appliance: null,
        network: newNetwork(options.network ?? DEFAULT_NETWORK_VARIANT, "engine.example.com"),
        faults: [],
    };
    world.vm.network = deployedVmNetwork(world);
    return world;
}

/** Creates the storage domain and the hosted-engine volumes on disk. */
export function createStorage(layout: SimLayout, world: SimWorld, diskSize: number = DEFAULT_DISK_SIZE): string {
    const s = world.storage;
    const domain = createDomain(layout, s);
    createVolume(domain, s.sdUUID, { ...s.engineDisk, sizeBytes: diskSize, format: "RAW", type: "SPARSE", description: "Hosted Engine Image" });
    buildRawImage(volumePath(domain, s.engineDisk.imgUUID, s.engineDisk.volUUID), diskSize, el6EngineFiles(world), "rootfs");
    createVolume(domain, s.sdUUID, { ...s.confVolume, sizeBytes: GiB, format: "RAW", type: "PREALLOCATED", description: "HostedEngineConfigurationImage" });
    createVolume(domain, s.sdUUID, { ...s.metadataVolume, sizeBytes: 1 << 20, format: "RAW", type: "PREALLOCATED", description: "hosted-engine.metadata" });
    createVolume(domain, s.sdUUID, { ...s.lockspaceVolume, sizeBytes: 1 << 20, format: "RAW", type: "PREALLOCATED", description: "hosted-engine.lockspace" });
    for (const store of s.ovfStores) {
        createVolume(domain, s.sdUUID, {
            ...store,
            sizeBytes: 128 << 20,
            format: "RAW",
            type: "PREALLOCATED",
            description: JSON.stringify({ "Updated": true, "Size": 10240, "Last Updated": new Date().toString(), "Storage Domains": [{ uuid: s.sdUUID }], "Disk Description": "OVF_STORE" }),
        });
    }
    return domainDir(layout, s);
}
