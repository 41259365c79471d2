// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Jest transformer: TypeScript and TSX to CommonJS with esbuild, the same
 * compiler that builds the product. Types are checked by `make codecheck`.
 */

const crypto = require("node:crypto");
const { transformSync } = require("esbuild");

module.exports = {
    process(source, filename) {
        const result = transformSync(source, {
            // ESM-only packages from node_modules come through here as .js
            loader: filename.endsWith(".tsx") ? "tsx" : filename.endsWith(".ts") ? "ts" : "js",
            format: "cjs",
            target: "node20",
            sourcemap: "inline",
            sourcefile: filename,
        });
        return { code: result.code };
    },
    getCacheKey(source, filename) {
        return crypto.createHash("sha1").update(source).update(filename).update("v2").digest("hex");
    },
};
