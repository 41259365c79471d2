// SPDX-License-Identifier: LGPL-2.1-or-later

import js from "@eslint/js";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/", "build/", "node_modules/", "test-results/", ".demo/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.{ts,tsx}"],
        plugins: { react, "react-hooks": reactHooks },
        settings: { react: { version: "18" } },
        languageOptions: { globals: { ...globals.browser, ...globals.node } },
        rules: {
            ...react.configs.recommended.rules,
            "react/prop-types": "off",
            "react/jsx-no-useless-fragment": "error",
            "react-hooks/rules-of-hooks": "error",
            "react-hooks/exhaustive-deps": "error",
            "no-var": "error",
            semi: ["error", "always"],
            // gettext keywords are extracted by xgettext in C mode, which only sees double quotes
            "no-restricted-syntax": ["error", {
                selector: "CallExpression[callee.name='_'] > Literal:first-child[raw=/^'/]",
                message: "Use double quotes in _(\"...\") so xgettext finds the string.",
            }, {
                selector: "ImportDeclaration[source.value='@patternfly/react-core']",
                message: "Import PatternFly per component from @patternfly/react-core/dist/esm/components/X/index.js.",
            }],
        },
    },
    {
        // the page and the helper share only src/protocol: the page never reaches into the helper's code
        files: ["src/plugin/**"],
        rules: {
            "no-restricted-imports": ["error", {
                patterns: [{
                    regex: "bridge-helper",
                    message: "The page imports only from src/protocol, never from the helper (src/bridge-helper).",
                }],
            }],
        },
    },
    {
        // house rule: no source file over 400 lines, no function over about 80
        files: ["**/*.{ts,tsx,mjs}"],
        ignores: ["node_modules/**", "dist/**"],
        rules: {
            "max-lines": ["error", { max: 400, skipBlankLines: false, skipComments: false }],
        },
    },
    {
        files: ["src/**"],
        rules: {
            "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }],
        },
    },
    {
        files: ["**/*.{js,mjs,cjs}"],
        languageOptions: { globals: { ...globals.node } },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        files: ["test/support/*.cjs"],
        languageOptions: { globals: { ...globals.node, ...globals.jest } },
    },
);
