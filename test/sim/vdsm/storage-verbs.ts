// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * vdsm's storage verbs over the sim's hosted-engine storage domain (an NFS
 * file domain, storage.ts), with vdsm 4.18's parameter names (vdsm-api.yml),
 * result shapes (Bridge.py: the member each verb returns) and values
 * (vdsm/storage/hsm.py, volume.py, fileSD.py), e.g. Volume.getInfo's sizes and
 * times are strings, as 4.18 gives them. Image.prepare and Image.teardown make
 * and remove the image's run link (image-links.ts).
 *
 * This host is connected to one storage pool, the world's spUUID (the data
 * center the engine connected it to); verbs that need the pool refuse any
 * other id, the blank UUID included, as vdsm's getPool does. Verbs that do not
 * use the pool accept any id, as vdsm does.
 */

import fs from "node:fs";
import path from "node:path";

import type { SimContext } from "../context";
import { linkImage, unlinkImage } from "../image-links";
import { domainDir, listImages, listVolumes, readVolumeMeta, SECTOR, volumePath } from "../storage";
import { BLANK_UUID } from "../world";
import { storage } from "./errors";
import type { Args, VerbTable } from "./jsonrpc";
import { clearTask, findTask, scheduleExtend, settleTasks, taskStatus } from "./tasks";

/** The lock version of the pool's SPM lease: any number; the sim's SPM never changes. */
const SPM_LVER = 5;

const str = (args: Args, name: string) => args[name] as string;

/** hsm.getPool: the pool must be one this host is connected to. */
function checkPool(ctx: SimContext, spUUID: string): void {
    if (spUUID !== ctx.world.storage.spUUID)
        throw storage("storagePoolUnknown", spUUID);
}

/** sdCache.produce: the domain's directory (the sim has one domain). */
function domain(ctx: SimContext, sdUUID: string): string {
    const s = ctx.world.storage;
    const dir = domainDir(ctx.layout, s);
    if (sdUUID !== s.sdUUID || !fs.existsSync(path.join(dir, "dom_md", "metadata")))
        throw storage("storageDomainDoesNotExist", sdUUID);
    return dir;
}

/** A file volume as produceVolume finds it: the image directory first, then the volume. */
function volumeFile(ctx: SimContext, sdUUID: string, imgUUID: string, volUUID: string): string {
    const dir = domain(ctx, sdUUID);
    const imageDir = path.join(dir, "images", imgUUID);
    if (!fs.statSync(imageDir, { throwIfNoEntry: false })?.isDirectory())
        throw storage("imagePath", imageDir);
    const file = volumePath(dir, imgUUID, volUUID);
    if (!fs.existsSync(file))
        throw storage("volumeDoesNotExist", volUUID);
    return file;
}

