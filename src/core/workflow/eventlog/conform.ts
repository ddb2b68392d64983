/**
 * Conformance after go-live: how a log from the new system departs from the designed (future)
 * workflow — per-case fitness, skipped steps, inserted activities, workarounds the design lacks,
 * data entered again, and measured against designed times.
 *
 * Method: OPTIMAL ALIGNMENT, not token replay. The design is read as the states a case can be in:
 * MARKINGS, how many tokens lie on each flow (one token when the case is at one place, one per
 * running branch after a parallel split), reached from a token before the start by the steps'
 * firing rules (below); they are enumerated once per check, at most {@link MAX_DESIGN_MARKINGS}.
 * An optimal alignment is then a shortest path in the product (events consumed × marking) — the
 * A* / Dijkstra search of Adriansyah et al. (2011) over the design's reachability graph. With the
 * standard costs (a synchronous move 0; a log move — an event the design does not explain — 1; a
 * model move — a designed step the case skipped — 1; silent steps 0: see below), the edges cost 0
 * or 1, so a 0-1 BFS (a deque) finds the optimum in O(events × markings × arcs) per case; a
 * design without parallel branches has about one marking per flow. Alignment is used because its
 * diagnoses are exact and unique in kind: token replay counts "missing" and "remaining" tokens
 * whose placement depends on replay heuristics, so it cannot say "this case skipped step X and
 * inserted Y" reliably, while an alignment says exactly that — which is what the drift report
 * shows. Cost: ~1 µs per (event × arc) edge, far below reading the log.
 *
 * Firing rules (a case is finished when no token is left):
 * - A start where cases enter (graph.ts's `entries`) takes the token before the start; a start
 *   reached by a message from a step of the workflow (a second pool's message start) is no case
 *   entry: each time a sending step runs it puts a token on the message's own place, which the
 *   start takes, so the receiving pool's activities run beside the sender's, in any interleaving,
 *   once per message sent, and the case is finished when every pool's work is. A pool lets at most
 *   as many runs be under way at once (messages not yet taken included) as the most messages one
 *   case of the log sends it, at least {@link MAX_MESSAGE_RUNS}: a sender in a loop waits while its
 *   pool is that busy, so the design keeps a bounded number of markings. When the design would then
 *   be large (see MAX_LIFTED_MARKINGS), the runs are halved until it is not, and the result says
 *   which cases started more (`messageStarts`), never a silent misfit. A start drawn inside a
 *   sub-process that the sub-process leads to is its own start, no way for a case to enter. Any
 *   other step takes one token from any one of its incoming flows — except a parallel join, which
 *   takes one from every incoming flow (it waits for all branches), and an inclusive join, which
 *   takes one from every incoming flow that has one, once no token elsewhere can still reach one
 *   of its empty incoming flows (it waits for the branches taken).
 * - A step puts one token on one of its outgoing flows (a decision, or any step with several, is a
 *   choice) — except a parallel split, which puts one on every outgoing flow, and an inclusive
 *   split, on any non-empty set of them. So the activities of parallel branches conform in any
 *   interleaving, and a branch a case left out is a skipped step.
 * - A split whose branches never meet at a join of its family, and a join no split is paired
 *   with (graph.ts's blocks), are read as a decision and a merge, as the analysis reads them.
 *   Conversely every parallel block of graph.ts fires as one: an ad-hoc sub-process (several
 *   inner first steps, no start inside) puts a token on every inner path, and the step they all
 *   lead to waits for all of them, so its inner activities may all happen, in any interleaving.
 * - A step without outgoing flows ends its branch; in a design with `end` steps, only those end
 *   a case (a dead end leaves a token that never goes).
 *
 * Definitions:
 * - Per-case fitness = 1 − cost / (events + cost of the shortest designed run), the standard
 *   alignment fitness (1 = the case followed the design). `fitness` is the mean over aligned
 *   cases; a case conforms when its cost is 0 (see {@link MAX_ALIGNED_CASE_EVENTS}).
 * - `skipped[step]`: cases whose optimal alignment has a model move on that step.
 * - `inserted[activity]`: log moves — occurrences the design does not explain, including a
 *   repeat of a step already done (unless the design loops back to it) and every occurrence of an
 *   activity the design lacks. `workarounds[activity]`: the part of `inserted` from activities
 *   that match no step at all ("print form", "spreadsheet update", "call lab").
 * - `repeatedEntry[step]`: cases in which a step that enters data (`enters` non-empty) was done
 *   more than once — the same data typed again (the `duplicate-entry` rule seen in reality).
 * - `times[step]`: measured touch (start → complete) and wait (previous complete → start), as in
 *   discovery, next to the designed `touchMin`/`waitMin`; `slower` counts occurrences whose touch
 *   exceeds the designed touch × (1 + `slowerTolerance`) (steps designed at 0 are not judged).
 *   A STEP is slower than designed only when its typical (median) touch is beyond that tolerance
 *   ({@link isSlowerThanDesigned}): a step whose times scatter round the design is not, however
 *   many single occurrences run long. The tolerance used is in the result, so every report
 *   states it ({@link slowerToleranceText}).
 * - Silent steps (cost 0 to pass, never "skipped"): `start` and `end`, and each `decision` step
 *   that NO activity of the whole log matches — systems rarely log a routing decision as an
 *   event, so a never-logged decision is routing, not drift. Any other step that never appears is
 *   reported as skipped in every case that should have passed it: a step staff stopped doing
 *   altogether is exactly the drift to see. Listed in `unloggedDecisions`.
 *   Parallel and inclusive gateways no activity matches are silent in the same way (not listed).
 * - Sub-processes (collapsed or expanded, with or without a start inside, ad-hoc, transaction) are
 *   read as the log records them ({@link SubProcessReading}, in `subProcesses`): a sub-process no
 *   activity names is silent and its inner steps are the work (a BPMN engine logs them); one the
 *   log names while naming none of its inner steps is one activity and everything inside it is
 *   silent (a system that logs only the outer level); one whose inner steps are named too is an
 *   activity followed by them. A sub-process's own start and end events are silent unless named.
 * - Activities match steps by normalised label or id (case, accents, punctuation and spacing
 *   ignored), or by the explicit `activityMap` (activity → step id), which wins.
 */

