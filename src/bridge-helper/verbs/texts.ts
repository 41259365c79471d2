// SPDX-License-Identifier: LGPL-2.1-or-later

import { isText, text, type Text } from "../../protocol/text";

/*
 * TRANSITIONAL: formats/ still reports problems as English strings; the
 * protocol carries Texts. Once formats/ gives Texts this is the identity and goes.
 */
export function asTexts(problems: readonly (string | Text)[]): Text[] {
    return problems.map(p => (isText(p) ? p : text("legacy.english", { message: p })));
}
