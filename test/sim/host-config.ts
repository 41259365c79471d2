// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The hosted-engine configuration the first deploy left behind: the answer file
 * (fhanswers.conf), broker.conf and the setup vm.conf, stored as an uncompressed
 * tar at offset 0 of the configuration volume; and the local vm.conf that
 * ovirt-ha-agent derived from OVF_STORE, with its empty cdrom device.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { SimLayout } from "./layout";
import { simNetwork } from "./network";
import { domainDir, volumePath } from "./storage";
import { BLANK_UUID, GiB, type SimWorld } from "./world";

export const HA_VERSION = "1.3.5.7";
export const LOCAL_VM_CONF = "/var/run/ovirt-hosted-engine-ha/vm.conf";
/** The fixed deviceId ovirt-ha gives the cdrom of an OVF-derived vm.conf. */
export const CDROM_DEVICE_ID = "8c3179ac-b322-4f5c-9449-c52e3665e0ae";

/**
 * The cloud-init answers setup 1.3 (and 2.0, unchanged) keeps, flagged answerfile=True in
 * ovirt_hosted_engine_setup/constants.py CloudInit: DHCP stores cloudinitVMStaticCIDR and, with
 * no DNS asked, cloudinitVMDNS as False (gr-he-common/vm/cloud_init.py _customize_vm_addressing,
 * _customize_vm_dns). No time zone key before 2.1 (VM_TZ, commit 7c5967f). Setup 1.2 (3.5) has none.
 */
function cloudInitAnswers(world: SimWorld): string[] {
    const net = simNetwork(world);
    if (net.variant === "missing")
        return [];
    const dhcp = net.variant === "dhcp";
    return [
        "OVEHOSTED_VM/cloudInitISO=str:generate",
        `OVEHOSTED_VM/cloudinitInstanceHostName=str:${world.engine.fqdn}`,
        `OVEHOSTED_VM/cloudinitInstanceDomainName=str:${net.domain}`,
        "OVEHOSTED_VM/cloudinitExecuteEngineSetup=bool:True",
        dhcp ? "OVEHOSTED_VM/cloudinitVMStaticCIDR=bool:False" : `OVEHOSTED_VM/cloudinitVMStaticCIDR=str:${net.engineAddress}/${net.prefix}`,
        dhcp ? "OVEHOSTED_VM/cloudinitVMDNS=bool:False" : `OVEHOSTED_VM/cloudinitVMDNS=str:${net.dns}`,
        "OVEHOSTED_VM/cloudinitVMETCHOSTS=bool:False",
    ];
}

export function fhAnswers(world: SimWorld, diskSize: number): string {
    const s = world.storage;
    const net = simNetwork(world);
    return [
        "[environment:default]",
        "OVEHOSTED_CORE/confirmSettings=bool:True",
        `OVEHOSTED_ENGINE/clusterName=str:${world.engine.data.clusters[0]?.name ?? "Default"}`,
        "OVEHOSTED_ENGINE/insecureSSL=none:None",
        `OVEHOSTED_NETWORK/fqdn=str:${world.engine.fqdn}`,
        "OVEHOSTED_NETWORK/bridgeName=str:ovirtmgmt",
        `OVEHOSTED_NETWORK/gateway=str:${net.gateway}`,
        `OVEHOSTED_STORAGE/storageDomainConnection=str:${s.remotePath}`,
        "OVEHOSTED_STORAGE/storageDomainName=str:hosted_storage",
        "OVEHOSTED_STORAGE/storageDatacenterName=str:hosted_datacenter",
        "OVEHOSTED_STORAGE/domainType=str:nfs3",
        `OVEHOSTED_STORAGE/sdUUID=str:${s.sdUUID}`,
        `OVEHOSTED_STORAGE/spUUID=str:${BLANK_UUID}`,
        `OVEHOSTED_STORAGE/imgUUID=str:${s.engineDisk.imgUUID}`,
        `OVEHOSTED_STORAGE/volUUID=str:${s.engineDisk.volUUID}`,
        `OVEHOSTED_STORAGE/imgSizeGB=str:${Math.ceil(diskSize / GiB)}`,
        "OVEHOSTED_STORAGE/mntOptions=none:None",
        `OVEHOSTED_STORAGE/metadataVolumeUUID=str:${s.metadataVolume.volUUID}`,
        `OVEHOSTED_STORAGE/metadataImageUUID=str:${s.metadataVolume.imgUUID}`,
        `OVEHOSTED_STORAGE/lockspaceVolumeUUID=str:${s.lockspaceVolume.volUUID}`,
        `OVEHOSTED_STORAGE/lockspaceImageUUID=str:${s.lockspaceVolume.imgUUID}`,
        `OVEHOSTED_STORAGE/confImageUUID=str:${s.confVolume.imgUUID}`,
        `OVEHOSTED_STORAGE/confVolUUID=str:${s.confVolume.volUUID}`,
        `OVEHOSTED_VM/vmUUID=str:${world.vm.vmId}`,
        "OVEHOSTED_VM/vmMemSizeMB=int:4096",
        "OVEHOSTED_VM/vmVCpus=str:2",
        `OVEHOSTED_VM/vmMACAddr=str:${net.vmMac}`,
        "OVEHOSTED_VM/vmBoot=str:disk",
        "OVEHOSTED_VM/emulatedMachine=str:rhel6.5.0",
        ...cloudInitAnswers(world),
        "OVEHOSTED_VDSM/consoleType=str:vnc",
        "OVEHOSTED_VDSM/cpu=str:model_SandyBridge",
        "",
    ].join("\n");
}

