// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Whether this session may open superuser channels: true, false, or null while
 * Cockpit is still deciding. Read from the bridge's internal cockpit.Superuser
 * object, whose Current is "init" while undecided and "none" without admin rights.
 */

import { useEffect, useState } from "react";

import cockpit from "./cockpit";

export type SuperuserAllowed = boolean | null;

export function useSuperuser(): SuperuserAllowed {
    const [allowed, setAllowed] = useState<SuperuserAllowed>(null);

    useEffect(() => {
        const client = cockpit.dbus(null, { bus: "internal" });
        const proxy = client.proxy("cockpit.Superuser", "/superuser");
        const update = () => {
            if (!proxy.valid || proxy.Current === undefined || proxy.Current === "init")
                setAllowed(null);
            else
                setAllowed(proxy.Current !== "none");
        };
        proxy.addEventListener("changed", update);
        proxy.wait(() => {
            // A bridge without the Superuser object has no superuser bridges at all.
            if (!proxy.valid)
                setAllowed(false);
            else
                update();
        });
        return () => {
            proxy.removeEventListener("changed", update);
            client.close();
        };
    }, []);

    return allowed;
}
