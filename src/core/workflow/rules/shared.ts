/**
 * Small helpers the finding rules share: wording (step labels in quotes, rounded numbers),
 * evidence numbers that are always finite JSON, and the recognisers of data items.
 *
 * Constraint: findings must not depend on the order of steps, lanes or flows in the file, so
 * every list a rule reports is sorted by id here or in the rule (property-tested).
 */
import type { Lane, Step, Workflow } from '../../../formats/workflow.ts';
import { EPSILON, type WorkflowGraph } from '../graph.ts';
import type { Finding, JsonValue, RuleContext } from './types.ts';

/** Orders ids by UTF-16 code units (stable whatever the locale). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted copy of ids, without duplicates. */
export function sortedIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort(compareIds);
}

/** A step's label in quotes for a message (labels are workflow content, never patient data). */
export function quoted(step: Step | undefined, fallbackId = ''): string {
  const label = step?.label.trim() || step?.id || fallbackId;
  return `“${label}”`;
}

/** A lane's name for a message. */
export function laneName(workflow: Workflow, laneId: string): string {
  return workflow.lanes.find((lane) => lane.id === laneId)?.name.trim() || laneId;
}

/** The lane of `laneId`, if any. */
export function laneOf(workflow: Workflow, laneId: string): Lane | undefined {
  return workflow.lanes.find((lane) => lane.id === laneId);
}

/**
 * Significant digits a computed number is cut to before it is rounded for evidence or a message.
 * Sums over steps taken in another order differ in the last bits (0.00275 vs 0.0027499999999), and
 * rounding must not turn that into 0.0028 vs 0.0027: findings may not depend on the file's order
 * (property-tested). 12 digits keep every number a clinic writes and drop only that noise.
 */
const STABLE_DIGITS = 12;

/** `value` without the last bits that depend on summation order (see {@link STABLE_DIGITS}). */
function stable(value: number): number {
  return Number(value.toPrecision(STABLE_DIGITS));
}

/** A number for evidence: rounded to 4 decimals, never NaN or ±Infinity (those become null). */
export function num(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const rounded = Math.round(stable(value) * 10_000) / 10_000;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** A number for a message: at most `digits` decimals, thousands separated ("1,493"). */
export function show(value: number, digits = 1): string {
  if (value === Number.POSITIVE_INFINITY) return 'unbounded';
  if (!Number.isFinite(value)) return 'unknown';
  let format = NUMBER_FORMATS.get(digits);
  if (!format) {
    // one formatter per precision: building an Intl.NumberFormat per call dominated large analyses
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    NUMBER_FORMATS.set(digits, format);
  }
  return format.format(stable(value));
}

const NUMBER_FORMATS = new Map<number, Intl.NumberFormat>();

/** A share as a percentage for a message ("88 %"). */
export function percent(share: number): string {
  if (!Number.isFinite(share)) return 'unbounded';
  return `${Math.round(stable(share) * 100)} %`;
}

/** Expected visits of a step per case (0 when unknown or unreached; trapped steps count 0). */
export function visitsOf(context: RuleContext, stepId: string): number {
  const v = context.visits.visits.get(stepId) ?? 0;
  return Number.isFinite(v) ? v : 0;
}

/** Ids (sorted) of the lane's steps that load its queue: reached, with touch time (metrics.ts). */
export function loadingStepIds(context: RuleContext, laneId: string): string[] {
  return sortedIds(
    context.workflow.steps
      .filter((s) => s.lane === laneId && s.touchMin > 0 && visitsOf(context, s.id) > 0)
      .map((s) => s.id),
  );
}

/** True when a case can reach the step (positive expected visits, or on a trapped loop). */
export function isReached(context: RuleContext, stepId: string): boolean {
  const v = context.visits.visits.get(stepId) ?? 0;
  return Number.isNaN(v) || v > EPSILON;
}

/** Targets of the flows of positive probability leaving `id`, sorted. */
export function nextSteps(graph: WorkflowGraph, id: string): string[] {
  return sortedIds((graph.outgoing.get(id) ?? []).filter((e) => e.probability > EPSILON).map((e) => e.to));
}

/**
 * Each step's distance (in flows) from the nearest start step, for listing steps in the order a
 * case meets them; unreachable steps get Infinity. Independent of the file order.
 */
export function processDepth(graph: WorkflowGraph): ReadonlyMap<string, number> {
  const cached = DEPTHS.get(graph);
  if (cached) return cached;
  const depth = new Map<string, number>();
  DEPTHS.set(graph, depth);
  let frontier = sortedIds(graph.starts);
  for (const id of frontier) depth.set(id, 0);
  for (let d = 1; frontier.length > 0; d++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const edge of graph.outgoing.get(id) ?? []) {
        if (depth.has(edge.to)) continue;
        depth.set(edge.to, d);
        next.push(edge.to);
      }
    }
    frontier = next;
  }
  return depth;
}

