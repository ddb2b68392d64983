/**
 * `open-loop-order`: an order whose result is not reviewed or acknowledged on every path after it.
 *
 * Recognition (from the data a step enters, not its wording, which varies too much):
 * - an ORDER step enters an item with a segment `order` or `orders` (`order.tests`, `lab.order`,
 *   `imaging.orders.priority`);
 * - an ACKNOWLEDGING step enters an item whose last segment is `acknowledged`, `acknowledgement`,
 *   `reviewed`, `review` or `signed_off` (`result.acknowledged`, `lab.result.reviewed`), or is an
 *   approval whose label says acknowledge or review (a sign-off by its kind). When the order
 *   item has a prefix before `order` (`lab.order`), only acknowledgements with the same first
 *   segment (`lab.…`) close it; a bare `order.…` item is closed by any acknowledgement.
 * A referral (`referral.reason`) is not an order unless it enters such an item.
 *
 * Detection: for every order step, the cases that reach a terminal step (an end, or a step with
 * no way out) from it without passing an acknowledging step. Any such path is an open loop
 * ("on every path", not "on one path"). The share of cases left open is the absorption
 * probability, solved with the same visit equations as the metrics (graph.ts) on the workflow cut
 * at the acknowledging steps. The steps listed: the order, the decision points where a case can
 * leave the acknowledged paths, and the steps from which no acknowledgement follows.
 *
 * Sources: ONC SAFER Guide "Test Results Reporting and Follow-up"; "every test ordered should be
 * tracked until the result is reviewed" (clinical workflow guidance).
 */
import type { Step, Workflow } from '../../../formats/workflow.ts';
import { buildGraph, EPSILON, expectedVisits, reachableFrom, type WorkflowGraph } from '../graph.ts';
import { finding, isReached, num, percent, quoted, sortedIds, stepsInIdOrder } from './shared.ts';
import type { Finding, WorkflowRule } from './types.ts';

const ID = 'open-loop-order';
const ACK_LAST = new Set([
  'acknowledged',
  'acknowledgement',
  'acknowledgment',
  'reviewed',
  'review',
  'signed_off',
]);
const ACK_LABEL = /acknowledg|review/i;

/** The prefixes of the order items a step enters ("" for a bare `order.…` item); empty: not an order. */
function orderPrefixes(step: Step): string[] {
  const prefixes = new Set<string>();
  for (const item of step.enters) {
    const segments = item.toLowerCase().split('.');
    const at = segments.findIndex((s) => s === 'order' || s === 'orders');
    if (at >= 0) prefixes.add(at === 0 ? '' : (segments[0] as string));
  }
  return [...prefixes].sort();
}

/** The first segments of the acknowledgement items a step enters; `*` when it acknowledges by kind and label. */
function acknowledgementRoots(step: Step): string[] {
  const roots = new Set<string>();
  for (const item of step.enters) {
    const segments = item.toLowerCase().split('.');
    if (ACK_LAST.has(segments[segments.length - 1] as string)) roots.add(segments[0] as string);
  }
  if (step.kind === 'approval' && ACK_LABEL.test(step.label)) roots.add('*');
  return [...roots].sort();
}

function closes(ackRoots: readonly string[], prefix: string): boolean {
  return ackRoots.length > 0 && (prefix === '' || ackRoots.includes('*') || ackRoots.includes(prefix));
}

/** Steps from which one of `targets` is reachable along positive flows. */
function reaching(
  graph: WorkflowGraph,
  targets: Iterable<string>,
  blocked: ReadonlySet<string>,
): Set<string> {
  const seen = new Set<string>();
  const stack = [...targets];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of graph.incoming.get(id) ?? []) {
      if (e.probability > EPSILON && !seen.has(e.from) && !blocked.has(e.from)) stack.push(e.from);
    }
  }
  return seen;
}

