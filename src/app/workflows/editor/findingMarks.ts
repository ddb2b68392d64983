/**
 * Finding marks: where the analysis's findings are drawn on the workflow's canvas, as bpmnlint's
 * issue badges are on a bpmn.io diagram — a mark per step, lane or flow with how many findings it
 * carries and the most serious of them. The canvas draws the marks (findingMarkViews.tsx); this
 * file decides which element each finding belongs to.
 *
 * Constraints:
 * - A view only: nothing here changes the workflow document. Marks are derived from the findings
 *   and the workflow as it is now. The analysis runs deferred behind typing, so a finding may
 *   still name a step or lane removed a moment ago: such a name is passed over, and a finding
 *   left with nothing on this diagram is counted in `unplaced` rather than drawn in a wrong place.
 * - Each finding is drawn on ONE kind of element: the lane for a finding about a whole role (its
 *   steps are listed as the role's load, not as the problem), the flow for a hand copy along one
 *   flow, else every step it names. So a lane's mark does not repeat on each of its steps.
 * - Every finding the analysis gives is open: the finding model has no dismissed or accepted
 *   state (a project switches a rule off in its settings, and then the rule gives no findings).
 * - Words for clinic staff, never colour alone: a mark carries its count and a severity symbol,
 *   and `summary` is what a screen reader hears ("1 problem, 2 warnings").
 */
import type { Finding, FindingSeverity, WorkflowRuleId } from '../../../core/workflow/rules/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { findingsSummary, SEVERITY_ORDER } from '../analysis/severity.ts';

/** The kinds of element a finding can be drawn on. */
type MarkAnchor = 'step' | 'lane' | 'flow';

/**
 * Rules whose findings (some of them) are about something bigger than a step, declared as data:
 * when `applies` holds for a finding and the element it names is on the diagram, the finding is
 * drawn there instead of on its steps. Any other finding is drawn on the steps it names.
 */
export const MARK_ANCHORS: Readonly<
  Partial<Record<WorkflowRuleId, { anchor: Exclude<MarkAnchor, 'step'>; applies: (f: Finding) => boolean }>>
> = {
  // a role busy past the limit at peak or in go-live week: the lane, not each step it does
  'role-overload': { anchor: 'lane', applies: (f) => typeof f.evidence.laneId === 'string' },
  'golive-capacity': { anchor: 'lane', applies: (f) => typeof f.evidence.laneId === 'string' },
  // a role's clicks per person per day (a step over the click budget has no laneId: its step)
  'click-burden': { anchor: 'lane', applies: (f) => typeof f.evidence.laneId === 'string' },
  // data copied by hand along one flow (the same item typed in two systems has no flow: its steps)
  'manual-transcription': {
    anchor: 'flow',
    applies: (f) => f.evidence.manualFlow === true && f.stepIds.length === 2,
  },
};

/** The mark on one element. */
export interface FindingMark {
  /** the findings drawn here, in the analysis's order (most serious first) */
  findings: readonly Finding[];
  /** the most serious severity among them */
  severity: FindingSeverity;
  /** how many of each severity, in words: "1 problem, 2 warnings" */
  summary: string;
}

/** A mark on a flow, named by its two ends. */
export interface FlowMark {
  from: string;
  to: string;
  mark: FindingMark;
}

/** Everything the canvas draws for one workflow's findings. */
export interface FindingMarks {
  steps: ReadonlyMap<string, FindingMark>;
  lanes: ReadonlyMap<string, FindingMark>;
  flows: readonly FlowMark[];
  /** findings drawn on at least one element */
  placed: number;
  /**
   * findings with nothing on this diagram to draw them on: about the whole workflow (no start,
   * more handoffs overall), or naming only steps of another workflow (a step of today's
   * workflow nobody planned for)
   */
  unplaced: readonly Finding[];
}

/** No findings drawn (the marks are switched off, or there is no analysis yet). */
export const NO_FINDING_MARKS: FindingMarks = {
  steps: new Map(),
  lanes: new Map(),
  flows: [],
  placed: 0,
  unplaced: [],
};

function markOf(findings: Finding[]): FindingMark {
  const severity =
    SEVERITY_ORDER.find((s) => findings.some((f) => f.severity === s)) ?? (findings[0] as Finding).severity;
  return { findings, severity, summary: findingsSummary(findings) };
}

function add<K>(map: Map<K, Finding[]>, key: K, finding: Finding): void {
  const list = map.get(key);
  if (list) list.push(finding);
  else map.set(key, [finding]);
}

/**
 * The element a finding is drawn on besides its steps, if any: the first of its rules' own
 * findings (one root cause may fold several) that {@link MARK_ANCHORS} places on a lane or flow.
 */
function anchorOf(finding: Finding) {
  for (const part of finding.parts && finding.parts.length > 0 ? finding.parts : [finding]) {
    const special = MARK_ANCHORS[part.rule as WorkflowRuleId];
    if (special?.applies(part)) return { special, part };
  }
  return undefined;
}

/** Places `findings` (of `workflow`'s analysis) on its steps, lanes and flows (see the file header). */
export function findingMarks(findings: readonly Finding[], workflow: Workflow): FindingMarks {
  const stepIds = new Set(workflow.steps.map((s) => s.id));
  const laneIds = new Set(workflow.lanes.map((l) => l.id));
  const flowKeys = new Set(workflow.flows.map((f) => `${f.from}\u0000${f.to}`));
  const steps = new Map<string, Finding[]>();
  const lanes = new Map<string, Finding[]>();
  const flows = new Map<string, { from: string; to: string; findings: Finding[] }>();
  const unplaced: Finding[] = [];
  let placed = 0;
  for (const finding of findings) {
    const anchored = anchorOf(finding);
    if (anchored) {
      const { special, part } = anchored;
      if (special.anchor === 'lane') {
        const laneId = part.evidence.laneId as string;
        if (laneIds.has(laneId)) {
          add(lanes, laneId, finding);
          placed++;
          continue;
        }
      } else {
        const [from, to] = part.stepIds as [string, string];
        const key = `${from}\u0000${to}`;
        if (flowKeys.has(key)) {
          const entry = flows.get(key) ?? { from, to, findings: [] };
          entry.findings.push(finding);
          flows.set(key, entry);
          placed++;
          continue;
        }
      }
      // its lane or flow is gone (edited since): drawn on its steps like any other finding
    }
    const own = [...new Set(finding.stepIds)].filter((id) => stepIds.has(id));
    if (own.length === 0) {
      unplaced.push(finding);
      continue;
    }
    for (const id of own) add(steps, id, finding);
    placed++;
  }
  const marks = (map: Map<string, Finding[]>) =>
    new Map([...map].map(([id, list]) => [id, markOf(list)] as const));
  return {
    steps: marks(steps),
    lanes: marks(lanes),
    flows: [...flows.values()].map(({ from, to, findings: list }) => ({ from, to, mark: markOf(list) })),
    placed,
    unplaced,
  };
}

/** What a screen reader hears of a mark after the element's name: "findings: 1 problem, 2 warnings". */
export function spokenMark(mark: FindingMark): string {
  return `findings: ${mark.summary}`;
}
