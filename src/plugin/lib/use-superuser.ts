// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Whether this session may open superuser channels: true, false, or null while
 * Cockpit is still deciding, and how we know.
 *
 * Cockpit 219 and later have the bridge's internal cockpit.Superuser object at
 * /superuser: its Current is "init" while undecided and "none" without admin
 * rights, and changes when the user turns administrative access on or off
 * ("Limited access" in the top bar). Older Cockpits (EL7 ends at 195) have no
 * such object: their bridge introspects /superuser, gets UnknownObject, and
 * completes the proxy's watch with the proxy not valid (195's
 * src/bridge/cockpitdbuscache.c on_introspect_reply, src/base1/cockpit.js
 * DBusProxy: wait() callbacks run on success and failure alike). Then, or when
 * the object has not answered after SUPERUSER_OBJECT_WAIT_MS, a superuser
 * spawn decides (superuser-probe.ts), once: on 195 admin rights come with the
 * login and do not change during the session.
 */

import { useEffect, useState } from "react";

import cockpit from "./cockpit";
import { probeSuperuser } from "./superuser-probe";

/** "object": cockpit.Superuser (Cockpit 219 and later); "probe": a superuser spawn (older) */
export type AdminSource = "object" | "probe";

export interface AdminAccess {
    allowed: boolean | null;
    source: AdminSource | null;
}

export const SUPERUSER_OBJECT_WAIT_MS = 5000;

export function useSuperuser(): AdminAccess {
    const [access, setAccess] = useState<AdminAccess>({ allowed: null, source: null });

    useEffect(() => {
        let closed = false;
        let probing = false;
        const client = cockpit.dbus(null, { bus: "internal" });
        const proxy = client.proxy("cockpit.Superuser", "/superuser");
        const fromObject = () => {
            if (closed || !proxy.valid)
                return;
            const current = proxy.Current;
            const allowed = current === undefined || current === "init" ? null : current !== "none";
            setAccess({ allowed, source: "object" });
        };
        const probe = () => {
            if (closed || probing || proxy.valid)
                return;
            probing = true;
            probeSuperuser().then(allowed => {
                if (!closed && !proxy.valid)
                    setAccess({ allowed, source: "probe" });
            });
        };
        proxy.addEventListener("changed", fromObject);
        const timer = setTimeout(probe, SUPERUSER_OBJECT_WAIT_MS);
        proxy.wait(() => {
            clearTimeout(timer);
            if (proxy.valid)
                fromObject();
            else
                probe();
        });
        return () => {
            closed = true;
            clearTimeout(timer);
            proxy.removeEventListener("changed", fromObject);
            client.close();
        };
    }, []);

    return access;
}
