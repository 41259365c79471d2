// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * vm.conf as `vdsClient create` reads it (ovirt-formats.md 4.1): all white
 * space and #-comments stripped, each line split at its first "=", repeated
 * devices= lines collected, each a nested {name:value,...} spec whose values run
 * to the next "," or "}" and are all strings. custom_<x> keys go to "custom".
 */

export type DeviceSpec = { [key: string]: string | DeviceSpec };

export interface VmParams {
    [key: string]: unknown;
    devices: DeviceSpec[];
    custom: Record<string, string>;
}

function parseSpec(text: string, where: string): DeviceSpec {
    let pos = 0;
    const fail = (why: string): never => {
        throw new Error(`${where}: ${why} at character ${pos} of "${text}"`);
    };
    const parseObject = (): DeviceSpec => {
        if (text[pos] !== "{")
            fail("expected {");
        pos++;
        const result: DeviceSpec = {};
        if (text[pos] === "}") {
            pos++;
            return result;
        }
        for (;;) {
            const colon = text.indexOf(":", pos);
            if (colon < 0)
                fail("expected name:value");
            const name = text.slice(pos, colon);
            if (name === "" || /[{},]/.test(name))
                fail(`bad name "${name}"`);
            pos = colon + 1;
            if (text[pos] === "{") {
                result[name] = parseObject();
            } else {
                let end = pos;
                while (end < text.length && text[end] !== "," && text[end] !== "}")
                    end++;
                result[name] = text.slice(pos, end);
                pos = end;
            }
            if (text[pos] === ",") {
                pos++;
                continue;
            }
            if (text[pos] === "}") {
                pos++;
                return result;
            }
            fail("expected , or }");
        }
    };
    const spec = parseObject();
    if (pos !== text.length)
        fail("text after the closing }");
    return spec;
}

export function parseVmConf(text: string, source = "vm.conf"): VmParams {
    const params: VmParams = { devices: [], custom: {} };
    text.split("\n").forEach((raw, index) => {
        const line = raw.replace(/#.*$/, "").replace(/\s+/g, "");
        if (line === "")
            return;
        const eq = line.indexOf("=");
        if (eq <= 0)
            throw new Error(`${source}:${index + 1}: "${raw}" is not key=value`);
        const key = line.slice(0, eq);
        const value = line.slice(eq + 1);
        if (key === "devices")
            params.devices.push(parseSpec(value, `${source}:${index + 1}`));
        else if (key.startsWith("custom_"))
            params.custom[key.slice("custom_".length)] = value;
        else
            params[key] = value;
    });
    return params;
}
