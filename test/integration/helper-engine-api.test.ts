// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The helper's engine API client against the simulated engine: trusted by the
 * host's engine CA for the engine's fqdn while dialling 127.0.0.1, v3 on the 3.6 engine, the backup disk's life (create, locked
 * then ok, a real volume with the engine's description, unregistered after a
 * restore, registered, deleted), v4 and SSO on a 4.0 engine, and the faults.
 */

import fs from "node:fs";
import https from "node:https";
import path from "node:path";

import { EngineApi, probeEngine, type EngineTrust } from "../../src/bridge-helper/host/engine-api";
import { startEngine } from "../sim/engine-api/server";
import { engineClientTlsOptions } from "../sim/engine-api/tls";
import { domainDir, readVolumeMeta, volumePath } from "../sim/storage";
import { freeLoopbackPort } from "../support/ports";
import { createTestContext, type TestContext } from "../support/sim-context";

let sim: TestContext;
let server: { close(): Promise<void> };
let base: string;
let httpBase: string;
let api: EngineApi;
let trust: EngineTrust;


beforeAll(async () => {
    sim = createTestContext();
    const [httpsPort, httpPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    server = await startEngine(sim.ctx, { https: httpsPort, http: httpPort });
    base = `https://127.0.0.1:${httpsPort}/ovirt-engine`;
    httpBase = `http://127.0.0.1:${httpPort}/ovirt-engine`;
    trust = { caPem: fs.readFileSync(sim.ctx.tls.caFile, "utf8"), fqdn: sim.ctx.world.engine.fqdn };
    api = new EngineApi(base, trust, sim.ctx.world.engine.adminPassword, 3);
});

afterAll(async () => {
    await server?.close();
    sim?.cleanup();
});

afterEach(() => { sim.ctx.world.faults = []; });

test("the engine proves to be its fqdn with the host's CA; health answers over http and https", async () => {
    await expect(probeEngine(base, trust)).resolves.toBeUndefined();
    await expect(probeEngine(base, { ...trust, fqdn: "127.0.0.1" })).rejects.toThrow(/is not trusted: its certificate is not one for 127\.0\.0\.1/);
    expect(await api.health()).toEqual({ up: true, body: "DB Up!Welcome to Health Status!" });
    const plain = await fetch(`${httpBase}/services/health`);
    expect(await plain.text()).toBe("DB Up!Welcome to Health Status!");
});

test("a 3.6 engine: version, levels, hosts with SPM and hardware UUID, domains, space", async () => {
    const world = sim.ctx.world;
    expect(await api.productVersion()).toBe("3.6.7.5");
    expect(await api.dataCenters()).toEqual([{ id: world.engine.data.dataCenters[0].id, name: "Default", version: { major: 3, minor: 6 }, status: "up" }]);
    expect((await api.clusters())[0].version).toEqual({ major: 3, minor: 6 });
    const hosts = await api.hosts();
    expect(hosts.map(h => [h.name, h.spm, h.hardwareUuid])).toEqual(world.ha.hosts.map(h => [h.hostname, h.id === 1 ? "spm" : "none", h.hardwareUuid]));
    expect(await api.domains()).toEqual(["internal-authz"]);
    const space = await api.storageDomainSpace(world.storage.sdUUID);
    expect(space.available).toBeGreaterThan(50 * 1024 ** 3);
});

test("a wrong password is refused with 401", async () => {
    await expect(new EngineApi(base, trust, "wrong", 3).productVersion()).rejects.toThrow("The engine refused the admin@internal password");
});

test("the backup disk: created locked on storage with the engine's description, then ok; unregistered once forgotten; registered; deleted", async () => {
    const world = sim.ctx.world;
    const disk = await api.createDisk(world.storage.sdUUID, "virtio-disk0", "hosted-engine-backup-20261125031500", 1024 ** 3);
    expect(disk.status).toBe("locked");
    const file = volumePath(domainDir(sim.ctx.layout, world.storage), disk.id, disk.imageId ?? "");
    expect(fs.statSync(file).size).toBe(1024 ** 3);
    expect(JSON.parse(readVolumeMeta(file).DESCRIPTION)).toEqual({ DiskAlias: "virtio-disk0", DiskDescription: "hosted-engine-backup-20261125031500" });
    let status = disk.status;
    for (let i = 0; i < 50 && status === "locked"; i++) {
        await new Promise(resolve => setTimeout(resolve, 100));
        status = (await api.disk(disk.id))?.status ?? "gone";
    }
    expect(status).toBe("ok");

    // what a restore of an older backup does: the engine no longer knows the disk
    world.engine.data.disks = world.engine.data.disks.filter(d => d.id !== disk.id);
    expect((await api.unregisteredDisks(world.storage.sdUUID)).map(d => d.id)).toEqual([disk.id]);
    const registered = await api.registerDisk(world.storage.sdUUID, disk.id);
    expect(registered).toMatchObject({ id: disk.id, description: "hosted-engine-backup-20261125031500", status: "ok" });
    expect(await api.unregisteredDisks(world.storage.sdUUID)).toEqual([]);

    await api.deleteDisk(disk.id);
    expect(await api.disk(disk.id)).toBeNull();
    expect(fs.existsSync(path.dirname(file))).toBe(false);
});

test("faults: not-spm, sd-no-space, dc-version-unsupported, legacy-aaa-domain, disk-create-fails, register-fails", async () => {
    const world = sim.ctx.world;
    world.faults = ["not-spm", "sd-no-space", "dc-version-unsupported", "legacy-aaa-domain", "disk-create-fails"];
    expect((await api.hosts()).find(h => h.name === "host1.example.com")?.spm).toBe("none");
    expect((await api.storageDomainSpace(world.storage.sdUUID)).available).toBeLessThan(1024 ** 3);
    expect((await api.dataCenters())[0].version).toEqual({ major: 3, minor: 5 });
    expect(await api.domains()).toContain("example.com");
    await expect(api.createDisk(world.storage.sdUUID, "virtio-disk0", "x", 1024 ** 2)).rejects.toThrow(/Cannot add Virtual Disk/);
});

test("the engine is not there while its VM is down", async () => {
    sim.ctx.world.vm.status = "Down";
    try {
        expect((await api.health()).up).toBe(false);
        await expect(api.productVersion()).rejects.toThrow(/Cannot reach the engine API/);
    } finally {
        sim.ctx.world.vm.status = "Up";
    }
});

test("a 4.0 engine answers v4 (and v3) and hands out SSO tokens", async () => {
    const engine = sim.ctx.world.engine;
    engine.version = "4.0.6.3";
    try {
        const v4 = new EngineApi(base, trust, engine.adminPassword, 4);
        const tlsOptions = engineClientTlsOptions(sim.ctx.tls.caFile, engine.fqdn);
        expect(await v4.productVersion()).toBe("4.0.6.3");
        expect((await v4.dataCenters())[0]).toMatchObject({ version: { major: 3, minor: 6 }, status: "up" });
        const token = await new Promise<string>((resolve, reject) => {
            const req = https.request(`${base}/sso/oauth/token`, { method: "POST", ...tlsOptions,
                headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" } }, res => {
                let body = "";
                res.on("data", c => { body += c; });
                res.on("end", () => resolve(JSON.parse(body).access_token));
            });
            req.on("error", reject);
            req.end(`grant_type=password&scope=ovirt-app-api&username=admin%40internal&password=${encodeURIComponent(engine.adminPassword)}`);
        });
        const answer = await new Promise<string>((resolve, reject) => {
            https.get(`${base}/api`, { ...tlsOptions, headers: { Authorization: `Bearer ${token}`, Accept: "application/xml" } }, res => {
                let body = "";
                res.on("data", c => { body += c; });
                res.on("end", () => resolve(body));
            }).on("error", reject);
        });
        expect(answer).toContain("<full_version>4.0.6.3</full_version>");
    } finally {
        engine.version = "3.6.7.5";
    }
});
