/**
 * `carried-over-wait`: a future step that keeps most of the waiting of the current steps it
 * replaces (any medium: the wait itself is the problem).
 *
 * Detection: future `waitMin` ≥ `carriedOverWaitShare` (0.7) × Σ `waitMin` of the replaced current
 * steps, when that sum is at least `waitFloorMin` (5 min). Physical waits a new system cannot
 * change (courier runs, analyser turnaround) are flagged too: the analyst accepts them or turns
 * the rule down; the rule cannot tell them from an avoidable queue.
 *
 * Source: waiting, not touch time, dominates cycle time (BIMP: cycle time = processing + waiting).
 */
import { replacements } from './replaced.ts';
import { finding, num, percent, quoted, show } from './shared.ts';
import type { Finding, WorkflowRule } from './types.ts';

/** The `carried-over-wait` finding rule (detection, severity and sources in the header). */
export const carriedOverWait: WorkflowRule = {
  id: 'carried-over-wait',
  severity: 'warn',
  title: 'Waiting carried over',
  describe:
    'A new step that keeps most of the waiting of the steps it replaces: waiting, not hands-on ' +
    'time, is what makes a visit or a result slow, so a redesign that keeps the wait keeps the ' +
    'delay (cycle time = work + waiting, as business-process simulators such as BIMP count it).',
  requires: ['baseline'],
  cause: 'kept-wait',
  detect(context) {
    const { thresholds } = context.settings;
    const findings: Finding[] = [];
    if (!context.baseline) return findings;
    for (const { step, replaced, replacedWaitMin } of replacements(context.workflow, context.baseline)) {
      if (replacedWaitMin < thresholds.waitFloorMin || replacedWaitMin <= 0) continue;
      const keptShare = step.waitMin / replacedWaitMin;
      if (keptShare < thresholds.carriedOverWaitShare) continue;
      const names = replaced.map((s) => quoted(s)).join(', ');
      findings.push(
        finding(
          'carried-over-wait',
          context.severity,
          [step.id],
          `${quoted(step)} still waits ${show(step.waitMin)} min, ${percent(keptShare)} of the ` +
            `${show(replacedWaitMin)} min before ${names} today. Waiting, not hands-on time, is what ` +
            'makes the process slow; the new design keeps it.',
          {
            replacedStepIds: replaced.map((s) => s.id),
            replacedWaitMin: num(replacedWaitMin),
            futureWaitMin: num(step.waitMin),
            keptShare: num(keptShare),
            threshold: thresholds.carriedOverWaitShare,
          },
        ),
      );
    }
    return findings;
  },
};
