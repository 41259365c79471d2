// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade's wait for the new engine against a simulated engine that has
 * just started (test/sim/engine-api/startup.ts): its health page answers
 * before its API, and its hosts are up only once its monitoring reached them.
 * One look at the API or the host, as the original upgrade took, fails there;
 * the helper asks again until its time is up, then fails with a coded reason.
 */

import fs from "node:fs";

import { HelperError } from "../../src/bridge-helper/errors";
import { EngineApi, type EngineTrust } from "../../src/bridge-helper/host/engine-api";
import { waitForApi, waitForHostUp } from "../../src/bridge-helper/upgrade/steps/engine-health";
import { startEngine } from "../sim/engine-api/server";
import { API_DEPLOY_MS, HOST_MONITOR_MS } from "../sim/engine-api/startup";
import { freeLoopbackPort } from "../support/ports";
import { createTestContext, type TestContext } from "../support/sim-context";

let sim: TestContext;
let server: { close(): Promise<void> };
let base: string;
let trust: EngineTrust;
let api: EngineApi;
let notes: string[];

const note = (line: string) => { notes.push(line); };
const thisHost = () => sim.ctx.world.ha.hosts[0].hardwareUuid;

async function failureOf(promise: Promise<unknown>): Promise<HelperError> {
    try {
        await promise;
    } catch (err) {
        if (err instanceof HelperError)
            return err;
        throw err;
    }
    throw new Error("it did not fail");
}

beforeAll(async () => {
    sim = createTestContext();
    const [httpsPort, httpPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    server = await startEngine(sim.ctx, { https: httpsPort, http: httpPort });
    base = `https://127.0.0.1:${httpsPort}/ovirt-engine`;
    trust = { caPem: fs.readFileSync(sim.ctx.tls.caFile, "utf8"), fqdn: sim.ctx.world.engine.fqdn };
    api = new EngineApi(base, trust, sim.ctx.world.engine.adminPassword, 3);
});

afterAll(async () => {
    await server?.close();
    sim?.cleanup();
});

beforeEach(() => {
    notes = [];
    sim.ctx.world.faults = [];
    sim.ctx.world.engine.startedAt = null;
});

test("right after the engine started its health answers, its API does not yet: one try fails, the wait gets through", async () => {
    sim.ctx.world.engine.startedAt = Date.now();
    expect((await api.health()).up).toBe(true);
    const once = await failureOf(api.clusters());
    expect(once.detail).toBe("HTTP 503");
    const started = Date.now();
    await waitForApi(api, 20_000, note);
    expect(Date.now() - started).toBeGreaterThanOrEqual(API_DEPLOY_MS - 1000);
    expect(notes[0]).toMatch(/^The engine's API does not answer yet: .*HTTP 503/);
});

test("this host is connecting until the engine's monitoring reached it: one look fails, the wait gets through", async () => {
    // the API is there, the hosts are not up yet
    sim.ctx.world.engine.startedAt = Date.now() - API_DEPLOY_MS;
    const [host] = await api.hosts();
    expect(host.status).toBe("connecting");
    await waitForHostUp(api, thisHost(), 20_000, note);
    expect(Date.now() - (sim.ctx.world.engine.startedAt ?? 0)).toBeGreaterThanOrEqual(HOST_MONITOR_MS);
    expect(notes).toEqual(["This host is connecting in the engine, its data center up: waiting"]);
    expect((await api.hosts())[0].status).toBe("up");
});

test("engine-api-unavailable: the wait ends with a coded failure naming the API's answer", async () => {
    sim.ctx.world.faults = ["engine-api-unavailable"];
    const started = Date.now();
    const failed = await failureOf(waitForApi(api, 3000, note));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(failed.text.code).toBe("upgrade.engine-api-unavailable");
    expect(failed.message).toMatch(/^The new engine's API did not answer within 3 s of its health check: The engine refused GET clusters: HTTP 503$/);
});

test("host-never-up: the wait ends with a coded failure naming the host's status", async () => {
    sim.ctx.world.faults = ["host-never-up"];
    const failed = await failureOf(waitForHostUp(api, thisHost(), 3000, note));
    expect(failed.text.code).toBe("upgrade.host-not-up-after");
    expect(failed.message).toBe("This host (non_responsive) or its data center (up) is still not up in the restored engine after 3 s");
});

test("a host the engine does not list and a refused password fail at once", async () => {
    const started = Date.now();
    const unknown = await failureOf(waitForHostUp(api, "00000000-0000-0000-0000-0000000000ff", 20_000, note));
    expect(unknown.text.code).toBe("upgrade.host-not-in-engine");
    const refused = await failureOf(waitForApi(new EngineApi(base, trust, "wrong", 3), 20_000, note));
    expect(refused.code).toBe("refused");
    expect(Date.now() - started).toBeLessThan(3000);
});
