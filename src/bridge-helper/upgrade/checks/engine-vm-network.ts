// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM's network as it will be (issue 13): the deploy's answers, or
 * where they say nothing, the administrator's choice in Settings (the plan's
 * vmNetwork). A static address must be what the engine's FQDN resolves to on
 * this host (its /etc/hosts, then DNS): the upgrade, and everyone after it,
 * reaches the new engine by that name. DHCP is shown with the MAC address the
 * old VM used (the new VM keeps the VM's definition, so the DHCP server sees
 * the same one); a name that resolves to nothing is a warning there. Nothing
 * saying how the VM gets an address fails.
 */

import type { VmNetwork, VmNetworkReport } from "../../../protocol/network";
import type { UpgradePlan } from "../../../protocol/plans";
import { text, type Text } from "../../../protocol/text";
import type { HelperConfig } from "../../config";
import { resolveHostName, type Resolved } from "../../host/resolver";
import type { CheckList } from "./check-list";

export interface VmSettings {
    network: VmNetwork;
    hostName: string;
    domain: string | null;
    timeZone: string | null;
}

function resolverText(resolved: Resolved): Text {
    return text(resolved.source === "hosts" ? "preflight.vm-network.resolver.hosts" : "preflight.vm-network.resolver.dns");
}

function resolvedText(resolved: Resolved): Param {
    return resolved.addresses.length > 0 ? resolved.addresses.join(", ") : text("preflight.vm-network.nothing");
}

type Param = string | Text;

function noNetwork(identity: VmNetworkReport, checks: CheckList): null {
    if (identity.problem?.code === "answers.network-invalid")
        checks.add("engine-vm-network", "fail", text("preflight.vm-network.invalid", { reason: identity.problem }));
    else if (identity.problem)
        checks.add("engine-vm-network", "fail", text("preflight.vm-network.unreadable", { reason: identity.problem }));
    else
        checks.add("engine-vm-network", "fail", text("preflight.vm-network.missing"));
    return null;
}

export async function checkEngineVmNetwork(config: HelperConfig, plan: UpgradePlan, identity: VmNetworkReport, fqdn: string,
                                           checks: CheckList): Promise<VmSettings | null> {
    const network = identity.network ?? plan.vmNetwork;
    if (!network)
        return noNetwork(identity, checks);
    const source = text(identity.network ? "network.source.answers" : "network.source.plan");
    const resolved = await resolveHostName(config, fqdn);
    if (network.mode === "static") {
        const { address, prefix, gateway } = network;
        const dns = network.dns.length > 0 ? network.dns.join(", ") : text("preflight.vm-network.none");
        if (!resolved.addresses.includes(address)) {
            checks.add("engine-vm-network", "fail",
                       text("preflight.vm-network.not-resolving", { fqdn, resolved: resolvedText(resolved), address, source }));
            return null;
        }
        checks.add("engine-vm-network", "pass",
                   text("preflight.vm-network.static", { address, prefix, gateway, dns, source, fqdn, resolver: resolverText(resolved) }));
    } else {
        const mac = identity.macAddress ?? text("preflight.vm-network.unknown-mac");
        if (resolved.addresses.length === 0)
            checks.add("engine-vm-network", "warn", text("preflight.vm-network.dhcp-unresolved", { source, mac, fqdn }));
        else
            checks.add("engine-vm-network", "pass",
                       text("preflight.vm-network.dhcp", { source, mac, fqdn, resolved: resolvedText(resolved), resolver: resolverText(resolved) }));
    }
    return { network, hostName: identity.hostName, domain: identity.domain, timeZone: identity.timeZone };
}
