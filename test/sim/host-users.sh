#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The identities of an oVirt host that the simulated NFS storage domain checks
# against (test/sim/nfs-squash): group kvm, user vdsm (primary group kvm) and
# user qemu (primary group qemu, also in kvm); vdsm is also in group qemu. oVirt gives them fixed ids
# (kvm 36, vdsm 36, qemu 107); here those ids are taken when free, but Debian
# may own them already (its kvm group often is gid 107 or so), so everything
# is by name. Creates only what is missing: safe to run again.

set -euo pipefail

as_root=()
[ "$(id -u)" = 0 ] || as_root=(sudo)

nologin=/usr/sbin/nologin
[ -x "$nologin" ] || nologin=/sbin/nologin

ensure_group() { # name wanted-gid
    getent group "$1" >/dev/null && return
    if getent group "$2" >/dev/null; then
        "${as_root[@]}" groupadd --system "$1"
    else
        "${as_root[@]}" groupadd --system --gid "$2" "$1"
    fi
    echo "host-users: created group $1 ($(getent group "$1" | cut -d: -f3))"
}

ensure_user() { # name wanted-uid primary-group [supplementary-group]
    local name=$1 uid=$2 primary=$3 extra=${4:-}
    if ! getent passwd "$name" >/dev/null; then
        local with_uid=(--uid "$uid")
        getent passwd "$uid" >/dev/null && with_uid=()
        # a service account: no home directory, no login shell
        "${as_root[@]}" useradd --system "${with_uid[@]}" --gid "$primary" \
            --no-create-home --home-dir / --shell "$nologin" "$name"
        echo "host-users: created user $name ($(id -u "$name"))"
    fi
    # a user left by something else keeps its uid, but gets the groups the storage checks rely on
    if [ "$(id -gn "$name")" != "$primary" ]; then
        "${as_root[@]}" usermod --gid "$primary" "$name"
        echo "host-users: user $name now has primary group $primary"
    fi
    if [ -n "$extra" ] && ! id -Gn "$name" | tr ' ' '\n' | grep -qx "$extra"; then
        "${as_root[@]}" usermod --append --groups "$extra" "$name"
        echo "host-users: user $name now in group $extra"
    fi
}

ensure_group kvm 36
ensure_user vdsm 36 kvm
ensure_group qemu 107
ensure_user qemu 107 qemu kvm
# vdsm.spec adds vdsm to qemu's group (and sanlock's, which the sim has no use for)
if ! id -Gn vdsm | tr ' ' '\n' | grep -qx qemu; then
    "${as_root[@]}" usermod --append --groups qemu vdsm
    echo "host-users: user vdsm now in group qemu"
fi
