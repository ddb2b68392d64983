/**
 * Compare a current workflow with its planned future (docs/product.md#workflows): which steps
 * correspond, what changed in each, how the metrics move, which findings are resolved or
 * introduced, and — per role — what staff must learn (the role-impact training checklist).
 *
 * Matching (the constraints that make the comparison trustworthy):
 * - **Confirmed** matches come only from the analyst's traceability: a future step's `replaces`
 *   names the current steps it takes over. One future step may replace several current steps
 *   (many-to-one) and several future steps may name one current step (one-to-many).
 * - **Suggested** matches: a future step with no `replaces` (or only ids that name no current
 *   step, reported in `dangling`) is paired with current steps whose label is the same after
 *   normalisation ({@link normaliseLabel}) in the same role. They are
 *   marked `suggested-label` and never count as confirmed: they do not remove a step from
 *   "untraced", and findings are not traced through them.
 * - **Never by id.** Two tools exporting one model share no ids, and one file may reuse ids of
 *   the other for unrelated steps. Lanes are matched by normalised name, steps by `replaces` or
 *   label. Ids appear in the output only to point at steps.
 *
 * Determinism: the result depends only on the content of the two workflows, not on the order of
 * steps, lanes or flows in the files. Steps are listed in process order ({@link processOrder}:
 * fewest flows from a start, then label, then id), roles by the process order of their first step.
 *
 * Constraint: pure (no I/O); independent of the finding rules — findings are passed in as data.
 */
import type { Lane, Step, StepKind, StepMedium, Workflow } from '../../formats/workflow.ts';
import { buildGraph } from './graph.ts';
import { computeMetrics, type MetricsProblem, type MetricsResult, type WorkflowMetrics } from './metrics.ts';
import { processDepth } from './rules/shared.ts';

// ---- normalisation -------------------------------------------------------------------------

/** Word endings removed to fold simple English plurals ("Vitals" ≈ "Vital", "Faxes" ≈ "Fax"). */
const SIBILANT_PLURAL = /(ch|sh|x|z|ss)es$/;
/** A word at most this long keeps a final "s" ("bus", "gas", "yes", "his"). */
const SHORT_WORD = 3;