/** Depths per graph: several rules list steps in process order within one analysis. */
const DEPTHS = new WeakMap<WorkflowGraph, Map<string, number>>();

/** Sorts steps in process order: distance from the start, then id. */
export function inProcessOrder<T extends { id: string }>(graph: WorkflowGraph, steps: readonly T[]): T[] {
  const depth = processDepth(graph);
  const at = (id: string) => depth.get(id) ?? Number.POSITIVE_INFINITY;
  return [...steps].sort((a, b) => at(a.id) - at(b.id) || compareIds(a.id, b.id));
}

/** Steps of the workflow sorted by id (rules iterate in this order, never the file's). */
export function stepsInIdOrder(workflow: Workflow): Step[] {
  return [...workflow.steps].sort((a, b) => compareIds(a.id, b.id));
}

/** Builds a finding of the rule running in `context`. */
export function finding(
  rule: string,
  severity: Finding['severity'],
  stepIds: string[],
  message: string,
  evidence: Record<string, JsonValue>,
): Finding {
  return { rule, severity, stepIds, message, evidence };
}

/** Paper-like media: the work or the document is physical. */
export function isPaperMedium(step: Step): boolean {
  return step.medium === 'paper' || step.medium === 'fax';
}

/** The first segment of a data item ("vitals.bp" → "vitals"), lower-cased. */
export function itemRoot(item: string): string {
  return (item.split('.')[0] ?? '').trim().toLowerCase();
}

/**
 * Clinical data whose transcription errors harm patients (vital-sign transcription: 4.4–18.75 %
 * errors vs < 1 % interfaced; Smith et al., CIN 2009; Fieler et al., CIN 2013): items whose first
 * segment is one of these.
 */
const CLINICAL_ITEM_ROOTS: ReadonlySet<string> = new Set([
  'vitals',
  'allergies',
  'medications',
  'meds',
  'immunizations',
  'problems',
  'result',
  'results',
  'lab',
  'order',
]);

/** True for an item of {@link CLINICAL_ITEM_ROOTS}. */
export function isClinicalItem(item: string): boolean {
  return CLINICAL_ITEM_ROOTS.has(itemRoot(item));
}

/** Cases per day: the workflow's own figure, else peak arrivals × 8 hours (the format's default). */
export function casesPerDayOf(workflow: Workflow): number {
  return workflow.casesPerDay ?? workflow.arrivalsPerHour * 8;
}

const MINUTES_PER_HOUR = 60;
const MINUTES_PER_DAY = 1440;

/** A duration for a message: "45 min", "3.2 h" under two days, else "2.5 days". */
export function duration(minutes: number): string {
  if (!Number.isFinite(minutes)) return 'unknown';
  if (minutes < MINUTES_PER_HOUR) return `${show(minutes, 0)} min`;
  if (minutes < 2 * MINUTES_PER_DAY) return `${show(minutes / MINUTES_PER_HOUR, 1)} h`;
  return `${show(minutes / MINUTES_PER_DAY, 1)} days`;
}

/**
 * Cases of the event log a workflow was discovered from: its `observed.cases`, else the most
 * cases any of its steps was seen in; 0 for a drawn workflow.
 */
export function loggedCases(workflow: Workflow): number {
  if (workflow.observed) return workflow.observed.cases;
  let most = 0;
  for (const step of workflow.steps) most = Math.max(most, step.observed?.cases ?? 0);
  return most;
}
