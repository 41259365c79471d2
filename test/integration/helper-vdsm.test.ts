// SPDX-License-Identifier: LGPL-2.1-or-later

/* The helper's vdsm client against the simulated vdsm (JSON-RPC over STOMP over TLS, client certificate). */

import fs from "node:fs";

import { defaultConfig, type HelperConfig } from "../../src/bridge-helper/config";
import { BLANK_UUID, VdsmCallError, VdsmClient } from "../../src/bridge-helper/host/vdsm-client";
import { startVdsm } from "../sim/vdsm/server";
import { freeLoopbackPort } from "../support/ports";
import { createTestContext, type TestContext } from "../support/sim-context";

let test_: TestContext;
let server: { close(): Promise<void> };
let config: HelperConfig;
let client: VdsmClient;


beforeAll(async () => {
    test_ = createTestContext();
    const port = await freeLoopbackPort();
    server = await startVdsm(test_.ctx, port);
    const tls = test_.ctx.tls;
    config = { ...defaultConfig(), vdsm: { host: "localhost", port, caFile: tls.caFile, certFile: tls.vdsmCertFile, keyFile: tls.vdsmKeyFile } };
    client = await VdsmClient.connect(config);
});

afterAll(async () => {
    client?.close();
    await server?.close();
    test_?.cleanup();
});

test("host facts: this host's hardware UUID and SPM status, the engine VM in the VM list", async () => {
    const world = test_.ctx.world;
    expect(await client.hardwareUuid()).toBe(world.ha.hosts[0].hardwareUuid);
    const pool = (await client.domainInfo(world.storage.sdUUID)).pool[0];
    expect(pool).toBe(world.storage.spUUID);
    expect((await client.spmStatus(pool)).spmStatus).toBe("SPM");
    expect(await client.vmList()).toEqual([world.vm.vmId]);
    expect(await client.vmStatus(world.vm.vmId)).toBe("Up");
});

test("the engine disk's volume: info, prepare path, and an unknown VM is null, not an error", async () => {
    const { sdUUID, engineDisk } = test_.ctx.world.storage;
    const info = await client.volumeInfo(sdUUID, BLANK_UUID, engineDisk.imgUUID, engineDisk.volUUID);
    expect(info).toMatchObject({ format: "RAW", capacity: String(1024 ** 3) });
    const prepared = await client.prepareImage(sdUUID, BLANK_UUID, engineDisk.imgUUID, engineDisk.volUUID);
    expect(fs.existsSync(prepared.path)).toBe(true);
    expect(await client.vmStatus("00000000-0000-0000-0000-0000000000aa")).toBeNull();
});

test("a wrong call fails with vdsm's error code", async () => {
    const { sdUUID } = test_.ctx.world.storage;
    const err = await client.volumeInfo(sdUUID, BLANK_UUID, "00000000-0000-0000-0000-0000000000bb", "00000000-0000-0000-0000-0000000000cc").catch(e => e);
    expect(err).toBeInstanceOf(VdsmCallError);
    expect((err as VdsmCallError).vdsmCode).toBeGreaterThanOrEqual(100);
});

test("extendSize is an SPM task polled to its end; the volume really grows", async () => {
    const world = test_.ctx.world;
    const { sdUUID, engineDisk } = world.storage;
    const task = await client.extendSize(sdUUID, world.storage.spUUID, engineDisk.imgUUID, engineDisk.volUUID, 2 * 1024 ** 3);
    let status = await client.taskStatus(task);
    for (let i = 0; i < 100 && status.taskState !== "finished"; i++) {
        await new Promise(resolve => setTimeout(resolve, 100));
        status = await client.taskStatus(task);
    }
    expect(status).toMatchObject({ taskState: "finished", taskResult: "success" });
    const info = await client.volumeInfo(sdUUID, BLANK_UUID, engineDisk.imgUUID, engineDisk.volUUID);
    expect(info.capacity).toBe(String(2 * 1024 ** 3));
});

test("shutdown takes a moment before the VM is Down", async () => {
    const vmId = test_.ctx.world.vm.vmId;
    await client.shutdownVm(vmId);
    let status = await client.vmStatus(vmId);
    for (let i = 0; i < 100 && status !== null && status !== "Down"; i++) {
        await new Promise(resolve => setTimeout(resolve, 100));
        status = await client.vmStatus(vmId);
    }
    expect(status === null || status === "Down").toBe(true);
});
