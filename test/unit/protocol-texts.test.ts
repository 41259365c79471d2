// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The page shows what the helper writes by code: the protocol's message
 * templates, check titles and step titles, translated with po/. A template
 * added without its German translation, or translated with other parameters,
 * fails here rather than on a German page.
 */

import fs from "node:fs";
import path from "node:path";
import { po } from "gettext-parser";

import {
    CHECK_TITLES, MESSAGES, placeholders, ROLLBACK_STEPS, text, UPGRADE_STEPS, type MessageCode, type Text,
} from "../../src/protocol";
import { checkTitle, renderText, stepTitle, upgradeStepTitles } from "../../src/plugin/common/texts";
import { resetMockCockpit, setTranslations } from "../support/mock-cockpit";

interface Entry {
    msgid: string;
    msgstr: string[];
    fuzzy: boolean;
}

/* po/de.po's entries with a msgid (the header has none). */
function readPo(file: string): Entry[] {
    const parsed = po.parse(fs.readFileSync(file));
    return Object.values(parsed.translations).flatMap(messages => Object.values(messages))
            .filter(m => m.msgid !== "")
            .map(m => ({ msgid: m.msgid, msgstr: m.msgstr, fuzzy: m.comments?.flag?.includes("fuzzy") ?? false }));
}

const GERMAN = readPo(path.join(__dirname, "../../po/de.po"));

/* What the page's po.de.js holds: the translated, not fuzzy, singular entries. */
const germanMessages = (): Record<string, string> => Object.fromEntries(
    GERMAN.filter(e => !e.fuzzy && e.msgstr[0]).map(e => [e.msgid, e.msgstr[0]]));

/* Every template the helper's words are shown through. */
const TEMPLATES: { source: string; template: string }[] = [
    ...Object.entries(MESSAGES).map(([code, template]) => ({ source: `MESSAGES["${code}"]`, template })),
    ...Object.entries(CHECK_TITLES).map(([id, template]) => ({ source: `CHECK_TITLES["${id}"]`, template })),
    ...[...UPGRADE_STEPS, ...ROLLBACK_STEPS].map(step => ({ source: `step ${step.id}`, template: step.title as string })),
];

const sorted = (names: string[]) => [...new Set(names)].sort();

beforeEach(() => resetMockCockpit());

describe("po/de.po", () => {
    test("has a German msgstr for every protocol template (run the .pot merge in the Makefile's comment when it does not)", () => {
        const german = germanMessages();
        const missing = TEMPLATES.filter(t => !german[t.template]).map(t => `${t.source}: ${t.template}`);
        expect(missing).toEqual([]);
    });

    test("every German protocol template uses exactly the English one's $parameters", () => {
        const german = germanMessages();
        const differ = TEMPLATES.filter(t => german[t.template])
                .map(t => ({ source: t.source, english: sorted(placeholders(t.template)), german: sorted(placeholders(german[t.template])) }))
                .filter(t => JSON.stringify(t.english) !== JSON.stringify(t.german));
        expect(differ).toEqual([]);
    });

    test("every German msgstr of the page keeps its msgid's $parameters, in each plural form", () => {
        const differ = GERMAN.filter(e => !e.fuzzy).flatMap(e => e.msgstr.filter(s => s !== "").map(s => ({
            msgid: e.msgid, english: sorted(placeholders(e.msgid)), german: sorted(placeholders(s)),
        }))).filter(e => JSON.stringify(e.english) !== JSON.stringify(e.german));
        expect(differ).toEqual([]);
    });
});

describe("renderText", () => {
    test("translates the template of a known code and fills in its parameters", () => {
        setTranslations(germanMessages());
        const said = text("internal.unexpected", { reason: "qemu-img: Input/output error" });
        expect(said.english).toBe("Unexpected helper failure: qemu-img: Input/output error");
        expect(renderText(said)).toBe("Unerwarteter Fehler des Hilfsprogramms: qemu-img: Input/output error");
    });

    test("fills in parameters by name wherever the translation puts them", () => {
        const code = "internal.unexpected" satisfies MessageCode;
        setTranslations({ [MESSAGES[code]]: "$reason: unerwartet ($reason)" });
        expect(renderText(text(code, { reason: "ENOSPC" }))).toBe("ENOSPC: unerwartet (ENOSPC)");
    });

    test("shows a newer helper's code, which the page does not know, in the helper's English", () => {
        setTranslations(germanMessages());
        const newer = { code: "upgrade.something-new", params: { n: 3 }, english: "Something new happened 3 times" } as unknown as Text;
        expect(renderText(newer)).toBe("Something new happened 3 times");
        // nor is a name every object has a message code
        expect(renderText({ ...newer, code: "constructor" as MessageCode })).toBe("Something new happened 3 times");
    });

    test("without a translation the English template is filled in", () => {
        expect(renderText(text("internal.unexpected", { reason: "x" }))).toBe("Unexpected helper failure: x");
    });
});

describe("titles by id", () => {
    test("check and step titles are translated by their id, unknown ids shown as the helper wrote them", () => {
        setTranslations(germanMessages());
        expect(checkTitle("global-maintenance", "Global maintenance")).toBe("Globale Wartung");
        expect(checkTitle("moon-phase", "Phase of the moon")).toBe("Phase of the moon");
        expect(stepTitle("restore-disk", "whatever the helper wrote")).toBe("Backup über den Engine-Datenträger kopieren");
        expect(stepTitle("defragment", "Defragment")).toBe("Defragment");
        expect(stepTitle("constructor", "Constructor")).toBe("Constructor");
    });

    test("the review lists the upgrade's steps in their order", () => {
        expect(upgradeStepTitles()).toEqual(UPGRADE_STEPS.map(s => s.title));
        expect(upgradeStepTitles()[0]).toBe("Read the appliance (sha1, OVF, disk)");
    });
});
