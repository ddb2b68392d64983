/**
 * A seeded discrete-event simulation of a workflow at peak and in go-live weeks: what Erlang C
 * (metrics.ts) cannot show — a clinic day that starts empty and ends, queues that build up over a
 * morning, the spread of waits (90th percentile, longest queue), and lanes fed by each other.
 *
 * The model:
 * - Cases arrive as a Poisson process at `arrivalsPerHour × demandFactor` while the clinic is
 *   open (`hours` per day); each day starts empty and runs until its last case is done (staff
 *   finish the patients they have). Days are independent; their statistics are pooled.
 * - A case enters at a start step where cases enter (chosen evenly, as in graph.ts) and walks the
 *   graph, choosing
 *   each next step by the branch probabilities of graph.ts; a step with no way on ends it.
 * - A message to a start (another pool's message start, graph.ts) begins that pool's work when
 *   the sending step is done: a work item of its own, walked like a case, loading its lanes, but
 *   neither counted as a case nor timed in the cycle time (a message is no flow of the case).
 * - Parallel branches run at the same time: after a `parallel-split` the case goes on down every
 *   outgoing flow at once (each branch queues for its own lane), and a `parallel-join` lets it on
 *   when the last branch arrives; an `inclusive-split` starts each branch by its own chance (at
 *   least one: the likeliest when none fires), and its join (graph.ts `blocks`) waits for the
 *   branches started. A case is done when none of its branches is still under way, so its cycle
 *   time follows its slowest branch. A join with no paired split waits for one arrival per
 *   incoming flow.
 * - Boundary events: an interrupting one's path is one of the task's ways on, with its own
 *   chance (graph.ts); a non-interrupting one's path starts, with its own chance, beside the way
 *   the case goes on, as one more branch of the case.
 * - At a step it first waits the step's `waitMin` (a fixed delay: results, another department's
 *   inbox), then is served: in a lane with staff c ≥ 1, by one of c servers, first come first
 *   served (queueing when all are busy); in a `staff: 0` lane, or for a step without touch time,
 *   at once, with no queue.
 * - Touch times have mean `touchMin / productivityFactor` and a configurable distribution.
 *   Default: exponential. It is the distribution Erlang C assumes, so the simulation and the
 *   metrics tell one story and the simulation can be validated against Erlang C; with a
 *   coefficient of variation of 1 it is also more variable than most clinic tasks, so it errs on
 *   the side of warning. When measured times are known (an event log), use `lognormal` with their
 *   coefficient of variation (right-skewed and positive, like task durations), or `fixed`.
 *
 * Determinism: a 32-bit seed drives a mulberry32 generator; events at the same time run in the
 * order they were scheduled. Same workflow, options and seed → the identical result.
 * Runaway guard: at most `maxEvents` events are processed; a run that hits the cap stops and says
 * so (`truncated`), and lanes whose utilisation at these settings is ≥ 1 are named in
 * `unstableLanes` (their queues grow for as long as the clinic stays open).
 */
import { isBoundaryFlow, type Workflow } from '../../formats/workflow.ts';
import { DEFAULT_GO_LIVE_PRODUCTIVITY } from './goLive.ts';
import { buildGraph, EPSILON, expectedVisits } from './graph.ts';
import { laneMetrics, type MetricsProblem, trappedProblem } from './metrics.ts';

const MINUTES_PER_HOUR = 60;
/** A peak period: one clinic day of eight open hours. */
export const DEFAULT_OPEN_HOURS = 8;
/** Events processed at most per run (about 10⁵ cases of a 20-step workflow fit well under it). */
const DEFAULT_MAX_EVENTS = 5_000_000;
/** The percentile reported besides the mean wait. */
const WAIT_PERCENTILE = 0.9;

/** How touch times vary around their mean (see the header for the choice). */
export type TouchTimeDistribution =
  | { kind: 'exponential' }
  | { kind: 'lognormal' /** standard deviation / mean, > 0 */; cv: number }
  | { kind: 'fixed' };