function singular(word: string): string {
  if (word.length > SHORT_WORD + 1 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (SIBILANT_PLURAL.test(word)) return word.slice(0, -2);
  if (word.length > SHORT_WORD && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) {
    return word.slice(0, -1);
  }
  return word;
}

/**
 * A label or lane name reduced to what a person means by it: Unicode-compatible forms folded
 * (NFKC), lower case, every run of punctuation and whitespace one space, simple plurals folded
 * per word. "Room patient", "room  patients." and "ROOM-PATIENT" all become "room patient".
 * Used only to suggest matches, so folding slightly too much costs a suggestion the analyst
 * declines, never a wrong confirmed match.
 */
export function normaliseLabel(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .map(singular)
    .join(' ');
}

// ---- data item names -----------------------------------------------------------------------

/** Short forms of data item ids spelled out for staff. */
const ITEM_WORDS: Readonly<Record<string, string>> = {
  bp: 'blood pressure',
  spo2: 'oxygen saturation',
  temp: 'temperature',
  dob: 'date of birth',
  id: 'ID',
  rx: 'prescription',
  meds: 'medications',
};

function itemWords(text: string): string {
  return text
    .split(/[_\s-]+/)
    .filter((word) => word.length > 0)
    .map((word) => ITEM_WORDS[word.toLowerCase()] ?? word)
    .join(' ');
}

/**
 * A data item id as staff read it: `communication.result_letter` → "result letter
 * (communication)", `vitals.bp` → "blood pressure (vitals)", `allergies` → "allergies".
 * The id stays the key everywhere else (formats, JSON); this is only for training sheets.
 */
export function dataItemName(item: string): string {
  const dot = item.lastIndexOf('.');
  if (dot <= 0 || dot === item.length - 1) return itemWords(item);
  return `${itemWords(item.slice(dot + 1))} (${itemWords(item.slice(0, dot))})`;
}

// ---- output types --------------------------------------------------------------------------

/** A step as the comparison shows it: enough to print it and to point at it. */
export interface StepRef {
  stepId: string;
  label: string;
  laneId: string;
  /** the lane's name as written in this step's workflow ('' when the lane is unknown) */
  laneName: string;
}

/** One changed attribute of a matched pair. `lane` compares lane names, never ids. */
export type AttributeChange =
  | { attribute: 'kind'; before: StepKind; after: StepKind }
  | { attribute: 'medium'; before: StepMedium; after: StepMedium }
  | { attribute: 'system' | 'lane'; before: string; after: string }
  | { attribute: 'touchMin' | 'waitMin' | 'clicks'; before: number; after: number; delta: number }
  | {
      attribute: 'enters';
      before: string[];
      after: string[];
      /** items entered after but not before (sorted) */
      added: string[];
      /** items entered before but not after (sorted) */
      removed: string[];
    };

/** How a pair was matched: the analyst's `replaces` (confirmed) or a same-label suggestion. */
type MatchBasis = 'replaces' | 'suggested-label';

/** A current step and a future step that correspond. */
export interface StepMatch {
  by: MatchBasis;
  current: StepRef;
  future: StepRef;
  /**
   * attributes that differ, in the order kind, medium, system, lane, touchMin, waitMin, clicks,
   * enters; empty when the step is unchanged
   */
  changes: AttributeChange[];
}

/** A future step that matches no current step, confirmed or suggested. */
export interface AddedStep {
  step: StepRef;
}

/** A current step that no future step `replaces`. */
export interface RemovedStep {
  step: StepRef;
  /** future steps with the same label in the same role: perhaps the analyst forgot `replaces` */
  suggestedMatches: StepRef[];
}

/** A `replaces` or `retired` id that names no step of the current workflow. */
export interface DanglingReference {
  field: 'replaces' | 'retired';
  /** the future step holding the `replaces` (absent for `retired`) */
  futureStepId?: string;
  /** the id that names no current step */
  currentStepId: string;
}

/** The metrics compared, each lower-is-better. */
export type ComparedMetric =
  | 'touchMin'
  | 'waitMin'
  | 'cycleMin'
  | 'handoffs'
  | 'clicks'
  | 'dataEntries'
  | 'maxUtilisation';

/** One metric before and after. Values may be Infinity (an unstable lane: cycle time). */
export interface MetricDelta {
  metric: ComparedMetric;
  current: number;
  future: number;
  /** future − current; 0 when equal (also both Infinity) */
  delta: number;
  /** true when the future is lower (all compared metrics are lower-is-better) */
  better: boolean;
  /** true when the future is higher; both false when equal within rounding */
  worse: boolean;
}

/** The metric comparison, or why it is missing. */
export interface MetricComparison {
  /** in {@link COMPARED_METRICS} order; empty when either workflow has no metrics */
  deltas: MetricDelta[];
  /** why a workflow has no metrics (a loop cases cannot leave) */
  problems: Array<{ state: 'current' | 'future'; problem: MetricsProblem }>;
}

/** The least a finding must carry to be compared (the rules' `Finding` has it). */
export interface ComparableFinding {
  rule: string;
  /** every rule id of the finding's root cause, `rule` first (the analysis sets it) */
  rules?: readonly string[];
  stepIds: readonly string[];
}

/** Findings of the two workflows, sorted into what the plan fixes, keeps and adds. */
export interface FindingComparison<F extends ComparableFinding = ComparableFinding> {
  /** current findings with no counterpart in the future (input order) */
  resolved: F[];
  /**
   * future findings with no counterpart in the current (input order), except those carried over:
   * what the plan itself brings in
   */
  introduced: F[];
  /**
   * future findings with no counterpart among today's findings that name a problem today's
   * workflow already has and the plan keeps — a wait carried over, a paper step rebuilt on screen
   * (rules of {@link CARRIED_OVER_RULES}); input order
   */
  carriedOver: F[];
  /**
   * today's findings from what a log measured (rules of {@link MEASURED_RULES}) when the planned
   * workflow has no log of its own: a drawn plan neither resolves nor keeps them until a log of
   * the new system measures it (input order). Absent when there are none.
   */
  unmeasured?: F[];
  /** pairs of the same rule on the same (traced) steps, in future input order */
  persisting: Array<{
    current: F;
    future: F;
    /** `same-steps`: the steps correspond exactly; `overlapping-steps`: they share some */
    match: 'same-steps' | 'overlapping-steps';
  }>;
}

/** One item of a role's checklist: a future step of this role and what it takes over. */
export interface RoleStepChange {
  step: StepRef;
  /** the current steps it replaces (any role), each with what changed; empty for new work */
  instead: Array<{ step: StepRef; changes: AttributeChange[] }>;
  /** current steps of this role with the same label (unconfirmed), when it has no `replaces` */
  suggestedMatches: StepRef[];
}

/** A current step of this role that the role no longer does. */
export interface RoleStepLoss {
  step: StepRef;
  /** why: retired by the plan, replaced by steps of other roles, or not traced at all */
  reason: 'retired' | 'moved' | 'untraced';
  /** for `moved`: the future steps (of other roles) that take it over */
  movedTo: StepRef[];
  /** future steps of this role with the same label (unconfirmed) */
  suggestedMatches: StepRef[];
}

/** Lane sizes and load before and after (null when the role does not exist on that side). */
export interface RoleLoad {
  staff: number;
  /** staff minutes per case in this lane */
  touchMinPerCase: number;
  /** ρ at peak; null when the lane is not queued (staff 0) or metrics are unavailable */
  utilisation: number | null;
}

/**
 * What one role (lane, matched by name) must learn: the training checklist, one page per role.
 * `status` says whether the role exists in both workflows or appears/disappears.
 */
export interface RoleImpact {
  /** the future lane's name, or the current one's for a disappearing role */
  name: string;
  /**
   * `added`/`removed`: the role exists only in the future/current workflow; `unchanged`: no step
   * gained, lost or done differently (its staff may still differ: see `load`); else `changed`
   */
  status: 'changed' | 'unchanged' | 'added' | 'removed';
  currentLaneId: string | null;
  futureLaneId: string | null;
  /**
   * future steps with no confirmed predecessor in this role: new work, or work moved in. Here and
   * in `loses`, `changes` and `unchanged`, start and end events are left out: they are not work
   */
  gains: RoleStepChange[];
  /** current steps of this role that no future step of this role replaces */
  loses: RoleStepLoss[];
  /** future steps of this role replacing current steps of this role with something changed */
  changes: RoleStepChange[];
  /** future steps of this role replacing its current steps unchanged (nothing to learn) */
  unchanged: StepRef[];
  /** systems its future steps work in that its current steps did not (as written in the future) */
  newSystems: string[];
  /** systems its current steps used that its future steps do not */
  retiredSystems: string[];
  /** data items its future steps enter that its current steps did not */
  newDataItems: string[];
  /** data items its current steps entered that its future steps do not */
  droppedDataItems: string[];
  load: { current: RoleLoad | null; future: RoleLoad | null };
}

/** Lanes paired by normalised name. */
export interface LaneMatch {
  name: string;
  current: { laneId: string; name: string; staff: number } | null;
  future: { laneId: string; name: string; staff: number } | null;
}

/** The whole comparison. */
export interface WorkflowComparison<F extends ComparableFinding = ComparableFinding> {
  current: { id: string; name: string };
  future: { id: string; name: string };
  /** lanes in role order (see the header) */
  lanes: LaneMatch[];
  /** confirmed matches, then suggestions; each in future process order, then current */
  matches: StepMatch[];
  /** future steps with no match at all (process order) */
  added: AddedStep[];
  /** current steps no future step replaces: deliberately `retired`, or untraced (process order) */
  removed: { retired: RemovedStep[]; untraced: RemovedStep[] };
  /** `replaces`/`retired` ids that are not steps of the current workflow */
  dangling: DanglingReference[];
  metrics: MetricComparison;
  /** present when findings of either workflow were given */
  findings?: FindingComparison<F>;
  /** one entry per role, in role order */
  roles: RoleImpact[];
}

/**
 * How many planned steps replace how many of today's, counting each step once (a step replacing
 * two of today's is one planned step; two planned steps sharing one of today's replace one).
 * Only confirmed matches (`replaces`) count.
 */
export function replacementCounts(matches: readonly StepMatch[]): { planned: number; today: number } {
  const confirmed = matches.filter((m) => m.by === 'replaces');
  return {
    planned: new Set(confirmed.map((m) => m.future.stepId)).size,
    today: new Set(confirmed.map((m) => m.current.stepId)).size,
  };
}

/** Options of {@link compareWorkflows}. */
export interface CompareOptions<F extends ComparableFinding = ComparableFinding> {
  /** findings of the current workflow (e.g. `analyzeWorkflow(current).findings`) */
  currentFindings?: readonly F[];
  /** findings of the future workflow; step ids may name current steps (baseline rules) */
  futureFindings?: readonly F[];
  /** metrics already computed (saves recomputing them); computed when absent */
  currentMetrics?: MetricsResult;
  futureMetrics?: MetricsResult;
  /** suggest same-label matches; default true */
  suggestLabels?: boolean;
  /**
   * rules whose future findings name baseline (current) steps, so their ids are looked up in the
   * current workflow first; default {@link BASELINE_STEP_RULES}
   */
  baselineStepRules?: readonly string[];
  /**
   * rules whose future findings describe today's problem kept by the plan (filed under
   * `carriedOver`, not `introduced`, when unpaired); default {@link CARRIED_OVER_RULES}
   */
  carriedOverRules?: readonly string[];
}

/**
 * Rules whose findings on a future workflow are, by their definition, a problem of today's
 * workflow that the plan keeps: `carried-over-wait` (a replaced step's wait kept) and
 * `digitized-paper-step` (a paper step rebuilt on screen, keeping most of its wait). They need the
 * baseline, so today's own analysis never has them to pair with.
 */
const CARRIED_OVER_RULES: readonly string[] = ['carried-over-wait', 'digitized-paper-step'];

/**
 * Rules whose findings come from what an event log measured (long waits, rework, back-and-forth
 * between roles): a planned workflow without a log of its own cannot show them, so today's are
 * filed under `unmeasured`, never as resolved by the plan.
 */
const MEASURED_RULES: readonly string[] = ['long-wait', 'rework-loop', 'handoff-ping-pong'];

/**
 * Rules whose findings on a future workflow name steps of its baseline: `untraced-current-step`
 * (rules/types.ts `Finding.stepIds`). Ids of other findings are looked up in their own workflow
 * first, since the two files may reuse ids for different steps.
 */
const BASELINE_STEP_RULES: readonly string[] = ['untraced-current-step'];

/** Metric order of {@link MetricComparison.deltas}. */
const COMPARED_METRICS: readonly ComparedMetric[] = [
  'touchMin',
  'waitMin',
  'cycleMin',
  'handoffs',
  'clicks',
  'dataEntries',
  'maxUtilisation',
];

/** Two metric values this close (relative) are equal: sums in another order round differently. */
const METRIC_TOLERANCE = 1e-9;

// ---- process order -------------------------------------------------------------------------

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Rank of every step along the process: fewest flows from a start (breadth-first, any flow),
 * then normalised label, label and id; steps no start reaches come last. Depends on the graph's
 * content, not on the order of the file.
 */
export function processOrder(
  workflow: Workflow,
  labels: ReadonlyMap<string, string> = normalisedLabels(workflow),
): Map<string, number> {
  // fewest flows from a start: the same breadth-first distance the finding rules list steps by
  const distance = processDepth(buildGraph(workflow));
  const keyed = workflow.steps.map((step) => ({
    step,
    distance: distance.get(step.id) ?? Number.POSITIVE_INFINITY,
    label: labels.get(step.id) ?? normaliseLabel(step.label),
  }));
  keyed.sort(
    (a, b) =>
      a.distance - b.distance ||
      compareText(a.label, b.label) ||
      compareText(a.step.label, b.step.label) ||
      compareText(a.step.id, b.step.id),
  );
  // Infinity − Infinity is NaN: the `||` chain then falls through to the labels, as wanted
  return new Map(keyed.map((k, index) => [k.step.id, index] as const));
}

// ---- lanes ---------------------------------------------------------------------------------

/** Each step's normalised label, by step id (normalising is the costly part of a comparison). */
function normalisedLabels(workflow: Workflow): Map<string, string> {
  return new Map(workflow.steps.map((s) => [s.id, normaliseLabel(s.label)] as const));
}

interface Side {
  workflow: Workflow;
  steps: Map<string, Step>;
  lanes: Map<string, Lane>;
  /** normalised step labels by step id */
  labels: Map<string, string>;
  order: Map<string, number>;
}

function sideOf(workflow: Workflow): Side {
  const labels = normalisedLabels(workflow);
  return {
    workflow,
    steps: new Map(workflow.steps.map((s) => [s.id, s] as const)),
    lanes: new Map(workflow.lanes.map((l) => [l.id, l] as const)),
    labels,
    order: processOrder(workflow, labels),
  };
}

function ref(side: Side, step: Step): StepRef {
  return {
    stepId: step.id,
    label: step.label,
    laneId: step.lane,
    laneName: side.lanes.get(step.lane)?.name ?? '',
  };
}

/** A lane's content, to pair lanes that share one normalised name in a deterministic way. */
function laneSignature(side: Side, lane: Lane): string {
  const labels = side.workflow.steps
    .filter((s) => s.lane === lane.id)
    .map((s) => side.labels.get(s.id) ?? '')
    .sort(compareText);
  return JSON.stringify([lane.name, lane.staff, labels]);
}

/**
 * Pairs lanes by normalised name. When one name is shared by several lanes of a workflow (rare:
 * two "Nurse" lanes), they pair in order of their content (name, staff, step labels), never ids.
 */
function matchLanes(current: Side, future: Side): Map<string, string> {
  const group = (side: Side) => {
    const byName = new Map<string, Lane[]>();
    for (const lane of side.workflow.lanes) {
      const key = normaliseLabel(lane.name);
      const list = byName.get(key);
      if (list) list.push(lane);
      else byName.set(key, [lane]);
    }
    for (const [key, lanes] of byName) {
      if (lanes.length < 2) continue; // the usual case: one lane per name, nothing to order
      byName.set(
        key,
        lanes
          .map((lane) => ({ lane, signature: laneSignature(side, lane) }))
          .sort((a, b) => compareText(a.signature, b.signature))
          .map((x) => x.lane),
      );
    }
    return byName;
  };
  const currentByName = group(current);
  const futureByName = group(future);
  const pairs = new Map<string, string>(); // current lane id → future lane id
  for (const [key, lanes] of currentByName) {
    const others = futureByName.get(key) ?? [];
    lanes.forEach((lane, i) => {
      const other = others[i];
      if (other) pairs.set(lane.id, other.id);
    });
  }
  return pairs;
}

// ---- attribute changes ---------------------------------------------------------------------

/**
 * How analysts write "this step uses no system" (the samples' patient arrival says "None"): such a
 * step adds no system to a role's list of systems to learn.
 */
const NO_SYSTEM: ReadonlySet<string> = new Set(['', 'none', 'n/a', 'na', '-', '—']);

/** A system name folded for comparison: case and runs of whitespace do not count ("EHR" = " ehr "). */
function systemKey(system: string): string {
  return system.trim().replace(/\s+/g, ' ').toLowerCase();
}

function sortedUnique(items: readonly string[]): string[] {
  return [...new Set(items)].sort(compareText);
}

/**
 * What differs between a current step and the future step that matches it. `sameRole` says
 * whether their lanes are paired (compareWorkflows knows); by default, whether the lane names
 * are equal after normalisation.
 */
export function attributeChanges(
  before: Step,
  after: Step,
  beforeLaneName: string,
  afterLaneName: string,
  sameRole = normaliseLabel(beforeLaneName) === normaliseLabel(afterLaneName),
): AttributeChange[] {
  const changes: AttributeChange[] = [];
  if (before.kind !== after.kind) changes.push({ attribute: 'kind', before: before.kind, after: after.kind });
  if (before.medium !== after.medium) {
    changes.push({ attribute: 'medium', before: before.medium, after: after.medium });
  }
  if (systemKey(before.system) !== systemKey(after.system)) {
    changes.push({ attribute: 'system', before: before.system, after: after.system });
  }
  if (!sameRole) {
    changes.push({ attribute: 'lane', before: beforeLaneName, after: afterLaneName });
  }
  for (const attribute of ['touchMin', 'waitMin', 'clicks'] as const) {
    if (before[attribute] !== after[attribute]) {
      changes.push({
        attribute,
        before: before[attribute],
        after: after[attribute],
        delta: after[attribute] - before[attribute],
      });
    }
  }
  const beforeItems = new Set(before.enters);
  const afterItems = new Set(after.enters);
  const added = sortedUnique(after.enters.filter((item) => !beforeItems.has(item)));
  const removed = sortedUnique(before.enters.filter((item) => !afterItems.has(item)));
  if (added.length > 0 || removed.length > 0) {
    changes.push({
      attribute: 'enters',
      before: [...before.enters],
      after: [...after.enters],
      added,
      removed,
    });
  }
  return changes;
}

// ---- metrics -------------------------------------------------------------------------------

function maxUtilisation(metrics: WorkflowMetrics): number {
  let max = 0;
  for (const lane of metrics.lanes)
    if (lane.utilisation !== null && lane.utilisation > max) max = lane.utilisation;
  return max;
}

function metricValue(metrics: WorkflowMetrics, metric: ComparedMetric): number {
  return metric === 'maxUtilisation' ? maxUtilisation(metrics) : metrics[metric];
}

function sameValue(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= METRIC_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Per-metric deltas (all lower-is-better); empty with the problems when metrics are missing. */
function compareMetrics(current: MetricsResult, future: MetricsResult): MetricComparison {
  const problems: MetricComparison['problems'] = [];
  if (!current.ok) problems.push({ state: 'current', problem: current.problem });
  if (!future.ok) problems.push({ state: 'future', problem: future.problem });
  if (!current.ok || !future.ok) return { deltas: [], problems };
  const deltas = COMPARED_METRICS.map((metric): MetricDelta => {
    const before = metricValue(current.metrics, metric);
    const after = metricValue(future.metrics, metric);
    const same = sameValue(before, after);
    return {
      metric,
      current: before,
      future: after,
      delta: same ? 0 : after - before,
      better: !same && after < before,
      worse: !same && after > before,
    };
  });
  return { deltas, problems };
}

// ---- findings ------------------------------------------------------------------------------

/** Union-find over "c:<id>" / "f:<id>" step keys, joined along confirmed (`replaces`) matches. */
class Traces {
  private parent = new Map<string, string>();

  find(key: string): string {
    let root = key;
    for (let up = this.parent.get(root); up !== undefined && up !== root; up = this.parent.get(root)) {
      root = up;
    }
    // path compression keeps later look-ups flat
    for (let node = key; node !== root; ) {
      const up = this.parent.get(node) ?? root;
      this.parent.set(node, root);
      node = up;
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // the smaller key becomes the root: deterministic, whatever the order of unions
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }
}

/**
 * The traced identity of a finding's steps: the set of trace groups (steps joined by `replaces`)
 * they fall in. A step id is looked up in the workflow `first` names, then in the other one (a
 * future finding may point at baseline steps, e.g. `untraced-current-step`).
 */
function traceKeys(
  traces: Traces,
  stepIds: readonly string[],
  first: 'c' | 'f',
  sides: { c: Side; f: Side },
): string[] {
  const second = first === 'c' ? 'f' : 'c';
  const keys = stepIds.map((id) => {
    if (sides[first].steps.has(id)) return traces.find(`${first}:${id}`);
    if (sides[second].steps.has(id)) return traces.find(`${second}:${id}`);
    return `?${first}:${id}`; // a step of neither workflow: matches nothing else
  });
  return sortedUnique(keys);
}

/** Every rule id a finding carries: its `rules` (one root cause, several rules) or its `rule`. */
function tagsOf(finding: ComparableFinding): readonly string[] {
  return finding.rules && finding.rules.length > 0 ? finding.rules : [finding.rule];
}

/**
 * Sorts findings into resolved, introduced, carried over and persisting. A current and a future
 * finding persist when they share a rule id (of their `rules`) and their steps trace to the same
 * groups (`same-steps`); failing that, to overlapping groups (`overlapping-steps`). Findings on
 * no step (workflow-wide) pair by rule. Each finding pairs at most once; pairs are taken in input
 * order. A future finding left unpaired that carries a rule of `carriedOverRules` is a problem of
 * today the plan keeps (`carriedOver`), not one it introduces.
 */
function compareFindings<F extends ComparableFinding>(
  traces: Traces,
  current: Side,
  future: Side,
  currentFindings: readonly F[],
  futureFindings: readonly F[],
  baselineStepRules: readonly string[],
  carriedOverRules: readonly string[],
): FindingComparison<F> {
  const sides = { c: current, f: future };
  const onBaseline = new Set(baselineStepRules);
  const keptFromToday = new Set(carriedOverRules);
  const currentKeys = currentFindings.map((f) => traceKeys(traces, f.stepIds, 'c', sides));
  const futureKeys = futureFindings.map((f) =>
    traceKeys(traces, f.stepIds, tagsOf(f).some((rule) => onBaseline.has(rule)) ? 'c' : 'f', sides),
  );
  const pairedCurrent = new Set<number>();
  const pairOf = new Map<number, { index: number; match: 'same-steps' | 'overlapping-steps' }>();
  // Candidates indexed by rule and trace keys, each list in input order, so each future finding
  // takes the first unpaired current finding of its rules as a scan of all of them would — without
  // the scan, which would make hundreds of findings of one rule quadratic.
  const sameSteps = new Map<string, Candidates>();
  const byKey = new Map<string, Candidates>();
  currentFindings.forEach((finding, index) => {
    const keys = currentKeys[index] ?? [];
    for (const rule of tagsOf(finding)) {
      candidatesAt(sameSteps, findingKey(rule, keys)).indices.push(index);
      for (const key of keys) candidatesAt(byKey, findingKey(rule, [key])).indices.push(index);
    }
  });
  const take = (match: 'same-steps' | 'overlapping-steps', fi: number, ci: number | undefined) => {
    if (ci === undefined) return;
    pairedCurrent.add(ci);
    pairOf.set(fi, { index: ci, match });
  };
  const earliest = (found: number | undefined, ci: number | undefined) =>
    ci !== undefined && (found === undefined || ci < found) ? ci : found;
  futureFindings.forEach((finding, fi) => {
    let first: number | undefined;
    for (const rule of tagsOf(finding)) {
      const key = findingKey(rule, futureKeys[fi] ?? []);
      first = earliest(first, firstUnpaired(sameSteps.get(key), pairedCurrent));
    }
    take('same-steps', fi, first);
  });
  futureFindings.forEach((finding, fi) => {
    if (pairOf.has(fi)) return;
    let first: number | undefined;
    for (const rule of tagsOf(finding)) {
      for (const key of futureKeys[fi] ?? []) {
        first = earliest(first, firstUnpaired(byKey.get(findingKey(rule, [key])), pairedCurrent));
      }
    }
    take('overlapping-steps', fi, first);
  });
  const persisting: FindingComparison<F>['persisting'] = [];
  const introduced: F[] = [];
  const carriedOver: F[] = [];
  futureFindings.forEach((finding, fi) => {
    const pair = pairOf.get(fi);
    const match = pair ? currentFindings[pair.index] : undefined;
    if (pair && match) persisting.push({ current: match, future: finding, match: pair.match });
    else if (tagsOf(finding).some((rule) => keptFromToday.has(rule))) carriedOver.push(finding);
    else introduced.push(finding);
  });
  const resolved = currentFindings.filter((_, index) => !pairedCurrent.has(index));
  return { resolved, introduced, carriedOver, persisting };
}

/** Current findings sharing a key, in input order; `next` skips those already paired. */
interface Candidates {
  indices: number[];
  next: number;
}

function candidatesAt(map: Map<string, Candidates>, key: string): Candidates {
  let candidates = map.get(key);
  if (!candidates) {
    candidates = { indices: [], next: 0 };
    map.set(key, candidates);
  }
  return candidates;
}

/** A rule and trace keys as one map key (NUL cannot occur in rule ids or trace keys). */
function findingKey(rule: string, keys: readonly string[]): string {
  return [rule, ...keys].join('\u0000');
}

/** The first candidate not yet paired (pairing is final, so skipped ones are skipped for good). */
function firstUnpaired(candidates: Candidates | undefined, paired: ReadonlySet<number>): number | undefined {
  if (!candidates) return undefined;
  while (
    candidates.next < candidates.indices.length &&
    paired.has(candidates.indices[candidates.next] as number)
  ) {
    candidates.next++;
  }
  return candidates.indices[candidates.next];
}

// ---- the comparison ------------------------------------------------------------------------

/** Appends `value` to the list under `key` (in place: copying lists made large inputs quadratic). */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function byOrder(side: Side) {
  return (a: StepRef, b: StepRef) =>
    (side.order.get(a.stepId) ?? Number.MAX_SAFE_INTEGER) -
    (side.order.get(b.stepId) ?? Number.MAX_SAFE_INTEGER);
}

/**
 * Compares `current` with `future` (see the header for how steps and lanes are matched). Total
 * for any two workflows that passed their schema: unknown `replaces`/`retired` ids are reported
 * in `dangling`, a workflow without metrics in `metrics.problems`.
 */
export function compareWorkflows<F extends ComparableFinding = ComparableFinding>(
  currentWorkflow: Workflow,
  futureWorkflow: Workflow,
  options: CompareOptions<F> = {},
): WorkflowComparison<F> {
  const current = sideOf(currentWorkflow);
  const future = sideOf(futureWorkflow);
  const lanePairs = matchLanes(current, future); // current lane id → future lane id
  const futureLaneOf = (currentLaneId: string) => lanePairs.get(currentLaneId);
  const laneName = (side: Side, laneId: string) => side.lanes.get(laneId)?.name ?? '';
  // a matched pair's changes; the role is the same when the step stays in the paired lane
  const changesOf = (old: Step, step: Step) =>
    attributeChanges(
      old,
      step,
      laneName(current, old.lane),
      laneName(future, step.lane),
      futureLaneOf(old.lane) === step.lane,
    );

  const traces = new Traces();
  const dangling: DanglingReference[] = [];
  const confirmed: StepMatch[] = [];
  const replacedBy = new Map<string, Step[]>(); // current step id → future steps replacing it
  const futureWithReplaces = new Set<string>();
  for (const step of futureWorkflow.steps) {
    for (const id of sortedUnique(step.replaces ?? [])) {
      const old = current.steps.get(id);
      if (!old) {
        dangling.push({ field: 'replaces', futureStepId: step.id, currentStepId: id });
        continue;
      }
      futureWithReplaces.add(step.id);
      pushTo(replacedBy, id, step);
      traces.union(`c:${id}`, `f:${step.id}`);
      confirmed.push({
        by: 'replaces',
        current: ref(current, old),
        future: ref(future, step),
        changes: changesOf(old, step),
      });
    }
  }
  const retiredIds = new Set<string>();
  for (const id of sortedUnique(futureWorkflow.retired ?? [])) {
    if (current.steps.has(id)) retiredIds.add(id);
    else dangling.push({ field: 'retired', currentStepId: id });
  }

  // suggestions: future steps without replaces ↔ current steps of the paired lane, same label
  const suggested: StepMatch[] = [];
  if (options.suggestLabels ?? true) {
    const currentByLaneLabel = new Map<string, Step[]>();
    for (const step of currentWorkflow.steps) {
      const lane = futureLaneOf(step.lane);
      if (lane === undefined) continue;
      pushTo(currentByLaneLabel, JSON.stringify([lane, current.labels.get(step.id)]), step);
    }
    for (const step of futureWorkflow.steps) {
      if (futureWithReplaces.has(step.id)) continue;
      const key = JSON.stringify([step.lane, future.labels.get(step.id)]);
      for (const old of currentByLaneLabel.get(key) ?? []) {
        suggested.push({
          by: 'suggested-label',
          current: ref(current, old),
          future: ref(future, step),
          changes: changesOf(old, step),
        });
      }
    }
  }
  const futureOrder = byOrder(future);
  const currentOrder = byOrder(current);
  const matchOrder = (a: StepMatch, b: StepMatch) =>
    futureOrder(a.future, b.future) || currentOrder(a.current, b.current);
  confirmed.sort(matchOrder);
  suggested.sort(matchOrder);

  const suggestionsForFuture = new Map<string, StepRef[]>();
  const suggestionsForCurrent = new Map<string, StepRef[]>();
  for (const match of suggested) {
    pushTo(suggestionsForFuture, match.future.stepId, match.current);
    pushTo(suggestionsForCurrent, match.current.stepId, match.future);
  }

  const added: AddedStep[] = futureWorkflow.steps
    .filter((s) => !futureWithReplaces.has(s.id) && !suggestionsForFuture.has(s.id))
    .map((s) => ({ step: ref(future, s) }))
    .sort((a, b) => futureOrder(a.step, b.step));
  const removedSteps = currentWorkflow.steps
    .filter((s) => !replacedBy.has(s.id))
    .map((s) => ({ step: ref(current, s), suggestedMatches: suggestionsForCurrent.get(s.id) ?? [] }))
    .sort((a, b) => currentOrder(a.step, b.step));
  const removed = {
    retired: removedSteps.filter((r) => retiredIds.has(r.step.stepId)),
    untraced: removedSteps.filter((r) => !retiredIds.has(r.step.stepId)),
  };
  dangling.sort(
    (a, b) =>
      compareText(a.field, b.field) ||
      compareText(a.futureStepId ?? '', b.futureStepId ?? '') ||
      compareText(a.currentStepId, b.currentStepId),
  );

  const currentMetrics = options.currentMetrics ?? computeMetrics(currentWorkflow);
  const futureMetrics = options.futureMetrics ?? computeMetrics(futureWorkflow);

  const result: WorkflowComparison<F> = {
    current: { id: currentWorkflow.id, name: currentWorkflow.name },
    future: { id: futureWorkflow.id, name: futureWorkflow.name },
    lanes: [],
    matches: [...confirmed, ...suggested],
    added,
    removed,
    dangling,
    metrics: compareMetrics(currentMetrics, futureMetrics),
    roles: [],
  };
  if (options.currentFindings !== undefined || options.futureFindings !== undefined) {
    // a plan with no log of its own can neither resolve nor keep what today's log measured
    const measured = new Set(MEASURED_RULES);
    const planMeasured = futureWorkflow.observed !== undefined;
    const fromLog = (f: F) => !planMeasured && (f.rules ?? [f.rule]).some((rule) => measured.has(rule));
    const todays = options.currentFindings ?? [];
    result.findings = compareFindings(
      traces,
      current,
      future,
      todays.filter((f) => !fromLog(f)),
      options.futureFindings ?? [],
      options.baselineStepRules ?? BASELINE_STEP_RULES,
      options.carriedOverRules ?? CARRIED_OVER_RULES,
    );
    const unmeasured = todays.filter(fromLog);
    if (unmeasured.length > 0) result.findings.unmeasured = unmeasured;
  }
  const roles = roleImpacts({
    current,
    future,
    lanePairs,
    confirmed,
    replacedBy,
    retiredIds,
    suggestionsForFuture,
    suggestionsForCurrent,
    currentMetrics,
    futureMetrics,
  });
  result.roles = roles.map((r) => r.impact);
  result.lanes = roles.map((r) => r.lane);
  return result;
}

// ---- role impact ---------------------------------------------------------------------------

interface RoleInput {
  current: Side;
  future: Side;
  lanePairs: Map<string, string>;
  confirmed: StepMatch[];
  replacedBy: Map<string, Step[]>;
  retiredIds: Set<string>;
  suggestionsForFuture: Map<string, StepRef[]>;
  suggestionsForCurrent: Map<string, StepRef[]>;
  currentMetrics: MetricsResult;
  futureMetrics: MetricsResult;
}

function loadOf(lane: Lane | undefined, metrics: MetricsResult): RoleLoad | null {
  if (!lane) return null;
  const laneMetrics = metrics.ok ? metrics.metrics.lanes.find((l) => l.laneId === lane.id) : undefined;
  return {
    staff: lane.staff,
    touchMinPerCase: laneMetrics?.touchMinPerCase ?? 0,
    utilisation: laneMetrics?.utilisation ?? null,
  };
}

/** Systems (as written) of `steps`, keyed by {@link systemKey}; "no system" spellings left out. */
function systemsOf(steps: readonly Step[]): Map<string, string> {
  const systems = new Map<string, string>();
  for (const step of steps) {
    const key = systemKey(step.system);
    if (!NO_SYSTEM.has(key) && !systems.has(key)) systems.set(key, step.system.trim());
  }
  return systems;
}

function difference(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...a]
    .filter(([key]) => !b.has(key))
    .map(([, value]) => value)
    .sort(compareText);
}

function itemsOf(steps: readonly Step[]): Set<string> {
  return new Set(steps.flatMap((s) => s.enters));
}

function roleImpacts(input: RoleInput): Array<{ impact: RoleImpact; lane: LaneMatch }> {
  const { current, future, lanePairs, confirmed } = input;
  const futureLaneOfCurrent = (laneId: string) => lanePairs.get(laneId);
  const currentLaneOfFuture = new Map([...lanePairs].map(([c, f]) => [f, c] as const));
  const futureOrder = byOrder(future);
  const currentOrder = byOrder(current);
  const matchesOfFuture = new Map<string, StepMatch[]>();
  for (const match of confirmed) {
    pushTo(matchesOfFuture, match.future.stepId, match);
  }

  const roles: Array<{ rank: number; name: string; impact: RoleImpact; lane: LaneMatch }> = [];
  const build = (currentLane: Lane | undefined, futureLane: Lane | undefined) => {
    // start and end events mark where the process begins and ends; nobody is trained to do them
    const isWork = (s: Step) => s.kind !== 'start' && s.kind !== 'end';
    const currentSteps = currentLane
      ? current.workflow.steps.filter((s) => s.lane === currentLane.id && isWork(s))
      : [];
    const futureSteps = futureLane
      ? future.workflow.steps.filter((s) => s.lane === futureLane.id && isWork(s))
      : [];
    const gains: RoleStepChange[] = [];
    const changes: RoleStepChange[] = [];
    const unchanged: StepRef[] = [];
    for (const step of futureSteps) {
      const matches = matchesOfFuture.get(step.id) ?? [];
      const item: RoleStepChange = {
        step: ref(future, step),
        instead: matches.map((m) => ({ step: m.current, changes: m.changes })),
        suggestedMatches: input.suggestionsForFuture.get(step.id) ?? [],
      };
      const fromThisRole =
        currentLane !== undefined && matches.some((m) => m.current.laneId === currentLane.id);
      if (!fromThisRole) gains.push(item);
      else if (matches.some((m) => m.changes.length > 0)) changes.push(item);
      else unchanged.push(item.step);
    }
    const loses: RoleStepLoss[] = [];
    for (const step of currentSteps) {
      const replacing = input.replacedBy.get(step.id) ?? [];
      if (futureLane !== undefined && replacing.some((s) => s.lane === futureLane.id)) continue;
      loses.push({
        step: ref(current, step),
        reason: replacing.length > 0 ? 'moved' : input.retiredIds.has(step.id) ? 'retired' : 'untraced',
        movedTo: replacing.map((s) => ref(future, s)).sort(futureOrder),
        suggestedMatches: input.suggestionsForCurrent.get(step.id) ?? [],
      });
    }
    gains.sort((a, b) => futureOrder(a.step, b.step));
    changes.sort((a, b) => futureOrder(a.step, b.step));
    unchanged.sort(futureOrder);
    loses.sort((a, b) => currentOrder(a.step, b.step));
    for (const item of [...gains, ...changes]) item.instead.sort((a, b) => currentOrder(a.step, b.step));

    const currentSystems = systemsOf(currentSteps);
    const futureSystems = systemsOf(futureSteps);
    const currentItems = itemsOf(currentSteps);
    const futureItems = itemsOf(futureSteps);
    const status: RoleImpact['status'] = !currentLane
      ? 'added'
      : !futureLane
        ? 'removed'
        : gains.length + loses.length + changes.length > 0
          ? 'changed'
          : 'unchanged';
    const name = futureLane?.name ?? currentLane?.name ?? '';
    // role order: the process position of the role's first step (future side when it exists)
    const laneSteps = (side: Side, lane: Lane) => side.workflow.steps.filter((s) => s.lane === lane.id);
    const rank = futureLane
      ? Math.min(
          ...laneSteps(future, futureLane).map((s) => future.order.get(s.id) ?? Number.MAX_SAFE_INTEGER),
        )
      : Math.min(
          ...(currentLane ? laneSteps(current, currentLane) : []).map(
            (s) => current.order.get(s.id) ?? Number.MAX_SAFE_INTEGER,
          ),
        );
    const side = (lane: Lane | undefined) =>
      lane ? { laneId: lane.id, name: lane.name, staff: lane.staff } : null;
    roles.push({
      rank,
      name: normaliseLabel(name),
      lane: { name, current: side(currentLane), future: side(futureLane) },
      impact: {
        name,
        status,
        currentLaneId: currentLane?.id ?? null,
        futureLaneId: futureLane?.id ?? null,
        gains,
        loses,
        changes,
        unchanged,
        newSystems: difference(futureSystems, currentSystems),
        retiredSystems: difference(currentSystems, futureSystems),
        newDataItems: [...futureItems].filter((i) => !currentItems.has(i)).sort(compareText),
        droppedDataItems: [...currentItems].filter((i) => !futureItems.has(i)).sort(compareText),
        load: {
          current: loadOf(currentLane, input.currentMetrics),
          future: loadOf(futureLane, input.futureMetrics),
        },
      },
    });
  };
  for (const lane of current.workflow.lanes) {
    const pair = futureLaneOfCurrent(lane.id);
    build(lane, pair === undefined ? undefined : future.lanes.get(pair));
  }
  for (const lane of future.workflow.lanes) if (!currentLaneOfFuture.has(lane.id)) build(undefined, lane);
  // Infinity ranks (lanes without steps) sort last, by name
  roles.sort((a, b) => (a.rank === b.rank ? 0 : a.rank < b.rank ? -1 : 1) || compareText(a.name, b.name));
  return roles;
}
