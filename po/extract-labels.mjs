// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Prints a .pot fragment with the strings outside the TypeScript sources: the
 * manifest's menu labels and index.html's <title translate>. Cockpit 287 reads
 * manifest translations from the package's po.LANG.js, so they belong there too.
 */

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entries = new Map();
const add = (msgid, reference) => {
    if (!entries.has(msgid))
        entries.set(msgid, []);
    entries.get(msgid).push(reference);
};

const manifest = JSON.parse(fs.readFileSync(path.join(top, "manifest.json"), "utf8"));
for (const section of ["menu", "tools", "dashboard"]) {
    for (const [name, item] of Object.entries(manifest[section] ?? {})) {
        if (item.label)
            add(item.label, `manifest.json:${section}.${name}.label`);
    }
}

const html = fs.readFileSync(path.join(top, "src/plugin/index.html"), "utf8");
for (const match of html.matchAll(/<([a-z]+)[^>]*\btranslate\b[^>]*>([^<]+)</g))
    add(match[2].trim(), "src/plugin/index.html");

const quote = text => JSON.stringify(text);
let out = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n';
for (const [msgid, references] of entries)
    out += `\n#: ${references.join(" ")}\nmsgid ${quote(msgid)}\nmsgstr ""\n`;
process.stdout.write(out);