/** The `open-loop-order` finding rule (detection, severity and sources in the header). */
export const openLoopOrder: WorkflowRule = {
  id: ID,
  severity: 'warn',
  title: 'Result never acknowledged',
  describe:
    'A test or order whose result can reach the end of the process without anyone reviewing or ' +
    'acknowledging it: an abnormal result nobody reads is a missed diagnosis. The ONC SAFER ' +
    'Guide on test results reporting and follow-up asks that every result be tracked until a ' +
    'clinician has acknowledged it.',
  requires: [],
  detect(context) {
    const { workflow, graph } = context;
    const findings: Finding[] = [];
    // recognised once per analysis, not once per order
    const roots = workflow.steps
      .map((s) => ({ id: s.id, roots: acknowledgementRoots(s) }))
      .filter((s) => s.roots.length > 0);
    const acksByPrefix = new Map<string, Set<string>>();
    const acksFor = (prefix: string): Set<string> => {
      let acks = acksByPrefix.get(prefix);
      if (!acks) {
        acks = new Set(roots.filter((s) => closes(s.roots, prefix)).map((s) => s.id));
        acksByPrefix.set(prefix, acks);
      }
      return acks;
    };
    for (const order of stepsInIdOrder(workflow)) {
      const prefixes = orderPrefixes(order);
      if (prefixes.length === 0 || !isReached(context, order.id)) continue;
      for (const prefix of prefixes) {
        const acks = acksFor(prefix);
        if (acks.has(order.id)) continue;
        // cases after the order, stopped at acknowledgements
        const open = new Set<string>();
        const stack = [order.id];
        while (stack.length > 0) {
          const id = stack.pop() as string;
          if (open.has(id) || acks.has(id)) continue;
          open.add(id);
          for (const e of graph.outgoing.get(id) ?? []) if (e.probability > EPSILON) stack.push(e.to);
        }
        const terminals = [...open].filter(
          (id) =>
            !(graph.outgoing.get(id) ?? []).some((e) => e.probability > EPSILON) ||
            graph.steps.get(id)?.kind === 'end',
        );
        if (terminals.length === 0) continue;
        const ahead = reachableFrom(graph, [order.id]);
        const ackReach = reaching(
          graph,
          [...acks].filter((id) => ahead.has(id)),
          new Set(),
        );
        const noAckAhead = new Set([...open].filter((id) => id !== order.id && !ackReach.has(id)));
        const branchPoints = sortedIds(
          [...open].filter(
            (id) =>
              ackReach.has(id) &&
              (graph.outgoing.get(id) ?? []).some((e) => e.probability > EPSILON && noAckAhead.has(e.to)),
          ),
        );
        const openShare = unacknowledgedShare(workflow, order.id, acks);
        const names = (acks.size > 0 ? sortedIds(acks) : []).map((id) => quoted(graph.steps.get(id)));
        findings.push(
          finding(
            ID,
            context.severity,
            [order.id, ...sortedIds([...branchPoints, ...noAckAhead].filter((id) => id !== order.id))],
            `After ${quoted(order)}, ${openShare === null ? 'some' : `${percent(openShare)} of`} cases reach the end ` +
              `without anyone reviewing or acknowledging the result${names.length > 0 ? ` (only ${names.join(', ')} does)` : ''}. ` +
              'A result nobody reads is a missed diagnosis; the ONC SAFER Guide asks that every result be tracked until acknowledged.',
            {
              orderItemPrefix: prefix === '' ? 'order' : prefix,
              acknowledgingStepIds: sortedIds(acks),
              unacknowledgedShare: openShare === null ? null : num(openShare),
            },
          ),
        );
      }
    }
    return findings;
  },
};

/**
 * The probability that a case at `orderId` reaches a terminal step before an acknowledgement:
 * the workflow restarted at the order with the acknowledging steps made absorbing, solved by the
 * visit equations (loops included). Null when a loop traps cases (no finite answer).
 */
function unacknowledgedShare(workflow: Workflow, orderId: string, acks: ReadonlySet<string>): number | null {
  const cut: Workflow = {
    ...workflow,
    steps: workflow.steps.map((s) => ({
      ...s,
      kind: s.id === orderId ? 'start' : s.kind === 'start' ? 'task' : s.kind,
    })),
    flows: workflow.flows.filter((f) => !acks.has(f.from)),
  };
  const graph = buildGraph(cut);
  const { visits, trapped } = expectedVisits(graph);
  if (trapped.length > 0) return null;
  let share = 0;
  for (const id of graph.steps.keys()) {
    if (acks.has(id)) continue;
    const out = (graph.outgoing.get(id) ?? []).filter((e) => e.probability > EPSILON);
    // a case ends at a step with no way out (graph.ts: an end step with flows goes on)
    if (out.length === 0) share += visits.get(id) ?? 0;
  }
  return Math.min(1, Math.max(0, share));
}
