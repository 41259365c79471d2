// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The engine VM's network in the Settings step (issue 13): where the deploy's
 * answers give it, it is shown and nothing is asked; where they do not, the
 * administrator chooses DHCP or a static address, prefix, gateway and DNS, as
 * the original asked. Every field is checked as it is typed with the
 * protocol's validators, the ones the helper checks the plan with.
 */

import {
    addressProblem, gatewayProblem, parseDns, parsePrefix, text, type MessageCode, type VmNetwork, type VmNetworkReport,
} from "../../protocol";
import { renderText } from "../common/texts";
import cockpit from "../lib/cockpit";
import type { UpgradeForm } from "./upgrade-form";

const _ = cockpit.gettext;

export type NetworkField = "networkMode" | "vmAddress" | "vmPrefix" | "vmGateway" | "vmDns";

const say = (code: MessageCode) => renderText(text(code));

/** Whether the Settings step asks for the network: the answers were read and do not give it. */
export function asksNetwork(report: VmNetworkReport | null): boolean {
    return report !== null && report.network === null;
}

/** What is wrong with each network field as typed; nothing when the answers give the network. */
export function networkProblems(form: UpgradeForm, report: VmNetworkReport | null): Partial<Record<NetworkField, string>> {
    if (report === null)
        return { networkMode: _("The engine VM's network has not been read yet.") };
    if (report.network !== null)
        return {};
    if (form.networkMode === "")
        return { networkMode: _("Choose how the engine VM gets its address.") };
    if (form.networkMode === "dhcp")
        return {};
    const problems: Partial<Record<NetworkField, string>> = {};
    const prefix = parsePrefix(form.vmPrefix.trim());
    if (prefix === null)
        problems.vmPrefix = say("network.prefix-invalid");
    const address = addressProblem(form.vmAddress.trim(), prefix);
    if (address)
        problems.vmAddress = say(address);
    const gateway = gatewayProblem(form.vmGateway.trim(), form.vmAddress.trim(), prefix);
    if (gateway)
        problems.vmGateway = say(gateway);
    const dns = parseDns(form.vmDns).problem;
    if (dns)
        problems.vmDns = say(dns);
    return problems;
}

/** The plan's vmNetwork: the choice made here, or null when none was asked for. */
export function vmNetworkOf(form: UpgradeForm): VmNetwork | null {
    if (form.networkMode === "dhcp")
        return { mode: "dhcp" };
    if (form.networkMode === "static") {
        return {
            mode: "static", address: form.vmAddress.trim(), prefix: parsePrefix(form.vmPrefix.trim()) ?? 0,
            gateway: form.vmGateway.trim(), dns: parseDns(form.vmDns).servers,
        };
    }
    return null;
}

/** A network as one line, for the read-only display and the review. */
export function describeNetwork(network: VmNetwork): string {
    if (network.mode === "dhcp")
        return _("DHCP");
    return cockpit.format(_("Static: $0/$1, gateway $2, DNS $3"), network.address, network.prefix, network.gateway,
                          network.dns.length > 0 ? network.dns.join(", ") : _("none"));
}
