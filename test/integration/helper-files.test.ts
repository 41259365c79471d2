// SPDX-License-Identifier: LGPL-2.1-or-later

/* The helper's verbs that read the host's files, against the simulated host. */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { AppliancesReport, ErrorOutput } from "../../src/protocol";
import { helper, HELPER, HELPER_NODE, sim, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo;

beforeAll(async () => {
    info = await startSim();
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
});

test("appliances lists the installed appliance with its OVA", async () => {
    const out = await helper<AppliancesReport>(info.helperConfig, "appliances");
    expect(out.code).toBe(0);
    expect(out.json.problems).toEqual([]);
    expect(out.json.appliances).toHaveLength(1);
    const [appliance] = out.json.appliances;
    // the host path an upgrade plan takes, not where the sim keeps it
    expect(appliance).toMatchObject({ description: "The oVirt Engine Appliance image (OVA)", installed: true,
        conf: "/etc/ovirt-hosted-engine/10-appliance.conf" });
    const ova = path.join(info.root, appliance.path);
    expect(appliance.sha1sum).toBe(createHash("sha1").update(fs.readFileSync(ova)).digest("hex"));
    expect(appliance.sizeBytes).toBe(fs.statSync(ova).size);
});

test("vmconf-attach-cdrom points the host's vm.conf at an ISO and changes nothing else", async () => {
    const vmConf = path.join(info.root, "var/run/ovirt-hosted-engine-ha/vm.conf");
    const before = fs.readFileSync(vmConf, "utf8");
    const out = execFileSync(HELPER_NODE, [HELPER, "vmconf-attach-cdrom", vmConf, "/var/tmp/seed.iso"],
                             { env: { ...process.env, HE_HELPER_CONFIG: info.helperConfig } }).toString();
    const changed = out.split("\n").filter((line, i) => line !== before.split("\n")[i]);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/path:\/var\/tmp\/seed\.iso,device:cdrom/);
    expect(fs.readFileSync(vmConf, "utf8")).toBe(before);
});

test("vmconf-attach-cdrom refuses an ISO path vm.conf cannot carry", async () => {
    const vmConf = path.join(info.root, "var/run/ovirt-hosted-engine-ha/vm.conf");
    const out = await helper<ErrorOutput>(info.helperConfig, "vmconf-attach-cdrom", vmConf, "/var/tmp/a,b.iso");
    expect(out.code).toBe(2);
    expect(out.json.error.message).toMatch(/contains a character that vm.conf cannot carry/);
});
