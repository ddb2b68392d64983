/**
 * Where the log's findings sit on a discovery's process map, so each is marked where it happens:
 * a long wait on the activity waited for and on the arrows into it (the waits the map measures);
 * a rework loop on the activity done again and on its repeat arrow; work bounced between two roles
 * on the activities that hand it over and the arrows between them.
 *
 * The map names activities; the discovered workflow's steps carry those names as their labels, so
 * a finding's steps are found on the map by label (the start and end markers are never marked).
 */
import type { Workflow } from '../../formats/workflow.ts';
import type { Finding, FindingSeverity } from './rules/types.ts';

/** The findings marked on one activity or arrow: their rules, and the most serious severity. */
export interface MapMark {
  rules: string[];
  severity: FindingSeverity;
  /** the findings' messages, in the findings' order, for the mark's tooltip */
  messages: string[];
}

/** Marks by activity name, and by arrow (`from` and `to` names joined by {@link pathKey}). */
export interface MapMarks {
  activities: Map<string, MapMark>;
  paths: Map<string, MapMark>;
}

/** Key of the arrow from activity `from` to activity `to` in {@link MapMarks}. */
export const pathKey = (from: string, to: string): string => `${from}\u0000${to}`;

const RANK: Record<FindingSeverity, number> = { error: 3, warn: 2, info: 1 };

function add(into: Map<string, MapMark>, key: string, finding: Finding): void {
  const mark = into.get(key);
  if (!mark) {
    into.set(key, { rules: [finding.rule], severity: finding.severity, messages: [finding.message] });
    return;
  }
  if (!mark.rules.includes(finding.rule)) mark.rules.push(finding.rule);
  if (!mark.messages.includes(finding.message)) mark.messages.push(finding.message);
  if (RANK[finding.severity] > RANK[mark.severity]) mark.severity = finding.severity;
}

/** The marks of the log rules' `findings` on the map of the log `workflow` was discovered from. */
export function logFindingMarks(workflow: Workflow, findings: readonly Finding[]): MapMarks {
  const marks: MapMarks = { activities: new Map(), paths: new Map() };
  const byId = new Map(workflow.steps.map((step) => [step.id, step]));
  const nameOf = (id: string): string | undefined => {
    const step = byId.get(id);
    return step && step.kind !== 'start' && step.kind !== 'end' ? step.label : undefined;
  };
  for (const finding of findings) {
    const steps = new Set(finding.stepIds);
    for (const id of steps) {
      const name = nameOf(id);
      if (name !== undefined) add(marks.activities, name, finding);
    }
    for (const flow of workflow.flows) {
      const from = nameOf(flow.from);
      const to = nameOf(flow.to);
      const marked =
        finding.rule === 'long-wait'
          ? steps.has(flow.to) && to !== undefined
          : finding.rule === 'rework-loop'
            ? steps.has(flow.to) && flow.from === flow.to
            : finding.rule === 'handoff-ping-pong'
              ? steps.has(flow.from) &&
                steps.has(flow.to) &&
                byId.get(flow.from)?.lane !== byId.get(flow.to)?.lane
              : false;
      // the start and end markers are never marked
      if (!marked || from === undefined || to === undefined) continue;
      add(marks.paths, pathKey(from, to), finding);
    }
  }
  return marks;
}
