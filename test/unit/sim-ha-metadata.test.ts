// SPDX-License-Identifier: LGPL-2.1-or-later

import { parseVmStatus } from "../../src/bridge-helper/formats/vm-status";
import { newWorld } from "../sim/new-world";
import { crc32, pythonJson, vmStatusJson } from "../sim/ha-metadata";

describe("simulated ovirt-ha output", () => {
    test("crc32 is the zlib CRC the metadata block uses", () => {
        expect(crc32("123456789").toString(16)).toBe("cbf43926");
    });

    test("prints Python 2 json.dumps separators on one line", () => {
        expect(pythonJson({ a: [1, true], b: "x\ny" })).toBe('{"a": [1, true], "b": "x\\ny"}');
        expect(vmStatusJson(newWorld({ now: 2_000_000 }))).not.toContain("\n");
    });

    test("what the sim prints is what the helper's parser expects", () => {
        const world = newWorld({ now: 2_000_000 });
        world.ha.globalMaintenance = true;
        world.ha.hosts[1].localMaintenance = true;
        const parsed = parseVmStatus(vmStatusJson(world, 2_000_000));
        expect(parsed.globalMaintenance).toBe(true);
        expect(parsed.hosts.map(h => [h.id, h.score, h.engineStatus.vm, h.agentState, h.localMaintenance])).toEqual([
            [1, 3400, "up", "GlobalMaintenance", false],
            [2, 0, "down", "LocalMaintenance", true],
        ]);
        expect(parsed.hosts[0].hostTimestamp).toBe(612345);
    });
});
