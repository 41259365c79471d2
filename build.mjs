#!/usr/bin/env node
// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Builds dist/: the page (index.html, index.js, index.css, fonts, manifest.json,
 * po.LANG.js for every po/LANG.po) and the privileged helper as one CommonJS file
 * runnable as `node dist/helper.js VERB`. `--watch` rebuilds on change.
 */

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";
import gettextParser from "gettext-parser";

const top = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(top, "dist");
const watch = process.argv.includes("--watch");
const production = process.env.NODE_ENV !== "development";

/* Plural-Forms becomes a function; only allow the characters such expressions use. */
function pluralFunction(header, file) {
    const match = /plural=([^;]+)/.exec(header ?? "");
    const expr = match ? match[1].trim() : "n != 1";
    if (!/^[n0-9\s()?:<>=!&|%+-]+$/.test(expr))
        throw new Error(`${file}: unsupported Plural-Forms expression "${expr}"`);
    return `function (n) { var p = (${expr}); return typeof p === "boolean" ? (p ? 1 : 0) : p; }`;
}

/* po/LANG.po -> dist/po.LANG.js, the cockpit.locale() call the bridge serves as po.js */
function buildTranslations() {
    const podir = path.join(top, "po");
    for (const name of fs.existsSync(podir) ? fs.readdirSync(podir) : []) {
        if (!name.endsWith(".po"))
            continue;
        const lang = name.slice(0, -3);
        const file = path.join(podir, name);
        const po = gettextParser.po.parse(fs.readFileSync(file));
        const entries = [];
        for (const [context, messages] of Object.entries(po.translations)) {
            for (const [msgid, message] of Object.entries(messages)) {
                if (msgid === "" || message.comments?.flag?.includes("fuzzy"))
                    continue;
                if (!message.msgstr.some(s => s !== ""))
                    continue;
                const key = context ? `${context}\u0004${msgid}` : msgid;
                entries.push(`${JSON.stringify(key)}: ${JSON.stringify([null, ...message.msgstr])}`);
            }
        }
        const header = `"": { "plural-forms": ${pluralFunction(po.headers["Plural-Forms"], file)}, ` +
                       `"language": ${JSON.stringify(lang)}, "language-direction": "ltr" }`;
        fs.writeFileSync(path.join(outdir, `po.${lang}.js`),
                         `cockpit.locale({\n ${[header, ...entries].join(",\n ")}\n});\n`);
    }
}

const copyAndTranslate = {
    name: "copy-and-translate",
    setup(build) {
        build.onEnd(result => {
            if (result.errors.length > 0)
                return;
            fs.copyFileSync(path.join(top, "src/plugin/index.html"), path.join(outdir, "index.html"));
            fs.copyFileSync(path.join(top, "manifest.json"), path.join(outdir, "manifest.json"));
            buildTranslations();
            console.log(`built ${path.relative(process.cwd(), outdir) || "."}/ at ${new Date().toLocaleTimeString()}`);
        });
    },
};

const pageOptions = {
    entryPoints: { index: path.join(top, "src/plugin/index.tsx") },
    bundle: true,
    outdir,
    target: ["es2020"],
    minify: production,
    sourcemap: production ? false : "linked",
    legalComments: "external",
    loader: { ".woff": "file", ".woff2": "file", ".svg": "file", ".png": "file", ".jpg": "file" },
    assetNames: "assets/[name]-[hash]",
    define: { "process.env.NODE_ENV": JSON.stringify(production ? "production" : "development") },
    logLevel: "warning",
    plugins: [copyAndTranslate],
};

const helperOptions = {
    entryPoints: { helper: path.join(top, "src/bridge-helper/main.ts") },
    bundle: true,
    outdir,
    platform: "node",
    format: "cjs",
    // the helper runs on EL7 hosts, whose newest Node is 16.20.2 (README: "The helper's Node.js"); the page and the build itself need no such floor
    target: ["node16.17"],
    minify: false,
    sourcemap: false,
    legalComments: "external",
    logLevel: "warning",
    banner: { js: "// SPDX-License-Identifier: LGPL-2.1-or-later\n// cockpit-hosted-engine privileged helper (bundled)" },
};

fs.rmSync(outdir, { recursive: true, force: true });
fs.mkdirSync(outdir, { recursive: true });

if (watch) {
    const contexts = [await esbuild.context(pageOptions), await esbuild.context(helperOptions)];
    await Promise.all(contexts.map(ctx => ctx.watch()));
    console.log("watching src/ for changes");
} else {
    await Promise.all([esbuild.build(pageOptions), esbuild.build(helperOptions)]);
}