import { listWords } from '../../../formats/listWords.ts';
import { isGateway, type Step, type Workflow } from '../../../formats/workflow.ts';
import { buildGraph, type WorkflowGraph } from '../graph.ts';
import { subProcessOf } from '../subProcesses.ts';
import type { EventLog } from './eventLog.ts';
import { type DurationStats, NumberList, roundStats, summarise } from './statistics.ts';

/** Fitness below which `preflight workflow conform` exits 1 (a documented default; `--min-fitness`). */
export const DEFAULT_MIN_FITNESS = 0.9;

/** Default share above the designed touch time at which an occurrence counts as slower. */
export const DEFAULT_SLOWER_TOLERANCE = 0.5;

/**
 * Longest case aligned, in activity instances. An alignment holds (events + 1) × (steps + 1)
 * states; a case far longer than any clinic visit almost always means a wrong case-id column
 * (every row in one "case"), and aligning it could exhaust memory. Such cases are counted in
 * `unalignedCases` (their times still count) and left out of the fitness.
 */
export const MAX_ALIGNED_CASE_EVENTS = 5000;

/**
 * How a sub-process was read against the log: by its inner steps (`inner`: the log records the
 * work inside it, as a BPMN engine logs it; the sub-process itself is routing), as one activity
 * (`outer`: the log names the sub-process and none of its inner steps, as a system that logs only
 * the outer level), or as an activity followed by its inner steps (`both`: the log names both).
 */
export type SubProcessReading = 'inner' | 'outer' | 'both';

/** How the runs of one pool started by messages were checked. */
export interface MessageStartCheck {
  /** runs of the pool the check let be under way at once */
  runsAtOnce: number;
  /**
   * cases that sent the pool more messages than {@link runsAtOnce}: where more than that were
   * under way at once, the extra runs' work was not checked against the design (it shows as done
   * out of place). 0 unless the design could not hold as many runs as the log shows.
   */
  casesBeyond: number;
}

/** Options of {@link conform}. */
export interface ConformOptions {
  /** activity → step id, checked before label matching */
  activityMap?: Readonly<Record<string, string>>;
  /** see the file header; default {@link DEFAULT_SLOWER_TOLERANCE} */
  slowerTolerance?: number;
}

/** Measured against designed times of one step. */
export interface StepTimes {
  designedTouchMin: number;
  designedWaitMin: number;
  touch?: DurationStats;
  wait?: DurationStats;
  /** occurrences slower than designed (see the file header) */
  slower: number;
}

/** The conformance result (the JSON of `workflow conform --json`). */
export interface ConformanceResult {
  method: 'alignment';
  cases: number;
  conformingCases: number;
  /** mean per-case fitness, 0…1 */
  fitness: number;
  /** the lowest per-case fitness */
  minCaseFitness: number;
  /** cases longer than {@link MAX_ALIGNED_CASE_EVENTS}: not aligned, not in the fitness */
  unalignedCases: number;
  /** step id → cases that skipped it */
  skipped: Record<string, number>;
  /** activity → occurrences the design does not explain */
  inserted: Record<string, number>;
  /**
   * where: step id → activity → occurrences inserted after it, "after" meaning the closest earlier
   * event of the case that matches a step ({@link BEFORE_START} when none does)
   */
  insertedAfter: Record<string, Record<string, number>>;
  /** activity → occurrences of activities that match no step (workarounds) */
  workarounds: Record<string, number>;
  /** step id → cases in which the step's data entry was done more than once */
  repeatedEntry: Record<string, number>;
  /** step id → measured vs designed times */
  times: Record<string, StepTimes>;
  /** activity → the step it was matched to (activities matching none are absent) */
  matched: Record<string, string>;
  /** decision steps no activity of the log matches, treated as unlogged routing (never "skipped") */
  unloggedDecisions: string[];
  /** the share above the designed touch time beyond which a time counts as slower (0.5 = 50 %) */
  slowerTolerance?: number;
  /** sub-process step id → how it was read against the log (absent when the design has none) */
  subProcesses?: Record<string, SubProcessReading>;
  /** message start step id → how its pool's runs were checked (absent when no pool is started by a message) */
  messageStarts?: Record<string, MessageStartCheck>;
}

/**
 * True when a step's typical (median) measured touch time is beyond the designed touch time by
 * more than `tolerance` (a share: 0.5 = 50 %); steps designed at 0 minutes are not judged.
 */
export function isSlowerThanDesigned(times: StepTimes, tolerance = DEFAULT_SLOWER_TOLERANCE): boolean {
  return (
    times.designedTouchMin > 0 &&
    times.touch !== undefined &&
    times.touch.medianMin > times.designedTouchMin * (1 + tolerance)
  );
}

/**
 * The rule in words, for every report that lists slower steps ("… more than 50 % above the
 * designed time"); `designed` is the word for the design ("planned" on screen).
 */
export function slowerToleranceText(tolerance = DEFAULT_SLOWER_TOLERANCE, designed = 'designed'): string {
  return `typical (median) staff time is more than ${Math.round(tolerance * 100)} % above the ${designed} time`;
}