const BROKER_CONF = `[email]
smtp-server = localhost
smtp-port = 25
source-email = root@localhost
destination-emails = root@localhost

[notify]
state_transition = maintenance|start|stop|migrate|up|down

`;

export function hostedEngineConf(world: SimWorld): string {
    const s = world.storage;
    // the template order of ovirt-hosted-engine-setup 2.0, at "3.6 level" (blank spUUID, conf volume ids set)
    return [
        `fqdn=${world.engine.fqdn}`,
        `vm_disk_id=${s.engineDisk.imgUUID}`,
        `vm_disk_vol_id=${s.engineDisk.volUUID}`,
        `vmid=${world.vm.vmId}`,
        `storage=${s.remotePath}`,
        "mnt_options=",
        "conf=/var/run/ovirt-hosted-engine-ha/vm.conf",
        `host_id=${world.ha.thisHostId}`,
        "console=vnc",
        "domainType=nfs3",
        `spUUID=${BLANK_UUID}`,
        `sdUUID=${s.sdUUID}`,
        "connectionUUID=" + s.sdUUID.replace(/^.{8}/, "c0ffee00"),
        "ca_cert=/etc/pki/vdsm/libvirt-spice/ca-cert.pem",
        "ca_subject=\"C=EN, L=Test, O=Test, CN=Test\"",
        "vdsm_use_ssl=true",
        "gateway=192.168.1.1",
        "bridge=ovirtmgmt",
        `metadata_volume_UUID=${s.metadataVolume.volUUID}`,
        `metadata_image_UUID=${s.metadataVolume.imgUUID}`,
        `lockspace_volume_UUID=${s.lockspaceVolume.volUUID}`,
        `lockspace_image_UUID=${s.lockspaceVolume.imgUUID}`,
        `conf_volume_UUID=${s.confVolume.volUUID}`,
        `conf_image_UUID=${s.confVolume.imgUUID}`,
        "",
        "# The following are used only for iSCSI storage",
        "iqn=",
        "portal=",
        "user=",
        "password=",
        "port=",
        "",
    ].join("\n");
}

/** The setup template's vm.conf (setup 1.3 flavour: no maxVCpus, no rng). */
export function setupVmConf(world: SimWorld): string {
    const s = world.storage;
    return [
        `vmId=${world.vm.vmId}`,
        "memSize=4096",
        "display=vnc",
        `devices={index:2,iface:ide,address:{ controller:0, target:0,unit:0, bus:1, type:drive},specParams:{},readonly:true,deviceId:${CDROM_DEVICE_ID},path:,device:cdrom,shared:false,type:disk}`,
        `devices={index:0,iface:virtio,format:raw,poolID:${BLANK_UUID},volumeID:${s.engineDisk.volUUID},imageID:${s.engineDisk.imgUUID},specParams:{},readonly:false,domainID:${s.sdUUID},optional:false,deviceId:${s.engineDisk.imgUUID},address:{bus:0x00, slot:0x06, domain:0x0000, type:pci, function:0x0},device:disk,shared:exclusive,propagateErrors:off,type:disk,bootOrder:1}`,
        "devices={device:scsi,model:virtio-scsi,type:controller}",
        "devices={nicModel:pv,macAddr:00:16:3e:6a:7a:f9,linkActive:true,network:ovirtmgmt,filter:vdsm-no-mac-spoofing,specParams:{},deviceId:5b3c2d1e-0f9a-4b8c-9d7e-6f5a4b3c2d1e,address:{bus:0x00, slot:0x03, domain:0x0000, type:pci, function:0x0},device:bridge,type:interface}",
        "devices={device:console,specParams:{},type:console,deviceId:a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d,alias:console0}",
        "devices={device:vga,alias:video0,type:video}",
        "vmName=HostedEngine",
        "spiceSecureChannels=smain,sdisplay,sinputs,scursor,splayback,srecord,ssmartcard,susbredir",
        "smp=2",
        "cpuType=SandyBridge",
        "emulatedMachine=rhel6.5.0",
        "",
    ].join("\n");
}

