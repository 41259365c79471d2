// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated engine VM's network (test/sim/network.ts): the answers the
 * first deploy left on the configuration volume per variant, and the 4.0
 * appliance's first boot with a seed: the engine answers at its fqdn only when
 * the VM came up with the address the host resolves the fqdn to.
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

import YAML from "yaml";

import { el7ApplianceFiles } from "../sim/appliance";
import { playApplianceBoot } from "../sim/appliance-boot";
import type { ConsoleChannel } from "../sim/console-channel";
import { buildRawImage } from "../sim/disk-image";
import { startEngine } from "../sim/engine-api/server";
import { writeConfVolume } from "../sim/host-config";
import { domainDir, volumePath } from "../sim/storage";
import { GiB, type NetworkVariant } from "../sim/world";
import { freeLoopbackPort } from "../support/ports";
import { createTestContext, type TestContext } from "../support/sim-context";
import { sim, startSim, type SimInfo } from "../support/sim-control";

const VARIANTS: NetworkVariant[] = ["static", "dhcp", "missing"];
const STATIC_META = "network-interfaces: |\n  auto eth0\n  iface eth0 inet static\n    address 192.168.1.222\n" +
    "    network 192.168.1.0\n    netmask 255.255.255.0\n    broadcast 192.168.1.255\n    gateway 192.168.1.1\n";

interface Sim { test: TestContext; http: number; close(): Promise<void> }
const sims = new Map<NetworkVariant, Sim>();
let work: string;

beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "he-net-"));
    for (const variant of VARIANTS) {
        const test = createTestContext({ network: variant });
        writeConfVolume(test.ctx.layout, test.ctx.world, GiB);
        const [https, httpPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
        const server = await startEngine(test.ctx, { https, http: httpPort });
        sims.set(variant, { test, http: httpPort, close: server.close });
    }
}, 120_000);

afterAll(async () => {
    for (const s of sims.values()) {
        await s.close();
        s.test.cleanup();
    }
    fs.rmSync(work, { recursive: true, force: true });
});

function get(variant: NetworkVariant): Sim {
    const s = sims.get(variant);
    if (!s)
        throw new Error(`no ${variant} sim`);
    return s;
}

/** fhanswers.conf as the original reads it: dd as vdsm from the volume, tar -xO. */
function answers(variant: NetworkVariant): string {
    const { ctx } = get(variant).test;
    const s = ctx.world.storage;
    const volume = volumePath(domainDir(ctx.layout, s), s.confVolume.imgUUID, s.confVolume.volUUID);
    return execFileSync("sh", ["-c", `sudo -n -u vdsm -g kvm dd if="$1" bs=4k count=16 status=none | tar -xOf - fhanswers.conf`, "sh", volume]).toString();
}

/** GET /ovirt-engine/services/health as the original does (plain http): the body, or the error of a host that does not answer. */
function health(variant: NetworkVariant | number): Promise<string> {
    const port = typeof variant === "number" ? variant : get(variant).http;
    return new Promise(resolve => {
        const req = http.get(`http://127.0.0.1:${port}/ovirt-engine/services/health`, { timeout: 5000 }, res => {
            let body = "";
            res.on("data", c => { body += c; });
            res.on("end", () => resolve(body));
        });
        req.on("timeout", () => req.destroy(new Error("timed out")));
        req.on("error", err => resolve(`error: ${err.message}`));
    });
}

/** The appliance's first boot with this seed, up to the point where its engine would answer. */
function bootAppliance(variant: NetworkVariant, meta: string, userData: Record<string, unknown>): void {
    const { ctx } = get(variant).test;
    const dir = fs.mkdtempSync(path.join(work, `${variant}-`));
    const image = path.join(dir, "appliance.raw");
    buildRawImage(image, 64 << 20, el7ApplianceFiles(), "rootfs");
    fs.writeFileSync(path.join(dir, "meta-data"), `instance-id: ${ctx.world.vm.vmId}\nlocal-hostname: ${ctx.world.engine.fqdn}\n` + meta);
    fs.writeFileSync(path.join(dir, "user-data"), "#cloud-config\n# vim: syntax=yaml\n" + YAML.stringify(userData));
    execFileSync("genisoimage", ["-quiet", "-output", "seed.iso", "-volid", "cidata", "-joliet", "-rock", "-input-charset", "utf-8",
        "user-data", "meta-data"], { cwd: dir });
    const channel = { writeLine: () => undefined } as unknown as ConsoleChannel;
    const stop = playApplianceBoot({ image, iso: path.join(dir, "seed.iso"), world: ctx.world, channel, hasFault: () => false,
        stepMs: 1000, log: m => ctx.log("appliance", m), finish: () => undefined });
    stop();
    // what engine-setup leaves: the 4.0 engine running on the VM
    Object.assign(ctx.world.vm, { status: "Up", shutdownAt: null });
    Object.assign(ctx.world.engine, { version: "4.0.6.3", health: "good", startedAt: Date.now() });
}