/** What to simulate. */
export interface SimulationOptions {
  /** 32-bit seed: the same seed gives the same result */
  seed: number;
  /** open hours per day (arrivals stop after them); default 8 */
  hours?: number;
  /** independent clinic days, pooled; default 1 */
  days?: number;
  /** minutes at the start of each day excluded from the statistics (warm-up); default 0 */
  warmupMin?: number;
  /** multiplies arrivalsPerHour: go-live bookings (`capacityFactor`); default 1 */
  demandFactor?: number;
  /** divides touch times: go-live staff productivity; default 1 */
  productivityFactor?: number;
  /** default exponential */
  touchTime?: TouchTimeDistribution;
  /** cap on processed events; default {@link DEFAULT_MAX_EVENTS} */
  maxEvents?: number;
}

/** One lane's simulated behaviour (work items of cases that arrived after the warm-up). */
export interface LaneSimulation {
  laneId: string;
  staff: number;
  /** false for `staff: 0` lanes (no queue) */
  queued: boolean;
  /**
   * staff time the measured cases needed in this lane ÷ (staff × open time after the warm-up),
   * whenever that work was done: the simulated ρ. Above 1 when the day's work cannot fit in the
   * opening hours (see `overtimeMin`). null when not queued.
   */
  utilisation: number | null;
  /** minutes after closing until the lane's last work item finished, averaged over days */
  overtimeMin: number;
  /** work items (visits of steps with touch time) the lane started, all days and warm-up included */
  served: number;
  /** share of measured work items that had to wait at all (compare Erlang C's P(wait)) */
  pWait: number;
  /** queueing wait of measured work items (minutes): mean, 90th percentile, longest */
  meanWaitMin: number;
  p90WaitMin: number;
  maxWaitMin: number;
  /** longest queue seen (items waiting, not in service) */
  maxQueueLength: number;
  /**
   * items waiting (not in service), averaged over the open time after the warm-up (a time
   * average, Lq), over days
   */
  meanQueueLength: number;
  /** items still waiting when the clinic closed, averaged over days: growth means overload */
  queueAtClose: number;
}

/** The outcome of one simulation run. */
export interface SimulationResult {
  seed: number;
  hours: number;
  days: number;
  demandFactor: number;
  productivityFactor: number;
  touchTime: TouchTimeDistribution;
  /** cases that arrived (all days, warm-up included) */
  casesArrived: number;
  /** cases that reached the end of the workflow */
  casesCompleted: number;
  /** mean and 90th-percentile time from arrival to completion (minutes) of measured cases */
  meanCycleMin: number;
  p90CycleMin: number;
  /** measured cases completed per open hour after the warm-up (their completion may fall after closing) */
  throughputPerHour: number;
  /** per lane, in file order */
  lanes: LaneSimulation[];
  /** queued lanes whose utilisation at these settings is ≥ 1 (sorted): their queues grow unboundedly */
  unstableLanes: string[];
  /** true when the run stopped at the event cap: the numbers cover only part of the period */
  truncated: boolean;
  events: number;
}

type SimulationOutcome = { ok: true; result: SimulationResult } | { ok: false; problem: MetricsProblem };

// ---- random numbers --------------------------------------------------------------------------

/**
 * mulberry32: a small, fast 32-bit generator with a full 2³² period, good enough for simulation
 * (passes gjrand and PractRand up to gigabytes), and trivially reproducible in any language.
 * Returns uniforms in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A sampler of touch times with the given mean, drawing from `random`. */
export function touchTimeSampler(
  distribution: TouchTimeDistribution,
  random: () => number,
): (mean: number) => number {
  switch (distribution.kind) {
    case 'fixed':
      return (mean) => mean;
    case 'exponential':
      // 1 − u lies in (0, 1], so the logarithm is finite
      return (mean) => -Math.log(1 - random()) * mean;
    case 'lognormal': {
      if (!(distribution.cv > 0))
        throw new RangeError('A lognormal touch time needs a positive coefficient of variation.');
      const sigma2 = Math.log(1 + distribution.cv * distribution.cv);
      const sigma = Math.sqrt(sigma2);
      return (mean) => {
        // Box–Muller, one normal per draw (simple, and the stream stays aligned per sample)
        const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
        return mean * Math.exp(sigma * z - sigma2 / 2);
      };
    }
  }
}

// ---- the event queue -------------------------------------------------------------------------

const ARRIVAL = 0;
const READY = 1;
const DONE = 2;

interface SimEvent {
  time: number;
  seq: number;
  kind: typeof ARRIVAL | typeof READY | typeof DONE;
  /** the case (index into the day's cases); −1 for arrivals */
  caseIndex: number;
  step: number;
}

/** An event of a run, ordered by its time and then by the order it was scheduled in. */
interface Timed {
  time: number;
  seq: number;
}

