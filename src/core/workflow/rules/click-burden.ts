/**
 * `click-burden`: a frequent step over the per-step click budget, or a role over its daily click
 * budget per person (budgets are configurable proposed defaults —
 * there is no published standard for clicks per task).
 *
 * Detection and severity (it grows with clicks × cases per day):
 * - Step: `clicks` > `clickBudgetPerStep` (10). Its extra clicks per person of its role per day,
 *   (clicks − budget) × visits × cases/day ÷ staff, as a share of `clickBudgetPerRolePerDay`:
 *   below `clickStepWarnShare` (0.25) the finding is lowered one level (a rare or mildly heavy
 *   step), from the whole role budget on it is raised one level. A lane with no staff (the
 *   patient, an outside lab) counts per case: each case brings its own person.
 * - Role: the lane's clicks per person per day, Σ clicks × visits × cases/day ÷ staff, over
 *   `clickBudgetPerRolePerDay` (1,000); raised one level at twice the budget. Lanes without
 *   staff have no daily budget.
 *
 * Sources: ED physicians make about 4,000 clicks in a 10-hour shift; 6 clicks to order aspirin
 * (Hill et al., Am J Emerg Med 2013); Novant removed 26 million clicks (about 36,000 hours) by
 * "Getting Rid of Stupid Stuff".
 */
import {
  compareIds,
  finding,
  laneName,
  laneOf,
  num,
  quoted,
  show,
  stepsInIdOrder,
  visitsOf,
} from './shared.ts';
import { type Finding, lowered, raised, type WorkflowRule } from './types.ts';

const ID = 'click-burden';

/** A role at this multiple of its daily budget is raised one level. */
const ROLE_RAISE_FACTOR = 2;

/** The `click-burden` finding rule (detection, severity and sources in the header). */
/** "1 time a day", "35 times a day" (as the number is shown, rounded). */
function timesADay(count: number): string {
  const shown = show(count, 0);
  return `${shown} ${shown === '1' ? 'time' : 'times'} a day`;
}

export const clickBurden: WorkflowRule = {
  id: ID,
  severity: 'warn',
  title: 'Too many clicks',
  describe:
    'A step that takes many clicks and happens many times a day, or a role whose screens add up ' +
    'to more clicks per person per day than the budget. Emergency physicians make about 4,000 ' +
    'clicks in a 10-hour shift (Hill et al. 2013); every avoidable click is time away from ' +
    'patients. Budgets are project settings: there is no published standard.',
  requires: ['metrics'],
  detect(context) {
    const { workflow, casesPerDay } = context;
    const { clickBudgetPerStep, clickBudgetPerRolePerDay, clickStepWarnShare } = context.settings.thresholds;
    const findings: Finding[] = [];
    const laneClicks = new Map<string, { clicks: number; steps: { id: string; daily: number }[] }>();
    for (const step of stepsInIdOrder(workflow)) {
      const visits = visitsOf(context, step.id);
      if (!(visits > 0) || step.clicks <= 0) continue;
      const lane = laneOf(workflow, step.lane);
      const staffed = lane !== undefined && lane.staff >= 1;
      const daily = step.clicks * visits * casesPerDay;
      if (staffed) {
        const load = laneClicks.get(step.lane) ?? { clicks: 0, steps: [] };
        load.clicks += daily;
        load.steps.push({ id: step.id, daily });
        laneClicks.set(step.lane, load);
      }
      if (step.clicks <= clickBudgetPerStep) continue;
      const people = staffed ? (lane as { staff: number }).staff : Math.max(1, casesPerDay);
      const extraPerPerson = ((step.clicks - clickBudgetPerStep) * visits * casesPerDay) / people;
      const share = extraPerPerson / clickBudgetPerRolePerDay;
      const severity =
        share >= 1
          ? raised(context.severity)
          : share < clickStepWarnShare
            ? lowered(context.severity)
            : context.severity;
      findings.push(
        finding(
          ID,
          severity,
          [step.id],
          `${quoted(step)} takes ${show(step.clicks, 0)} clicks, over the budget of ` +
            `${show(clickBudgetPerStep, 0)} per step, about ${show(step.clicks * visits * casesPerDay, 0)} clicks a day ` +
            `(${timesADay(casesPerDay * visits)}). Emergency physicians already make about ` +
            '4,000 clicks a shift (Hill et al. 2013); each avoidable click is time away from patients.',
          {
            clicks: step.clicks,
            budgetPerStep: clickBudgetPerStep,
            visitsPerCase: num(visits),
            casesPerDay: num(casesPerDay),
            clicksPerDay: num(step.clicks * visits * casesPerDay),
            timesPerDay: num(casesPerDay * visits),
            extraClicksPerPersonPerDay: num(extraPerPerson),
            shareOfRoleBudget: num(share),
          },
        ),
      );
    }
    for (const laneId of [...laneClicks.keys()].sort(compareIds)) {
      const load = laneClicks.get(laneId) as { clicks: number; steps: { id: string; daily: number }[] };
      const staff = laneOf(workflow, laneId)?.staff ?? 1;
      const perPerson = load.clicks / staff;
      if (perPerson <= clickBudgetPerRolePerDay) continue;
      const heaviest = [...load.steps].sort((a, b) => b.daily - a.daily || compareIds(a.id, b.id));
      findings.push(
        finding(
          ID,
          perPerson >= ROLE_RAISE_FACTOR * clickBudgetPerRolePerDay
            ? raised(context.severity)
            : context.severity,
          heaviest.map((s) => s.id),
          `Each person in ${laneName(workflow, laneId)} would make about ${show(perPerson, 0)} clicks a day ` +
            `in this workflow, over the budget of ${show(clickBudgetPerRolePerDay, 0)}; the most come from ` +
            `${quoted(context.graph.steps.get((heaviest[0] as { id: string }).id))}. Emergency physicians make ` +
            'about 4,000 clicks a shift (Hill et al. 2013).',
          {
            laneId,
            staff,
            clicksPerDay: num(load.clicks),
            clicksPerPersonPerDay: num(perPerson),
            budgetPerRolePerDay: clickBudgetPerRolePerDay,
            casesPerDay: num(context.casesPerDay),
          },
        ),
      );
    }
    return findings;
  },
};
