// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * N_ marks a template for xgettext (the page translates it later with _());
 * it returns its argument unchanged, literal type included.
 */
export const N_ = <T extends string>(template: T): T => template;