const DNS_BOOTCMD = ["echo \"DNS1=192.168.1.1\" >> /etc/sysconfig/network-scripts/ifcfg-eth0", "ifdown eth0", "ifup eth0"];

test.each(VARIANTS)("%s: fhanswers.conf on the configuration volume has the deploy's cloud-init answers", variant => {
    const text = answers(variant);
    expect(text).toMatch(/^\[environment:default\]\n/);
    expect(text).toContain("OVEHOSTED_NETWORK/fqdn=str:engine.example.com\n");
    expect(text).toContain("OVEHOSTED_NETWORK/gateway=str:192.168.1.1\n");
    expect(text).toContain("OVEHOSTED_VM/vmMACAddr=str:00:16:3e:6a:7a:f9\n");
    const cloudInit = text.split("\n").filter(l => l.startsWith("OVEHOSTED_VM/cloudinit")).sort();
    const common = ["OVEHOSTED_VM/cloudinitExecuteEngineSetup=bool:True", "OVEHOSTED_VM/cloudinitInstanceDomainName=str:example.com",
        "OVEHOSTED_VM/cloudinitInstanceHostName=str:engine.example.com", "OVEHOSTED_VM/cloudinitVMETCHOSTS=bool:False"];
    const expected = {
        static: [...common, "OVEHOSTED_VM/cloudinitVMDNS=str:192.168.1.1", "OVEHOSTED_VM/cloudinitVMStaticCIDR=str:192.168.1.222/24"],
        dhcp: [...common, "OVEHOSTED_VM/cloudinitVMDNS=bool:False", "OVEHOSTED_VM/cloudinitVMStaticCIDR=bool:False"],
        missing: [],
    }[variant];
    expect(cloudInit).toEqual(expected.sort());
    expect(text).not.toContain("cloudinitVMTZ");
});

test.each(VARIANTS)("%s: the 3.6 engine answers at its address before the upgrade", async variant => {
    expect(fs.readFileSync(path.join(get(variant).test.ctx.layout.root, "etc/hosts"), "utf8")).toContain("192.168.1.222 engine.example.com\n");
    expect(await health(variant)).toBe("DB Up!Welcome to Health Status!");
});

test.each(["static", "missing"] as const)("%s: a seed that configures 192.168.1.222/24 statically: the new engine answers", async variant => {
    bootAppliance(variant, STATIC_META, { bootcmd: DNS_BOOTCMD });
    expect(get(variant).test.ctx.world.vm.network).toMatchObject({ address: "192.168.1.222", source: "static", hostname: "engine" });
    expect(await health(variant)).toBe("DB Up!Welcome to Health Status!");
}, 60_000);

test.each(["static", "missing"] as const)("%s: a seed without a network configuration: a pool address, and health never answers", async variant => {
    const { ctx, logLines } = get(variant).test;
    bootAppliance(variant, "", {});
    expect(ctx.world.vm.network?.source).toBe("dhcp");
    expect(ctx.world.vm.network?.address).not.toBe("192.168.1.222");
    expect(await health(variant)).toMatch(/^error: /);
    expect(logLines.join("\n")).toMatch(/engine is unreachable: engine\.example\.com is 192\.168\.1\.222, but the engine VM has 192\.168\.1\.1\d\d/);
}, 60_000);

test("dhcp: a seed without a network configuration gets the fixed lease for the VM's MAC: the new engine answers", async () => {
    bootAppliance("dhcp", "", {});
    expect(get("dhcp").test.ctx.world.vm.network).toMatchObject({ address: "192.168.1.222", source: "dhcp" });
    expect(await health("dhcp")).toBe("DB Up!Welcome to Health Status!");
}, 60_000);

test("sim start --network missing: the choice shows in start and inspect, the 3.6 engine answers, and a later start cannot change it", async () => {
    const info = await startSim(undefined, { network: "missing" }) as SimInfo & { network: { variant: string } };
    try {
        expect(info.network.variant).toBe("missing");
        const inspected = await sim("inspect", info.dir) as { network: { variant: string }; vm: { network: { address: string } }; ports: { engineHttp: number } };
        expect(inspected.network.variant).toBe("missing");
        expect(inspected.vm.network.address).toBe("192.168.1.222");
        // the daemon (vdsm) reads the host's /etc/hosts: the 3.6 engine answers at its name's address
        expect(await health(inspected.ports.engineHttp)).toBe("DB Up!Welcome to Health Status!");
        await expect(sim("start", info.dir, "--network", "static")).rejects.toThrow(/built with --network missing/);
    } finally {
        await sim("stop", info.dir);
        fs.rmSync(info.dir, { recursive: true, force: true });
    }
}, 180_000);
