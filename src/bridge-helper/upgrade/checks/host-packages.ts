// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The versions of the host's packages the upgrade relies on, as the host
 * reports them: vdsm's capabilities (packages2) for vdsm, qemu-kvm, qemu-img
 * and libvirt, the rpm database for ovirt-hosted-engine-setup and -ha. Each
 * missing or too old package is a finding naming the package to install.
 * Versions compare as rpm compares them (formats/rpm.ts).
 */

import { text, type Text } from "../../../protocol/text";
import type { HelperConfig } from "../../config";
import { atLeast } from "../../formats/rpm";
import { installedPackages } from "../../host/rpm-db";
import { type CheckList, listOf, reasonOf } from "./check-list";

interface Requirement {
    /** vdsm's packages2 key, or the rpm name */
    name: string;
    from: "vdsm" | "rpm";
    /** "VERSION" or "VERSION-RELEASE", without epoch */
    minimum: string;
    /** the EL7 package that brings it */
    package: string;
}

export const REQUIREMENTS: readonly Requirement[] = [
    // every vdsm verb the helper calls (Host.getVMList, getHardwareInfo, getCapabilities, StoragePool.getSpmStatus,
    // StorageDomain.getInfo/getImages, Image.getVolumes/prepare/teardown, Volume.getInfo/extendSize,
    // Task.getStatus, VM.create/getStats/shutdown/destroy) with the parameter names it uses is in the first
    // 3.6 vdsm (vdsm v4.17.0 vdsm/rpc/vdsmapi-schema.json); 4.16 is oVirt 3.5's
    { name: "vdsm", from: "vdsm", minimum: "4.17.0", package: "vdsm" },
    // vdsm reports qemu-kvm, qemu-kvm-rhev or qemu-kvm-ev under "qemu-kvm" (and so qemu-img): the floor
    // vdsm 4.17 sets on EL7 (vdsm.spec.in v4.17.35: qemu-kvm-rhev and qemu-img-rhev >= 10:2.3.0-31.el7_2.16);
    // the appliance VM boots in that qemu, and EL7's own qemu-kvm/qemu-img 1.5.3 is below it
    { name: "qemu-kvm", from: "vdsm", minimum: "2.3.0", package: "qemu-kvm-rhev" },
    { name: "qemu-img", from: "vdsm", minimum: "2.3.0", package: "qemu-img-rhev" },
    // reported for libvirt or libvirt-daemon-kvm: vdsm 4.17's EL7 floor (vdsm.spec.in v4.17.35:
    // libvirt-daemon-kvm >= 1.2.17-13.el7_2.5)
    { name: "libvirt", from: "vdsm", minimum: "1.2.17", package: "libvirt-daemon-kvm" },
    // `hosted-engine --vm-status --json`, which the helper reads the cluster from, first came with
    // ovirt-hosted-engine-setup 2.0.0 (commit bc7091d "Add --json to --vm-status", 2016-04-27); no 1.3.x
    // (oVirt 3.6) release has it: the host must have been updated to 4.0's packages, as the original
    // flow asks ("Add the 4.0 repo and upgrade the host", hosted-engine-migration-to-4-0)
    { name: "ovirt-hosted-engine-setup", from: "rpm", minimum: "2.0.0", package: "ovirt-hosted-engine-setup" },
    // that --vm-status reads the HA state through ovirt-hosted-engine-ha's client library
    // (src/ovirt_hosted_engine_setup/vm_status.py) and setup 2.0.0 requires ovirt-hosted-engine-ha >= 2.0.0
    // for it (ovirt-hosted-engine-setup.spec.in 2.0.0)
    { name: "ovirt-hosted-engine-ha", from: "rpm", minimum: "2.0.0", package: "ovirt-hosted-engine-ha" },
];

type Versions = Map<string, { version: string; release: string }>;

/** What vdsm said about the packages: their versions, or why it could not say; null when vdsm could not be asked at all. */
export type VdsmPackages = { versions: Versions } | { error: unknown } | null;

function judge(requirements: readonly Requirement[], versions: Versions, problems: Text[], found: string[]): void {
    for (const req of requirements) {
        const installed = versions.get(req.name);
        if (!installed) {
            problems.push(text("preflight.host-packages.missing", { name: req.name, package: req.package, minimum: req.minimum }));
            continue;
        }
        const version = `${installed.version}-${installed.release}`;
        found.push(`${req.name} ${version}`);
        if (!atLeast(installed.version, installed.release, req.minimum)) {
            problems.push(text("preflight.host-packages.too-old",
                               { name: req.name, version, minimum: req.minimum, package: req.package }));
        }
    }
}

export async function checkHostPackages(config: HelperConfig, fromVdsm: VdsmPackages, checks: CheckList): Promise<void> {
    const problems: Text[] = [];
    const found: string[] = [];
    if (fromVdsm && "error" in fromVdsm)
        problems.push(text("preflight.host-packages.vdsm-failed", { reason: reasonOf(fromVdsm.error) }));
    else if (fromVdsm)
        judge(REQUIREMENTS.filter(r => r.from === "vdsm"), fromVdsm.versions, problems, found);

    const fromRpm = REQUIREMENTS.filter(r => r.from === "rpm");
    try {
        judge(fromRpm, await installedPackages(config, fromRpm.map(r => r.name)), problems, found);
    } catch (err) {
        problems.push(text("preflight.host-packages.rpm-failed", { reason: reasonOf(err) }));
    }

    if (problems.length === 0)
        checks.add("host-packages", "pass", text("preflight.host-packages.pass", { packages: found.join(", ") }));
    else
        checks.add("host-packages", "fail", listOf(problems, "list.sentences"));
}
