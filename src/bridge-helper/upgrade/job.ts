// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * TRANSITIONAL: the upgrade as the jobs registry and the verbs use it, made
 * from today's upgrade/plan, preflight and steps. The upgrade rewrite
 * replaces this file with its own, exporting the same names; until then it
 * turns today's English strings into "legacy.english" Texts and today's step
 * objects into applies by step id.
 */

import { CHECK_TITLES, type Check, type CheckId } from "../../protocol/checks";
import type { ResultFigures } from "../../protocol/events";
import type { UpgradePlan, UpgradeSecrets } from "../../protocol/plans";
import { UPGRADE_STEPS, type StepSpec, type UpgradeFacts } from "../../protocol/steps";
import { text, type Text } from "../../protocol/text";
import type { HelperConfig } from "../config";
import type { JobKind, StepApply } from "../jobs/runner";
import { parsePlan as parseTodaysPlan } from "./plan";
import { preflight as todaysPreflight, type Survey } from "./preflight";
import { upgradeKind as todaysKind, upgradeSteps as todaysSteps } from "./steps";

export type { Survey };

export interface UpgradeJobPlan {
    plan: UpgradePlan;
    survey: Survey;
    workDir: string;
}

/* Today's shapes, which its own files no longer name (the runner they were written for is gone). */
interface TodaysStep {
    id: string;
    check?(ctx: unknown): Promise<void>;
    apply(ctx: unknown): Promise<Partial<UpgradeFacts> | void>;
}

interface TodaysOutcome {
    message: string;
    next: string[];
    figures: ResultFigures;
}

interface TodaysKind {
    succeeded(facts: Partial<UpgradeFacts>): TodaysOutcome;
    failed(step: StepSpec<UpgradeFacts>, err: Error, facts: Partial<UpgradeFacts>, destructiveStarted: boolean): TodaysOutcome;
}

const legacy = (message: string): Text => text("legacy.english", { message });

const outcome = (said: TodaysOutcome) => ({ message: legacy(said.message), next: said.next.map(legacy), figures: said.figures });

export function parsePlan(source: string): { plan: UpgradePlan; secrets: UpgradeSecrets } {
    return parseTodaysPlan(source);
}

export async function preflight(config: HelperConfig, plan: UpgradePlan, secrets: UpgradeSecrets): Promise<{ ok: boolean; checks: Check[]; survey: Survey | null }> {
    const report = await todaysPreflight(config, plan, secrets);
    const checks = report.checks.map(c => ({ id: c.id as CheckId, title: CHECK_TITLES[c.id as CheckId] ?? c.title, state: c.state, detail: legacy(c.detail) }));
    return { ok: report.ok, checks, survey: report.survey };
}

export function upgradeKind(config: HelperConfig): JobKind<UpgradeJobPlan, UpgradeSecrets, UpgradeFacts> {
    const today = todaysKind(config) as unknown as TodaysKind;
    const steps = todaysSteps(config) as unknown as TodaysStep[];
    const apply: Record<string, StepApply<UpgradeJobPlan, UpgradeSecrets, UpgradeFacts>> = {};
    for (const step of steps) {
        apply[step.id] = async ctx => {
            await step.check?.(ctx);
            return (await step.apply(ctx)) ?? {};
        };
    }
    return {
        kind: "upgrade",
        specs: UPGRADE_STEPS,
        apply,
        succeeded: facts => outcome(today.succeeded(facts)),
        failed: (spec, reason, facts, destructiveStarted) => outcome(today.failed(spec, new Error(reason.english), facts, destructiveStarted)),
    };
}
