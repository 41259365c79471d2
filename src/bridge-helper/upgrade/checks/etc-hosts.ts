// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The line the new engine VM's /etc/hosts gets when the administrator asks for
 * it (ovirt-upgrade-flow.md steps 5 and 12): this host's address and name, as
 * the original wrote them in its bootcmd. It took the address of the management
 * bridge (hosted-engine.conf bridge=, `ip addr show ovirtmgmt`) and the name
 * that address resolves to, which is the name hosted-engine --deploy added the
 * host to the engine by (ovirt-hosted-engine-setup 2.0
 * src/plugins/gr-he-common/vm/cloud_init.py `_getMyIPAddress`,
 * network/bridge.py `_get_hostname_from_bridge_if`, gr-he-setup/engine/add_host.py).
 * Here the address comes from vdsm's capabilities of that bridge and the name
 * from the engine's record of this host. Both are checked strictly, as they go
 * into a shell command: an IPv4 address (the original's only kind) and a host name.
 */

import net from "node:net";

import type { UpgradePlan } from "../../../protocol/plans";
import { text } from "../../../protocol/text";
import { isFqdn } from "../../formats/cloud-init";
import type { CheckList } from "./check-list";

export interface EtcHostsEntry {
    ip: string;
    fqdn: string;
}

export function checkEtcHosts(plan: UpgradePlan, found: { bridge: string; bridgeAddress: string | null; hostAddress: string | null },
                              checks: CheckList): EtcHostsEntry[] {
    if (!plan.addHostToEtcHosts)
        return [];
    // vdsm or the engine could not be asked: that failure is reported already
    if (checks.failed("vdsm", "engine-ca", "admin-password", "engine-api", "spm-engine"))
        return [];
    const { bridge, bridgeAddress: ip, hostAddress: fqdn } = found;
    if (ip === null || !net.isIPv4(ip)) {
        checks.add("etc-hosts", "fail", text("preflight.etc-hosts.no-address", { bridge, address: ip ?? "" }));
        return [];
    }
    if (fqdn === null || !isFqdn(fqdn)) {
        checks.add("etc-hosts", "fail", text("preflight.etc-hosts.no-name", { address: fqdn ?? "" }));
        return [];
    }
    checks.add("etc-hosts", "pass", text("preflight.etc-hosts.pass", { ip, fqdn }));
    return [{ ip, fqdn }];
}
