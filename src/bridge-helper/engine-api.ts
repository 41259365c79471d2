// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * TRANSITIONAL: today's upgrade/preflight.ts and upgrade/steps.ts still import
 * this old path; it goes when the rewritten upgrade/ (which uses host/) is
 * merged. Nothing else may import it (test/unit/host-boundary.test.ts).
 */

export { EngineApi, type EngineCa } from "./host/engine-api";
