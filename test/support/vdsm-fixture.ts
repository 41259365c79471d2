// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * A simulated vdsm over the wire for the sim-vdsm-* tests: a fresh simulated
 * host in this process, its vdsm on a loopback port, a connected client, and
 * the small waits and fault switches those tests share.
 */

import fs from "node:fs";

import { destroyVm } from "../sim/engine-vm";
import { clientFiles, StompTestConnection, VdsmCallError, VdsmTestClient } from "../sim/vdsm/client";
import { startVdsm } from "../sim/vdsm/server";
import { freeLoopbackPort } from "./ports";
import { createTestContext, type TestContext } from "./sim-context";

export interface VdsmFixture {
    test: TestContext;
    port: number;
    client: VdsmTestClient;
    /** another STOMP connection, closed with the fixture */
    open(): Promise<StompTestConnection>;
    /** a connection the test opened itself, closed with the fixture */
    adopt(connection: StompTestConnection): void;
    close(): Promise<void>;
}

export async function startVdsmFixture(): Promise<VdsmFixture> {
    const test = createTestContext();
    const port = await freeLoopbackPort();
    const vdsm = await startVdsm(test.ctx, port);
    const client = await VdsmTestClient.connect(port, clientFiles(test.ctx.tls));
    const extra: StompTestConnection[] = [];
    return {
        test, port, client,
        adopt(connection) {
            extra.push(connection);
        },
        async open() {
            const connection = await StompTestConnection.open(port, clientFiles(test.ctx.tls));
            extra.push(connection);
            return connection;
        },
        async close() {
            // a VM left running keeps its console channel's socket open, and jest with it
            if (test.ctx.world.vm.status !== "Down")
                destroyVm(test.ctx);
            client.close();
            for (const c of extra)
                c.close();
            await vdsm.close();
            fs.rmSync(test.ctx.layout.socketDir, { recursive: true, force: true });
            test.cleanup();
        },
    };
}

/** The VdsmError a call fails with. */
export async function failure(promise: Promise<unknown>): Promise<VdsmCallError> {
    try {
        await promise;
    } catch (err) {
        if (err instanceof VdsmCallError)
            return err;
        throw err;
    }
    throw new Error("the call succeeded");
}

export async function poll<T>(what: string, get: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await get();
        if (done(value))
            return value;
        if (Date.now() > deadline)
            throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
        await new Promise(resolve => setTimeout(resolve, 50));
    }
}

export function withFault<T>(fixture: VdsmFixture, name: string, body: () => Promise<T>): Promise<T> {
    const world = fixture.test.ctx.world;
    world.faults.push(name);
    return body().finally(() => {
        world.faults = world.faults.filter(f => f !== name);
    });
}
