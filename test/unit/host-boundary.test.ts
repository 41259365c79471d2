// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Host facts in one place: only src/bridge-helper/host/ reads
 * hosted-engine.conf, connects to vdsm, reads the host's PKI, sets TLS options
 * and runs the hosted-engine and rpm commands. Everything else goes through host/'s functions
 * (hostedEngineConf, withVdsm, engineDisk, openEngine, readVmStatus, ...), so
 * how the helper trusts and reaches the host is decided there only.
 */

import fs from "node:fs";
import path from "node:path";

import ts from "typescript";

const TOP = path.resolve(__dirname, "../..");
const HELPER = path.join(TOP, "src/bridge-helper");
const HOST = path.join(HELPER, "host");
const GUARDED = ["vdsm-client", "engine-api", "host-pki"].map(name => path.join(HOST, name));

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory())
            return full === HOST ? [] : sources(full);
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/* Module specifiers this file takes values from (imports and re-exports that are not type-only). */
function valueImports(file: string, source: string): string[] {
    const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
    const found: string[] = [];
    for (const statement of sf.statements) {
        if (ts.isImportDeclaration(statement)) {
            const clause = statement.importClause;
            if (!clause || clause.isTypeOnly)
                continue;
            const bindings = clause.namedBindings;
            const named = bindings && ts.isNamedImports(bindings) ? bindings.elements : null;
            const onlyTypes = !clause.name && named !== null && named.length > 0 && named.every(e => e.isTypeOnly);
            if (!onlyTypes)
                found.push((statement.moduleSpecifier as ts.StringLiteral).text);
        } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
            const clause = statement.exportClause;
            const onlyTypes = clause !== undefined && ts.isNamedExports(clause) && clause.elements.every(e => e.isTypeOnly);
            if (!onlyTypes)
                found.push((statement.moduleSpecifier as ts.StringLiteral).text);
        }
    }
    return found;
}

/** What a helper source outside host/ does that only host/ may do. */
function violations(file: string, source: string): string[] {
    const found: string[] = [];
    for (const spec of valueImports(file, source)) {
        const target = path.resolve(path.dirname(file), spec).replace(/\.ts$/, "");
        if (GUARDED.includes(target))
            found.push(`imports a value from ${path.relative(HELPER, target)}`);
    }
    if (/\bHOSTED_ENGINE_CONF\b/.test(source) && /\breadFileSync\b/.test(source))
        found.push("reads HOSTED_ENGINE_CONF itself");
    if (/\bVdsmClient\s*\.\s*connect\b/.test(source))
        found.push("calls VdsmClient.connect");
    if (/\b(rejectUnauthorized|checkServerIdentity|ciphers|minVersion|secureProtocol|DEFAULT_CIPHERS|DEFAULT_MIN_VERSION)\b/.test(source))
        found.push("sets TLS options");
    if (/\bcommands\s*\.\s*hostedEngine\b/.test(source))
        found.push("runs config.commands.hostedEngine");
    if (/\bcommands\s*\.\s*rpm\b/.test(source))
        found.push("runs config.commands.rpm");
    return found;
}

describe("the host boundary", () => {
    const files = sources(HELPER);
    const report = files.map(file => ({
        file: path.relative(HELPER, file),
        found: violations(file, fs.readFileSync(file, "utf8")),
    }));

    test("no helper source outside host/ reaches the host itself", () => {
        expect(files.length).toBeGreaterThan(20);
        expect(report.filter(r => r.found.length > 0)).toEqual([]);
    });
});

describe("the boundary check itself", () => {
    const file = path.join(HELPER, "verbs/example.ts");
    test.each([
        ["import { VdsmClient } from \"../host/vdsm-client\";", "imports a value from host/vdsm-client"],
        ["import { type EngineCa, EngineApi } from \"../host/engine-api\";", "imports a value from host/engine-api"],
        ["export { EngineApi } from \"../host/engine-api\";", "imports a value from host/engine-api"],
        ["import * as vdsm from \"../host/vdsm-client\";", "imports a value from host/vdsm-client"],
        ["const conf = fs.readFileSync(hostPath(config, HOSTED_ENGINE_CONF));", "reads HOSTED_ENGINE_CONF itself"],
        ["const vdsm = await VdsmClient.connect(config);", "calls VdsmClient.connect"],
        ["https.get(url, { rejectUnauthorized: false });", "sets TLS options"],
        ["tls.connect({ host, port, ciphers: \"DEFAULT@SECLEVEL=0\" });", "sets TLS options"],
        ["import { hostCa } from \"../host/host-pki\";", "imports a value from host/host-pki"],
        ["await run(config.commands.hostedEngine, [\"--vm-status\"]);", "runs config.commands.hostedEngine"],
        ["await run(config.commands.rpm, [\"-q\", \"vdsm\"]);", "runs config.commands.rpm"],
    ])("%s is found", (source, finding) => {
        expect(violations(file, source)).toEqual([finding]);
    });

    test.each([
        "import type { VdsmClient } from \"../host/vdsm-client\";",
        "import { type EngineApi, type EngineCa } from \"../host/engine-api\";",
        "export type { EngineCa } from \"../host/engine-api\";",
        "import { withVdsm } from \"../host/vdsm-session\";",
        "import { HOSTED_ENGINE_CONF } from \"../host/hosted-engine-conf\";",
    ])("%s is allowed", source => {
        expect(violations(file, source)).toEqual([]);
    });
});
