/**
 * Metrics of one workflow per case and per lane: the numbers of the workflow analysis
 * (docs/product.md#workflows). Everything is an expectation over the branch probabilities, weighted
 * by the expected visits of graph.ts (so loops count as often as a case goes round them, solved
 * exactly).
 *
 * Model (stated once, used by the rules, compare and the UI):
 * - A step's own time per visit is `waitMin` (waiting not caused by its own lane) + `touchMin`
 *   (staff time) + the queueing wait of its lane.
 * - A lane with `staff ≥ 1` is an M/M/c queue (queueing.ts) whose work arrives at
 *   λ·Σ visits of its steps with touch time, λ = `arrivalsPerHour`, with mean service time
 *   Σ(visits·touch) / Σ visits. Utilisation ρ = λ·Σ(visits·touch) / staff (minutes → hours).
 *   Every step of the lane that has touch time waits the lane's Erlang C wait Wq per visit.
 * - A lane with `staff: 0` is not a staffed clinic role (the patient, an outside lab; see
 *   `staff` in src/formats/workflow.schema.json): its steps take their touch time, no queue, no ρ.
 * - A step with `touchMin: 0` (a start, an end, an automatic filing) needs no staff, so it never
 *   queues and adds no load.
 * - ρ ≥ 1: the lane is unstable (no steady state); its wait is Infinity, never NaN, and so are
 *   the queueing and cycle time per case.
 * - Parallel and inclusive branches (graph.ts `blocks`) run side by side: staff time adds up over
 *   every branch (each is work someone does), but a case waits only for its longest branch. So
 *   within a split … join block, `waitMin`, `queueWaitMin` and the elapsed time count the branch
 *   with the longest expected time (wait + touch + queue) and drop the others; nested blocks are
 *   reduced first. Then `cycleMin` ≤ touch + wait + queue, equal when nothing runs in parallel.
 *   For an inclusive split this takes the longest expected branch, not the expected longest of
 *   the branches taken: a lower estimate when branches are often skipped.
 * - A pool started by a message (graph.ts `entries`) runs beside the case: its steps count in
 *   staff time, waits, handoffs and load, but not in `cycleMin` or the critical path.
 * - A workflow whose cases can enter a loop they never leave (`trapped` in graph.ts) has no
 *   finite expectation: the result is a problem naming those steps instead of numbers.
 *
 * Constraint: pure and deterministic; the result does not depend on the order of steps, lanes or
 * flows in the file beyond floating-point rounding (property-tested in metrics.property.test.ts).
 */
import type { Lane, Step, Workflow } from '../../formats/workflow.ts';
import {
  buildGraph,
  type Edge,
  EPSILON,
  expectedVisits,
  type GatewayBlock,
  type Visits,
  type WorkflowGraph,
} from './graph.ts';
import { mmc } from './queueing.ts';

const MINUTES_PER_HOUR = 60;
/** Two path lengths this close (relative) count as equal, so rounding cannot pick the path. */
const PATH_LENGTH_TOLERANCE = 1e-9;

/** Scenario knobs: the workflow as drawn (both 1) or at go-live settings (goLive.ts). */
interface MetricsScenario {
  /** multiplies `arrivalsPerHour` (booking factor); default 1 */
  demandFactor?: number;
  /** divides every touch time (staff productivity relative to normal); default 1 */
  productivityFactor?: number;
}

/** One lane's load and queue. */
export interface LaneMetrics {
  laneId: string;
  name: string;
  staff: number;
  /** false for `staff: 0` lanes: no queue, no utilisation */
  queued: boolean;
  /** work items (visits of steps with touch time) arriving per hour */
  arrivalsPerHour: number;
  /** staff minutes per case: Σ visits·touch over the lane's steps */
  touchMinPerCase: number;
  /** offered load in Erlangs: staff busy on average (λ·touch per case, in hours) */
  offeredLoad: number;
  /** ρ = offered load / staff; null when not queued */
  utilisation: number | null;
  /** false when ρ ≥ 1: the queue grows without bound */
  stable: boolean;
  /** Erlang C probability that a work item waits; null when not queued */
  pWait: number | null;
  /** mean queueing wait per work item (minutes); 0 when not queued, Infinity when unstable */
  queueWaitMin: number;
}

