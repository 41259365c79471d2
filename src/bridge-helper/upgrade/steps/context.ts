// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * What every upgrade step works with: the runner's context over the upgrade's
 * plan, secrets and facts; the type that makes each step return exactly the
 * facts the protocol's registry says it produces; and the engine session a
 * step opens with the CA its preflight showed.
 */

import type { UpgradeSecrets } from "../../../protocol/plans";
import { type ProducedBy, UPGRADE_STEPS, type UpgradeFacts, type UpgradeStepId } from "../../../protocol/steps";
import type { HelperConfig } from "../../config";
import { type ApiVersion, type EngineApi, openEngine } from "../../host/engine-session";
import type { StepContext } from "../../jobs/runner";
import type { UpgradeJobPlan } from "../survey";

export type UpgradeContext = StepContext<UpgradeJobPlan, UpgradeSecrets, UpgradeFacts>;

/** The facts the step `Id` records: exactly its `produces` in UPGRADE_STEPS. */
export type Produced<Id extends UpgradeStepId> = ProducedBy<typeof UPGRADE_STEPS, UpgradeFacts, Id>;

/** One apply for every upgrade step, each returning exactly what it produces. */
export type UpgradeApplies = { [Id in UpgradeStepId]: (ctx: UpgradeContext) => Promise<Produced<Id>> };

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/*
 * While the engine is down every second of waiting is downtime: vdsm on this
 * host and the engine's health page are cheap to ask, so they are asked often.
 */
export const VM_STATUS_POLL_MS = 250;
export const SPM_TASK_POLL_MS = 200;
export const HEALTH_POLL_MS = 500;

/** The engine as admin@internal, trusted by the CA the preflight showed (API 3: the old engine, 4: the new). */
export async function engineApi(config: HelperConfig, ctx: UpgradeContext, version: ApiVersion): Promise<EngineApi> {
    const session = await openEngine(config, ctx.secrets.adminPassword, { version, caPem: ctx.plan.survey.engineCa.pem });
    return session.api;
}
