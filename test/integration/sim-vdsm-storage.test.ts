// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated vdsm over the wire: TLS with client certificates, STOMP framing and subscriptions, and the host and storage verbs, against a fresh simulated host in this process.
 */

import fs from "node:fs";
import path from "node:path";

import { domainDir, volumePath } from "../sim/storage";
import { StompTestConnection, type VdsmTestClient } from "../sim/vdsm/client";
import { textFrame } from "../sim/vdsm/stomp-frame";
import { BLANK_UUID, GiB } from "../sim/world";
import { failure, poll, startVdsmFixture, withFault as withFaultOf, type VdsmFixture } from "../support/vdsm-fixture";

let fixture: VdsmFixture;
let port: number;
let client: VdsmTestClient;

const ctx = () => fixture.test.ctx;
const world = () => fixture.test.ctx.world;
const open = () => fixture.open();
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
    port = fixture.port;
    client = fixture.client;
});

afterAll(async () => {
    await fixture?.close();
});

describe("TLS and STOMP", () => {
    test("a client without a certificate gets no STOMP session", async () => {
        const outcome = await (async () => {
            let connection;
            try {
                connection = await StompTestConnection.open(port, { caFile: ctx().tls.caFile });
            } catch (err) {
                return { refused: (err as Error).message };
            }
            fixture.adopt(connection);
            connection.sendFrame(textFrame("CONNECT", { "accept-version": "1.2" }, null));
            const ended = await connection.closedByServer();
            return { refused: ended.error?.message ?? "closed", frames: connection.frames.map(f => f.command) };
        })();
        expect(outcome.refused).toMatch(/certificate|alert|ECONNRESET|socket hang up|closed/i);
        expect(outcome.frames ?? []).toEqual([]);
        expect(fixture.test.logLines.some(l => l.startsWith("vdsm: TLS handshake refused"))).toBe(true);
    });

    test("CONNECT wants version 1.2 exactly, and heart-beats are at least a second apart", async () => {
        const c = await open();
        c.sendFrame(textFrame("CONNECT", { "accept-version": "1.0,1.1,1.2" }, null));
        const refused = await c.nextFrame();
        expect(refused.command).toBe("ERROR");
        expect(refused.body?.toString()).toBe("Version unsupported");

        let heartbeats = 0;
        c.socket.on("data", (chunk: Buffer) => {
            if (chunk.toString() === "\n")
                heartbeats++;
        });
        c.sendFrame(textFrame("CONNECT", { "accept-version": "1.2", "heart-beat": "0,10" }, null));
        const connected = await c.nextFrame();
        expect(connected.command).toBe("CONNECTED");
        expect(connected.headers).toMatchObject({ version: "1.2", "heart-beat": "1000,0" });
        await poll("heart-beats", async () => heartbeats, n => n >= 1, 3000);
    });

    test("the STOMP command, an unreadable frame: ERROR, then the connection is closed", async () => {
        const stomp = await open();
        stomp.sendFrame(textFrame("STOMP", { "accept-version": "1.2" }, null));
        expect((await stomp.nextFrame()).command).toBe("ERROR");
        await stomp.closedByServer();

        const garbage = await open();
        garbage.write("SEND\ndestination:jms.topic.vdsm_requests\ncontent-length:2\n\nabc\0");
        const error = await garbage.nextFrame();
        expect(error.command).toBe("ERROR");
        expect(error.body?.toString()).toMatch(/malformed frame/);
        await garbage.closedByServer();
    });

    test("SUBSCRIBE needs an id and a destination; an unknown destination has no subscription", async () => {
        const c = await open();
        c.sendFrame(textFrame("SUBSCRIBE", { destination: "jms.topic.vdsm_responses" }, null));
        expect((await c.nextFrame()).body?.toString()).toBe("Missing destination or subscription id header");
        c.sendFrame(textFrame("SEND", { destination: "jms.topic.nobody" }, "{}"));
        expect((await c.nextFrame()).body?.toString()).toBe("Subscription not available");
    });

    test("answers go to the reply-to destination's subscribers, with the subscription id; no reply-to, no answer", async () => {
        const c = await open();
        c.sendFrame(textFrame("CONNECT", { "accept-version": "1.2" }, null));
        await c.nextFrame(f => f.command === "CONNECTED");
        c.sendFrame(textFrame("SUBSCRIBE", { destination: "my.answers", id: "sub-7" }, null));
        // where an answer without reply-to would go if vdsm had a default
        c.sendFrame(textFrame("SUBSCRIBE", { destination: "jms.topic.vdsm_responses", id: "sub-8" }, null));
        const call = (id: string) => JSON.stringify({ jsonrpc: "2.0", method: "Host.getHardwareInfo", params: {}, id });
        c.sendFrame(textFrame("SEND", { destination: "jms.topic.vdsm_requests" }, call("lost")));
        c.sendFrame(textFrame("SEND", { destination: "jms.topic.vdsm_requests", "reply-to": "my.answers" }, call("found")));
        const answer = await c.nextFrame(f => f.command === "MESSAGE");
        expect(answer.headers).toMatchObject({ destination: "my.answers", subscription: "sub-7", "content-type": "application/json" });
        expect(JSON.parse(answer.body?.toString() ?? "")).toMatchObject({ id: "found", result: { systemUUID: expect.any(String) } });
        // the call without reply-to was answered before the other one, if at all
        expect(c.frames).toEqual([]);
    });

    test("a batch is answered in one message, as an array", async () => {
        const batch = [
            { jsonrpc: "2.0", method: "Host.getVMList", params: {}, id: "b1" },
            { jsonrpc: "2.0", method: "No.such", params: {}, id: "b2" },
        ];
        const answer = await client.rawCall(JSON.stringify(batch), ["b1", "b2"]) as { id: string }[];
        expect(answer.map(r => r.id)).toEqual(["b1", "b2"]);
    });

    test("DISCONNECT with a receipt gets the RECEIPT and ends the connection", async () => {
        const c = await open();
        c.sendFrame(textFrame("DISCONNECT", { receipt: "bye-1" }, null));
        const receipt = await c.nextFrame();
        expect(receipt.command).toBe("RECEIPT");
        expect(receipt.headers["receipt-id"]).toBe("bye-1");
        await c.closedByServer();
    });
});

