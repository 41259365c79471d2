// SPDX-License-Identifier: LGPL-2.1-or-later

/* Plans and secrets on stdin: one reader, the same refusals for every input, each a Text naming the input and field. */

import { HelperError } from "../../src/bridge-helper/errors";
import { parseUpgradeSecrets } from "../../src/bridge-helper/jobs/kinds";
import { parseDeleteBackupPlan, parseEngineLogin, parseRollbackPlan } from "../../src/bridge-helper/rollback/plan";
import { parseJsonObject } from "../../src/bridge-helper/stdin-json";

const BACKUP = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

function refusal(parse: () => unknown): HelperError {
    try {
        parse();
    } catch (err) {
        if (err instanceof HelperError)
            return err;
        throw err;
    }
    throw new Error("not refused");
}

describe("parseJsonObject", () => {
    test("an object with allowed keys only", () => {
        expect(parseJsonObject("{\"backup\": \"x\"}", "rollback plan", ["backup"])).toEqual({ backup: "x" });
    });

    test.each([
        ["{backup: 1", "input.not-json", "The rollback plan on stdin is not JSON", "rollback plan"],
        ["[1, 2]", "input.not-object", "The rollback plan must be a JSON object", "rollback plan"],
        ["null", "input.not-object", "The rollback plan must be a JSON object", "rollback plan"],
        ["{\"backup\": \"x\", \"force\": true}", "input.unknown-field", "The rollback plan's force is not a field it has", "rollback plan: force"],
    ])("%s is refused as %s", (source, code, english, what) => {
        const err = refusal(() => parseJsonObject(source, "rollback plan", ["backup"]));
        expect(err).toMatchObject({ code: "usage", what, text: { code, english } });
        // the input's name is a Text of its own, so the page translates it inside the sentence
        expect(err.text.params.what).toMatchObject({ code: "input.rollback-plan" });
    });
});

describe("the rollback's inputs", () => {
    test("a rollback plan names the backup by its image UUID", () => {
        expect(parseRollbackPlan(JSON.stringify({ backup: BACKUP }))).toEqual({ backup: BACKUP });
        expect(refusal(() => parseRollbackPlan(JSON.stringify({ backup: BACKUP.toUpperCase() }))).message)
                .toBe("The rollback plan's backup must be the backup disk's image UUID (lower-case 8-4-4-4-12 hex)");
    });

    test("a delete plan needs the admin password; the last verified backup only goes when told", () => {
        expect(parseDeleteBackupPlan(JSON.stringify({ backup: BACKUP, adminPassword: "p" })))
                .toEqual({ backup: BACKUP, adminPassword: "p", allowLastVerified: false });
        expect(refusal(() => parseDeleteBackupPlan(JSON.stringify({ backup: BACKUP }))).what).toBe("delete plan: adminPassword");
        expect(refusal(() => parseDeleteBackupPlan(JSON.stringify({ backup: BACKUP, adminPassword: "p", allowLastVerified: "yes" }))).message)
                .toBe("The delete plan's allowLastVerified must be true or false");
    });

    test("an engine login is the admin password and nothing else", () => {
        expect(parseEngineLogin("{\"adminPassword\": \"p\"}")).toEqual({ adminPassword: "p" });
        expect(refusal(() => parseEngineLogin("{\"adminPassword\": \"\"}")).message).toBe("The engine's admin@internal password is needed on stdin");
        expect(refusal(() => parseEngineLogin("{\"adminPassword\": \"p\", \"user\": \"root\"}")).what).toBe("engine login: user");
    });
});

test("an upgrade's resume needs the admin password again; the root password is optional", () => {
    expect(parseUpgradeSecrets("{\"adminPassword\": \"p\"}")).toEqual({ adminPassword: "p", rootPassword: null });
    expect(parseUpgradeSecrets("{\"adminPassword\": \"p\", \"rootPassword\": \"r\"}")).toEqual({ adminPassword: "p", rootPassword: "r" });
    expect(refusal(() => parseUpgradeSecrets("{}")).message).toBe("The engine admin password is needed on stdin to resume");
    expect(refusal(() => parseUpgradeSecrets("{\"adminPassword\": \"p\", \"rootPassword\": 5}")).message)
            .toBe("The resume input's rootPassword must be a string");
    expect(refusal(() => parseUpgradeSecrets("")).message).toBe("The resume input on stdin is not JSON");
});
