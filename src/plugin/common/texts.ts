// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What the helper writes for an administrator arrives as Texts (a message
 * code and its parameters) and as step and check ids. The page looks each up
 * in the protocol's tables, whose templates xgettext finds through N_(), and
 * translates it here. A code or id these tables do not know comes from a newer
 * helper: it is shown in the helper's English.
 */

import { CHECK_TITLES, formatTemplate, MESSAGES, stepTitleTemplate, UPGRADE_STEPS, type Text } from "../../protocol";
import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

export function renderText(t: Text): string {
    // own keys only: a code such as "constructor" is not a message
    return Object.hasOwn(MESSAGES, t.code) ? formatTemplate(_(MESSAGES[t.code]), t.params) : t.english;
}

/** A job step's title by its id; `english` is what the helper wrote, for an id this page does not know. */
export function stepTitle(id: string, english: string): string {
    const template = stepTitleTemplate(id);
    return template === null ? english : _(template);
}

/** A check's title by its id; `english` is what the helper wrote, for an id this page does not know. */
export function checkTitle(id: string, english: string): string {
    return Object.hasOwn(CHECK_TITLES, id) ? _(CHECK_TITLES[id as keyof typeof CHECK_TITLES]) : english;
}

/** The upgrade's steps in the order they run, for the review's list of what will happen. */
export function upgradeStepTitles(): string[] {
    return UPGRADE_STEPS.map(step => _(step.title));
}
