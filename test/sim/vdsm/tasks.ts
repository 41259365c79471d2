// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * vdsm's asynchronous storage tasks, of which the sim has one kind: the SPM's
 * Volume.extendSize. A task is kept in the world (so `sim inspect` shows it and
 * it survives a daemon restart), runs for EXTEND_TASK_MS and then finishes.
 * What a client sees is vdsm 4.18's task status (vdsm/storage/task.py,
 * deprecated_getStatus):
 *   running:   taskState "running",  taskResult "",            code 0
 *   succeeded: taskState "finished", taskResult "success",     code 0, "1 jobs completed successfully"
 *   failed:    taskState "finished", taskResult "cleanSuccess", code and text of the storage error
 * A failed task is aborted and its (empty) recovery succeeds, so vdsm reports
 * "cleanSuccess", never "failure": a client must treat anything but "success"
 * as a failure.
 */

import { randomUUID } from "node:crypto";
import fs from "node:fs";

import type { SimContext } from "../context";
import { domainDir, extendVolume, readVolumeMeta, SECTOR, volumePath } from "../storage";
import type { SimTask } from "../world";
import { storage, STORAGE_TEXT, VdsmError } from "./errors";

/** How long an extension runs before it finishes. */
export const EXTEND_TASK_MS = 400;

export interface ExtendArgs {
    sdUUID: string;
    imgUUID: string;
    volUUID: string;
    /** the requested size rounded up to whole sectors, as vdsm does */
    newSizeBytes: number;
}

/*
 * The world's SimTask has no room for a verb's arguments; the extension's are
 * kept in an extra field, which the world's JSON persists like any other.
 */
interface ExtendTask extends SimTask {
    args?: ExtendArgs;
}

/** vdsm's message while the task's only job runs (its format string repeats the job number). */
const RUNNING_MESSAGE = "running job 1 of 1";

export function scheduleExtend(ctx: SimContext, args: ExtendArgs, now: number = Date.now()): SimTask {
    const task: ExtendTask = {
        id: randomUUID(),
        verb: "extendVolumeSize",
        state: "running",
        result: "",
        code: 0,
        message: RUNNING_MESSAGE,
        finishAt: now + EXTEND_TASK_MS,
        args,
    };
    ctx.world.tasks[task.id] = task;
    ctx.commit();
    return task;
}

/** The job itself: what fileVolume.extendSize does to a file-domain volume. Throws what vdsm would. */
function runExtend(ctx: SimContext, args: ExtendArgs): void {
    const s = ctx.world.storage;
    const domain = domainDir(ctx.layout, s);
    if (args.sdUUID !== s.sdUUID || !fs.existsSync(domain))
        throw storage("storageDomainDoesNotExist", args.sdUUID);
    const file = volumePath(domain, args.imgUUID, args.volUUID);
    if (!fs.existsSync(file))
        throw storage("volumeDoesNotExist", args.volUUID);
    if (ctx.hasFault("extend-fails"))
        throw storage("volumeExtendingError", args.volUUID);
    // a COW volume's virtual size lives in its qcow2 header: vdsm leaves it to qemu
    if (readVolumeMeta(file).FORMAT === "COW")
        return;
    const currentSectors = Math.floor(fs.statSync(file).size / SECTOR);
    if (args.newSizeBytes / SECTOR < currentSectors)
        throw storage("volumeResizeValue", args.newSizeBytes / SECTOR);
    extendVolume(domain, args.imgUUID, args.volUUID, args.newSizeBytes);
}

/** The code and text a task reports for the error that failed it: the class's text, without arguments. */
function taskFailure(err: unknown): { code: number; message: string } {
    if (err instanceof VdsmError) {
        const known = Object.values(STORAGE_TEXT).find(([code]) => code === err.code);
        return { code: err.code, message: known ? known[1] : err.message };
    }
    return { code: 100, message: (err as Error).message || "Unknown Error" };
}

/** Finishes every task whose time has come; every reader calls this first. */
export function settleTasks(ctx: SimContext, now: number = Date.now()): void {
    let changed = false;
    for (const task of Object.values(ctx.world.tasks) as ExtendTask[]) {
        if (task.state !== "running" || now < task.finishAt)
            continue;
        try {
            if (!task.args)
                throw new Error("the task's arguments were lost");
            runExtend(ctx, task.args);
            Object.assign(task, { state: "finished", result: "success", code: 0, message: "1 jobs completed successfully" });
            ctx.log("vdsm", `task ${task.id} (${task.verb}) finished: success`);
        } catch (err) {
            Object.assign(task, { state: "finished", result: "cleanSuccess", ...taskFailure(err) });
            ctx.log("vdsm", `task ${task.id} (${task.verb}) failed: ${task.code} ${task.message}`);
        }
        changed = true;
    }
    if (changed)
        ctx.commit();
}

/** taskManager's lookup: a malformed id is an invalid parameter, an unknown one an unknown task. */
export function findTask(ctx: SimContext, taskID: string): SimTask {
    if (taskID === "" || taskID.includes("."))
        throw storage("invalidParameter", "taskID", taskID);
    const task = Object.hasOwn(ctx.world.tasks, taskID) ? ctx.world.tasks[taskID] : undefined;
    if (!task)
        throw storage("unknownTask", taskID);
    return task;
}

export function taskStatus(task: SimTask): Record<string, unknown> {
    return { taskID: task.id, taskState: task.state, taskResult: task.result, code: task.code, message: task.message };
}

export function clearTask(ctx: SimContext, task: SimTask): void {
    if (task.state !== "finished")
        throw storage("taskState", `can't clean in state ${task.state}`);
    delete ctx.world.tasks[task.id];
    ctx.commit();
}

/** The earliest time a running task finishes, or null. */
export function nextTaskDue(ctx: SimContext): number | null {
    const due = Object.values(ctx.world.tasks).filter(t => t.state === "running").map(t => t.finishAt);
    return due.length > 0 ? Math.min(...due) : null;
}