/** An activity map naming a step the workflow does not have. */
export class UnknownStepError extends Error {
  override name = 'UnknownStepError';
  constructor(readonly stepId: string) {
    super(`the activity map names step "${stepId}", which is not a step of the workflow`);
  }
}

/** A workflow a case cannot run through (no start, or no end reachable). */
export class UnrunnableWorkflowError extends Error {
  override name = 'UnrunnableWorkflowError';
}

/** Lowercase words of a label: accents, punctuation and spacing ignored. */
export function normaliseLabel(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const MS_PER_MINUTE = 60_000;
const INF = 0x3fffffff;
/** Key of {@link ConformanceResult.insertedAfter} for activities before the design's first step. */
export const BEFORE_START = '(before start)';
/** Fitness to 6 decimals: a share, never shown rounded up to 1 while a case deviates (1 − 1e-6 needs 10⁶ events). */
const roundShare = (x: number) => Math.floor(x * 1e6) / 1e6;
const SYNC = 0;
const MODEL = 1;
const LOG = 2;

/**
 * Most markings (where a case's tokens can be at once) a design may have. A structured workflow has
 * about as many as it has flows, times the combinations of its parallel branches; beyond this the
 * design keeps creating branches it never joins (a split inside a loop), and aligning it would
 * exhaust memory.
 */
export const MAX_DESIGN_MARKINGS = 20_000;

/** Most flows out of a paired inclusive split whose subsets are each tried (2^k − 1 of them). */
const MAX_INCLUSIVE_BRANCHES = 10;

/**
 * The design as the states a case can be in: markings (how many tokens lie on each flow, on the
 * place before the start, and on a dead place a dead-end step fills), and arcs, each a step that
 * moves a case from one marking to another. Marking 0 is a token before the start; a case has
 * finished when no token is left.
 */
interface Design {
  steps: Step[];
  silent: Uint8Array;
  markings: number;
  /** arcs of marking m: arcStart[m] … arcStart[m+1]−1 */
  arcStart: Int32Array;
  arcStep: Int32Array;
  arcTarget: Int32Array;
  /** 1 for the marking with no token left */
  isFinal: Uint8Array;
  /** cost of the cheapest complete run with no events */
  shortestRun: number;
}

/**
 * How each step moves tokens (see the file header): `all` joins take a token from every incoming
 * flow, `inclusive` joins from every marked one once no other token can still reach them, the rest
 * from any one; `all` splits put one on every outgoing flow, `inclusive` splits on any non-empty
 * set of them, the rest on any one. Splits without a join, and joins without a split, are read as
 * decisions, as the analysis reads them (graph.ts).
 */
interface Firing {
  incoming: Int32Array[];
  outgoing: Int32Array[];
  /** per step: the message places it puts a token on each time it runs (beside its flows) */
  messages: Int32Array[];
  join: ('any' | 'all' | 'inclusive')[];
  split: ('one' | 'all' | 'inclusive')[];
  /** inclusive joins: per incoming flow (same order), the places from which it can still be reached */
  feeds: Map<number, Uint8Array[]>;
}

/** The design has more markings than it may have. */
class TooManyMarkings extends UnrunnableWorkflowError {}

/**
 * `quiet`: steps silent because of how their sub-process is read; `runs`: per message start (step
 * index), the runs of its pool that may be under way at once.
 */
function designOf(
  workflow: Workflow,
  graph: WorkflowGraph,
  observed: Uint8Array,
  quiet: Uint8Array,
  runs: ReadonlyMap<number, number>,
  maxMarkings = MAX_DESIGN_MARKINGS,
): Design {
  const steps = workflow.steps;
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const S = steps.length;
  if (graph.starts.length === 0) throw new UnrunnableWorkflowError('the workflow has no start step');
  // places: one per flow, then the place before the start, then the dead place
  const flowFrom: number[] = [];
  const flowTo: number[] = [];
  const outgoing: number[][] = steps.map(() => []);
  const incoming: number[][] = steps.map(() => []);
  steps.forEach((s, i) => {
    for (const e of graph.outgoing.get(s.id) ?? []) {
      const to = index.get(e.to) as number;
      const f = flowFrom.length;
      flowFrom.push(i);
      flowTo.push(to);
      outgoing[i]?.push(f);
      incoming[to]?.push(f);
    }
  });
  const FLOWS = flowFrom.length;
  // message places: one per message from a step to a start that is no case entry (after the flows)
  const messagesOut: number[][] = steps.map(() => []);
  for (const [start, senders] of graph.messageSenders) {
    const to = index.get(start) as number;
    for (const sender of senders) {
      const from = index.get(sender) as number;
      const f = flowFrom.length;
      flowFrom.push(from);
      flowTo.push(to);
      messagesOut[from]?.push(f);
      incoming[to]?.push(f);
    }
  }
  const SOURCE = flowFrom.length;
  const DEAD = SOURCE + 1;
  const places = DEAD + 1;
  const hasEnds = graph.ends.length > 0;
  const splitOf = new Map(graph.blocks.map((b) => [b.split, b.kind]));
  const joinOf = new Map(graph.blocks.map((b) => [b.join, b.kind]));
  const firing: Firing = {
    incoming: incoming.map((list) => Int32Array.from(list)),
    outgoing: outgoing.map((list) => Int32Array.from(list)),
    messages: messagesOut.map((list) => Int32Array.from(list)),
    join: steps.map((s) =>
      joinOf.get(s.id) === 'parallel' ? 'all' : joinOf.get(s.id) === 'inclusive' ? 'inclusive' : 'any',
    ),
    split: steps.map((s, i) =>
      splitOf.get(s.id) === 'parallel'
        ? 'all'
        : splitOf.get(s.id) === 'inclusive' && (outgoing[i]?.length ?? 0) <= MAX_INCLUSIVE_BRANCHES
          ? 'inclusive'
          : 'one',
    ),
    feeds: new Map(),
  };
  // a start inside a sub-process that its sub-process leads to is the sub-process's own start,
  // no way for a case to enter (unless every entry is such a start)
  const within = subProcessOf(workflow);
  const outerEntries = graph.entries.filter(
    (id) => !within.has(id) || (incoming[index.get(id) as number]?.length ?? 0) === 0,
  );
  const entries = new Set(outerEntries.length > 0 ? outerEntries : graph.entries);
  const isStart = Uint8Array.from(steps, (s) => (entries.has(s.id) ? 1 : 0));
  // per message place: the places of the pool its start begins (the message places to that start
  // and every flow reached from it) and how many tokens they may hold at once: the runs allowed,
  // each as many as one run can hold (one, and one more per extra branch of a split in the pool)
  const poolOf = new Map<number, Pool>();
  for (const start of graph.messageSenders.keys()) {
    const s = index.get(start) as number;
    const region = new Set<number>((incoming[s] ?? []).filter((f) => f >= FLOWS));
    const stack = [...(outgoing[s] ?? [])];
    while (stack.length > 0) {
      const f = stack.pop() as number;
      if (region.has(f)) continue;
      region.add(f);
      stack.push(...(outgoing[flowTo[f] as number] ?? []));
    }
    let perRun = 1;
    for (const step of new Set([s, ...[...region].map((f) => flowTo[f] as number)])) {
      if (firing.split[step] !== 'one') perRun += Math.max(0, (outgoing[step]?.length ?? 0) - 1);
    }
    const pool: Pool = { places: Int32Array.from(region), limit: (runs.get(s) ?? MAX_MESSAGE_RUNS) * perRun };
    for (const f of incoming[s] ?? []) if (f >= FLOWS) poolOf.set(f, pool);
  }
  steps.forEach((_, j) => {
    if (firing.join[j] !== 'inclusive') return;
    // per incoming flow: the places that reach it without passing this join
    firing.feeds.set(
      j,
      (incoming[j] ?? []).map((target) => {
        const reaches = new Uint8Array(places);
        reaches[target] = 1;
        const stack = [target];
        while (stack.length > 0) {
          const from = flowFrom[stack.pop() as number] as number;
          if (from === j) continue;
          if (isStart[from]) reaches[SOURCE] = 1;
          for (const b of incoming[from] ?? []) {
            if (reaches[b]) continue;
            reaches[b] = 1;
            stack.push(b);
          }
        }
        return reaches;
      }),
    );
  });
  const deadEnd = Uint8Array.from(steps, (s, i) =>
    hasEnds && s.kind !== 'end' && (outgoing[i]?.length ?? 0) === 0 ? 1 : 0,
  );
  const silent = Uint8Array.from(steps, (s, i) =>
    s.kind === 'start' ||
    s.kind === 'end' ||
    quiet[i] === 1 ||
    ((s.kind === 'decision' || isGateway(s.kind) || splitOf.has(s.id)) && !observed[i])
      ? 1
      : 0,
  );

  // the reachable markings, breadth-first from a token before the start
  const keyOf = (m: Uint8Array) => String.fromCharCode(...m);
  const initial = new Uint8Array(places);
  initial[SOURCE] = 1;
  const markings: Uint8Array[] = [initial];
  const known = new Map<string, number>([[keyOf(initial), 0]]);
  const arcStart: number[] = [];
  const arcStep: number[] = [];
  const arcTarget: number[] = [];
  const reach = (m: Uint8Array) => {
    const key = keyOf(m);
    let id = known.get(key);
    if (id === undefined) {
      id = markings.length;
      if (id >= maxMarkings) {
        throw new TooManyMarkings(
          `the workflow's parallel branches can be in more than ${MAX_DESIGN_MARKINGS} combinations of places at once; join every parallel split before its branches loop back`,
        );
      }
      known.set(key, id);
      markings.push(m);
    }
    return id;
  };
  for (let at = 0; at < markings.length; at++) {
    arcStart.push(arcStep.length);
    const m = markings[at] as Uint8Array;
    const candidates = new Set<number>();
    if (m[SOURCE]) for (let i = 0; i < S; i++) if (isStart[i]) candidates.add(i);
    for (let f = 0; f < SOURCE; f++) if (m[f]) candidates.add(flowTo[f] as number);
    for (const t of [...candidates].sort((a, b) => a - b)) {
      for (const consumed of consumptions(t, m, firing, isStart[t] === 1, SOURCE)) {
        for (const produced of productions(t, firing, deadEnd[t] === 1, DEAD)) {
          const next = consumed.slice();
          for (const f of produced) next[f] = Math.min(255, (next[f] as number) + 1);
          if (crowded(next, produced, poolOf)) continue;
          arcStep.push(t);
          arcTarget.push(reach(next));
        }
      }
    }
  }
  arcStart.push(arcStep.length);
  const M = markings.length;
  const isFinal = Uint8Array.from(markings, (m) => (m.every((c) => c === 0) ? 1 : 0));
  const design: Design = {
    steps,
    silent,
    markings: M,
    arcStart: Int32Array.from(arcStart),
    arcStep: Int32Array.from(arcStep),
    arcTarget: Int32Array.from(arcTarget),
    isFinal,
    shortestRun: -1,
  };
  // 0-1 BFS over the design alone
  const dist = new Int32Array(M).fill(INF);
  dist[0] = 0;
  const deque: number[] = [0];
  while (deque.length > 0) {
    const m = deque.shift() as number;
    if (isFinal[m]) {
      design.shortestRun = dist[m] as number;
      break;
    }
    for (let a = design.arcStart[m] as number; a < (design.arcStart[m + 1] as number); a++) {
      const t = design.arcTarget[a] as number;
      const quiet = silent[design.arcStep[a] as number] === 1;
      const cost = (dist[m] as number) + (quiet ? 0 : 1);
      if (cost < (dist[t] as number)) {
        dist[t] = cost;
        if (quiet) deque.unshift(t);
        else deque.push(t);
      }
    }
  }
  if (design.shortestRun < 0) throw new UnrunnableWorkflowError('no end step can be reached from the start');
  return design;
}

/**
 * Fewest runs of a pool started by messages that may be under way at once (messages not yet taken
 * included). A sender inside a loop could otherwise start its pool again and again before any run
 * finishes, and the design would have no end of markings; a sender waits while its pool is that
 * busy. The check allows as many runs as the most messages one case of the log sends the pool
 * (at least this many), fewer only when the design could not hold them ({@link MAX_DESIGN_MARKINGS}).
 */
const MAX_MESSAGE_RUNS = 2;

/**
 * Most markings of a design whose message-started pools were given more than
 * {@link MAX_MESSAGE_RUNS} runs at once: a case's alignment holds (events + 1) × markings states,
 * so more runs are given only while the design stays this small.
 */
const MAX_LIFTED_MARKINGS = 5_000;

/** The places of a pool started by messages, and the most tokens they may hold at once. */
interface Pool {
  places: Int32Array;
  limit: number;
}

/** True when a message among `produced` brings its pool beyond its limit. */
function crowded(next: Uint8Array, produced: readonly number[], poolOf: ReadonlyMap<number, Pool>): boolean {
  for (const f of produced) {
    const pool = poolOf.get(f);
    if (pool === undefined) continue;
    let tokens = 0;
    for (const place of pool.places) tokens += next[place] as number;
    if (tokens > pool.limit) return true;
  }
  return false;
}

/**
 * How each sub-process is read against the log (see {@link SubProcessReading}), outermost first
 * (one read as one activity covers those inside it), and the steps that are then silent: a
 * sub-process the log never names (its inner steps are the work), every step inside one read as
 * one activity, and a sub-process's own start and end events the log never names (BPMN engines
 * log its tasks, not its events).
 */
function readSubProcesses(
  workflow: Workflow,
  observed: Uint8Array,
): { readings: Record<string, SubProcessReading>; quiet: Uint8Array } {
  const steps = workflow.steps;
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const parent = subProcessOf(workflow);
  const children = new Map<string, string[]>();
  for (const [child, sub] of parent) children.set(sub, [...(children.get(sub) ?? []), child]);
  const depth = (id: string) => {
    let d = 0;
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) d++;
    return d;
  };
  const inside = (id: string): string[] => (children.get(id) ?? []).flatMap((c) => [c, ...inside(c)]);
  const quiet = new Uint8Array(steps.length);
  const readings: Record<string, SubProcessReading> = {};
  const covered = new Set<string>();
  for (const sub of [...children.keys()].sort((a, b) => depth(a) - depth(b))) {
    if (covered.has(sub)) continue;
    const at = index.get(sub) as number;
    const inner = inside(sub);
    const named = observed[at] === 1;
    const innerNamed = inner.some((id) => observed[index.get(id) as number] === 1);
    const reading: SubProcessReading = named ? (innerNamed ? 'both' : 'outer') : 'inner';
    readings[sub] = reading;
    if (!named) quiet[at] = 1;
    if (reading === 'outer') {
      for (const id of inner) {
        quiet[index.get(id) as number] = 1;
        covered.add(id);
      }
    }
  }
  for (const id of parent.keys()) {
    const at = index.get(id) as number;
    const step = steps[at] as Step;
    const event =
      step.kind === 'start' ||
      step.kind === 'end' ||
      step.bpmn?.type === 'startEvent' ||
      step.bpmn?.type === 'endEvent';
    if (event && !observed[at]) quiet[at] = 1;
  }
  return { readings, quiet };
}

