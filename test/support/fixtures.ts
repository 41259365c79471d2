// SPDX-License-Identifier: LGPL-2.1-or-later

/* Shared test data: the two-host example of ovirt-formats.md section 5, and report builders. */

import type { HaHost, StatusReport } from "../../src/protocol";

/** `hosted-engine --vm-status --json` of two hosts in global maintenance, engine VM on host 1. */
export const VM_STATUS_EXAMPLE = '{"1": {"conf_on_shared_storage": true, "live-data": true, "extra": "metadata_parse_version=1\\nmetadata_feature_version=1\\ntimestamp=612345 (Wed Aug 31 10:15:02 2016)\\nhost-id=1\\nscore=3400\\nvm_conf_refresh_time=612340 (Wed Aug 31 10:14:57 2016)\\nconf_on_shared_storage=True\\nmaintenance=False\\nstate=GlobalMaintenance\\nstopped=False\\n", "hostname": "host1.example.com", "host-id": 1, "engine-status": {"health": "good", "vm": "up", "detail": "up"}, "score": 3400, "stopped": false, "maintenance": false, "crc32": "5c3a9b1e", "local_conf_timestamp": 612340, "host-ts": 612345}, "2": {"conf_on_shared_storage": true, "live-data": true, "extra": "metadata_parse_version=1\\nmetadata_feature_version=1\\ntimestamp=598101 (Wed Aug 31 10:15:00 2016)\\nhost-id=2\\nscore=3400\\nvm_conf_refresh_time=598090 (Wed Aug 31 10:14:49 2016)\\nconf_on_shared_storage=True\\nmaintenance=False\\nstate=GlobalMaintenance\\nstopped=False\\n", "hostname": "host2.example.com", "host-id": 2, "engine-status": {"reason": "vm not running on this host", "health": "bad", "vm": "down", "detail": "unknown"}, "score": 3400, "stopped": false, "maintenance": false, "crc32": "a1f0037c", "local_conf_timestamp": 598090, "host-ts": 598101}, "global_maintenance": true}';

export function haHost(id: number, overrides: Partial<HaHost> = {}): HaHost {
    return {
        id,
        hostname: `host${id}.example.com`,
        score: 3400,
        engineStatus: { vm: "down", health: "bad", detail: "unknown", reason: "vm not running on this host" },
        liveData: true,
        localMaintenance: false,
        stopped: false,
        agentState: "EngineDown",
        hostTimestamp: 1000,
        ...overrides,
    };
}

/** Two hosts, the engine VM up and healthy on host 1, which is this host. */
export function statusReport(overrides: Partial<StatusReport> = {}): StatusReport {
    return {
        hostedEngineHost: true,
        configPath: "/etc/ovirt-hosted-engine/hosted-engine.conf",
        engineFqdn: "engine.example.com",
        hostId: 1,
        globalMaintenance: false,
        engineHostId: 1,
        engineVmOnThisHost: true,
        hosts: [
            haHost(1, { engineStatus: { vm: "up", health: "good", detail: "up", reason: null }, agentState: "EngineUp" }),
            haHost(2),
        ],
        ...overrides,
    };
}
