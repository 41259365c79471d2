// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated vdsm over the wire: Volume.extendSize and its task, and the VM verbs the upgrade uses, against a fresh simulated host in this process.
 */

import fs from "node:fs";
import path from "node:path";

import { requestShutdown, startVm } from "../sim/engine-vm";
import { setupVmConf } from "../sim/host-config";
import { hostIds } from "../sim/host-ids";
import { domainDir, volumePath } from "../sim/storage";
import type { VdsmTestClient } from "../sim/vdsm/client";
import { parseVmConf } from "../sim/vm-conf";
import { BLANK_UUID, GiB } from "../sim/world";
import { failure, poll, startVdsmFixture, withFault as withFaultOf, type VdsmFixture } from "../support/vdsm-fixture";

let fixture: VdsmFixture;
let client: VdsmTestClient;

const ctx = () => fixture.test.ctx;
const world = () => fixture.test.ctx.world;
const withFault = <T>(name: string, body: () => Promise<T>) => withFaultOf(fixture, name, body);

const disk = () => world().storage.engineDisk;
const volumeArgs = () => ({
    storagepoolID: world().storage.spUUID,
    storagedomainID: world().storage.sdUUID,
    imageID: disk().imgUUID,
    volumeID: disk().volUUID,
});

beforeAll(async () => {
    fixture = await startVdsmFixture();
    client = fixture.client;
});

afterAll(async () => {
    await fixture?.close();
});

describe("Volume.extendSize and its task", () => {
    const status = (taskID: string) => client.call<Record<string, unknown>>("Task.getStatus", { taskID });
    const finished = (taskID: string) => poll("task", () => status(taskID), s => s.taskState === "finished");
    const file = () => volumePath(domainDir(ctx().layout, world().storage), disk().imgUUID, disk().volUUID);

    test("the size is a string of digits and the pool must be this host's", async () => {
        expect((await failure(client.call("Volume.extendSize", { ...volumeArgs(), newSize: 2 * GiB }))).code).toBe(-32602);
        expect((await failure(client.call("Volume.extendSize", { ...volumeArgs(), newSize: "2G" }))).code).toBe(1000);
        expect((await failure(client.call("Volume.extendSize", { ...volumeArgs(), storagepoolID: BLANK_UUID, newSize: "1" }))).code).toBe(309);
    });

    test("a task runs, finishes with success, and the volume has really grown", async () => {
        const before = fs.statSync(file()).size;
        const newSize = before + 512 * 1024 * 1024;
        const taskID = await client.call<string>("Volume.extendSize", { ...volumeArgs(), newSize: String(newSize) });
        expect(taskID).toMatch(/^[0-9a-f-]{36}$/);
        expect(await status(taskID)).toMatchObject({ taskID, taskState: "running", taskResult: "", code: 0 });
        expect(fs.statSync(file()).size).toBe(before);
        expect((await failure(client.call("Task.clear", { taskID }))).code).toBe(410);

        expect(await finished(taskID)).toEqual({
            taskID, taskState: "finished", taskResult: "success", code: 0, message: "1 jobs completed successfully",
        });
        expect(fs.statSync(file()).size).toBe(newSize);
        const info = await client.call<Record<string, string>>("Volume.getInfo", volumeArgs());
        expect(info.capacity).toBe(String(newSize));
        expect(await client.call("Task.getInfo", { taskID })).toEqual({ id: taskID, verb: "extendVolumeSize" });
        expect(await client.call("Task.clear", { taskID })).toBe(true);
        expect((await failure(status(taskID))).code).toBe(401);
        expect((await failure(status("a.b"))).code).toBe(1000);
    });

    test("fault extend-fails: the task finishes without success and the volume keeps its size", async () => {
        const before = fs.statSync(file()).size;
        await withFault("extend-fails", async () => {
            const taskID = await client.call<string>("Volume.extendSize", { ...volumeArgs(), newSize: String(before + 4096) });
            const result = await finished(taskID);
            expect(result).toMatchObject({ taskState: "finished", taskResult: "cleanSuccess", code: 206, message: "Error extending volume" });
        });
        expect(fs.statSync(file()).size).toBe(before);
    });

    test("a smaller size fails the task", async () => {
        const taskID = await client.call<string>("Volume.extendSize", { ...volumeArgs(), newSize: "512" });
        expect(await finished(taskID)).toMatchObject({ taskResult: "cleanSuccess", code: 232 });
    });
});

