// SPDX-License-Identifier: LGPL-2.1-or-later

/* inspect-ova and the one-pass OVA reader on real OVA files: the sim's appliance and broken variants of it. */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { readOva } from "../../src/bridge-helper/formats/ova";
import { USER_FILE_LIMITS, withUserFile } from "../../src/bridge-helper/host/user-file";
import type { ErrorOutput } from "../../src/protocol/errors";
import type { OvaReport } from "../../src/protocol/reports";
import { helper, HELPER, HELPER_NODE, sim, startSim, type SimInfo } from "../support/sim-control";

let info: SimInfo;
let work: string;
let ova: string;
let appliance: { path: string; sha1: string; imgUUID: string; volUUID: string; virtualSize: number; ovfSizeGiB: number };

beforeAll(async () => {
    info = await startSim();
    appliance = (await sim("inspect", info.dir)).appliance as typeof appliance;
    ova = path.join(info.root, appliance.path);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "he-ova-test-"));
    execFileSync("tar", ["-xzf", ova, "-C", work]);
});

afterAll(async () => {
    await sim("stop", info.dir);
    fs.rmSync(info.dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
});

/** Repacks the appliance's members (relative to `work`) into a new OVA inside the sim root. */
function repack(name: string, members: string[], compress = true): string {
    const file = path.join(info.root, "var/tmp", name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    execFileSync("tar", [compress ? "-czf" : "-cf", file, "-C", work, ...members]);
    return `/var/tmp/${name}`;
}

test("the installed appliance is usable, its sha1 verified, its OVF facts read", async () => {
    const out = await helper<OvaReport>(info.helperConfig, "inspect-ova", appliance.path, "--sha1", appliance.sha1.toUpperCase());
    expect(out.code).toBe(0);
    expect(out.json).toMatchObject({
        path: appliance.path,
        sha1: appliance.sha1,
        sha1Matches: true,
        problems: [],
        ovf: { diskSizeGiB: appliance.ovfSizeGiB, volumeFormat: "COW", cpus: 4, memoryMiB: 16384, virtualSize: appliance.virtualSize },
        disk: { member: `images/${appliance.imgUUID}/${appliance.volUUID}`, format: "qcow2", virtualSize: appliance.virtualSize },
    });
});

test("--progress prints progress lines before the report", async () => {
    const stdout = execFileSync(HELPER_NODE, [HELPER, "inspect-ova", appliance.path, "--progress"],
                                { env: { ...process.env, HE_HELPER_CONFIG: info.helperConfig } }).toString();
    const lines = stdout.trim().split("\n").map(l => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "progress", total: fs.statSync(ova).size });
    expect(lines[lines.length - 1].sha1).toBe(appliance.sha1);
});

test("a wrong sha1 makes the OVA unusable and says why", async () => {
    const out = await helper<OvaReport>(info.helperConfig, "inspect-ova", appliance.path, "--sha1", "0".repeat(40));
    expect(out.code).toBe(1);
    expect(out.json.sha1Matches).toBe(false);
    expect(out.json.problems[0]).toMatchObject({ code: "ova.sha1-mismatch", params: { expected: "0".repeat(40) } });
    expect(out.json.problems[0].english).toMatch(/not the expected 0{40}/);
});

test("an uncompressed tar is refused: hosted-engine-setup reads only gzip OVAs", async () => {
    const plain = repack("plain.ova", ["master", "images"], false);
    const out = await helper<OvaReport>(info.helperConfig, "inspect-ova", plain);
    expect(out.code).toBe(1);
    expect(out.json.problems[0].english).toMatch(/not a gzip-compressed tar/);
});

test("an OVA whose OVF names a disk it lacks is refused", async () => {
    const noDisk = repack("no-disk.ova", ["master", `images/${appliance.imgUUID}/${appliance.volUUID}.meta`]);
    const out = await helper<OvaReport>(info.helperConfig, "inspect-ova", noDisk);
    expect(out.code).toBe(1);
    expect(out.json.problems.map(p => p.english)).toEqual([`The OVF names the disk images/${appliance.imgUUID}/${appliance.volUUID}, which the OVA does not contain`]);
});

test("bad arguments are refused before anything is read", async () => {
    const relative = await helper<ErrorOutput>(info.helperConfig, "inspect-ova", "appliance.ova");
    expect(relative.code).toBe(2);
    expect(relative.json.error.message).toMatch(/must be absolute/);
    const badSha = await helper<ErrorOutput>(info.helperConfig, "inspect-ova", appliance.path, "--sha1", "xyz");
    expect(badSha.json.error.what).toBe("--sha1");
});

test("one pass extracts the disk the OVF names, whichever member comes first", async () => {
    const disk = `images/${appliance.imgUUID}/${appliance.volUUID}`;
    const expected = createHash("sha1").update(fs.readFileSync(path.join(work, disk))).digest("hex");
    for (const order of [["images", "master"], ["master", "images"]]) {
        const file = path.join(info.root, repack(`order-${order[0]}.ova`, order));
        const target = fs.mkdtempSync(path.join(work, "extract-"));
        const report = await withUserFile(file, file, USER_FILE_LIMITS.ova, ova => readOva(ova, { extractDiskTo: target }));
        expect(report.problems).toEqual([]);
        expect(report.disk?.extractedTo).not.toBeNull();
        expect(createHash("sha1").update(fs.readFileSync(report.disk?.extractedTo ?? "")).digest("hex")).toBe(expected);
        expect(fs.readdirSync(target)).toHaveLength(1);
    }
});