/**
 * Per message start (step index): the messages each case sends its pool, one count per case, and
 * the runs the check first allows (the most any case sends, at least {@link MAX_MESSAGE_RUNS}).
 */
function messagesSent(
  log: EventLog,
  stepOf: Int32Array,
  graph: WorkflowGraph,
  index: ReadonlyMap<string, number>,
): Map<number, Int32Array> {
  const sent = new Map<number, Int32Array>();
  for (const [start, senders] of graph.messageSenders) {
    const from = new Int32Array(graph.workflow.steps.length);
    for (const sender of senders) {
      const at = index.get(sender) as number;
      from[at] = (from[at] as number) + 1; // one message per message flow from it
    }
    const perCase = new Int32Array(log.cases.length);
    for (let c = 0; c < log.cases.length; c++) {
      let n = 0;
      for (let i = log.caseOffsets[c] as number; i < (log.caseOffsets[c + 1] as number); i++) {
        const step = stepOf[log.activity[i] as number] as number;
        if (step >= 0) n += from[step] as number;
      }
      perCase[c] = n;
    }
    sent.set(index.get(start) as number, perCase);
  }
  return sent;
}

/**
 * The design with as many runs of each message-started pool at once as the log shows, halving
 * them (never below {@link MAX_MESSAGE_RUNS}) while the design would have more than
 * {@link MAX_LIFTED_MARKINGS} markings.
 */