/** One step's expected load and time. */
export interface StepMetrics {
  stepId: string;
  /** expected visits per case */
  visits: number;
  /** queueing wait per visit (minutes): its lane's wait, 0 when it does not queue */
  queueWaitMin: number;
  /** waitMin + touchMin + queueWaitMin: the step's time per visit */
  durationMin: number;
}

/**
 * The critical path: the longest expected-duration path through the workflow, defined so that a
 * loop cannot make it infinite and the file order cannot change it:
 * 1. Steps: those a case reaches from a start along flows of positive probability.
 * 2. Back edges: a depth-first search from the starts, taking starts and next steps in step-id
 *    order, marks as back edge every flow into a step that is still on its search stack (the flow
 *    that closes a loop, e.g. "rework → review"). Removing them leaves an acyclic graph in which
 *    every reached step is still reached (through the search tree). Step ids, not the file
 *    order, decide which flow of a loop is the back edge.
 * 3. A path runs from a start to a terminal step: an `end` step or one with no flow of positive
 *    probability leaving it (a case ends there).
 * 4. Its length is Σ durationMin of its steps, once per step (per visit, not visits-weighted):
 *    the time one case takes that goes this way without repeating a loop.
 * 5. Ties (within a relative 1e-9) are broken by the smaller step id at each choice, first among
 *    the starts, then among the next steps.
 * Empty (length 0) when no terminal step can be reached.
 */
export interface CriticalPath {
  stepIds: string[];
  durationMin: number;
}

/** Expected per-case and per-lane numbers of one workflow. */
export interface WorkflowMetrics {
  /** the arrival rate used (arrivalsPerHour × demand factor) */
  arrivalsPerHour: number;
  /** staff touch time per case (minutes) */
  touchMin: number;
  /** waiting per case not caused by queues: Σ visits·waitMin (the longest branch of a parallel block) */
  waitMin: number;
  /** queueing wait per case: Σ visits·(lane wait); Infinity when a lane it uses is unstable */
  queueWaitMin: number;
  /**
   * elapsed time per case: touch + wait + queueing wait, with parallel branches counted by their
   * longest (see the header), so below touch + wait + queue when branches run side by side
   */
  cycleMin: number;
  /** expected lane changes along flows per case */
  handoffs: number;
  /** expected clicks per case */
  clicks: number;
  /** expected data items typed per case */
  dataEntries: number;
  /** per lane, in file order */
  lanes: LaneMetrics[];
  /** ids of queued lanes with ρ ≥ 1 (sorted) */
  unstableLanes: string[];
  /** per step, in file order */
  steps: StepMetrics[];
  criticalPath: CriticalPath;
}

/** Why a workflow has no metrics. */
export interface MetricsProblem {
  kind: 'trapped-loop';
  /** the steps of loops a case can enter but never leave (sorted) */
  stepIds: string[];
  message: string;
}

export type MetricsResult = { ok: true; metrics: WorkflowMetrics } | { ok: false; problem: MetricsProblem };

/** Per-lane work, summed in step-id order so the file order does not change the rounding. */
interface LaneLoad {
  touchPerCase: number;
  visitsPerCase: number;
}

