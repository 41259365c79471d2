// SPDX-License-Identifier: LGPL-2.1-or-later

import { HelperError } from "../../src/bridge-helper/errors";
import { parseApplianceConf } from "../../src/bridge-helper/formats/appliance-conf";

const CONF = `description=The oVirt Engine Appliance image (OVA)
version=4.0-20160727.1.el7.centos
path=/usr/share/ovirt-engine-appliance/ovirt-engine-appliance-4.0-20160727.1.el7.centos.ova
sha1sum=0123456789ABCDEF0123456789abcdef01234567
`;

describe("parseApplianceConf", () => {
    test("reads the four keys hosted-engine-setup requires", () => {
        expect(parseApplianceConf(CONF, "10-appliance.conf")).toEqual({
            description: "The oVirt Engine Appliance image (OVA)",
            version: "4.0-20160727.1.el7.centos",
            path: "/usr/share/ovirt-engine-appliance/ovirt-engine-appliance-4.0-20160727.1.el7.centos.ova",
            sha1sum: "0123456789abcdef0123456789abcdef01234567",
        });
    });

    test.each([
        ["version", /has no value for "version"/],
        ["sha1sum", /has no value for "sha1sum"/],
    ])("a snippet without %s is refused", (key, message) => {
        expect(() => parseApplianceConf(CONF.replace(new RegExp(`^${key}=.*$`, "m"), ""), "x.conf")).toThrow(message);
    });

    test("the refusal is a Text by code, naming the file and the key", () => {
        let thrown: unknown;
        try {
            parseApplianceConf(CONF.replace(/^version=.*$/m, ""), "x.conf");
        } catch (err) {
            thrown = err;
        }
        expect(thrown).toBeInstanceOf(HelperError);
        expect((thrown as HelperError).text).toEqual({ code: "conf.value-missing", params: { file: "x.conf", key: "version" },
            english: 'x.conf has no value for "version"' });
    });

    test("a sha1sum that is not 40 hex digits is refused", () => {
        expect(() => parseApplianceConf(CONF.replace(/sha1sum=.*/, "sha1sum=abc"), "x.conf")).toThrow(/not 40 hex digits/);
    });
});
