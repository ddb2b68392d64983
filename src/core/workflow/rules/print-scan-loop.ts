/**
 * `print-scan-loop`: inside a future workflow, work goes digital → paper → digital (print, sign
 * on paper, scan back).
 *
 * Detection (future workflows only; a current workflow is expected to be on paper):
 * - a paper stretch: steps doing paper work (medium paper or fax, kind task, approval or decision;
 *   `wait` steps such as a courier run are transport, not paperwork) connected by flows, entered
 *   from a digital step and left to a digital step (start and end steps are events, not work) —
 *   one finding per stretch, listing the digital
 *   steps before it, its paper steps and the digital steps after it;
 * - a flow with `transfer: paper` between two digital steps (a document printed and carried to
 *   be keyed or scanned), or a direct flow from a step labelled "print…" to one labelled "scan…".
 *
 * Sources: a hybrid paper-electronic workflow is the textbook "digitized bottleneck"; ONC SAFER
 * Guides (System Interfaces, Contingency Planning).
 */

import type { Step } from '../../../formats/workflow.ts';
import { EPSILON } from '../graph.ts';
import { compareIds, finding, num, quoted, sortedIds } from './shared.ts';
import type { Finding, WorkflowRule } from './types.ts';

const ID = 'print-scan-loop';
const PRINT_LABEL = /\bprint/i;
const SCAN_LABEL = /\bscan/i;

function isPaperWork(step: Step): boolean {
  return (
    (step.medium === 'paper' || step.medium === 'fax') &&
    (step.kind === 'task' || step.kind === 'approval' || step.kind === 'decision')
  );
}

/** The `print-scan-loop` finding rule (detection, severity and sources in the header). */
export const printScanLoop: WorkflowRule = {
  id: ID,
  severity: 'warn',
  title: 'Print, sign, scan back',
  describe:
    'In the new workflow, information leaves the system on paper and comes back in by scanning ' +
    'or re-keying: the paper step keeps its delays and adds printing and scanning time. A hybrid ' +
    'paper-electronic process is the textbook digitized bottleneck; the ONC SAFER Guides ask ' +
    'for interfaces instead.',
  requires: [],
  detect(context) {
    const { workflow, graph } = context;
    if (workflow.state !== 'future') return [];
    const positive = (id: string, dir: 'outgoing' | 'incoming') =>
      (graph[dir].get(id) ?? [])
        .filter((e) => e.probability > EPSILON)
        .map((e) => (dir === 'outgoing' ? e.to : e.from));
    const paper = workflow.steps.filter(isPaperWork).sort((a, b) => compareIds(a.id, b.id));
    const paperIds = new Set(paper.map((s) => s.id));
    // start and end steps are events, not work done in a system
    const digital = (id: string) => {
      const step = graph.steps.get(id);
      return step?.medium === 'digital' && step.kind !== 'start' && step.kind !== 'end';
    };
    const seen = new Set<string>();
    const findings: Finding[] = [];
    for (const first of paper) {
      if (seen.has(first.id)) continue;
      const stretch = new Set<string>();
      const stack = [first.id];
      while (stack.length > 0) {
        const id = stack.pop() as string;
        if (stretch.has(id)) continue;
        stretch.add(id);
        for (const n of [...positive(id, 'outgoing'), ...positive(id, 'incoming')])
          if (paperIds.has(n)) stack.push(n);
      }
      for (const id of stretch) seen.add(id);
      const ids = sortedIds(stretch);
      const before = sortedIds(
        ids.flatMap((id) => positive(id, 'incoming')).filter((n) => !stretch.has(n) && digital(n)),
      );
      const after = sortedIds(
        ids.flatMap((id) => positive(id, 'outgoing')).filter((n) => !stretch.has(n) && digital(n)),
      );
      if (before.length === 0 || after.length === 0) continue;
      const touchMin = ids.reduce((sum, id) => sum + (graph.steps.get(id)?.touchMin ?? 0), 0);
      findings.push(
        finding(
          ID,
          context.severity,
          [...before, ...ids, ...after],
          `Work leaves the system on paper after ${before.map((id) => quoted(graph.steps.get(id))).join(', ')}, ` +
            `goes through ${ids.map((id) => quoted(graph.steps.get(id))).join(', ')} and comes back in at ` +
            `${after.map((id) => quoted(graph.steps.get(id))).join(', ')}: a paper loop inside the new system ` +
            'keeps its delays and adds printing and scanning.',
          {
            paperSteps: ids.length,
            paperTouchMin: num(touchMin),
            digitalBefore: before.length,
            digitalAfter: after.length,
          },
        ),
      );
    }
    for (const flow of [...workflow.flows].sort(
      (a, b) => compareIds(a.from, b.from) || compareIds(a.to, b.to),
    )) {
      const from = graph.steps.get(flow.from);
      const to = graph.steps.get(flow.to);
      if (!from || !to || !digital(from.id) || !digital(to.id)) continue;
      const edge = (graph.outgoing.get(from.id) ?? []).find((e) => e.to === to.id);
      if (!edge || edge.probability <= EPSILON) continue;
      const byLabel = PRINT_LABEL.test(from.label) && SCAN_LABEL.test(to.label);
      if (flow.transfer !== 'paper' && !byLabel) continue;
      findings.push(
        finding(
          ID,
          context.severity,
          [from.id, to.id],
          `Between ${quoted(from)} and ${quoted(to)} a document is ${byLabel ? 'printed and scanned back' : 'carried on paper'} ` +
            'although both steps work in a system: a paper loop inside the new system.',
          { paperSteps: 0, paperTransfer: flow.transfer === 'paper', printScanLabels: byLabel },
        ),
      );
    }
    return findings;
  },
};
