// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The new engine VM keeps the old one's identity (issue 13): its network,
 * host name, domain, time zone and the /etc/hosts choice, as the first
 * deploy's answers give them (fhanswers.conf on the configuration volume;
 * gr-he-common/vm/cloud_init.py reads the same OVEHOSTED_VM/cloudinit* keys).
 *
 * The network: cloudinitVMStaticCIDR a string is a static address (with
 * OVEHOSTED_NETWORK/gateway and cloudinitVMDNS); `bool:False` is DHCP, as the
 * 1.3 to 2.2 deploys write it; `none:None` is DHCP too when the deploy used
 * cloud-init (another cloudinit key has a value). No cloudinit key at all (a
 * deploy without cloud-init, bz1344310) says nothing: the original asked, the
 * page asks. Every value is checked before it can reach the seed.
 */

import { addressProblem, gatewayProblem, parseDns, parsePrefix, type VmNetwork, type VmNetworkReport } from "../../protocol/network";
import type { MessageCode } from "../../protocol/messages";
import { text, type Text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import { errorText } from "../errors";
import { isFqdn } from "../formats/cloud-init";
import { parseAnswers, type Answers } from "../formats/otopi-answers";
import { readDeployAnswers } from "../host/conf-volume";
import { hostedEngineConf } from "../host/hosted-engine-conf";
import { hostTimeZone, isTimeZoneName } from "../host/time-zone";
import { withVdsm } from "../host/vdsm-session";

export const KEYS = {
    staticCidr: "OVEHOSTED_VM/cloudinitVMStaticCIDR",
    dns: "OVEHOSTED_VM/cloudinitVMDNS",
    gateway: "OVEHOSTED_NETWORK/gateway",
    hostName: "OVEHOSTED_VM/cloudinitInstanceHostName",
    domain: "OVEHOSTED_VM/cloudinitInstanceDomainName",
    etcHosts: "OVEHOSTED_VM/cloudinitVMETCHOSTS",
    timeZone: "OVEHOSTED_VM/cloudinitVMTZ",
    mac: "OVEHOSTED_VM/vmMACAddr",
} as const;

const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const MAC = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;

class AnswerProblem extends Error {
    constructor(readonly said: Text) {
        super(said.english);
    }
}

function bad(key: string, code: MessageCode, value = ""): never {
    throw new AnswerProblem(text("answers.network-invalid", { key, reason: text(code, { value }) }));
}

function stringAnswer(answers: Answers, key: string): string | null {
    const value = answers.get(key);
    if (value === undefined || value === null || value === false || value === "")
        return null;
    return typeof value === "string" ? value : String(value);
}

function staticNetwork(answers: Answers, cidr: string): VmNetwork {
    const [address, prefixText] = cidr.split("/");
    const prefix = parsePrefix(prefixText ?? "");
    if (prefix === null)
        bad(KEYS.staticCidr, "network.prefix-invalid");
    const addressCode = addressProblem(address, prefix);
    if (addressCode)
        bad(KEYS.staticCidr, addressCode);
    const gateway = stringAnswer(answers, KEYS.gateway) ?? "";
    const gatewayCode = gatewayProblem(gateway, address, prefix);
    if (gatewayCode)
        bad(KEYS.gateway, gatewayCode);
    const dns = parseDns((stringAnswer(answers, KEYS.dns) ?? "").replace(/ /g, ""));
    if (dns.problem)
        bad(KEYS.dns, dns.problem);
    return { mode: "static", address, prefix, gateway, dns: dns.servers };
}

function networkOf(answers: Answers): VmNetwork | null {
    const cloudInit = [...answers.keys()].filter(k => k.startsWith("OVEHOSTED_VM/cloudinit"));
    const cidr = answers.get(KEYS.staticCidr);
    if (typeof cidr === "string" && cidr !== "")
        return staticNetwork(answers, cidr);
    if (cidr === false)
        return { mode: "dhcp" };
    const usedCloudInit = cloudInit.some(k => { const v = answers.get(k); return v !== null && v !== false && v !== ""; });
    return usedCloudInit ? { mode: "dhcp" } : null;
}

/** The engine VM's identity from the answers (null: not read) and the host. */
export function vmIdentity(answers: Answers | null, fqdn: string, hostZone: string | null): Omit<VmNetworkReport, "problem"> {
    const a = answers ?? new Map();
    const network = networkOf(a);
    const hostName = stringAnswer(a, KEYS.hostName) ?? fqdn;
    if (!isFqdn(hostName))
        bad(KEYS.hostName, "network.host-name-invalid", hostName);
    const dot = hostName.indexOf(".");
    const domain = stringAnswer(a, KEYS.domain) ?? (dot > 0 ? hostName.slice(dot + 1) : null);
    if (domain !== null && !DOMAIN.test(domain))
        bad(KEYS.domain, "network.domain-invalid", domain);
    const zone = stringAnswer(a, KEYS.timeZone);
    if (zone !== null && !isTimeZoneName(zone))
        bad(KEYS.timeZone, "network.time-zone-invalid", zone);
    const mac = stringAnswer(a, KEYS.mac);
    const etcHosts = a.get(KEYS.etcHosts);
    return {
        network, hostName, domain,
        macAddress: mac !== null && MAC.test(mac) ? mac.toLowerCase() : null,
        timeZone: zone ?? hostZone,
        etcHosts: typeof etcHosts === "boolean" ? etcHosts : null,
    };
}

/** What the answers give, or, when they cannot be read or used, what the host alone gives and why. */
export function identityReport(answersText: string | Error, fqdn: string, hostZone: string | null): VmNetworkReport {
    const fallback = (problem: Text): VmNetworkReport => ({ ...vmIdentity(null, fqdn, hostZone), problem });
    if (answersText instanceof Error)
        return fallback(errorText(answersText));
    try {
        return { ...vmIdentity(parseAnswers(answersText, "fhanswers.conf"), fqdn, hostZone), problem: null };
    } catch (err) {
        return fallback(err instanceof AnswerProblem ? err.said : errorText(err));
    }
}

/** `vm-network`: the answers read from the configuration volume through vdsm. */
export async function readVmNetwork(config: HelperConfig): Promise<VmNetworkReport> {
    const conf = hostedEngineConf(config);
    let answers: string | Error;
    try {
        answers = await withVdsm(config, vdsm => readDeployAnswers(config, vdsm, conf));
    } catch (err) {
        answers = err instanceof Error ? err : new Error(String(err));
    }
    return identityReport(answers, conf.fqdn, hostTimeZone(config));
}