/** Binary min-heap on (time, seq): deterministic order for simultaneous events. */
export class EventQueue<E extends Timed = SimEvent> {
  private readonly heap: E[] = [];
  get size(): number {
    return this.heap.length;
  }
  push(event: E): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent] as E)) break;
      heap[i] = heap[parent] as E;
      i = parent;
    }
    heap[i] = event;
  }
  pop(): E | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as E, heap[left] as E) ? right : left;
      if (!before(heap[child] as E, last)) break;
      heap[i] = heap[child] as E;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** FIFO of waiting work items without O(n) shifts. */
class Fifo {
  private items: Array<{ caseIndex: number; step: number; since: number }> = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: { caseIndex: number; step: number; since: number }): void {
    this.items.push(item);
  }
  shift(): { caseIndex: number; step: number; since: number } | undefined {
    const item = this.items[this.head];
    if (item === undefined) return undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

// ---- the simulation --------------------------------------------------------------------------

/** The graph compiled to arrays for the inner loop. */
interface Compiled {
  laneOf: Int32Array; // lane index per step, −1 for an unknown lane
  touch: Float64Array;
  wait: Float64Array;
  next: Array<{ to: Int32Array; cumulative: Float64Array }>;
  starts: Int32Array;
  /** per step: how it routes a case on (see {@link ROUTE}) */
  route: Uint8Array;
  /** per step: for a join, the arrivals that let a case on when no split set them (incoming flows) */
  joinArrivals: Int32Array;
  /** per inclusive split: the step index of its join, −1 when unpaired or not a split */
  joinOf: Int32Array;
  /** per step: the chance of each outgoing flow (inclusive splits), parallel to `next[i].to` */
  chances: Array<Float64Array>;
  /**
   * per step: the exception paths of its non-interrupting boundary events (step index and chance),
   * each started beside the normal path with its own chance; left out of `next`
   */
  spawns: Array<Array<{ to: number; chance: number }>>;
  /** per step: the message starts its messages begin when it is done (step indexes) */
  messages: Array<number[]>;
}

/** How a step sends a case on. */
const ROUTE = { choose: 0, all: 1, each: 2, join: 3 } as const;

function compile(workflow: Workflow): Compiled {
  const graph = buildGraph(workflow);
  const stepIndex = new Map(workflow.steps.map((s, i) => [s.id, i] as const));
  const laneIndex = new Map(workflow.lanes.map((l, i) => [l.id, i] as const));
  const n = workflow.steps.length;
  const laneOf = new Int32Array(n);
  const touch = new Float64Array(n);
  const wait = new Float64Array(n);
  const next: Compiled['next'] = [];
  const spawns: Compiled['spawns'] = [];
  workflow.steps.forEach((step, i) => {
    laneOf[i] = laneIndex.get(step.lane) ?? -1;
    touch[i] = step.touchMin;
    wait[i] = step.waitMin;
    const all = (graph.outgoing.get(step.id) ?? []).filter((e) => e.probability > EPSILON);
    // a non-interrupting boundary event's path starts beside the normal one (graph.ts)
    const beside = (e: (typeof all)[number]) =>
      isBoundaryFlow(e.flow, graph.steps) && graph.steps.get(e.to)?.boundary?.interrupting === false;
    spawns.push(all.filter(beside).map((e) => ({ to: stepIndex.get(e.to) ?? 0, chance: e.probability })));
    const edges = all.filter((e) => !beside(e));
    const to = new Int32Array(edges.length);
    const cumulative = new Float64Array(edges.length);
    let sum = 0;
    edges.forEach((edge, k) => {
      sum += edge.probability;
      to[k] = stepIndex.get(edge.to) ?? 0;
      cumulative[k] = sum;
    });
    next.push({ to, cumulative });
  });
  const starts = Int32Array.from(graph.entries.map((id) => stepIndex.get(id) ?? 0));
  const messages: Compiled['messages'] = workflow.steps.map(() => []);
  for (const [start, senders] of graph.messageSenders) {
    for (const sender of senders) messages[stepIndex.get(sender) ?? 0]?.push(stepIndex.get(start) ?? 0);
  }
  const route = new Uint8Array(n);
  const joinArrivals = new Int32Array(n);
  const joinOf = new Int32Array(n).fill(-1);
  const chances: Array<Float64Array> = [];
  workflow.steps.forEach((step, i) => {
    const out = next[i] as { to: Int32Array; cumulative: Float64Array };
    const each = new Float64Array(out.to.length);
    each.forEach((_, k) => {
      each[k] = (out.cumulative[k] ?? 0) - (k > 0 ? (out.cumulative[k - 1] ?? 0) : 0);
    });
    chances.push(each);
    if (step.kind === 'parallel-split') route[i] = ROUTE.all;
    else if (step.kind === 'inclusive-split') route[i] = ROUTE.each;
    else if (step.kind === 'parallel-join' || step.kind === 'inclusive-join') {
      route[i] = ROUTE.join;
      joinArrivals[i] = (graph.incoming.get(step.id) ?? []).filter((e) => e.probability > EPSILON).length;
    }
  });
  for (const block of graph.blocks) {
    const split = stepIndex.get(block.split);
    const joinAt = stepIndex.get(block.join);
    // an ad-hoc sub-process (a parallel split of its inner paths, joined where they lead) or a
    // step whose unconditioned flows are BPMN's implicit parallel split (graph.ts)
    if (block.kind === 'parallel' && split !== undefined && route[split] !== ROUTE.all) {
      route[split] = ROUTE.all;
      if (joinAt !== undefined && route[joinAt] !== ROUTE.join) {
        route[joinAt] = ROUTE.join;
        joinArrivals[joinAt] = (graph.incoming.get(block.join) ?? []).length;
      }
    }
    const join = stepIndex.get(block.join);
    if (split !== undefined && join !== undefined) joinOf[split] = join;
  }
  return { laneOf, touch, wait, next, starts, route, joinArrivals, joinOf, chances, spawns, messages };
}

/** Per-lane accumulators across days. */
interface LaneTally {
  busyMin: number;
  waits: number[];
  maxQueue: number;
  queueAtCloseSum: number;
  overtimeSum: number;
  /** ∫ items waiting dt over the measured open time (warm-up to closing), all days */
  queueArea: number;
}

/** The value at `fraction` of the sorted values (nearest rank); 0 for none. */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}

