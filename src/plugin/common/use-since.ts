// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * How long a passing state (the engine VM starting, the agents taking over)
 * has lasted, as this page has seen it. Each slot (the Status summary, the
 * Readiness step) remembers its state and when it was first seen for the
 * page's life, so switching tabs does not restart the clock; another state in
 * the slot restarts it. Ticks every second while a state lasts.
 */

import { useEffect, useState } from "react";

const seen = new Map<string, { key: string; since: number }>();

/** Seconds since `key` was first seen in `slot` without a break; null when `key` is null. */
export function useSince(slot: string, key: string | null): number | null {
    const [now, setNow] = useState(() => Date.now());

    const known = seen.get(slot);
    if (key === null)
        seen.delete(slot);
    else if (known?.key !== key)
        seen.set(slot, { key, since: Date.now() });

    useEffect(() => {
        if (key === null)
            return undefined;
        const timer = setInterval(() => setNow(Date.now()), 1000);
        return () => clearInterval(timer);
    }, [key]);

    const entry = seen.get(slot);
    if (key === null || !entry)
        return null;
    return Math.max(0, Math.round((Math.max(now, Date.now()) - entry.since) / 1000));
}

/** For tests: forget every state seen. */
export function forgetSeenStates(): void {
    seen.clear();
}