function designForLog(
  workflow: Workflow,
  graph: WorkflowGraph,
  observed: Uint8Array,
  quiet: Uint8Array,
  sent: ReadonlyMap<number, Int32Array>,
): { design: Design; runs: Map<number, number> } {
  const runs = new Map<number, number>();
  for (const [start, perCase] of sent)
    runs.set(
      start,
      perCase.reduce((most, n) => Math.max(most, n), MAX_MESSAGE_RUNS),
    );
  for (;;) {
    const lifted = [...runs.values()].some((n) => n > MAX_MESSAGE_RUNS);
    try {
      const most = lifted ? MAX_LIFTED_MARKINGS : MAX_DESIGN_MARKINGS;
      return { design: designOf(workflow, graph, observed, quiet, runs, most), runs };
    } catch (error) {
      if (!(error instanceof TooManyMarkings) || !lifted) throw error;
      for (const [start, n] of runs) runs.set(start, Math.max(MAX_MESSAGE_RUNS, Math.floor(n / 2)));
    }
  }
}

/** The markings left after step `t` takes its tokens from `m` (none when it cannot start). */
function consumptions(
  t: number,
  m: Uint8Array,
  firing: Firing,
  start: boolean,
  SOURCE: number,
): Uint8Array[] {
  const incoming = firing.incoming[t] as Int32Array;
  const out: Uint8Array[] = [];
  if (start && m[SOURCE]) {
    const next = m.slice();
    next[SOURCE] = (next[SOURCE] as number) - 1;
    out.push(next);
  }
  const kind = firing.join[t];
  if (kind === 'all') {
    if (incoming.length > 0 && incoming.every((f) => (m[f] as number) > 0)) {
      const next = m.slice();
      for (const f of incoming) next[f] = (next[f] as number) - 1;
      out.push(next);
    }
  } else if (kind === 'inclusive') {
    const marked = Array.from(incoming).filter((f) => (m[f] as number) > 0);
    if (marked.length > 0) {
      const feeds = firing.feeds.get(t) as Uint8Array[];
      // it waits while a token elsewhere can still reach one of its empty incoming flows
      const waiting = Array.from(incoming).some(
        (f, k) =>
          (m[f] as number) === 0 &&
          m.some(
            (count, place) => count > 0 && !incoming.includes(place) && (feeds[k] as Uint8Array)[place] === 1,
          ),
      );
      if (!waiting) {
        const next = m.slice();
        for (const f of marked) next[f] = (next[f] as number) - 1;
        out.push(next);
      }
    }
  } else {
    const seen = new Set<number>();
    for (const f of incoming) {
      if ((m[f] as number) === 0 || seen.has(f)) continue;
      seen.add(f);
      const next = m.slice();
      next[f] = (next[f] as number) - 1;
      out.push(next);
    }
  }
  return out;
}

