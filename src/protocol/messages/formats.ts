// SPDX-License-Identifier: LGPL-2.1-or-later

import { N_ } from "./marker";

export const FORMATS_MESSAGES = {
} as const;
