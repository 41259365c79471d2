// SPDX-License-Identifier: LGPL-2.1-or-later

import { useState } from "react";

import { asHelperFailure, call, HelperFailure } from "../lib/helper-client";
import type { UpgradeFindings } from "./upgrade-form";

export interface AdminPasswordCheck {
    checking: boolean;
    error: HelperFailure | null;
    check: () => Promise<void>;
}

/* The admin@internal password tried against the running engine; what it answered goes into the findings. */
export function useAdminPasswordCheck(password: string,
                                      onFindings: (change: Partial<UpgradeFindings>) => void): AdminPasswordCheck {
    const [checking, setChecking] = useState(false);
    const [error, setError] = useState<HelperFailure | null>(null);

    const check = async () => {
        setChecking(true);
        setError(null);
        try {
            // on stdin: a password never goes into argv
            // kept with the findings, not in this step: it outlives the step's own state
            const engineLogin = await call("engine-login", { adminPassword: password });
            onFindings({ acceptedPassword: password, engineLogin });
        } catch (err) {
            onFindings({ acceptedPassword: null, engineLogin: null });
            setError(asHelperFailure(err));
        } finally {
            setChecking(false);
        }
    };

    return { checking, error, check };
}
