// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * May this session run programs as root? Asked by running `true` with
 * superuser "require", for a Cockpit without the cockpit.Superuser object
 * (before 219; EL7 ends at 195).
 *
 * What Cockpit 195 does with such a spawn (tag 195 of cockpit-project/cockpit):
 * - pkg/shell/manifest.json.in routes every superuser channel to a privileged
 *   bridge, `pkexec --disable-internal-agent cockpit-bridge --privileged`, then
 *   `sudo -A cockpit-bridge --privileged` with cockpit-askpass. Root's pkexec
 *   needs no password; anyone else's needs the login password, which the bridge
 *   only has when "Reuse my password for privileged tasks" was checked at login
 *   (src/ws/login.html).
 * - When neither starts, src/base1/manifest.json's last rules (priority -1) for
 *   superuser "require" and true close the channel with problem "access-denied"
 *   (src/bridge/cockpitpeer.c fail_start_problem: a peer that fails before its
 *   "init" closes with the problem its configuration names).
 * - src/base1/cockpit.js cockpit.spawn rejects a channel closed with a problem
 *   with a ProcessError {problem, exit_status: null, exit_signal: null, message}
 *   and no output; "access-denied" reads "Not permitted to perform this action."
 * Cockpit 195's own cockpit.permission({admin: true}) decides the same way: a
 * "null" channel with superuser "require" that opens or does not.
 *
 * So: the process ran (whatever it exited with) means a privileged bridge is
 * there; a problem ("access-denied", or any other: no bridge ran it) means no.
 */

import cockpit from "./cockpit";

export function probeSuperuser(): Promise<boolean> {
    // a native promise: 195's cockpit.defer does not turn a throwing handler into a rejection
    return new Promise<boolean>(resolve => {
        cockpit.spawn(["true"], { superuser: "require", err: "message" })
                .then(() => resolve(true), ex => resolve(!ex?.problem));
    });
}