describe("host and storage verbs", () => {
    test("Host.getHardwareInfo names this host's hardware UUID; every request is logged", async () => {
        const me = world().ha.hosts.find(h => h.id === world().ha.thisHostId);
        const info = await client.call<Record<string, string>>("Host.getHardwareInfo");
        expect(info.systemUUID).toBe(me?.hardwareUuid);
        expect(fixture.test.logLines.some(l => /^vdsm: Host\.getHardwareInfo .* -> ok$/.test(l))).toBe(true);
    });

    test("StoragePool.getSpmStatus: this host is the SPM of its pool; other pools are unknown", async () => {
        expect(await client.call("StoragePool.getSpmStatus", { storagepoolID: world().storage.spUUID }))
                .toEqual({ spmStatus: "SPM", spmId: world().ha.thisHostId, spmLver: expect.any(Number) });
        const blank = await failure(client.call("StoragePool.getSpmStatus", { storagepoolID: BLANK_UUID }));
        expect(blank.code).toBe(309);
        expect(blank.message).toContain(BLANK_UUID);
    });

    test("fault not-spm: another host is the SPM and extendSize is refused", async () => {
        await withFault("not-spm", async () => {
            const status = await client.call<{ spmStatus: string; spmId: number }>("StoragePool.getSpmStatus",
                                                                                  { storagepoolID: world().storage.spUUID });
            expect(status.spmStatus).toBe("Free");
            expect(status.spmId).not.toBe(world().ha.thisHostId);
            const refused = await failure(client.call("Volume.extendSize", { ...volumeArgs(), newSize: String(2 * GiB) }));
            expect(refused.code).toBe(654);
        });
        expect(Object.keys(world().tasks)).toEqual([]);
    });

    test("StorageDomain.getInfo, getImages, Image.getVolumes, Host.getStorageRepoStats", async () => {
        const s = world().storage;
        expect(await client.call("StorageDomain.getInfo", { storagedomainID: s.sdUUID })).toMatchObject({
            uuid: s.sdUUID, pool: [s.spUUID], role: "Regular", version: "3", name: "hosted_storage", type: "NFS",
            class: "Data", remotePath: s.remotePath,
        });
        const images = await client.call<string[]>("StorageDomain.getImages", { storagedomainID: s.sdUUID });
        expect(images).toEqual(expect.arrayContaining([s.engineDisk.imgUUID, s.confVolume.imgUUID, ...s.ovfStores.map(o => o.imgUUID)]));
        expect(await client.call("Image.getVolumes", { imageID: s.engineDisk.imgUUID, storagepoolID: BLANK_UUID, storagedomainID: s.sdUUID }))
                .toEqual([s.engineDisk.volUUID]);
        const stats = await client.call<Record<string, Record<string, unknown>>>("Host.getStorageRepoStats");
        expect(stats[s.sdUUID]).toMatchObject({ code: 0, valid: true, version: 3, acquired: true });
        const missing = await failure(client.call("StorageDomain.getInfo", { storagedomainID: BLANK_UUID }));
        expect(missing.code).toBe(358);
    });

    test("Volume.getInfo of the engine disk: vdsm 4.18's fields, sizes as strings", async () => {
        const info = await client.call<Record<string, unknown>>("Volume.getInfo", { ...volumeArgs(), storagepoolID: BLANK_UUID });
        expect(info).toMatchObject({
            uuid: disk().volUUID, image: disk().imgUUID, domain: world().storage.sdUUID,
            format: "RAW", type: "SPARSE", voltype: "LEAF", disktype: "2", legality: "LEGAL", status: "OK",
            parent: BLANK_UUID, description: "Hosted Engine Image", capacity: String(GiB), mtime: "0", pool: "", children: [],
        });
        expect(Object.keys(info).sort()).toEqual(["apparentsize", "capacity", "children", "ctime", "description", "disktype",
            "domain", "format", "image", "legality", "mtime", "parent", "pool", "status", "truesize", "type", "uuid", "voltype"]);
        expect(info.apparentsize).toBe(String(GiB));
        expect(info.ctime).toMatch(/^\d+$/);
        const size = await client.call("Volume.getSize", volumeArgs());
        expect(size).toEqual({ apparentsize: String(GiB), truesize: info.truesize });
    });

    test("a call that gets the names or ids wrong fails like vdsm", async () => {
        const wrongName = await failure(client.call("Volume.getInfo", { ...volumeArgs(), sdUUID: "x" }));
        expect(wrongName.code).toBe(-32602);
        expect(wrongName.message).toContain("Following parameters ['sdUUID'] were not recognized");
        const missing = await failure(client.call("Volume.getInfo", { volumeID: disk().volUUID, storagepoolID: BLANK_UUID, storagedomainID: world().storage.sdUUID }));
        expect(missing.message).toContain("Required parameter imageID is not provided when calling Volume.getInfo");
        expect((await failure(client.call("Volume.getInfo", { ...volumeArgs(), volumeID: BLANK_UUID }))).code).toBe(201);
        expect((await failure(client.call("Volume.getInfo", { ...volumeArgs(), imageID: BLANK_UUID }))).code).toBe(254);
        expect((await failure(client.call("Volume.getInfo", { ...volumeArgs(), storagedomainID: BLANK_UUID }))).code).toBe(358);
        const badMethod = await failure(client.call("Volume.getInfos", volumeArgs()));
        expect(badMethod.code).toBe(-32601);
    });

    test("Image.prepare links the image under /var/run/vdsm/storage: the blank pool's path goes through the link, a real pool's through the pool", async () => {
        const s = world().storage;
        const file = volumePath(domainDir(ctx().layout, s), disk().imgUUID, disk().volUUID);
        const runDir = path.join(ctx().layout.root, "var/run/vdsm/storage", s.sdUUID, disk().imgUUID);
        const blank = await client.call<{ path: string }>("Image.prepare", { ...volumeArgs(), storagepoolID: BLANK_UUID });
        expect(blank).toEqual({ path: path.join(runDir, disk().volUUID) });
        expect(fs.readlinkSync(runDir)).toBe(path.dirname(file));
        expect(fs.realpathSync(blank.path)).toBe(fs.realpathSync(file));
        const pooled = await client.call<{ path: string }>("Image.prepare", volumeArgs());
        expect(pooled.path).toBe(path.join(ctx().layout.root, "rhev/data-center", s.spUUID, s.sdUUID, "images", disk().imgUUID, disk().volUUID));
        expect(fs.realpathSync(pooled.path)).toBe(fs.realpathSync(file));
        expect((await failure(client.call("Image.prepare", { ...volumeArgs(), volumeID: BLANK_UUID }))).code).toBe(201);

        // teardown removes the run link: the blank pool's path no longer opens; the pool's link is vdsm's, not the image's
        expect(await client.call("Image.teardown", { ...volumeArgs(), storagepoolID: BLANK_UUID })).toBe(true);
        expect(() => fs.openSync(blank.path, "r")).toThrow(/ENOENT/);
        expect(fs.existsSync(pooled.path)).toBe(true);
        // a second teardown finds nothing to remove, which is no error; a new prepare brings the path back
        expect(await client.call("Image.teardown", { ...volumeArgs(), storagepoolID: BLANK_UUID })).toBe(true);
        expect(await client.call("Image.prepare", { ...volumeArgs(), storagepoolID: BLANK_UUID })).toEqual(blank);
        expect(fs.realpathSync(blank.path)).toBe(fs.realpathSync(file));
    });
});
