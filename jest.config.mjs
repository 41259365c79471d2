// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * Three layers, selectable with --selectProjects:
 *   unit         formats, parsers, step and view logic, components (cockpit mocked)
 *   integration  the built helper against test/sim with real tools
 *   e2e          real cockpit-ws and headless Chromium driving the page against test/sim
 */

const transform = { "^.+\\.(tsx?|m?js)$": "<rootDir>/test/support/esbuild-jest-transform.cjs" };

const common = {
    rootDir: import.meta.dirname,
    transform,
    moduleFileExtensions: ["ts", "tsx", "js", "cjs", "json"],
    // ESM-only dependencies (execa and its own, unixcrypt) are compiled to CommonJS like our sources;
    // esbuild leaves CommonJS files as they are, and jest caches the result
    transformIgnorePatterns: [],
    // ... and resolved to their file where they export only an "import" condition
    moduleNameMapper: {
        "^unixcrypt$": "<rootDir>/node_modules/unixcrypt/dist/index.js",
        "^unicorn-magic$": "<rootDir>/node_modules/unicorn-magic/node.js",
    },
};

export default {
    projects: [
        {
            ...common,
            displayName: "unit",
            testMatch: ["<rootDir>/test/unit/**/*.test.ts?(x)"],
            testEnvironment: "node",
            moduleNameMapper: {
                ...common.moduleNameMapper,
                // the page's one mocked module: the typed wrapper over window.cockpit
                "^(.*/)?lib/cockpit$": "<rootDir>/test/support/mock-cockpit.ts",
                "^\\./cockpit$": "<rootDir>/test/support/mock-cockpit.ts",
                // PatternFly's ESM build for the bundler, its CommonJS build for jest
                "^@patternfly/(react-[a-z]+)/dist/esm/(.*)$": "@patternfly/$1/dist/js/$2",
                "\\.css$": "<rootDir>/test/support/empty-module.cjs",
            },
        },
        {
            ...common,
            displayName: "integration",
            testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
            testEnvironment: "node",
            setupFilesAfterEnv: ["<rootDir>/test/support/slow-tests.cjs"],
        },
        {
            ...common,
            displayName: "e2e",
            testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
            testEnvironment: "node",
            setupFilesAfterEnv: ["<rootDir>/test/support/slow-tests.cjs"],
        },
    ],
};