/** The sets of places step `t` can put a token on (a dead-end step on the dead place). */
function productions(t: number, firing: Firing, deadEnd: boolean, DEAD: number): number[][] {
  const messages = Array.from(firing.messages[t] as Int32Array);
  if (messages.length === 0) return flowProductions(t, firing, deadEnd, DEAD);
  return flowProductions(t, firing, deadEnd, DEAD).map((set) => [...set, ...messages]);
}

/** The sets of flow places step `t` can put a token on (a dead-end step on the dead place). */
function flowProductions(t: number, firing: Firing, deadEnd: boolean, DEAD: number): number[][] {
  const outgoing = Array.from(firing.outgoing[t] as Int32Array);
  if (outgoing.length === 0) return [deadEnd ? [DEAD] : []];
  const kind = firing.split[t];
  if (kind === 'all') return [outgoing];
  if (kind === 'inclusive') {
    const sets: number[][] = [];
    for (let mask = 1; mask < 1 << outgoing.length; mask++)
      sets.push(outgoing.filter((_, k) => (mask >> k) & 1));
    return sets;
  }
  return outgoing.map((f) => [f]);
}

/**
 * Matches each log activity (by index into `log.activities`) to a step index, or −1: the
 * `activityMap` first (throws {@link UnknownStepError} for a step it names that does not exist),
 * then the normalised label or id.
 */
export function matchActivities(
  log: EventLog,
  workflow: Workflow,
  map: Readonly<Record<string, string>>,
): Int32Array {
  const byId = new Map(workflow.steps.map((s, i) => [s.id, i]));
  for (const stepId of Object.values(map)) if (!byId.has(stepId)) throw new UnknownStepError(stepId);
  const byLabel = new Map<string, number>();
  workflow.steps.forEach((s, i) => {
    for (const key of [normaliseLabel(s.label), normaliseLabel(s.id)])
      if (key && !byLabel.has(key)) byLabel.set(key, i);
  });
  return Int32Array.from(log.activities, (activity) => {
    const explicit = map[activity];
    if (explicit !== undefined) return byId.get(explicit) as number;
    return byLabel.get(normaliseLabel(activity)) ?? -1;
  });
}

/** Scratch buffers of the case search, grown as needed and reused across cases. */
class Scratch {
  dist = new Int32Array(0);
  prev = new Int32Array(0);
  move = new Int8Array(0);
  /** the step of the move into each state (−1 for a log move) */
  stepOf = new Int32Array(0);
  deque = new Int32Array(0);
  ensure(states: number): void {
    if (this.dist.length >= states) return;
    const size = Math.max(states, this.dist.length * 2);
    this.dist = new Int32Array(size);
    this.prev = new Int32Array(size);
    this.move = new Int8Array(size);
    this.stepOf = new Int32Array(size);
    // a state enters the deque at most once per improvement; 4× covers 0-1 BFS re-pushes in practice,
    // and the ring grows if ever needed
    this.deque = new Int32Array(size * 4);
  }
}

