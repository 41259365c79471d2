// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The upgrade job (ovirt-upgrade-flow.md steps 7-17) as the runner runs it:
 * the protocol's UPGRADE_STEPS in their order, one apply for each.
 */

import type { UpgradeSecrets } from "../../protocol/plans";
import { UPGRADE_STEPS, type UpgradeFacts } from "../../protocol/steps";
import type { HelperConfig } from "../config";
import type { JobKind } from "../jobs/runner";
import { failed, succeeded } from "./outcome";
import { afterDowntime } from "./steps/after-downtime";
import { beforeDowntime } from "./steps/before-downtime";
import type { UpgradeApplies } from "./steps/context";
import { downtime } from "./steps/downtime";
import type { UpgradeJobPlan } from "./survey";

export function upgradeKind(config: HelperConfig): JobKind<UpgradeJobPlan, UpgradeSecrets, UpgradeFacts> {
    // typed as the whole map: a step of UPGRADE_STEPS without its apply does not compile
    const apply: UpgradeApplies = { ...beforeDowntime(config), ...downtime(config), ...afterDowntime(config) };
    return { kind: "upgrade", specs: UPGRADE_STEPS, apply, succeeded, failed, estimate: stored => stored.plan.estimate ?? null };
}