/**
 * Simulates `workflow` as described in the header. Refuses (as metrics do) a workflow whose cases
 * can be trapped in a loop; throws a RangeError for options out of range (non-positive hours,
 * days or factors).
 */
export function simulate(workflow: Workflow, options: SimulationOptions): SimulationOutcome {
  const hours = options.hours ?? DEFAULT_OPEN_HOURS;
  const days = options.days ?? 1;
  const warmupMin = options.warmupMin ?? 0;
  const demandFactor = options.demandFactor ?? 1;
  const productivityFactor = options.productivityFactor ?? 1;
  const touchTime = options.touchTime ?? { kind: 'exponential' };
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  if (
    !(hours > 0) ||
    !Number.isInteger(days) ||
    days < 1 ||
    !(demandFactor >= 0) ||
    !(productivityFactor > 0)
  ) {
    throw new RangeError(
      'Simulation needs positive open hours, whole days ≥ 1, a demand factor ≥ 0 and a positive productivity.',
    );
  }
  const openMin = hours * MINUTES_PER_HOUR;
  if (!(warmupMin >= 0 && warmupMin < openMin)) {
    throw new RangeError('The warm-up must be shorter than the open period.');
  }

  const { visits, trapped } = expectedVisits(buildGraph(workflow));
  if (trapped.length > 0) return { ok: false, problem: trappedProblem(trapped) };
  const unstableLanes = laneMetrics(workflow, visits, { demandFactor, productivityFactor })
    .filter((lane) => lane.queued && !lane.stable)
    .map((lane) => lane.laneId)
    .sort();

  const random = mulberry32(options.seed);
  const sample = touchTimeSampler(touchTime, random);
  const graph = compile(workflow);
  const staff = workflow.lanes.map((lane) => lane.staff);
  const tallies: LaneTally[] = workflow.lanes.map(() => ({
    busyMin: 0,
    waits: [],
    maxQueue: 0,
    queueAtCloseSum: 0,
    overtimeSum: 0,
    queueArea: 0,
  }));
  const servedCount = new Float64Array(workflow.lanes.length);
  const cycles: number[] = [];
  const meanInterarrival =
    demandFactor * workflow.arrivalsPerHour > 0
      ? MINUTES_PER_HOUR / (demandFactor * workflow.arrivalsPerHour)
      : Infinity;

  let events = 0;
  let truncated = false;
  let casesArrived = 0;
  let casesCompleted = 0;

  for (let day = 0; day < days && !truncated; day++) {
    const queue = new EventQueue();
    let seq = 0;
    const schedule = (time: number, kind: SimEvent['kind'], caseIndex: number, step: number) => {
      queue.push({ time, seq: seq++, kind, caseIndex, step });
    };
    const arrivedAt: number[] = [];
    /** per case: branches under way (a case is done when the last one ends) */
    const underWay: number[] = [];
    /** per case and join: arrivals so far, and (inclusive) the arrivals that let the case on */
    const arrived = new Map<string, number>();
    const expected = new Map<string, number>();
    const busy = new Int32Array(workflow.lanes.length);
    const lastBusyEnd = new Float64Array(workflow.lanes.length);
    const waiting = workflow.lanes.map(() => new Fifo());
    /** per lane: when its queue length last changed (for the time-average queue length) */
    const queueSince = new Float64Array(workflow.lanes.length);
    let closeRecorded = false;

    /** adds the lane's queue length × the measured open time since its last change */
    const accrueQueue = (lane: number, now: number) => {
      const from = Math.max(queueSince[lane] ?? 0, warmupMin);
      const to = Math.min(now, openMin);
      if (to > from) (tallies[lane] as LaneTally).queueArea += (waiting[lane] as Fifo).length * (to - from);
      queueSince[lane] = now;
    };

    const measured = (caseIndex: number) => (arrivedAt[caseIndex] ?? 0) >= warmupMin;
    const startService = (caseIndex: number, step: number, lane: number, since: number, now: number) => {
      busy[lane] = (busy[lane] ?? 0) + 1;
      const duration = sample((graph.touch[step] ?? 0) / productivityFactor);
      const tally = tallies[lane] as LaneTally;
      if (measured(caseIndex)) {
        tally.busyMin += duration;
        tally.waits.push(now - since);
      }
      if (now + duration > (lastBusyEnd[lane] ?? 0)) lastBusyEnd[lane] = now + duration;
      schedule(now + duration, DONE, caseIndex, step);
    };
    const recordClose = () => {
      closeRecorded = true;
      waiting.forEach((fifo, lane) => {
        (tallies[lane] as LaneTally).queueAtCloseSum += fifo.length;
      });
    };

    // work begun by a message (another pool's): walked like a case, neither counted nor timed
    const byMessage = new Set<number>();
    if (graph.starts.length > 0 && Number.isFinite(meanInterarrival)) {
      schedule(-Math.log(1 - random()) * meanInterarrival, ARRIVAL, -1, -1);
    }
    while (queue.size > 0) {
      if (events >= maxEvents) {
        truncated = true;
        break;
      }
      const event = queue.pop() as SimEvent;
      events++;
      const now = event.time;
      if (!closeRecorded && now >= openMin) recordClose();
      if (event.kind === ARRIVAL) {
        if (now >= openMin) continue;
        const caseIndex = arrivedAt.length;
        arrivedAt.push(now);
        underWay.push(1);
        casesArrived++;
        const start = graph.starts[Math.floor(random() * graph.starts.length)] ?? 0;
        schedule(now + (graph.wait[start] ?? 0), READY, caseIndex, start);
        schedule(now - Math.log(1 - random()) * meanInterarrival, ARRIVAL, -1, -1);
      } else if (event.kind === READY) {
        if (graph.route[event.step] === ROUTE.join) {
          // a join lets the case on when the last branch it waits for arrives; the others end here
          const key = `${event.caseIndex}:${event.step}`;
          const count = (arrived.get(key) ?? 0) + 1;
          const needed = expected.get(key) ?? graph.joinArrivals[event.step] ?? 1;
          if (count < needed) {
            arrived.set(key, count);
            underWay[event.caseIndex] = (underWay[event.caseIndex] ?? 1) - 1;
            continue;
          }
          arrived.delete(key);
          expected.delete(key);
        }
        const lane = graph.laneOf[event.step] ?? -1;
        const laneStaff = lane >= 0 ? (staff[lane] ?? 0) : 0;
        if (laneStaff < 1 || !((graph.touch[event.step] ?? 0) > 0)) {
          // no queue: a staff-0 lane (the patient, an outside lab) or a step without touch time
          if (lane >= 0 && (graph.touch[event.step] ?? 0) > 0)
            servedCount[lane] = (servedCount[lane] ?? 0) + 1;
          schedule(
            now + sample((graph.touch[event.step] ?? 0) / productivityFactor),
            DONE,
            event.caseIndex,
            event.step,
          );
        } else if ((busy[lane] ?? 0) < laneStaff) {
          servedCount[lane] = (servedCount[lane] ?? 0) + 1;
          startService(event.caseIndex, event.step, lane, now, now);
        } else {
          accrueQueue(lane, now);
          const fifo = waiting[lane] as Fifo;
          fifo.push({ caseIndex: event.caseIndex, step: event.step, since: now });
          const tally = tallies[lane] as LaneTally;
          if (fifo.length > tally.maxQueue) tally.maxQueue = fifo.length;
        }
      } else {
        const lane = graph.laneOf[event.step] ?? -1;
        if (lane >= 0 && (staff[lane] ?? 0) >= 1 && (graph.touch[event.step] ?? 0) > 0) {
          busy[lane] = (busy[lane] ?? 0) - 1;
          accrueQueue(lane, now);
          const nextItem = (waiting[lane] as Fifo).shift();
          if (nextItem) {
            servedCount[lane] = (servedCount[lane] ?? 0) + 1;
            startService(nextItem.caseIndex, nextItem.step, lane, nextItem.since, now);
          }
        }
        const out = graph.next[event.step];
        const route = graph.route[event.step];
        for (const start of graph.messages[event.step] ?? []) {
          const item = arrivedAt.length;
          arrivedAt.push(now);
          underWay.push(1);
          byMessage.add(item);
          schedule(now + (graph.wait[start] ?? 0), READY, item, start);
        }
        for (const spawn of graph.spawns[event.step] ?? []) {
          if (random() >= spawn.chance) continue;
          underWay[event.caseIndex] = (underWay[event.caseIndex] ?? 1) + 1;
          schedule(now + (graph.wait[spawn.to] ?? 0), READY, event.caseIndex, spawn.to);
        }
        if (!out || out.to.length === 0) {
          const left = (underWay[event.caseIndex] ?? 1) - 1;
          underWay[event.caseIndex] = left;
          if (left > 0) continue; // another branch of the case is still under way
          if (byMessage.has(event.caseIndex)) continue;
          casesCompleted++;
          if (measured(event.caseIndex)) cycles.push(now - (arrivedAt[event.caseIndex] ?? now));
        } else if (route === ROUTE.all || route === ROUTE.each) {
          const chances = graph.chances[event.step] as Float64Array;
          const taken: number[] = [];
          for (let k = 0; k < out.to.length; k++) {
            if (route === ROUTE.all || random() < (chances[k] ?? 0)) taken.push(k);
          }
          if (taken.length === 0) {
            let likeliest = 0;
            for (let k = 1; k < out.to.length; k++)
              if ((chances[k] ?? 0) > (chances[likeliest] ?? 0)) likeliest = k;
            taken.push(likeliest);
          }
          const join = graph.joinOf[event.step] ?? -1;
          if (route === ROUTE.each && join >= 0) expected.set(`${event.caseIndex}:${join}`, taken.length);
          underWay[event.caseIndex] = (underWay[event.caseIndex] ?? 1) + taken.length - 1;
          for (const k of taken) {
            const to = out.to[k] ?? 0;
            schedule(now + (graph.wait[to] ?? 0), READY, event.caseIndex, to);
          }
        } else {
          const u = random() * (out.cumulative[out.cumulative.length - 1] ?? 1);
          let k = 0;
          while (k < out.to.length - 1 && (out.cumulative[k] ?? 0) <= u) k++;
          const to = out.to[k] ?? 0;
          schedule(now + (graph.wait[to] ?? 0), READY, event.caseIndex, to);
        }
      }
    }
    if (!closeRecorded) recordClose();
    for (let lane = 0; lane < waiting.length; lane++) accrueQueue(lane, openMin);
    lastBusyEnd.forEach((end, lane) => {
      (tallies[lane] as LaneTally).overtimeSum += Math.max(0, end - openMin);
    });
    for (const fifo of waiting) fifo.clear();
  }

  const measuredOpenMin = (openMin - warmupMin) * days;
  const lanes: LaneSimulation[] = workflow.lanes.map((lane, i) => {
    const tally = tallies[i] as LaneTally;
    const sorted = [...tally.waits].sort((a, b) => a - b);
    const queued = lane.staff >= 1;
    return {
      laneId: lane.id,
      staff: lane.staff,
      queued,
      utilisation: queued ? tally.busyMin / (lane.staff * measuredOpenMin) : null,
      overtimeMin: tally.overtimeSum / days,
      served: servedCount[i] ?? 0,
      pWait: sorted.length === 0 ? 0 : sorted.filter((w) => w > 0).length / sorted.length,
      meanWaitMin: mean(sorted),
      p90WaitMin: percentile(sorted, WAIT_PERCENTILE),
      maxWaitMin: sorted[sorted.length - 1] ?? 0,
      maxQueueLength: tally.maxQueue,
      meanQueueLength: tally.queueArea / measuredOpenMin,
      queueAtClose: tally.queueAtCloseSum / days,
    };
  });
  const sortedCycles = cycles.sort((a, b) => a - b);
  return {
    ok: true,
    result: {
      seed: options.seed,
      hours,
      days,
      demandFactor,
      productivityFactor,
      touchTime,
      casesArrived,
      casesCompleted,
      meanCycleMin: mean(sortedCycles),
      p90CycleMin: percentile(sortedCycles, WAIT_PERCENTILE),
      throughputPerHour: sortedCycles.length / (measuredOpenMin / MINUTES_PER_HOUR),
      lanes,
      unstableLanes,
      truncated,
      events,
    },
  };
}

