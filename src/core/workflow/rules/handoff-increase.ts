/**
 * `handoff-increase`: the future workflow hands a case between roles more often than the current.
 *
 * Detection: expected handoffs per case (lane changes along flows, weighted by branch
 * probabilities and visits; metrics.ts) of the future minus those of its baseline, at least
 * `handoffIncreaseWarn` (+1); raised one level from `handoffIncreaseError` (+2). The steps listed
 * are the future steps that hand off where the steps they replace did not (or that are new).
 *
 * Source: The Joint Commission, Sentinel Event Alert 58 (2017): communication failures in
 * hand-offs contributed to 30 % of malpractice claims (1,744 deaths in five years).
 */

import type { Workflow } from '../../../formats/workflow.ts';
import { EPSILON } from '../graph.ts';
import { compareIds, finding, num, show } from './shared.ts';
import { type Finding, raised, type WorkflowRule } from './types.ts';

const ID = 'handoff-increase';

/** Ids of steps with a flow of positive probability into another lane. */
function handingOff(workflow: Workflow): Set<string> {
  const lane = new Map(workflow.steps.map((s) => [s.id, s.lane] as const));
  const out = new Set<string>();
  for (const flow of workflow.flows) {
    if ((flow.probability ?? 1) <= EPSILON) continue;
    const from = lane.get(flow.from);
    const to = lane.get(flow.to);
    if (from !== undefined && to !== undefined && from !== to) out.add(flow.from);
  }
  return out;
}

/** The `handoff-increase` finding rule (detection, severity and sources in the header). */
export const handoffIncrease: WorkflowRule = {
  id: ID,
  severity: 'warn',
  title: 'More handoffs',
  describe:
    'The new workflow passes each patient between roles more often than today. Every handoff is ' +
    'a chance to lose information: communication failures contributed to 30 % of malpractice ' +
    'claims (The Joint Commission, Sentinel Event Alert 58, 2017).',
  requires: ['baseline', 'metrics'],
  detect(context) {
    const { workflow, baseline, metrics, baselineMetrics } = context;
    const { handoffIncreaseWarn, handoffIncreaseError } = context.settings.thresholds;
    if (!baseline || !metrics || !baselineMetrics) return [];
    const increase = metrics.handoffs - baselineMetrics.handoffs;
    if (!(increase >= handoffIncreaseWarn - 1e-9)) return [];
    const before = handingOff(baseline);
    const now = handingOff(workflow);
    const newHandoffs = [...now]
      .filter((id) => {
        const replaces = context.graph.steps.get(id)?.replaces ?? [];
        return replaces.length === 0 || !replaces.some((r) => before.has(r));
      })
      .sort(compareIds);
    const severe = increase >= Math.max(handoffIncreaseWarn, handoffIncreaseError) - 1e-9;
    const result: Finding = finding(
      ID,
      severe ? raised(context.severity) : context.severity,
      newHandoffs,
      `Each case would change hands ${show(metrics.handoffs, 2)} times instead of ` +
        `${show(baselineMetrics.handoffs, 2)} today (+${show(increase, 2)}). Communication failures ` +
        'at handoffs contributed to 30 % of malpractice claims (The Joint Commission, Sentinel Event Alert 58).',
      {
        currentHandoffsPerCase: num(baselineMetrics.handoffs),
        futureHandoffsPerCase: num(metrics.handoffs),
        increase: num(increase),
        warnAt: handoffIncreaseWarn,
        errorAt: handoffIncreaseError,
      },
    );
    return [result];
  },
};
