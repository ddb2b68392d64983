/**
 * `no-op-decision`: a decision whose branches all lead to the same next step with nothing
 * different recorded — a forced attestation or click-to-dismiss.
 *
 * Detection: a decision with two or more outgoing flows of positive probability; each branch is
 * followed through "click-away" steps until the first step that does something. A click-away step
 * records nothing and has no other effect: a `task` or `wait`, `enters` empty, medium digital (a
 * phone call, a conversation or a paper form acts in the world), no wait of its own and at most
 * a minute of staff time (a hold or real work is an effect), in the decision's own lane (a
 * handoff is an effect), with exactly one way on — and with some clicks or minutes recorded: a
 * step with neither is a draft nobody has measured yet, and proves nothing. (Two flows cannot join the same pair of steps —
 * the loader refuses duplicate flows — so a "No" branch to the same step always passes such a
 * step.) When every branch arrives at the same step, the decision changes nothing. The steps
 * listed: the decision, then the click-away steps passed.
 *
 * Source: "Getting Rid of Stupid Stuff" (Ashton, NEJM Catalyst 2018): habitual clicking, e.g.
 * nurses answering "no" to "likely infection?" and then documenting infection signs; Novant
 * removed 26 million clicks (about 36,000 hours).
 */

import type { Step } from '../../../formats/workflow.ts';
import { finding, nextSteps, num, quoted, sortedIds, stepsInIdOrder, visitsOf } from './shared.ts';
import type { Finding, WorkflowRule } from './types.ts';

const ID = 'no-op-decision';

/**
 * The most staff time a click-away step may take (minutes): a dismissal is a click or two, not
 * work — a branch with minutes of review on it does something the other branch does not.
 */
const CLICK_AWAY_MAX_TOUCH_MIN = 1;

/** True for a step that records nothing and has no other effect (see the header). */
function isClickAway(step: Step, decision: Step): boolean {
  return (
    (step.kind === 'task' || step.kind === 'wait') &&
    step.enters.length === 0 &&
    step.medium === 'digital' &&
    step.waitMin === 0 &&
    step.touchMin <= CLICK_AWAY_MAX_TOUCH_MIN &&
    // a step with neither clicks nor minutes has not been measured yet (a draft): unknown, not a click
    (step.clicks > 0 || step.touchMin > 0) &&
    step.lane === decision.lane
  );
}

/** The `no-op-decision` finding rule (detection, severity and sources in the header). */
export const noOpDecision: WorkflowRule = {
  id: ID,
  severity: 'warn',
  title: 'Decision that changes nothing',
  describe:
    'A question every patient passes whose answers all lead to the same next step with nothing ' +
    'different recorded: a forced attestation or a click-to-dismiss. It trains staff to click ' +
    'without reading ("Getting Rid of Stupid Stuff", NEJM Catalyst 2018, found nurses answering ' +
    '"no" to "likely infection?" out of habit).',
  requires: [],
  detect(context) {
    const { workflow, graph } = context;
    const findings: Finding[] = [];
    for (const decision of stepsInIdOrder(workflow)) {
      if (decision.kind !== 'decision') continue;
      const branches = nextSteps(graph, decision.id);
      if (branches.length < 2) continue;
      const passed = new Set<string>();
      const arrivals = new Set<string>();
      for (const first of branches) {
        let at = first;
        const seen = new Set<string>([decision.id]);
        for (;;) {
          const step = graph.steps.get(at) as Step;
          const next = nextSteps(graph, at);
          if (seen.has(at) || !isClickAway(step, decision) || next.length !== 1) break;
          seen.add(at);
          passed.add(at);
          at = next[0] as string;
        }
        arrivals.add(at);
      }
      if (arrivals.size !== 1) continue;
      const target = [...arrivals][0] as string;
      if (target === decision.id) continue;
      const clicksPerCase =
        decision.clicks * visitsOf(context, decision.id) +
        [...passed].reduce((sum, id) => sum + (graph.steps.get(id)?.clicks ?? 0) * visitsOf(context, id), 0);
      findings.push(
        finding(
          ID,
          context.severity,
          [decision.id, ...sortedIds(passed)],
          `Whatever the answer to ${quoted(decision)}, the case goes on to ${quoted(graph.steps.get(target))} ` +
            'with nothing different recorded: a forced click that trains staff to answer without reading ' +
            '(Getting Rid of Stupid Stuff, NEJM Catalyst 2018).',
          {
            branches: branches.length,
            nextStepId: target,
            clicksPerCase: num(clicksPerCase),
            clicksPerDay: num(clicksPerCase * context.casesPerDay),
          },
        ),
      );
    }
    return findings;
  },
};