// ---- go-live weeks ---------------------------------------------------------------------------

/**
 * Weeks until staff are back to normal productivity: ED metrics worsened during an EHR
 * implementation and were back to baseline within about 3 months (PMC3341791).
 */
export const DEFAULT_RECOVERY_WEEKS = 12;
/** Go-live weeks simulated by default. */
export const DEFAULT_GO_LIVE_WEEKS = 4;
/** Clinic days per simulated week. */
export const DEFAULT_DAYS_PER_WEEK = 5;

/** Options of {@link simulateGoLiveWeeks}. */
interface GoLiveSimulationOptions
  extends Omit<SimulationOptions, 'demandFactor' | 'productivityFactor' | 'days'> {
  /** booking factor in every simulated week (the plan); default the workflow's goLive or 1 */
  capacityFactor?: number;
  /** productivity in week one; default the workflow's goLive or DEFAULT_GO_LIVE_PRODUCTIVITY (goLive.ts) */
  productivityFactor?: number;
  weeks?: number;
  daysPerWeek?: number;
  /** weeks until productivity is back to 1 (linear recovery) */
  recoveryWeeks?: number;
}

/** One simulated go-live week. */
export interface GoLiveWeek {
  week: number;
  productivityFactor: number;
  result: SimulationResult;
}