/**
 * Aligns one trace (step index per event, −1 for unmatched) with the design; returns the cost and
 * calls `onModel(step)` / `onLog(position)` for every non-synchronous move of the optimum.
 */
function alignCase(
  trace: Int32Array,
  design: Design,
  scratch: Scratch,
  onModel: (step: number) => void,
  onLog: (position: number) => void,
): number {
  const n = trace.length;
  const width = design.markings;
  const states = (n + 1) * width;
  scratch.ensure(states);
  const { dist, prev, move, stepOf } = scratch;
  dist.fill(INF, 0, states);
  let deque = scratch.deque;
  let cap = deque.length;
  let head = 0;
  let size = 0;
  const pushFront = (state: number) => {
    if (size === cap) grow();
    head = (head - 1 + cap) % cap;
    deque[head] = state;
    size++;
  };
  const pushBack = (state: number) => {
    if (size === cap) grow();
    deque[(head + size) % cap] = state;
    size++;
  };
  const grow = () => {
    const bigger = new Int32Array(cap * 2);
    for (let k = 0; k < size; k++) bigger[k] = deque[(head + k) % cap] as number;
    deque = bigger;
    scratch.deque = bigger;
    cap = bigger.length;
    head = 0;
  };
  const relax = (from: number, to: number, cost: number, kind: number, step: number) => {
    const d = (dist[from] as number) + cost;
    if (d < (dist[to] as number)) {
      dist[to] = d;
      prev[to] = from;
      move[to] = kind;
      stepOf[to] = step;
      if (cost === 0) pushFront(to);
      else pushBack(to);
    }
  };
  const source = 0; // (no event consumed, a token before the start)
  dist[source] = 0;
  pushBack(source);
  let goal = -1;
  while (size > 0) {
    const state = deque[head] as number;
    head = (head + 1) % cap;
    size--;
    const i = Math.floor(state / width);
    const m = state - i * width;
    if (i === n && design.isFinal[m]) {
      goal = state;
      break;
    }
    const next = i < n ? (trace[i] as number) : -2;
    for (let a = design.arcStart[m] as number; a < (design.arcStart[m + 1] as number); a++) {
      const t = design.arcStep[a] as number;
      const target = design.arcTarget[a] as number;
      relax(state, i * width + target, design.silent[t] ? 0 : 1, MODEL, t);
      if (t === next) relax(state, (i + 1) * width + target, 0, SYNC, t);
    }
    if (i < n) relax(state, (i + 1) * width + m, 1, LOG, -1);
  }
  if (goal < 0) return Number.NaN; // unreachable for a runnable design: every state can log-move to n, then run
  for (let state = goal; state !== source; state = prev[state] as number) {
    const kind = move[state];
    const i = Math.floor(state / width);
    const step = stepOf[state] as number;
    if (kind === MODEL && !design.silent[step]) onModel(step);
    else if (kind === LOG) onLog(i - 1);
  }
  return dist[goal] as number;
}

const increment = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by;
};

