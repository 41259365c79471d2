// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The whole simulated host and its cluster, as one JSON document the sim daemon
 * keeps in memory and persists to <dir>/state/sim.json after every change.
 * Volumes themselves live on disk in the storage domain (storage.ts); the world
 * only names them.
 */

export const BLANK_UUID = "00000000-0000-0000-0000-000000000000";
export const GiB = 1024 ** 3;

export interface SimHost {
    id: number;
    hostname: string;
    localMaintenance: boolean;
    /** the agent was stopped cleanly (ovirt-ha-agent stop) */
    agentStopped: boolean;
    /** epoch seconds when the agent started; host-ts counts from here */
    agentStartedAt: number;
    /** what vdsm's Host.getHardwareInfo() says and the engine's host hardware_information.uuid */
    hardwareUuid: string;
    /** the engine's id for this host */
    engineHostId: string;
    /** a decommissioned host whose metadata slot lingers: its agent no longer updates it */
    stale?: boolean;
}

export interface VolumeRef {
    imgUUID: string;
    volUUID: string;
}

export interface SimStorage {
    sdUUID: string;
    /** the real storage pool (data center) id; hosted-engine.conf has the blank UUID at 3.6 level */
    spUUID: string;
    /** "nfs.example.com:/exports/he" */
    remotePath: string;
    engineDisk: VolumeRef;
    confVolume: VolumeRef;
    metadataVolume: VolumeRef;
    lockspaceVolume: VolumeRef;
    ovfStores: VolumeRef[];
    /** bytes the storage domain can hold in all; free space is this minus what its volumes use */
    capacityBytes: number;
}

export type VmStatus = "Up" | "Down" | "Powering up" | "Powering down" | "WaitForLaunch";

/** What the engine VM's disk booted into: the old el6 3.6 engine or the el7 4.0 appliance. */
export type BootedSystem = "el6-engine-3.6" | "el7-appliance-4.0";

export interface SimVm {
    vmId: string;
    status: VmStatus;
    /** the HA host id the VM runs on; null when it runs nowhere */
    hostId: number | null;
    bootCount: number;
    bootedSystem: BootedSystem | null;
    /** the ISO attached as cdrom at the last start, "" for none */
    cdrom: string;
    /** epoch ms when a requested shutdown completes */
    shutdownAt: number | null;
    /** epoch ms since when the VM has been down (the HA agents restart it after a while) */
    downSince?: number | null;
    exitMessage: string;
    /** the guest's network as it came up at the last boot (guest-network.ts); absent while it is down */
    network?: VmNetwork | null;
}

/** How the first deploy configured the engine VM's network: what fhanswers.conf says (network.ts). */
export type NetworkVariant = "static" | "dhcp" | "missing";

/** The management network the engine VM is on, and what the host resolves the engine's fqdn to. */
export interface SimNetwork {
    variant: NetworkVariant;
    /** the engine VM NIC's MAC (vm.conf's bridge device, fhanswers.conf vmMACAddr) */
    vmMac: string;
    /** the engine's address as deployed, /24, which root/etc/hosts gives the fqdn */
    engineAddress: string;
    prefix: number;
    gateway: string;
    dns: string;
    domain: string;
    /** the DHCP server's fixed leases, MAC to address */
    dhcpReservations: Record<string, string>;
}

/** The engine VM's eth0 as the guest brought it up. */
export interface VmNetwork {
    /** its IPv4 address, null when eth0 has none */
    address: string | null;
    /** "static": from ifcfg-eth0; "dhcp": leased by MAC; "none": down or unconfigured */
    source: "static" | "dhcp" | "none";
    /** the guest's host name and time zone as it runs, when cloud-init set them */
    hostname: string | null;
    timezone: string | null;
    /** how it got there, for `sim inspect` and the log */
    detail: string;
}

export interface EngineVersion {
    major: number;
    minor: number;
}

export interface EngineDataCenter {
    id: string;
    name: string;
    version: EngineVersion;
    status: "up" | "maintenance" | "uninitialized" | "not_operational" | "problematic" | "contend";
    storageFormat: string;
}

export interface EngineCluster {
    id: string;
    name: string;
    dataCenterId: string;
    version: EngineVersion;
}

export interface EngineHost {
    id: string;
    name: string;
    address: string;
    clusterId: string;
    status: "up" | "maintenance" | "non_responsive";
    spm: "spm" | "none" | "contending";
    spmPriority: number;
    hardwareUuid: string;
}

export interface EngineDisk {
    /** image group id (imgUUID) */
    id: string;
    /** volume id */
    imageId: string;
    alias: string;
    description: string;
    status: "ok" | "locked" | "illegal";
    provisionedSize: number;
    storageDomainId: string;
    /** epoch ms when a locked disk becomes ok (creation in progress) */
    readyAt: number | null;
}

/** What an engine-backup carries and a restore brings back: the engine's database, in short. */
export interface EngineData {
    dataCenters: EngineDataCenter[];
    clusters: EngineCluster[];
    hosts: EngineHost[];
    /** AAA (authz) domain names, as GET /api/domains lists them */
    aaaDomains: string[];
    disks: EngineDisk[];
    /** free text a test can set to recognise its data after a backup and restore */
    marker: string;
    dwh: boolean;
}

export interface SimEngine {
    fqdn: string;
    /** full version string, e.g. "3.6.7.5" */
    version: string;
    /** "good": DB Up; "bad": the engine answers health with an error; "down": nothing answers */
    health: "good" | "bad" | "down";
    /** epoch ms when the running engine started answering health; absent: it ran when the sim began (engine-api/startup.ts) */
    startedAt?: number | null;
    adminPassword: string;
    data: EngineData;
    /** issued SSO tokens (4.0 only) with their expiry, epoch ms */
    tokens: Record<string, number>;
}

export interface SimTask {
    id: string;
    verb: string;
    state: "running" | "finished";
    result: "" | "success" | "cleanSuccess" | "failure";
    code: number;
    message: string;
    /** epoch ms when a running task finishes */
    finishAt: number;
}

export interface SimPorts {
    vdsm: number;
    engineHttps: number;
    engineHttp: number;
}

/** The appliance the sim installed (ovirt-engine-appliance RPM): where its OVA is and what is in it. */
export interface SimAppliance {
    /** the OVA's path on the simulated host, as 10-appliance.conf names it (not under root) */
    path: string;
    sha1: string;
    imgUUID: string;
    volUUID: string;
    templateId: string;
    virtualSize: number;
    ovfSizeGiB: number;
}

export interface SimWorld {
    /** whether the daemon is meant to be running (false after `sim stop`) */
    running: boolean;
    ports: SimPorts;
    ha: {
        globalMaintenance: boolean;
        /** the id of the host this simulated machine is (hosted-engine.conf host_id) */
        thisHostId: number;
        hosts: SimHost[];
    };
    storage: SimStorage;
    vm: SimVm;
    engine: SimEngine;
    tasks: Record<string, SimTask>;
    appliance: SimAppliance | null;
    /** the engine VM's network; absent in sims built before it was modelled (then as "dhcp") */
    network?: SimNetwork;
    /** armed failures, see faults.ts */
    faults: string[];
}