/** The vm.conf ovirt-ha-agent writes from OVF_STORE: scalars first, then devices as str(dict) without spaces. */
export function ovfDerivedVmConf(world: SimWorld): string {
    const s = world.storage;
    return [
        `vmId=${world.vm.vmId}`,
        "memSize=4096",
        "display=vnc",
        `devices={index:2,iface:ide,address:{controller:0,target:0,unit:0,bus:1,type:drive},readonly:true,deviceId:${CDROM_DEVICE_ID},path:,device:cdrom,shared:false,type:disk}`,
        `devices={index:0,iface:virtio,format:raw,poolID:${BLANK_UUID},volumeID:${s.engineDisk.volUUID},imageID:${s.engineDisk.imgUUID},readonly:false,domainID:${s.sdUUID},deviceId:${s.engineDisk.imgUUID},address:{slot:0x06,bus:0x00,domain:0x0000,type:pci,function:0x0},device:disk,type:disk,bootOrder:1,propagateErrors:off,shared:exclusive}`,
        "devices={device:scsi,model:virtio-scsi,type:controller}",
        "devices={nicModel:pv,macAddr:00:16:3e:6a:7a:f9,linkActive:true,network:ovirtmgmt,deviceId:5b3c2d1e-0f9a-4b8c-9d7e-6f5a4b3c2d1e,address:{slot:0x03,bus:0x00,domain:0x0000,type:pci,function:0x0},device:bridge,type:interface}",
        "devices={device:vga,alias:video0,type:video}",
        "vmName=HostedEngine",
        "cpuType=SandyBridge",
        "emulatedMachine=rhel6.5.0",
        "smp=2",
        "spiceSecureChannels=smain,sdisplay,sinputs,scursor,splayback,srecord,ssmartcard,susbredir",
        "",
    ].join("\n");
}

/** Writes the configuration tar (GNU format, root-owned, mode 0644, mtime 0, this member order) at offset 0. */
export function writeConfVolume(layout: SimLayout, world: SimWorld, diskSize: number): void {
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), "he-sim-conf-"));
    try {
        const members: [string, string][] = [
            ["version", HA_VERSION],
            ["fhanswers.conf", fhAnswers(world, diskSize)],
            ["hosted-engine.conf", hostedEngineConf(world)],
            ["broker.conf", BROKER_CONF],
            ["vm.conf", setupVmConf(world)],
        ];
        for (const [name, content] of members)
            fs.writeFileSync(path.join(staging, name), content);
        const tar = execFileSync("tar", ["--format=gnu", "--numeric-owner", "--owner=0", "--group=0", "--mode=0644",
            "--mtime=@0", "-cf", "-", "-C", staging, ...members.map(([name]) => name)], { maxBuffer: 64 << 20 });
        const s = world.storage;
        const volume = volumePath(domainDir(layout, s), s.confVolume.imgUUID, s.confVolume.volUUID);
        const fd = fs.openSync(volume, "r+");
        try {
            fs.writeSync(fd, tar, 0, tar.length, 0);
        } finally {
            fs.closeSync(fd);
        }
    } finally {
        fs.rmSync(staging, { recursive: true, force: true });
    }
}

export function writeLocalVmConf(layout: SimLayout, world: SimWorld): void {
    const file = path.join(layout.root, LOCAL_VM_CONF);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, ovfDerivedVmConf(world));
}