/** Checks a log against a designed workflow (see the file header). */
export function conform(log: EventLog, workflow: Workflow, options: ConformOptions = {}): ConformanceResult {
  const stepOf = matchActivities(log, workflow, options.activityMap ?? {});
  const observed = new Uint8Array(workflow.steps.length);
  for (const a of log.activity) {
    const s = stepOf[a] as number;
    if (s >= 0) observed[s] = 1;
  }
  const graph = buildGraph(workflow);
  const index = new Map(workflow.steps.map((s, i) => [s.id, i]));
  const { readings, quiet } = readSubProcesses(workflow, observed);
  const sent = messagesSent(log, stepOf, graph, index);
  const { design, runs } = designForLog(workflow, graph, observed, quiet, sent);
  const tolerance = options.slowerTolerance ?? DEFAULT_SLOWER_TOLERANCE;
  const S = design.steps.length;
  const scratch = new Scratch();
  const skipped: Record<string, number> = {};
  const inserted: Record<string, number> = {};
  const insertedAfter: Record<string, Record<string, number>> = {};
  const workarounds: Record<string, number> = {};
  const repeatedEntry: Record<string, number> = {};
  const touch = Array.from({ length: S }, () => new NumberList());
  const wait = Array.from({ length: S }, () => new NumberList());
  const slower = new Int32Array(S);
  const seenInCase = new Int32Array(S);
  const skippedInCase = new Uint8Array(S);
  let cases = 0;
  let conforming = 0;
  let unaligned = 0;
  let fitnessSum = 0;
  let minFitness = 1;
  let trace = new Int32Array(64);

  for (let c = 0; c < log.cases.length; c++) {
    const from = log.caseOffsets[c] as number;
    const to = log.caseOffsets[c + 1] as number;
    const n = to - from;
    if (n === 0) continue;
    cases++;
    if (trace.length < n) trace = new Int32Array(n * 2);
    seenInCase.fill(0);
    skippedInCase.fill(0);
    for (let k = 0; k < n; k++) {
      const i = from + k;
      const step = stepOf[log.activity[i] as number] as number;
      trace[k] = step;
      if (step < 0) {
        increment(workarounds, log.activities[log.activity[i] as number] as string);
        continue;
      }
      seenInCase[step] = (seenInCase[step] as number) + 1;
      const designed = design.steps[step] as Step;
      if (log.timed[i]) {
        const minutes = ((log.complete[i] as number) - (log.start[i] as number)) / MS_PER_MINUTE;
        touch[step]?.push(minutes);
        if (designed.touchMin > 0 && minutes > designed.touchMin * (1 + tolerance))
          slower[step] = (slower[step] as number) + 1;
      }
      if (k > 0)
        wait[step]?.push(
          Math.max(0, (log.start[i] as number) - (log.complete[i - 1] as number)) / MS_PER_MINUTE,
        );
    }
    if (n > MAX_ALIGNED_CASE_EVENTS) {
      unaligned++;
      continue;
    }
    const cost = alignCase(
      trace.subarray(0, n),
      design,
      scratch,
      (step) => {
        skippedInCase[step] = 1;
      },
      (position) => {
        const activity = log.activities[log.activity[from + position] as number] as string;
        increment(inserted, activity);
        // where: the step of the closest earlier event that matches one (read from the trace, not
        // from the alignment, so equally good alignments cannot move it)
        let before = position - 1;
        while (before >= 0 && (trace[before] as number) < 0) before--;
        const where = before >= 0 ? (design.steps[trace[before] as number] as Step).id : BEFORE_START;
        const byActivity = insertedAfter[where] ?? {};
        insertedAfter[where] = byActivity;
        increment(byActivity, activity);
      },
    );
    for (let s = 0; s < S; s++) {
      if (skippedInCase[s]) increment(skipped, (design.steps[s] as Step).id);
      if ((seenInCase[s] as number) > 1 && (design.steps[s] as Step).enters.length > 0) {
        increment(repeatedEntry, (design.steps[s] as Step).id);
      }
    }
    const worst = n + design.shortestRun;
    const fitness = worst === 0 ? 1 : 1 - cost / worst;
    fitnessSum += fitness;
    if (fitness < minFitness) minFitness = fitness;
    if (cost === 0) conforming++;
  }

  const times: Record<string, StepTimes> = {};
  design.steps.forEach((step, s) => {
    if (design.silent[s]) return;
    const t = summarise(touch[s]?.values() ?? new Float64Array(0));
    const w = summarise(wait[s]?.values() ?? new Float64Array(0));
    times[step.id] = {
      designedTouchMin: step.touchMin,
      designedWaitMin: step.waitMin,
      ...(t ? { touch: roundStats(t) } : {}),
      ...(w ? { wait: roundStats(w) } : {}),
      slower: slower[s] as number,
    };
  });
  const matched: Record<string, string> = {};
  log.activities.forEach((activity, a) => {
    const s = stepOf[a] as number;
    if (s >= 0) matched[activity] = (design.steps[s] as Step).id;
  });
  return {
    method: 'alignment',
    cases,
    conformingCases: conforming,
    fitness: cases === unaligned ? 1 : roundShare(fitnessSum / (cases - unaligned)),
    minCaseFitness: roundShare(cases === unaligned ? 1 : minFitness),
    unalignedCases: unaligned,
    skipped,
    inserted,
    insertedAfter,
    workarounds,
    repeatedEntry,
    times,
    matched,
    unloggedDecisions: design.steps
      .filter((st, i) => st.kind === 'decision' && !observed[i])
      .map((st) => st.id),
    slowerTolerance: tolerance,
    ...(Object.keys(readings).length > 0 ? { subProcesses: readings } : {}),
    ...(sent.size > 0 ? { messageStarts: messageStartChecks(design.steps, sent, runs) } : {}),
  };
}

function messageStartChecks(
  steps: readonly Step[],
  sent: ReadonlyMap<number, Int32Array>,
  runs: ReadonlyMap<number, number>,
): Record<string, MessageStartCheck> {
  const out: Record<string, MessageStartCheck> = {};
  for (const [start, perCase] of sent) {
    const runsAtOnce = runs.get(start) ?? MAX_MESSAGE_RUNS;
    const casesBeyond = perCase.reduce((n, messages) => n + (messages > runsAtOnce ? 1 : 0), 0);
    out[(steps[start] as Step).id] = { runsAtOnce, casesBeyond };
  }
  return out;
}

/**
 * What a report says about how the check read the design, in a practice manager's words: one
 * sentence per reading of sub-processes (by their inner steps, as one activity, or both) and per pool started by
 * messages that some cases sent more messages than the check could follow at once. `label` names a
 * step; `designed` is the word for the design ("planned" on screen), `quote` quotes a name.
 */
export function readingTexts(
  result: ConformanceResult,
  label: (stepId: string) => string,
  designed = 'designed',
  quote = (name: string) => `"${name}"`,
): string[] {
  const texts: string[] = [];
  const byReading = new Map<SubProcessReading, string[]>();
  for (const [id, reading] of Object.entries(result.subProcesses ?? {}))
    byReading.set(reading, [...(byReading.get(reading) ?? []), quote(label(id))]);
  for (const reading of ['inner', 'outer', 'both'] as const) {
    const names = byReading.get(reading) ?? [];
    if (names.length === 0) continue;
    const one = names.length === 1;
    const named = `${one ? 'Sub-process' : 'Sub-processes'} ${listWords(names)} ${one ? 'was' : 'were'}`;
    const it = one ? 'it' : 'them';
    texts.push(
      reading === 'outer'
        ? `${named} checked as one activity: the log names ${it}, never the steps inside ${it}.`
        : reading === 'both'
          ? `${named} checked as an activity of ${one ? 'its' : 'their'} own followed by the steps inside ${it}: the log names both.`
          : `${named} checked by the steps inside ${it}, as the log records them.`,
    );
  }
  for (const [id, check] of Object.entries(result.messageStarts ?? {})) {
    if (check.casesBeyond === 0) continue;
    const cases = `${check.casesBeyond} ${check.casesBeyond === 1 ? 'case' : 'cases'}`;
    texts.push(
      `The work started by ${quote(label(id))} was checked with at most ${check.runsAtOnce} runs under way at once (the most the ${designed} workflow can be followed with); ${cases} started more than that. Where more were under way at once, their work was not checked against the ${designed} workflow and shows as done out of place.`,
    );
  }
  return texts;
}
