// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The installed oVirt Engine Appliance 4.0 (RPM ovirt-engine-appliance): a
 * gzip-compressed tar OVA holding a qcow2 el7 disk with the 4.0 engine, its
 * vdsm-style .meta and the OVF descriptor, plus the discovery snippet
 * /etc/ovirt-hosted-engine/10-appliance.conf with the OVA's true sha1sum
 * (ovirt-formats.md section 2).
 */

import { execFileSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { buildRawImage } from "./disk-image";
import type { SimLayout } from "./layout";
import { BLANK_UUID, GiB } from "./world";

export const APPLIANCE_VERSION = "4.0-20161210.1.el7.centos";
export const APPLIANCE_ENGINE_VERSION = "4.0.6.3";
export const APPLIANCE_DESCRIPTION = "The oVirt Engine Appliance image (OVA)";
export const APPLIANCE_OVA = `/usr/share/ovirt-engine-appliance/ovirt-engine-appliance-${APPLIANCE_VERSION}.ova`;
export const APPLIANCE_CONF = "/etc/ovirt-hosted-engine/10-appliance.conf";

export interface ApplianceInfo {
    /** the OVA's path on the simulated host (under root) */
    ova: string;
    sha1: string;
    imgUUID: string;
    volUUID: string;
    templateId: string;
    virtualSize: number;
    ovfSizeGiB: number;
}

/* The answer file the appliance ships for engine-setup (otopi format). */
const ENGINE_ANSWERS = `[environment:default]
OVESETUP_CORE/engineStop=none:None
OVESETUP_DIALOG/confirmSettings=bool:True
OVESETUP_DB/database=str:engine
OVESETUP_DB/fixDbViolations=none:None
OVESETUP_DB/secured=bool:False
OVESETUP_DB/host=str:localhost
OVESETUP_DB/user=str:engine
OVESETUP_DB/securedHostValidation=bool:False
OVESETUP_DB/port=int:5432
OVESETUP_ENGINE_CORE/enable=bool:True
OVESETUP_CORE/engineStop=none:None
OVESETUP_SYSTEM/memCheckEnabled=bool:False
OVESETUP_SYSTEM/nfsConfigEnabled=bool:False
OVESETUP_PKI/organization=str:Test
OVESETUP_CONFIG/isoDomainName=none:None
OVESETUP_CONFIG/applicationMode=str:both
OVESETUP_CONFIG/firewallManager=str:firewalld
OVESETUP_CONFIG/storageType=none:None
OVESETUP_CONFIG/sanWipeAfterDelete=bool:False
OVESETUP_CONFIG/updateFirewall=bool:False
OVESETUP_CONFIG/websocketProxyConfig=bool:True
OVESETUP_PROVISIONING/postgresProvisioningEnabled=bool:True
OVESETUP_APACHE/configureRootRedirection=bool:True
OVESETUP_APACHE/configureSsl=bool:True
OVESETUP_VMCONSOLE_PROXY_CONFIG/vmconsoleProxyConfig=bool:True
OVESETUP_ENGINE_CONFIG/fqdn=str:localhost.localdomain
`;

export function el7ApplianceFiles(): Record<string, string> {
    return {
        "etc/redhat-release": "CentOS Linux release 7.2.1511 (Core)\n",
        "etc/os-release": "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nVERSION_ID=\"7\"\n",
        "etc/fstab": "LABEL=rootfs / ext4 defaults 1 1\n",
        "root/ovirt-engine-answers": ENGINE_ANSWERS,
        "usr/share/ovirt-engine/version": `${APPLIANCE_ENGINE_VERSION}\n`,
        "etc/cloud/cloud.cfg": "datasource_list: [ NoCloud, ConfigDrive, None ]\n",
        // the kickstart's `rootpw --lock` and `user --name=node --lock`: no password anyone could log in with
        "etc/shadow": "root:!!:16960:0:99999:7:::\nnode:!!:16960:0:99999:7:::\n",
        // EL7's setup package's /etc/hosts
        "etc/hosts": "127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n" +
            "::1         localhost localhost.localdomain localhost6 localhost6.localdomain6\n",
    };
}

function xmlEscape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/* imagefactory's OVF 0.9 descriptor: un-namespaced child elements, ovf:-prefixed attributes, no XML declaration. */
export function applianceOvf(info: Omit<ApplianceInfo, "ova" | "sha1">, cpus = 4, memoryMiB = 16384): string {
    const fileRef = `${info.imgUUID}/${info.volUUID}`;
    const created = new Date().toISOString().replace("T", " ").slice(0, 19).replace(/-/g, "/");
    const a = xmlEscape;
    return `<ovf:Envelope xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1/" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ovf:version="0.9">` +
        `<References><File ovf:href="${a(fileRef)}" ovf:id="${a(info.volUUID)}" ovf:size="${info.virtualSize}" ovf:description="oVirt Engine Appliance"/></References>` +
        "<Section xsi:type=\"ovf:NetworkSection_Type\"><Info>List of Networks</Info></Section>" +
        "<Section xsi:type=\"ovf:DiskSection_Type\">" +
        `<Disk ovf:diskId="${a(info.volUUID)}" ovf:size="${info.ovfSizeGiB}" ovf:actual_size="${info.ovfSizeGiB}" ovf:vm_snapshot_id="${randomUUID()}" ` +
        `ovf:format="http://www.vmware.com/specifications/vmdk.html#sparse" ovf:parentRef="" ovf:fileRef="${a(fileRef)}" ` +
        "ovf:volume-type=\"Sparse\" ovf:volume-format=\"COW\" ovf:disk-interface=\"VirtIO\" ovf:disk-type=\"System\" ovf:boot=\"true\" ovf:wipe-after-delete=\"false\"/>" +
        "</Section>" +
        "<Content xsi:type=\"ovf:VirtualSystem_Type\" ovf:id=\"out\">" +
        `<Name>oVirt Engine Appliance</Name><TemplateId>${a(info.templateId)}</TemplateId><Description/><Domain/>` +
        `<CreationDate>${created}</CreationDate><TimeZone/><IsAutoSuspend>false</IsAutoSuspend><VmType>1</VmType>` +
        "<default_display_type>0</default_display_type><default_boot_sequence>1</default_boot_sequence>" +
        `<Section xsi:type="ovf:OperatingSystemSection_Type" ovf:id="${a(info.templateId)}" ovf:required="false"><Info>Guest OS</Info><Description>OtherLinux</Description></Section>` +
        `<Section xsi:type="ovf:VirtualHardwareSection_Type"><Info>${cpus} CPU, ${memoryMiB} Memory</Info>` +
        "<System><vssd:VirtualSystemType>RHEVM 4.6.0.163</vssd:VirtualSystemType></System>" +
        `<Item><rasd:Caption>${cpus} virtual CPU</rasd:Caption><rasd:Description>Number of virtual CPU</rasd:Description><rasd:InstanceId>1</rasd:InstanceId><rasd:ResourceType>3</rasd:ResourceType><rasd:num_of_sockets>1</rasd:num_of_sockets><rasd:cpu_per_socket>${cpus}</rasd:cpu_per_socket></Item>` +
        `<Item><rasd:Caption>${memoryMiB} MB of memory</rasd:Caption><rasd:Description>Memory Size</rasd:Description><rasd:InstanceId>2</rasd:InstanceId><rasd:ResourceType>4</rasd:ResourceType><rasd:AllocationUnits>MegaBytes</rasd:AllocationUnits><rasd:VirtualQuantity>${memoryMiB}</rasd:VirtualQuantity></Item>` +
        `<Item><rasd:Caption>Drive 1</rasd:Caption><rasd:InstanceId>${a(info.volUUID)}</rasd:InstanceId><rasd:ResourceType>17</rasd:ResourceType><rasd:HostResource>${a(fileRef)}</rasd:HostResource><rasd:Parent>${BLANK_UUID}</rasd:Parent><rasd:Template>${BLANK_UUID}</rasd:Template><rasd:ApplicationList/><rasd:StorageId>${BLANK_UUID}</rasd:StorageId><rasd:StoragePoolId>${BLANK_UUID}</rasd:StoragePoolId><rasd:CreationDate>${created}</rasd:CreationDate><rasd:LastModified>${created}</rasd:LastModified></Item>` +
        "<Item><rasd:Caption>Ethernet 0 rhevm</rasd:Caption><rasd:InstanceId>3</rasd:InstanceId><rasd:ResourceType>10</rasd:ResourceType><rasd:ResourceSubType>3</rasd:ResourceSubType><rasd:Connection>rhevm</rasd:Connection><rasd:Name>eth0</rasd:Name><rasd:speed>1000</rasd:speed></Item>" +
        "<Item><rasd:Caption>Graphics</rasd:Caption><rasd:InstanceId>5</rasd:InstanceId><rasd:ResourceType>20</rasd:ResourceType><rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>" +
        "</Section></Content></ovf:Envelope>";
}

function metaFile(imgUUID: string, virtualSize: number): string {
    const now = Math.floor(Date.now() / 1000);
    // imagefactory's RHEVMetaFile order, not sorted like vdsm's
    return [`DOMAIN=${BLANK_UUID}`, "VOLTYPE=LEAF", `CTIME=${now}`, "FORMAT=COW", `IMAGE=${imgUUID}`, "DISKTYPE=1",
        `PUUID=${BLANK_UUID}`, "LEGALITY=LEGAL", `MTIME=${now}`, `POOL_UUID=${BLANK_UUID}`, `SIZE=${virtualSize / 512}`,
        "TYPE=SPARSE", "DESCRIPTION=Uploaded by Image Factory", "EOF", ""].join("\n");
}

export function sha1File(file: string): string {
    const hash = createHash("sha1");
    const fd = fs.openSync(file, "r");
    const buffer = Buffer.alloc(1 << 20);
    try {
        let n;
        while ((n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0)
            hash.update(buffer.subarray(0, n));
    } finally {
        fs.closeSync(fd);
    }
    return hash.digest("hex");
}

/** Builds the OVA and its discovery snippet under the sim root. */
export function installAppliance(layout: SimLayout, virtualSize: number): ApplianceInfo {
    if (virtualSize % GiB !== 0)
        throw new Error("the appliance size must be a whole number of GiB");
    const base = { imgUUID: randomUUID(), volUUID: randomUUID(), templateId: randomUUID(), virtualSize, ovfSizeGiB: virtualSize / GiB };
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), "he-sim-ova-"));
    try {
        const imageDir = path.join(staging, "images", base.imgUUID);
        const ovfDir = path.join(staging, "master", "vms", base.templateId);
        fs.mkdirSync(imageDir, { recursive: true });
        fs.mkdirSync(ovfDir, { recursive: true });
        const raw = path.join(staging, "appliance.raw");
        buildRawImage(raw, virtualSize, el7ApplianceFiles(), "rootfs");
        execFileSync("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", raw, path.join(imageDir, base.volUUID)]);
        fs.rmSync(raw);
        fs.writeFileSync(path.join(imageDir, `${base.volUUID}.meta`), metaFile(base.imgUUID, virtualSize));
        fs.writeFileSync(path.join(ovfDir, `${base.templateId}.ovf`), applianceOvf(base));

        const ova = path.join(layout.root, APPLIANCE_OVA);
        fs.mkdirSync(path.dirname(ova), { recursive: true });
        // relative names without "./", images then master, gzip: what imagefactory packs
        execFileSync("tar", ["--format=gnu", "-czf", ova, "-C", staging, "images", "master"]);
        const sha1 = sha1File(ova);
        const conf = path.join(layout.root, APPLIANCE_CONF);
        fs.mkdirSync(path.dirname(conf), { recursive: true });
        fs.writeFileSync(conf, `description=${APPLIANCE_DESCRIPTION}\nversion=${APPLIANCE_VERSION}\npath=${APPLIANCE_OVA}\nsha1sum=${sha1}\n`);
        return { ...base, ova, sha1 };
    } finally {
        fs.rmSync(staging, { recursive: true, force: true });
    }
}