describe("VM verbs", () => {
    const vmId = () => world().vm.vmId;
    const stats = () => client.call<Record<string, unknown>[]>("VM.getStats", { vmID: vmId() }).then(list => list[0]);

    test("an unknown VM is error 1, noVM", async () => {
        const error = await failure(client.call("VM.getStats", { vmID: BLANK_UUID }));
        expect(error.code).toBe(1);
        expect(error.message).toContain("Virtual machine does not exist");
        expect((await failure(client.call("VM.getStats", { vmId: vmId() }))).code).toBe(-32602);
    });

    test("the running engine VM is listed and Up", async () => {
        expect(await client.call("Host.getVMList")).toEqual([vmId()]);
        expect(await client.call("Host.getVMList", { onlyUUID: false })).toEqual([{ vmId: vmId(), status: "Up", statusTime: expect.any(String) }]);
        expect(await stats()).toMatchObject({ vmId: vmId(), status: "Up" });
        const [full] = await client.call<Record<string, unknown>[]>("Host.getVMFullList");
        expect(full).toMatchObject({ vmId: vmId(), status: "Up" });
    });

    test("fault vm-wont-stop: the guest ignores the shutdown", async () => {
        await withFault("vm-wont-stop", async () => {
            expect(await client.call("VM.shutdown", { vmID: vmId() })).toBe(true);
            expect(world().vm.shutdownAt).toBeNull();
            expect((await stats()).status).toBe("Up");
        });
    });

    test("VM.shutdown: Powering down, then Down with its exit message until destroyed", async () => {
        expect(await client.call("VM.shutdown", { vmID: vmId(), delay: 0, message: "upgrade" })).toBe(true);
        expect((await stats()).status).toBe("Powering down");
        const down = await poll("VM status", stats, s => s.status !== "Powering down");
        expect(down).toMatchObject({ vmId: vmId(), status: "Down", exitMessage: "User shut down from within the guest", exitCode: 0, exitReason: 7 });
        expect(await client.call("Host.getVMList")).toEqual([vmId()]);
        expect((await failure(client.call("VM.shutdown", { vmID: vmId() }))).code).toBe(1);
        expect(await client.call("VM.destroy", { vmID: vmId() })).toBe(true);
        expect((await failure(stats())).code).toBe(1);
        expect(await client.call("Host.getVMList")).toEqual([]);
    });

    test("VM.create starts the engine VM from its definition; a second create finds it there", async () => {
        const params = parseVmConf(setupVmConf(world()));
        const created = await client.call<Record<string, unknown>>("VM.create", { vmID: vmId(), vmParams: params });
        expect(created).toMatchObject({ vmId: vmId(), status: "WaitForLaunch", memSize: "4096" });
        // libvirt starts qemu after vdsm answered
        await poll("VM status", stats, st => st.status === "Up");
        expect(world().vm.status).toBe("Up");
        expect(await stats()).toMatchObject({ status: "Up", vmName: "HostedEngine" });
        expect((await failure(client.call("VM.create", { vmID: vmId(), vmParams: params }))).code).toBe(4);
        expect(await client.call("VM.destroy", { vmID: vmId() })).toBe(true);
        expect(world().vm.status).toBe("Down");
        expect((await failure(stats())).code).toBe(1);
    });

    test("a VM started and shut down outside vdsm, with no request in between, is still seen Down", async () => {
        // like the HA agent and `hosted-engine --vm-shutdown`: straight through engine-vm
        expect(startVm(ctx(), parseVmConf(setupVmConf(world()))).ok).toBe(true);
        expect(requestShutdown(ctx()).ok).toBe(true);
        // only the service's own look at the VM moves it on; no request may do it here
        await poll("world VM", async () => world().vm.status, status => status === "Down");
        expect(await stats()).toMatchObject({ status: "Down", exitMessage: "User shut down from within the guest" });
        expect(await client.call("VM.destroy", { vmID: vmId() })).toBe(true);
    });

    test("vdsm tears the VM's image down when it releases the VM: a path prepared before no longer opens", async () => {
        const prepare = () => client.call<{ path: string }>("Image.prepare", { ...volumeArgs(), storagepoolID: BLANK_UUID });
        const opens = (file: string) => {
            try {
                fs.closeSync(fs.openSync(file, "r"));
                return true;
            } catch {
                return false;
            }
        };
        const params = parseVmConf(setupVmConf(world()));
        // VM.create prepares the disk (clientIF.prepareVolumePath): the path the VM uses, the one Image.prepare gives
        await client.call("VM.create", { vmID: vmId(), vmParams: params });
        const before = await prepare();
        expect(opens(before.path)).toBe(true);
        // destroyed: released, the run link gone
        expect(await client.call("VM.destroy", { vmID: vmId() })).toBe(true);
        expect(opens(before.path)).toBe(false);
        expect(opens((await prepare()).path)).toBe(true);

        // shut down from within: released when qemu goes away, before anyone destroys the Down VM
        await client.call("VM.create", { vmID: vmId(), vmParams: params });
        const again = await prepare();
        expect(await client.call("VM.shutdown", { vmID: vmId() })).toBe(true);
        await poll("VM status", stats, st => st.status === "Down");
        expect(opens(again.path)).toBe(false);
        expect(await client.call("VM.destroy", { vmID: vmId() })).toBe(true);
        expect(opens(again.path)).toBe(false);
        expect(opens((await prepare()).path)).toBe(true);
    });

    test("qemu opens the drives as qemu: a cdrom only root may read fails the start as libvirt does", async () => {
        const iso = path.join(ctx().layout.dir, "seed.iso");
        fs.writeFileSync(iso, "not much of an ISO, but qemu opens anything", { mode: 0o600 });
        const withCdrom = (params: Record<string, unknown>) => ({
            ...params,
            devices: (params.devices as Record<string, unknown>[]).map(d => (d.device === "cdrom" ? { ...d, path: iso } : d)),
        });
        const params = withCdrom(parseVmConf(setupVmConf(world())));
        expect(await client.call("VM.create", { vmID: vmId(), vmParams: params })).toMatchObject({ status: "WaitForLaunch" });
        const down = await poll("VM status", stats, st => st.status === "Down");
        expect(down.exitMessage).toBe(`internal error: qemu unexpectedly closed the monitor: qemu-kvm: -drive file=${iso},if=none,` +
                                      `id=drive-ide0-1-0: Could not open '${iso}': Permission denied`);
        expect(await client.call("VM.destroy", { vmID: vmId() })).toBe(true);

        // handed to qemu as the original hands its seed (qemu:qemu 0600): the same start works
        const qemu = hostIds();
        fs.chownSync(iso, qemu.qemu, qemu.qemuGroup);
        await client.call("VM.create", { vmID: vmId(), vmParams: params });
        expect(await poll("VM status", stats, st => st.status !== "WaitForLaunch")).toMatchObject({ status: "Up" });
        expect(await client.call("VM.destroy", { vmID: vmId() })).toBe(true);
    });

    test("a VM that cannot start is created, then Down with the reason", async () => {
        const params = { ...parseVmConf(setupVmConf(world())), devices: [] };
        expect(await client.call("VM.create", { vmID: vmId(), vmParams: params })).toMatchObject({ status: "WaitForLaunch" });
        const down = await stats();
        expect(down).toMatchObject({ status: "Down", exitCode: 1 });
        expect(down.exitMessage).toMatch(/Bad volume specification/);
        expect(world().vm.status).toBe("Down");
        expect(await client.call("VM.destroy", { vmID: vmId() })).toBe(true);
        expect((await failure(client.call("VM.create", { vmID: vmId(), vmParams: { vmName: "x" } }))).code).toBe(11);
    });
});
