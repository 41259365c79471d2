// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Page-level notifications: failures that belong to no open step or dialog
 * (a lost job connection, a failed refresh after an action) go here as
 * dismissable toasts, never only to the console.
 */

import React, { createContext, useCallback, useContext, useMemo, useState } from "react";
import { Alert, AlertActionCloseButton, AlertGroup } from "@patternfly/react-core/dist/esm/components/Alert/index.js";

import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

export interface Toast {
    title: string;
    detail?: string;
    variant?: "danger" | "warning" | "success" | "info";
}

interface ShownToast extends Toast {
    key: number;
}

type AddToast = (toast: Toast) => void;

const ToastContext = createContext<AddToast>(() => undefined);

export const useToasts = (): AddToast => useContext(ToastContext);

let nextKey = 0;

export const ToastProvider = ({ children }: { children: React.ReactNode }) => {
    const [toasts, setToasts] = useState<ShownToast[]>([]);
    const add = useCallback<AddToast>(toast => setToasts(shown => [...shown, { ...toast, key: nextKey++ }]), []);
    const dismiss = (key: number) => setToasts(shown => shown.filter(t => t.key !== key));
    const value = useMemo(() => add, [add]);

    return (
        <ToastContext.Provider value={value}>
            {children}
            <AlertGroup id="he-toasts" isToast isLiveRegion>
                {toasts.map(t => (
                    <Alert key={t.key} variant={t.variant ?? "danger"} title={t.title}
                           actionClose={<AlertActionCloseButton title={_("Dismiss")} onClose={() => dismiss(t.key)} />}>
                        {t.detail && <samp>{t.detail}</samp>}
                    </Alert>
                ))}
            </AlertGroup>
        </ToastContext.Provider>
    );
};
