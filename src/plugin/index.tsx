// SPDX-License-Identifier: LGPL-2.1-or-later

import "@patternfly/react-core/dist/styles/base.css";
import "./index.css";

import React from "react";
import { createRoot } from "react-dom/client";

import { Application } from "./app";

document.addEventListener("DOMContentLoaded", () => {
    const container = document.getElementById("app");
    if (container)
        createRoot(container).render(<Application />);
});