/** Steps sorted by id: sums over them are the same whatever the file order. */
function stepsById(workflow: Workflow): Step[] {
  return [...workflow.steps].sort((a, b) => compareIds(a.id, b.id));
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function queues(step: Step): boolean {
  return step.touchMin > 0;
}

/** Lane queues for the given visits and scenario (shared with goLive.ts). */
export function laneMetrics(
  workflow: Workflow,
  visits: ReadonlyMap<string, number>,
  scenario: MetricsScenario = {},
): LaneMetrics[] {
  const demand = workflow.arrivalsPerHour * (scenario.demandFactor ?? 1);
  const productivity = scenario.productivityFactor ?? 1;
  const loads = new Map<string, LaneLoad>();
  for (const step of stepsById(workflow)) {
    const v = visits.get(step.id) ?? 0;
    if (!(v > 0) || !queues(step)) continue;
    const load = loads.get(step.lane) ?? { touchPerCase: 0, visitsPerCase: 0 };
    load.touchPerCase += (v * step.touchMin) / productivity;
    load.visitsPerCase += v;
    loads.set(step.lane, load);
  }
  return workflow.lanes.map((lane) => oneLane(lane, loads.get(lane.id), demand));
}

function oneLane(lane: Lane, load: LaneLoad | undefined, arrivalsPerHour: number): LaneMetrics {
  const touchMinPerCase = load?.touchPerCase ?? 0;
  const visitsPerCase = load?.visitsPerCase ?? 0;
  const offeredLoad = (arrivalsPerHour * touchMinPerCase) / MINUTES_PER_HOUR;
  const base = {
    laneId: lane.id,
    name: lane.name,
    staff: lane.staff,
    arrivalsPerHour: arrivalsPerHour * visitsPerCase,
    touchMinPerCase,
    offeredLoad,
  };
  if (lane.staff < 1) {
    return { ...base, queued: false, utilisation: null, stable: true, pWait: null, queueWaitMin: 0 };
  }
  const meanService = visitsPerCase > 0 ? touchMinPerCase / visitsPerCase : 0;
  const queue = mmc((arrivalsPerHour * visitsPerCase) / MINUTES_PER_HOUR, meanService, lane.staff);
  return {
    ...base,
    queued: true,
    utilisation: queue.utilisation,
    stable: queue.stable,
    pWait: queue.pWait,
    queueWaitMin: queue.meanWait,
  };
}

/** The problem reported instead of metrics when cases can be trapped in a loop. */
export function trappedProblem(trapped: readonly string[]): MetricsProblem {
  const stepIds = [...trapped].sort(compareIds);
  return {
    kind: 'trapped-loop',
    stepIds,
    message:
      `Cases that reach step(s) ${stepIds.join(', ')} go round a loop with no way out, so the ` +
      'expected time per case has no finite value. Give the loop an exit flow with a positive probability.',
  };
}

/**
 * A workflow's graph and expected visits: what every metric of it starts from, whatever the
 * scenario. The analysis prepares it once and hands it to the peak metrics, the go-live metrics and
 * the schedule cut, instead of each building the graph and solving the visits again.
 */
export interface PreparedWorkflow {
  graph: WorkflowGraph;
  solved: Visits;
}

/** Builds the graph of `workflow` and solves its expected visits (graph.ts). */
export function prepareWorkflow(workflow: Workflow): PreparedWorkflow {
  const graph = buildGraph(workflow);
  return { graph, solved: expectedVisits(graph) };
}

/**
 * The metrics of `workflow` (as drawn, or under a go-live scenario). Never throws for a workflow
 * that passed its schema; reports a trapped loop as a problem instead of numbers. `prepared` must
 * be `prepareWorkflow(workflow)` of this very workflow when given (it saves building it again).
 */
export function computeMetrics(
  workflow: Workflow,
  scenario: MetricsScenario = {},
  prepared: PreparedWorkflow = prepareWorkflow(workflow),
): MetricsResult {
  const { graph } = prepared;
  const { visits, trapped } = prepared.solved;
  if (trapped.length > 0) return { ok: false, problem: trappedProblem(trapped) };
  const productivity = scenario.productivityFactor ?? 1;
  const lanes = laneMetrics(workflow, visits, scenario);
  const laneWait = new Map(lanes.map((lane) => [lane.laneId, lane.queueWaitMin] as const));

  const stepWait = (step: Step): number => (queues(step) ? (laneWait.get(step.lane) ?? 0) : 0);
  let touchMin = 0;
  let waitMin = 0;
  let queueWaitMin = 0;
  let clicks = 0;
  let dataEntries = 0;
  let handoffs = 0;
  // a pool started by a message (graph.ts `entries`) works beside the case: its staff time, waits
  // and handoffs are the case's, but the case does not wait for it, so its time is not elapsed
  const { onCase } = graph;
  const elapsed = { touch: 0, wait: 0, queue: 0 };
  for (const step of stepsById(workflow)) {
    const v = visits.get(step.id) ?? 0;
    // a step no case reaches contributes nothing (and 0 · Infinity would be NaN)
    if (!(v > 0)) continue;
    touchMin += (v * step.touchMin) / productivity;
    waitMin += v * step.waitMin;
    queueWaitMin += v * stepWait(step);
    if (onCase.has(step.id)) {
      elapsed.touch += (v * step.touchMin) / productivity;
      elapsed.wait += v * step.waitMin;
      elapsed.queue += v * stepWait(step);
    }
    clicks += v * step.clicks;
    dataEntries += v * step.enters.length;
    for (const edge of sortedOutgoing(graph, step.id)) {
      const to = graph.steps.get(edge.to);
      if (to && to.lane !== step.lane) handoffs += v * edge.probability;
    }
  }

  const overlap = parallelOverlap(graph, visits, (step) => [
    step.waitMin,
    step.touchMin / productivity,
    stepWait(step),
  ]);
  waitMin -= overlap.wait;
  queueWaitMin -= overlap.queue;
  // when every start is an entry, every step a case visits is on the case: the same overlap
  const caseOverlap =
    graph.entries.length === graph.starts.length
      ? overlap
      : parallelOverlap(graph, visits, (step) =>
          onCase.has(step.id) ? [step.waitMin, step.touchMin / productivity, stepWait(step)] : [0, 0, 0],
        );

  const steps: StepMetrics[] = workflow.steps.map((step) => {
    const queueWait = stepWait(step);
    return {
      stepId: step.id,
      visits: visits.get(step.id) ?? 0,
      queueWaitMin: queueWait,
      durationMin: step.waitMin + step.touchMin / productivity + queueWait,
    };
  });
  const duration = new Map(steps.map((s) => [s.stepId, s.durationMin] as const));

  return {
    ok: true,
    metrics: {
      arrivalsPerHour: workflow.arrivalsPerHour * (scenario.demandFactor ?? 1),
      touchMin,
      waitMin,
      queueWaitMin,
      cycleMin:
        elapsed.touch -
        caseOverlap.touch +
        (elapsed.wait - caseOverlap.wait) +
        (elapsed.queue - caseOverlap.queue),
      handoffs,
      clicks,
      dataEntries,
      lanes,
      unstableLanes: lanes
        .filter((lane) => lane.queued && !lane.stable)
        .map((lane) => lane.laneId)
        .sort(compareIds),
      steps,
      criticalPath: criticalPath(graph, duration),
    },
  };
}

/** Per-case minutes that parallel branches save by running side by side (see the header). */
interface Overlap {
  wait: number;
  touch: number;
  queue: number;
}

/**
 * What running parallel and inclusive branches side by side takes off the per-case sums: for each
 * block, innermost first, every branch but the longest (by wait + touch + queue, visits-weighted,
 * ties to the first branch), its inner blocks already reduced. Nothing is taken off a block whose
 * branches include an unstable queue (an infinite time stays infinite).
 */
function parallelOverlap(
  graph: WorkflowGraph,
  visits: ReadonlyMap<string, number>,
  minutes: (step: Step) => [wait: number, touch: number, queue: number],
): Overlap {
  const total: Overlap = { wait: 0, touch: 0, queue: 0 };
  const size = (b: GatewayBlock) => b.branches.reduce((n, branch) => n + branch.length, 0);
  const blocks = [...graph.blocks].sort((a, b) => size(a) - size(b) || compareIds(a.split, b.split));
  const saved = new Map<string, Overlap>();
  for (const block of blocks) {
    const nets = block.branches.map((branch) => {
      const net: Overlap = { wait: 0, touch: 0, queue: 0 };
      const inBranch = new Set(branch);
      for (const id of [...branch].sort(compareIds)) {
        const step = graph.steps.get(id);
        const v = visits.get(id) ?? 0;
        if (!step || !(v > 0)) continue;
        const [wait, touch, queue] = minutes(step);
        net.wait += v * wait;
        net.touch += v * touch;
        net.queue += v * queue;
      }
      for (const [split, s] of saved) {
        if (!inBranch.has(split)) continue;
        net.wait -= s.wait;
        net.touch -= s.touch;
        net.queue -= s.queue;
      }
      return net;
    });
    const length = (n: Overlap) => n.wait + n.touch + n.queue;
    if (!nets.every((n) => Number.isFinite(length(n)))) continue;
    let longest = 0;
    nets.forEach((n, i) => {
      if (
        length(n) > length(nets[longest] as Overlap) &&
        !sameLength(length(n), length(nets[longest] as Overlap))
      )
        longest = i;
    });
    const own: Overlap = { wait: 0, touch: 0, queue: 0 };
    nets.forEach((n, i) => {
      if (i === longest) return;
      own.wait += n.wait;
      own.touch += n.touch;
      own.queue += n.queue;
    });
    saved.set(block.split, own);
    total.wait += own.wait;
    total.touch += own.touch;
    total.queue += own.queue;
  }
  return total;
}

/**
 * Outgoing edges of positive probability per step, sorted by target id, computed once per graph
 * (graphs are built by buildGraph and never changed afterwards, so the cache cannot go stale).
 */
const sortedOutgoingOf = new WeakMap<WorkflowGraph, Map<string, Edge[]>>();

/** Outgoing edges of positive probability, sorted by target id (order-independent sums). */
function sortedOutgoing(graph: WorkflowGraph, id: string): readonly Edge[] {
  let byStep = sortedOutgoingOf.get(graph);
  if (!byStep) {
    byStep = new Map();
    sortedOutgoingOf.set(graph, byStep);
  }
  let edges = byStep.get(id);
  if (!edges) {
    edges = (graph.outgoing.get(id) ?? [])
      .filter((edge) => edge.probability > EPSILON)
      .sort((a, b) => compareIds(a.to, b.to));
    byStep.set(id, edges);
  }
  return edges;
}

/** Path lengths equal up to rounding (Infinity equals Infinity). */
function sameLength(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= PATH_LENGTH_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** True when `candidate` (id `candidateId`) beats the best so far under the tie rule. */
function better(candidate: number, candidateId: string, best: number, bestId: string | null): boolean {
  if (bestId === null) return true;
  if (sameLength(candidate, best)) return compareIds(candidateId, bestId) < 0;
  return candidate > best;
}

/**
 * The critical path as defined on {@link CriticalPath}: back edges removed, then the longest path
 * by dynamic programming over a topological order.
 */
export function criticalPath(graph: WorkflowGraph, duration: ReadonlyMap<string, number>): CriticalPath {
  // a case's path begins where cases enter, never at a start that a message opens
  const starts = [...new Set(graph.entries)].sort(compareIds);
  // depth-first search in id order; an edge into a step still on the search stack is a back edge
  const ON_STACK = 1;
  const DONE = 2;
  const state = new Map<string, number>();
  const forward = new Map<string, string[]>();
  const postOrder: string[] = [];
  for (const root of starts) {
    if (state.has(root)) continue;
    state.set(root, ON_STACK);
    const stack = [
      { id: root, next: 0, targets: sortedOutgoing(graph, root).map((e) => e.to), kept: [] as string[] },
    ];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const to = top.targets[top.next++];
      if (to === undefined) {
        state.set(top.id, DONE);
        forward.set(top.id, top.kept);
        postOrder.push(top.id);
        stack.pop();
        continue;
      }
      const seen = state.get(to);
      if (seen === ON_STACK) continue;
      top.kept.push(to);
      if (seen === undefined) {
        state.set(to, ON_STACK);
        stack.push({ id: to, next: 0, targets: sortedOutgoing(graph, to).map((e) => e.to), kept: [] });
      }
    }
  }
  const terminal = (id: string) =>
    graph.steps.get(id)?.kind === 'end' || sortedOutgoing(graph, id).length === 0;

  // longest[s]: the longest way from s to a terminal step (−Infinity: none), in reverse topological order
  const longest = new Map<string, number>();
  const choice = new Map<string, string | null>();
  // post-order: every kept edge leads to a step finished earlier (back edges are gone)
  for (const id of postOrder) {
    let bestTail = terminal(id) ? 0 : Number.NEGATIVE_INFINITY;
    let bestNext: string | null = null;
    for (const next of forward.get(id) ?? []) {
      const tail = longest.get(next) ?? Number.NEGATIVE_INFINITY;
      if (tail === Number.NEGATIVE_INFINITY) continue;
      // at a terminal step that has further flows, the case may stop: go on only for a longer tail
      const takes =
        bestNext === null
          ? !terminal(id) || (tail > 0 && !sameLength(tail, 0))
          : better(tail, next, bestTail, bestNext);
      if (takes) {
        bestTail = tail;
        bestNext = next;
      }
    }
    longest.set(id, bestTail === Number.NEGATIVE_INFINITY ? bestTail : (duration.get(id) ?? 0) + bestTail);
    choice.set(id, bestNext);
  }

  let first: string | null = null;
  let firstLength = Number.NEGATIVE_INFINITY;
  for (const start of starts) {
    const length = longest.get(start) ?? Number.NEGATIVE_INFINITY;
    if (length === Number.NEGATIVE_INFINITY) continue;
    if (better(length, start, firstLength, first)) {
      first = start;
      firstLength = length;
    }
  }
  if (first === null) return { stepIds: [], durationMin: 0 };
  const stepIds: string[] = [];
  for (let id: string | null = first; id !== null; id = choice.get(id) ?? null) stepIds.push(id);
  return { stepIds, durationMin: firstLength };
}
