// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The simulated host's packages, where a real host keeps them: vdsm reports
 * its key packages in Host.getCapabilities "packages2" (vdsm 4.18
 * lib/vdsm/osinfo.py package_versions: each {version, release, buildtime},
 * keyed by vdsm's name, "qemu-kvm" for qemu-kvm-ev too; an absent package is
 * left out), and the rpm database holds the rest. The database is a real one,
 * made with rpm itself under <dir>/root/var/lib/rpm, holding empty noarch
 * packages built with rpmbuild under the real names and versions, so the
 * helper's `rpm -q` reads it exactly as it reads a host's.
 *
 * The default host was updated to oVirt 4.0's host packages while its engine
 * VM still runs 3.6, as the original upgrade flow asks ("Add the 4.0 repo and
 * upgrade the host", ovirt-site hosted-engine-migration-to-4-0): the sim's
 * hosted-engine command is ovirt-hosted-engine-setup 2.0's, with --json.
 * Versions are those of oVirt 4.0.6 on CentOS 7.3 (tags: vdsm v4.18.21,
 * ovirt-hosted-engine-setup-2.0.4.1, ovirt-hosted-engine-ha v2.0.6; 3.6's:
 * ovirt-hosted-engine-setup-1.3.7.3, ovirt-hosted-engine-ha v1.3.5.7).
 */

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import type { SimLayout } from "./layout";

interface Pkg {
    version: string;
    release: string;
    /** epoch seconds, as rpm's BUILDTIME */
    buildtime: number;
}

/* What vdsm 4.18.21 on CentOS 7.3 reports (keys of osinfo.py KEY_PACKAGES that are installed). */
const PACKAGES_4_0: Record<string, Pkg> = {
    kernel: { version: "3.10.0", release: "514.6.1.el7.x86_64", buildtime: 1484158236 },
    "glusterfs-cli": { version: "3.7.20", release: "1.el7", buildtime: 1486463420 },
    libvirt: { version: "2.0.0", release: "10.el7_3.4", buildtime: 1484734312 },
    mom: { version: "0.5.8", release: "1.el7.centos", buildtime: 1476952183 },
    "qemu-img": { version: "2.6.0", release: "28.el7.10.1", buildtime: 1484657409 },
    "qemu-kvm": { version: "2.6.0", release: "28.el7.10.1", buildtime: 1484657409 },
    "spice-server": { version: "0.12.4", release: "19.el7", buildtime: 1478691093 },
    vdsm: { version: "4.18.21", release: "1.el7.centos", buildtime: 1484649418 },
};

/*
 * Fault "vdsm-too-old": a host still at oVirt 3.5 with EL7's own qemu-kvm
 * (vdsm 4.16 accepted it; 4.17 requires qemu-kvm-rhev >= 2.3.0 on EL7,
 * vdsm.spec.in v4.17.35).
 */
const PACKAGES_3_5: Record<string, Pkg> = {
    ...PACKAGES_4_0,
    "qemu-img": { version: "1.5.3", release: "105.el7_2.7", buildtime: 1468935187 },
    "qemu-kvm": { version: "1.5.3", release: "105.el7_2.7", buildtime: 1468935187 },
    vdsm: { version: "4.16.30", release: "0.el7.centos", buildtime: 1450264880 },
};

export function vdsmPackages(old: boolean): Record<string, Pkg> {
    return old ? PACKAGES_3_5 : PACKAGES_4_0;
}

interface RpmPackage {
    name: string;
    version: string;
    release: string;
}

/** The rpm database's hosted-engine packages: 4.0's, and (fault "host-not-updated") 3.6's, which have no --vm-status --json. */
export const RPM_SETS: Record<"4.0" | "3.6", readonly RpmPackage[]> = {
    "4.0": [
        { name: "ovirt-hosted-engine-setup", version: "2.0.4.1", release: "1.el7.centos" },
        { name: "ovirt-hosted-engine-ha", version: "2.0.6", release: "1.el7.centos" },
    ],
    "3.6": [
        { name: "ovirt-hosted-engine-setup", version: "1.3.7.3", release: "1.el7.centos" },
        { name: "ovirt-hosted-engine-ha", version: "1.3.5.7", release: "1.el7.centos" },
    ],
};

const SPEC = `Name: %{pkgname}
Version: %{pkgversion}
Release: %{pkgrelease}
Summary: %{pkgname} as the simulated host has it
License: LGPLv2+
BuildArch: noarch
%description
An empty stand-in: the simulated host's rpm database lists it.
%files
`;

const rpmDir = (layout: SimLayout) => path.join(layout.dir, "rpms");
const dbPath = (layout: SimLayout) => path.join(layout.root, "var/lib/rpm");
const rpmFile = (layout: SimLayout, p: RpmPackage) => path.join(rpmDir(layout), `${p.name}-${p.version}-${p.release}.noarch.rpm`);

/* Builds the empty packages (a few tens of ms each). */
function buildRpms(layout: SimLayout): void {
    const top = path.join(layout.dir, "rpmbuild");
    fs.mkdirSync(top, { recursive: true });
    const spec = path.join(top, "package.spec");
    fs.writeFileSync(spec, SPEC);
    for (const p of [...RPM_SETS["4.0"], ...RPM_SETS["3.6"]]) {
        execFileSync("rpmbuild", ["-bb", "--quiet", "--define", `_topdir ${top}`, "--define", `_rpmdir ${rpmDir(layout)}`,
            "--define", "_build_id_links none", "--define", "_build_name_fmt %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm",
            "--define", `pkgname ${p.name}`, "--define", `pkgversion ${p.version}`, "--define", `pkgrelease ${p.release}`, spec],
                     { stdio: ["ignore", "ignore", "pipe"] });
    }
    fs.rmSync(top, { recursive: true, force: true });
}

/* Records a set of packages in the database, replacing other versions of them (older ones too). */
function recordSet(layout: SimLayout, set: "4.0" | "3.6"): void {
    execFileSync("rpm", ["--dbpath", dbPath(layout), "-U", "--oldpackage", "--replacepkgs", "--justdb", "--nodeps",
        "--noscripts", "--notriggers", ...RPM_SETS[set].map(p => rpmFile(layout, p))], { stdio: ["ignore", "ignore", "pipe"] });
}

/** Makes the host's rpm database with 4.0's hosted-engine packages. */
export function makeRpmDb(layout: SimLayout): void {
    buildRpms(layout);
    fs.mkdirSync(dbPath(layout), { recursive: true });
    execFileSync("rpm", ["--dbpath", dbPath(layout), "--initdb"]);
    recordSet(layout, "4.0");
}

/** Makes the database of a sim directory built before it had one; a no-op when it is there. */
export function ensureRpmDb(layout: SimLayout): void {
    if (!fs.existsSync(dbPath(layout)))
        makeRpmDb(layout);
}

/** Puts 3.6's hosted-engine packages in the database instead of 4.0's (a host not updated yet), or back. */
export function setRpmSet(layout: SimLayout, set: "4.0" | "3.6"): void {
    recordSet(layout, set);
}
