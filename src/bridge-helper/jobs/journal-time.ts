// SPDX-License-Identifier: LGPL-2.1-or-later

/* The time every journaled event carries. */
export const now = (): string => new Date().toISOString();
