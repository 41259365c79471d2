// SPDX-License-Identifier: LGPL-2.1-or-later

/* The page's place (tab, wizard step) lives in cockpit.location, so reload and deep links work. */

import { useEffect, useState } from "react";

import cockpit from "./cockpit";

export interface PageLocation {
    path: string[];
    options: Record<string, string | string[]>;
}

function current(): PageLocation {
    return { path: [...cockpit.location.path], options: { ...cockpit.location.options } };
}

export function usePageLocation(): PageLocation {
    const [location, setLocation] = useState<PageLocation>(current);
    useEffect(() => {
        const update = () => setLocation(current());
        cockpit.addEventListener("locationchanged", update);
        return () => cockpit.removeEventListener("locationchanged", update);
    }, []);
    return location;
}