/** dom_md/metadata as KEY=VALUE pairs (the checksum line left out). */
function domainMetadata(dir: string): Record<string, string> {
    const values: Record<string, string> = {};
    for (const line of fs.readFileSync(path.join(dir, "dom_md", "metadata"), "utf8").split("\n")) {
        const eq = line.indexOf("=");
        if (eq > 0 && !line.startsWith("_SHA_CKSUM"))
            values[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return values;
}

function fileSizes(file: string): { apparentsize: string; truesize: string } {
    const stat = fs.statSync(file);
    return { apparentsize: String(stat.size), truesize: String(stat.blocks * 512) };
}

/** volume.getInfo: the .meta's values as strings, sizes in bytes as strings. */
function volumeInfo(file: string, volUUID: string): Record<string, unknown> {
    const meta = readVolumeMeta(file);
    const info: Record<string, unknown> = {
        uuid: volUUID,
        type: meta.TYPE ?? "",
        format: meta.FORMAT ?? "",
        disktype: meta.DISKTYPE ?? "",
        voltype: meta.VOLTYPE ?? "",
        parent: meta.PUUID ?? "",
        description: meta.DESCRIPTION ?? "",
        pool: meta.POOL_UUID ?? "",
        domain: meta.DOMAIN ?? "",
        image: meta.IMAGE ?? "",
        ctime: meta.CTIME ?? "",
        mtime: "0",
        legality: meta.LEGALITY ?? "",
        capacity: String(Number(meta.SIZE ?? "0") * SECTOR),
        ...fileSizes(file),
        status: meta.LEGALITY === "ILLEGAL" ? "ILLEGAL" : "OK",
        // "not used by engine nor dumpStorageTable", always empty in 4.18
        children: [],
    };
    return info;
}

/** The pool's view of a domain, /rhev/data-center/<spUUID>/<sdUUID>: a link vdsm keeps to the mount. */
function poolDomainLink(ctx: SimContext, spUUID: string, sdUUID: string, dir: string): string {
    const link = path.join(ctx.layout.root, "rhev/data-center", spUUID, sdUUID);
    if (!fs.existsSync(link)) {
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(dir, link);
    }
    return link;
}

/** misc.validateN: a size is a string of decimal digits. */
function sizeArgument(value: string): number {
    if (!/^\d+$/.test(value))
        throw storage("invalidParameter", "newSize", value);
    return Number(value);
}

const UUID = "UUID" as const;

export function storageVerbs(ctx: SimContext): VerbTable {
    const s = () => ctx.world.storage;
    return {
        "Host.getStorageRepoStats": {
            params: [],
            call: () => {
                // the domain monitor watches the hosted-engine domain while it is there
                const stats: Record<string, unknown> = {};
                const dir = domainDir(ctx.layout, s());
                if (fs.existsSync(path.join(dir, "dom_md", "metadata"))) {
                    stats[s().sdUUID] = {
                        code: 0, lastCheck: "1.2", delay: "0.000411", valid: true,
                        version: Number(domainMetadata(dir).VERSION ?? "3"), acquired: true, actual: true,
                    };
                }
                return stats;
            },
        },
        "StoragePool.getSpmStatus": {
            params: [{ name: "storagepoolID", type: UUID }],
            call: args => {
                checkPool(ctx, str(args, "storagepoolID"));
                const world = ctx.world;
                if (!ctx.hasFault("not-spm"))
                    return { spmStatus: "SPM", spmLver: SPM_LVER, spmId: world.ha.thisHostId };
                // another host holds the SPM lease; the pool metadata names it
                const other = world.ha.hosts.find(h => h.id !== world.ha.thisHostId && !h.stale);
                return { spmStatus: "Free", spmLver: SPM_LVER, spmId: other?.id ?? -1 };
            },
        },
        "StorageDomain.getInfo": {
            params: [{ name: "storagedomainID", type: UUID }],
            call: args => {
                const md = domainMetadata(domain(ctx, str(args, "storagedomainID")));
                return {
                    uuid: md.SDUUID,
                    type: md.TYPE,
                    class: md.CLASS,
                    name: md.DESCRIPTION,
                    role: md.ROLE,
                    pool: (md.POOL_UUID ?? "").split(",").filter(id => id !== ""),
                    version: md.VERSION,
                    remotePath: md.REMOTE_PATH,
                };
            },
        },
        "StorageDomain.getImages": {
            params: [{ name: "storagedomainID", type: UUID }],
            call: args => listImages(domain(ctx, str(args, "storagedomainID"))),
        },
        "StorageDomain.getVolumes": {
            params: [
                { name: "storagedomainID", type: UUID },
                { name: "storagepoolID", type: UUID },
                { name: "imageID", type: UUID },
            ],
            call: args => {
                const dir = domain(ctx, str(args, "storagedomainID"));
                const img = str(args, "imageID");
                // the blank image means every volume of the domain
                return img === BLANK_UUID ? listImages(dir).flatMap(i => listVolumes(dir, i)) : listVolumes(dir, img);
            },
        },
        "Image.getVolumes": {
            params: [
                { name: "imageID", type: UUID },
                { name: "storagepoolID", type: UUID },
                { name: "storagedomainID", type: UUID },
            ],
            call: args => {
                const dir = domain(ctx, str(args, "storagedomainID"));
                const img = str(args, "imageID");
                return img === BLANK_UUID ? listImages(dir).flatMap(i => listVolumes(dir, i)) : listVolumes(dir, img);
            },
        },
        "Image.prepare": {
            params: [
                { name: "storagepoolID", type: UUID },
                { name: "storagedomainID", type: UUID },
                { name: "imageID", type: UUID },
                { name: "volumeID", type: UUID },
                { name: "allowIllegal", type: "boolean", optional: true },
            ],
            call: args => {
                const [sp, sd, img, vol] = ["storagepoolID", "storagedomainID", "imageID", "volumeID"].map(n => str(args, n));
                if (sp !== BLANK_UUID)
                    checkPool(ctx, sp);
                const dir = domain(ctx, sd);
                const volumes = listVolumes(dir, img);
                if (!volumes.includes(vol))
                    throw storage("volumeDoesNotExist", vol);
                for (const v of volumes) {
                    if (readVolumeMeta(volumePath(dir, img, v)).LEGALITY === "ILLEGAL" && args.allowIllegal !== true)
                        throw storage("prepareIllegalVolume", v);
                }
                // activateVolumes links the image under /var/run/vdsm/storage whatever the pool; with the
                // blank pool the path goes through that link, with a real one through the pool's link
                const runDir = linkImage(ctx.layout, sd, img, path.join(dir, "images", img));
                const base = sp === BLANK_UUID ? runDir : path.join(poolDomainLink(ctx, sp, sd, dir), "images", img);
                return { path: path.join(base, vol) };
            },
        },
        "Image.teardown": {
            params: [
                { name: "storagepoolID", type: UUID },
                { name: "storagedomainID", type: UUID },
                { name: "imageID", type: UUID },
                { name: "volumeID", type: UUID, optional: true },
            ],
            call: args => {
                // unlinkBCImage is nothing on a file domain; deactivateImage removes the run link
                const sd = str(args, "storagedomainID");
                domain(ctx, sd);
                unlinkImage(ctx.layout, sd, str(args, "imageID"));
                return true;
            },
        },
        "Volume.getInfo": {
            params: [
                { name: "volumeID", type: UUID },
                { name: "storagepoolID", type: UUID },
                { name: "storagedomainID", type: UUID },
                { name: "imageID", type: UUID },
            ],
            call: args => {
                const vol = str(args, "volumeID");
                return volumeInfo(volumeFile(ctx, str(args, "storagedomainID"), str(args, "imageID"), vol), vol);
            },
        },
        "Volume.getSize": {
            params: [
                { name: "volumeID", type: UUID },
                { name: "storagepoolID", type: UUID },
                { name: "storagedomainID", type: UUID },
                { name: "imageID", type: UUID },
            ],
            call: args => fileSizes(volumeFile(ctx, str(args, "storagedomainID"), str(args, "imageID"), str(args, "volumeID"))),
        },
        "Volume.extendSize": {
            params: [
                { name: "storagepoolID", type: UUID },
                { name: "storagedomainID", type: UUID },
                { name: "imageID", type: UUID },
                { name: "volumeID", type: UUID },
                // bytes, as a string: the schema says so, XML-RPC's int was too small
                { name: "newSize", type: "string" },
            ],
            call: args => {
                const sp = str(args, "storagepoolID");
                checkPool(ctx, sp);
                const bytes = sizeArgument(str(args, "newSize"));
                // an SPM verb: refused at once on any other host
                if (ctx.hasFault("not-spm"))
                    throw storage("notSpm", sp);
                // the rest (domain, volume, size) is checked by the task, which fails if they are wrong
                const task = scheduleExtend(ctx, {
                    sdUUID: str(args, "storagedomainID"),
                    imgUUID: str(args, "imageID"),
                    volUUID: str(args, "volumeID"),
                    newSizeBytes: Math.ceil(bytes / SECTOR) * SECTOR,
                });
                return task.id;
            },
        },
        "Task.getStatus": {
            params: [{ name: "taskID", type: UUID }],
            call: args => {
                settleTasks(ctx);
                return taskStatus(findTask(ctx, str(args, "taskID")));
            },
        },
        "Task.getInfo": {
            params: [{ name: "taskID", type: UUID }],
            call: args => {
                const task = findTask(ctx, str(args, "taskID"));
                return { id: task.id, verb: task.verb };
            },
        },
        "Task.clear": {
            params: [{ name: "taskID", type: UUID }],
            call: args => {
                settleTasks(ctx);
                clearTask(ctx, findTask(ctx, str(args, "taskID")));
                return true;
            },
        },
    };
}
