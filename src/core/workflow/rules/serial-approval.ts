/**
 * `serial-approval`: two or more approvals in a row on a path (possibly in different roles).
 *
 * Detection: approval steps joined by flows of positive probability, directly or through `wait`
 * steps only (a wait between two sign-offs does not break the chain). One finding per chain (a
 * connected group of such approvals), its steps listed from the first approval on. Raised one
 * level when the chain's total wait (own waits plus queueing at peak, and the waits passed
 * through) exceeds `approvalWaitLimitMin` (one day, a proposed default). A chain whose steps
 * have no minutes and no clicks recorded (a draft nobody has measured yet) gives no finding.
 *
 * Sources: AMA 2024 prior-authorization survey (about 39 requests per physician per week, 93 %
 * report care delays), quoted in a finding only when the chain holds a payer's authorization; CMS-0057-F decision windows of 72 h (urgent) and 7 days (standard) as
 * upper bounds for a payer's wait.
 */

import type { Step } from '../../../formats/workflow.ts';
import { EPSILON } from '../graph.ts';
import { compareIds, finding, num, quoted, show } from './shared.ts';
import { type Finding, type RuleContext, raised, type WorkflowRule } from './types.ts';

const ID = 'serial-approval';

/**
 * A payer's authorization (label or role says prior authorization, authorization, payer or
 * insurer): the AMA survey measured those, so only such a chain quotes it.
 */
const PAYER_APPROVAL = /\bprior[\s-]*auth|\bauthori[sz]|\bpayer|\binsurer/i;

function isPayerApproval(context: RuleContext, id: string): boolean {
  const step = context.graph.steps.get(id);
  if (!step) return false;
  const lane = context.workflow.lanes.find((l) => l.id === step.lane);
  return PAYER_APPROVAL.test(step.label) || PAYER_APPROVAL.test(lane?.name ?? '');
}

/** A step with no minutes and no clicks recorded: drawn, not yet measured. */
function isUnmeasured(step: Step): boolean {
  return step.touchMin === 0 && step.waitMin === 0 && step.clicks === 0;
}

/** Approvals reachable from `id` through wait steps only, with the waits passed. */
function nextApprovals(context: RuleContext, id: string): { to: string; through: string[] }[] {
  const { graph } = context;
  const found: { to: string; through: string[] }[] = [];
  const seen = new Set<string>();
  const stack: { at: string; through: string[] }[] = [{ at: id, through: [] }];
  while (stack.length > 0) {
    const { at, through } = stack.pop() as { at: string; through: string[] };
    for (const edge of graph.outgoing.get(at) ?? []) {
      if (edge.probability <= EPSILON || seen.has(edge.to)) continue;
      seen.add(edge.to);
      const step = graph.steps.get(edge.to) as Step;
      if (step.kind === 'approval') found.push({ to: step.id, through });
      else if (step.kind === 'wait') stack.push({ at: step.id, through: [...through, step.id] });
    }
  }
  return found.sort((a, b) => compareIds(a.to, b.to));
}

/** The `serial-approval` finding rule (detection, severity and sources in the header). */
export const serialApproval: WorkflowRule = {
  id: ID,
  severity: 'warn',
  title: 'Approvals in a row',
  describe:
    'Two or more sign-offs one after the other: each adds its own queue, and the patient waits ' +
    'for all of them. Prior authorizations already cost practices about 12 hours a week and ' +
    '93 % of physicians report care delays (AMA 2024 survey); payers themselves must decide ' +
    'within 72 hours or 7 days (CMS-0057-F).',
  requires: [],
  cause: 'kept-wait',
  detect(context) {
    const { graph, workflow } = context;
    const approvals = workflow.steps
      .filter((s) => s.kind === 'approval')
      .sort((a, b) => compareIds(a.id, b.id));
    const links = new Map<string, { to: string; through: string[] }[]>();
    const neighbours = new Map<string, Set<string>>();
    const hasPredecessor = new Set<string>();
    for (const a of approvals) {
      const next = nextApprovals(context, a.id).filter((n) => n.to !== a.id);
      links.set(a.id, next);
      for (const n of next) {
        hasPredecessor.add(n.to);
        for (const [x, y] of [
          [a.id, n.to],
          [n.to, a.id],
        ] as const) {
          const set = neighbours.get(x) ?? new Set<string>();
          set.add(y);
          neighbours.set(x, set);
        }
      }
    }
    const done = new Set<string>();
    const findings: Finding[] = [];
    for (const a of approvals) {
      if (done.has(a.id) || !neighbours.has(a.id)) continue;
      // the connected group of linked approvals
      const group = new Set<string>();
      const stack = [a.id];
      while (stack.length > 0) {
        const id = stack.pop() as string;
        if (group.has(id)) continue;
        group.add(id);
        for (const n of neighbours.get(id) ?? []) stack.push(n);
      }
      for (const id of group) done.add(id);
      // list from the first approvals (no linked predecessor; for a pure cycle the smallest id)
      const sortedGroup = [...group].sort(compareIds);
      const firsts = sortedGroup.filter((id) => !hasPredecessor.has(id));
      const order: string[] = [];
      const waits = new Set<string>();
      const queue = firsts.length > 0 ? firsts : [sortedGroup[0] as string];
      while (queue.length > 0) {
        const id = queue.shift() as string;
        if (order.includes(id)) continue;
        order.push(id);
        for (const n of links.get(id) ?? []) {
          if (!group.has(n.to)) continue;
          for (const w of n.through) waits.add(w);
          queue.push(n.to);
        }
      }
      for (const id of sortedGroup) if (!order.includes(id)) order.push(id);
      const involved = [...order, ...[...waits].sort(compareIds)];
      // a chain of approvals nobody has measured yet (a draft) says nothing about waiting
      if (involved.every((id) => isUnmeasured(graph.steps.get(id) as Step))) continue;
      const stepWait = (id: string): number => {
        const step = graph.steps.get(id) as Step;
        const queueWait = context.metrics?.steps.find((s) => s.stepId === id)?.queueWaitMin ?? 0;
        return step.waitMin + (Number.isFinite(queueWait) ? queueWait : 0);
      };
      const totalWaitMin = involved.reduce((sum, id) => sum + stepWait(id), 0);
      const overLimit = totalWaitMin > context.settings.thresholds.approvalWaitLimitMin;
      findings.push(
        finding(
          ID,
          overLimit ? raised(context.severity) : context.severity,
          involved,
          `${order.map((id) => quoted(graph.steps.get(id))).join(' then ')} are approvals in a row, ` +
            `adding about ${show(totalWaitMin)} min of waiting. Each sign-off brings its own queue` +
            (order.some((id) => isPayerApproval(context, id))
              ? '; 93 % of physicians report that prior authorizations delay care (AMA 2024 survey).'
              : ', and the patient waits for all of them.'),
          {
            approvals: order.length,
            totalWaitMin: num(totalWaitMin),
            limitMin: context.settings.thresholds.approvalWaitLimitMin,
            overLimit,
          },
        ),
      );
    }
    return findings;
  },
};
