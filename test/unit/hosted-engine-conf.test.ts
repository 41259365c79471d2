// SPDX-License-Identifier: LGPL-2.1-or-later

import { parseHostedEngineConf } from "../../src/bridge-helper/formats/hosted-engine-conf";

const CONF = `fqdn=engine.example.com
vm_disk_id=0c9c6b5a-1b3e-4d2e-9a0e-7b6f5d4c3b2a
vmid=4f0b3c2d-1e2f-4a5b-8c7d-6e5f4a3b2c1d
host_id=2
spUUID=00000000-0000-0000-0000-000000000000
sdUUID=9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a
ca_subject="C=EN, L=Test, O=Test, CN=Test"
mnt_options=

# The following are used only for iSCSI storage
iqn=
`;

describe("parseHostedEngineConf", () => {
    test("reads the keys the helper needs and keeps every other one", () => {
        const conf = parseHostedEngineConf(CONF, "/etc/ovirt-hosted-engine/hosted-engine.conf");
        expect(conf.fqdn).toBe("engine.example.com");
        expect(conf.hostId).toBe(2);
        expect(conf.vmId).toBe("4f0b3c2d-1e2f-4a5b-8c7d-6e5f4a3b2c1d");
        expect(conf.spUUID).toBe("00000000-0000-0000-0000-000000000000");
        // like ovirt-ha's reader: quotes stay part of the value, empty values stay empty
        expect(conf.values.get("ca_subject")).toBe("\"C=EN, L=Test, O=Test, CN=Test\"");
        expect(conf.values.get("mnt_options")).toBe("");
    });

    test("a missing fqdn names the file and the key", () => {
        expect(() => parseHostedEngineConf(CONF.replace(/^fqdn=.*$/m, ""), "/x/hosted-engine.conf"))
                .toThrow('/x/hosted-engine.conf has no value for "fqdn"');
    });

    test("a host_id that is not a positive integer is refused", () => {
        expect(() => parseHostedEngineConf(CONF.replace("host_id=2", "host_id=two"), "he.conf"))
                .toThrow(/host_id "two" is not a positive integer/);
    });

    test("a line without '=' is refused", () => {
        expect(() => parseHostedEngineConf(CONF + "garbage\n", "he.conf")).toThrow(/line "garbage" is not key=value/);
    });
});
