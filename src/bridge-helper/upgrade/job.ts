// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade as the jobs registry and the command line see it: read the
 * plan, run the preflight, and the job kind that runs the steps. Everything
 * else under upgrade/ is its inside.
 */

export type { UpgradePlan, UpgradeSecrets } from "../../protocol/plans";
export { adoptCopies } from "./intake";
export { upgradeKind } from "./kind";
export { parsePlan } from "./plan";
export { preflight, type PreflightReport } from "./preflight";
export type { Survey, UpgradeJobPlan } from "./survey";
