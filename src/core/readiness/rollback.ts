/**
 * The rollback/downtime plan as go-live evidence (`meta.settings.rollbackPlan`): whether the
 * clinic has one and, when it has, whether its essentials are written down — who decides to roll
 * back, the triggers, each downtime procedure ready, where the document is kept — and whether the
 * last downtime drill took place at most `maxDrillAgeDays` before the planned go-live day.
 *
 * A plan not recorded is a risk (the go-live is never ready by absence); a plan marked absent, an
 * essential missing or a drill too old or after go-live blocks when `requireRollbackPlan` is set,
 * and is a risk otherwise. The judgement uses the plan's own days only, so the result stays a
 * function of the project.
 */
import type { ReadinessGates } from '../../formats/readinessGates.ts';
import type { DowntimeProcedure, RollbackPlan } from '../../formats/rollbackPlan.ts';
import type { ReadinessReason } from './types.ts';
import { list, plural } from './words.ts';

/** The reason every go-live carries until the clinic records whether it has a rollback/downtime plan. */
export const ROLLBACK_NOT_RECORDED =
  'The rollback/downtime plan is not recorded in Preflight: mark it present or absent on the Readiness screen.';

/** Each downtime procedure in the words a clinic uses. */
export const PROCEDURE_WORDS: Readonly<Record<DowntimeProcedure, string>> = {
  paperForms: 'paper forms ready',
  legacyReadOnly: 'read-only access to the old system',
  downtimeReports: 'downtime reports printed',
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The essentials `plan` lacks, in the words a clinic uses. */
export function missingEssentials(plan: RollbackPlan): string[] {
  const missing: string[] = [];
  if (!plan.decidedBy) missing.push('who decides to roll back');
  if (!plan.triggers) missing.push('the triggers');
  for (const [key, words] of Object.entries(PROCEDURE_WORDS) as [DowntimeProcedure, string][])
    if (plan[key] !== true) missing.push(words);
  if (!plan.lastDrill) missing.push('the day of the last downtime drill');
  if (!plan.location) missing.push('where the plan is kept');
  return missing;
}

/** The plan's evidence line and its reasons against the gates. */
export function rollbackJudged(
  plan: RollbackPlan | null,
  gates: ReadinessGates,
): { evidence: string[]; reasons: ReadinessReason[] } {
  if (plan === null)
    return { evidence: [], reasons: [{ blocks: false, text: ROLLBACK_NOT_RECORDED, act: 'readiness' }] };
  const blocks = gates.requireRollbackPlan;
  const gate = 'requireRollbackPlan';
  if (!plan.present)
    return {
      evidence: ['Rollback/downtime plan: marked absent.'],
      reasons: [
        {
          blocks,
          text: 'There is no rollback/downtime plan: write one (who decides, triggers, downtime procedures, a drill) and mark it present on the Readiness screen.',
          act: 'readiness',
          gate,
        },
      ],
    };
  const ready = (Object.entries(PROCEDURE_WORDS) as [DowntimeProcedure, string][])
    .filter(([key]) => plan[key] === true)
    .map(([, words]) => words);
  const evidence = [
    `Rollback/downtime plan: present${plan.location ? `, kept at ${plan.location}` : ''}; ${plan.decidedBy ? `${plan.decidedBy} decides to roll back` : 'no one named to decide a rollback'}; downtime procedures: ${ready.length > 0 ? list(ready) : 'none ready'}; last drill ${plan.lastDrill ?? 'not recorded'}${plan.goLiveDate ? `, go-live ${plan.goLiveDate}` : ''}.`,
  ];
  const reasons: ReadinessReason[] = [];
  const missing = missingEssentials(plan);
  if (missing.length > 0)
    reasons.push({
      blocks,
      text: `The rollback/downtime plan lacks ${list(missing)}. Complete it on the Readiness screen.`,
      act: 'readiness',
      gate,
    });
  if (plan.lastDrill) {
    if (!plan.goLiveDate)
      reasons.push({
        blocks: false,
        text: 'The planned go-live day is not recorded, so the downtime drill cannot be judged against it: enter it with the rollback/downtime plan.',
        act: 'readiness',
      });
    else {
      const age = daysBetween(plan.lastDrill, plan.goLiveDate);
      if (age < 0)
        reasons.push({
          blocks,
          text: `The last downtime drill (${plan.lastDrill}) is after the planned go-live day (${plan.goLiveDate}): hold a drill before go-live.`,
          act: 'readiness',
          gate: 'maxDrillAgeDays',
        });
      else if (age > gates.maxDrillAgeDays)
        reasons.push({
          blocks,
          text: `The last downtime drill was ${plural(age, 'day')} before go-live; the gate is ${plural(gates.maxDrillAgeDays, 'day')}. Rehearse the downtime procedures again before go-live.`,
          act: 'readiness',
          gate: 'maxDrillAgeDays',
        });
    }
  }
  return { evidence, reasons };
}
