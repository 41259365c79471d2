// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";

import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

/*
 * ovirt-ha's own English words (a reason such as "vm not running on this
 * host"), quoted apart from our translated text, marked as English.
 */
export const HaWords = ({ id, words }: { id?: string; words: string }) => (
    <span className="he-ha-words" title={_("as ovirt-ha reports it")} {...(id ? { id } : {})}>
        <q lang="en">{words}</q>
    </span>
);