/**
 * Go-live weeks 1…`weeks`: bookings held at `capacityFactor` (the plan), staff productivity
 * recovering linearly from `productivityFactor` in week 1 to 1 after `recoveryWeeks`
 * (p_w = p₁ + (1 − p₁)·(w − 1)/recoveryWeeks, at most 1). Week w uses seed `seed + w − 1`.
 */
export function simulateGoLiveWeeks(
  workflow: Workflow,
  options: GoLiveSimulationOptions,
): { ok: true; weeks: GoLiveWeek[] } | { ok: false; problem: MetricsProblem } {
  const first =
    options.productivityFactor ?? workflow.goLive?.productivityFactor ?? DEFAULT_GO_LIVE_PRODUCTIVITY;
  const capacityFactor = options.capacityFactor ?? workflow.goLive?.capacityFactor ?? 1;
  const recovery = options.recoveryWeeks ?? DEFAULT_RECOVERY_WEEKS;
  const weeks: GoLiveWeek[] = [];
  for (let week = 1; week <= (options.weeks ?? DEFAULT_GO_LIVE_WEEKS); week++) {
    const productivityFactor = Math.min(1, first + ((1 - first) * (week - 1)) / recovery);
    const outcome = simulate(workflow, {
      ...options,
      seed: (options.seed + week - 1) >>> 0,
      days: options.daysPerWeek ?? DEFAULT_DAYS_PER_WEEK,
      demandFactor: capacityFactor,
      productivityFactor,
    });
    if (!outcome.ok) return outcome;
    weeks.push({ week, productivityFactor, result: outcome.result });
  }
  return { ok: true, weeks };
}
