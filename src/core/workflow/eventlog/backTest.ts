/**
 * The back-test: does the capacity model of a workflow reproduce the log it was discovered from?
 * A model is trusted for planning only if, fed the log's own period, it gives back the waits the
 * log shows (validation against historical data, Law & Kelton ch. 5: a trace-driven simulation).
 *
 * What is replayed from the log, and what is modelled:
 * - Arrivals and paths are the log's own (trace-driven): each case arrives at its first
 *   activity's start and does the log's activities in the log's order. Routing is not under test.
 * - Staff are the model: each lane has the workflow's `staff` servers, first come first served; a
 *   lane with `staff: 0` (or a step with no touch time) has no queue.
 * - Touch (service) times are drawn, per replication, from the step's own measured start→complete
 *   times in the log (a bootstrap: the empirical distribution, not a fitted one). A step whose
 *   instances were never timed is served in the workflow's `touchMin`, and its row says so.
 * - Delays that are not waiting for staff (results, the patient walking over, another department)
 *   are estimated NET OF QUEUEING from the log's own people, never from the workflow's staff
 *   numbers (else a workflow claiming more staff than worked would explain the log's queueing away
 *   as delay). The gap before an instance (since the case's previous activity) is split at the last
 *   moment its lane could not have kept it waiting: someone of the lane at work that day was free
 *   (free spells shorter than {@link HANDOVER_MIN} are handovers), or nobody was at work (closed).
 *   If that moment is the start itself, nothing was waiting for staff and the whole gap is delay
 *   (exact). Otherwise the case became ready somewhere between that moment and its start: the
 *   delay is only known to lie in that interval (interval-censored). Per step, the delay
 *   distribution is the nonparametric maximum-likelihood estimate from both kinds (Turnbull's
 *   self-consistency algorithm, {@link delayDistribution}); each replication draws every delay
 *   from it. An instance naming no person gives no evidence of queueing: its gap counts as exact
 *   delay, and a step with many such instances is not compared.
 *
 * What is compared, per step: the wait before it (start − the previous activity's complete in the
 * same case, 0 when they overlap: the discovery's definition), observed vs simulated. The
 * simulation runs `replications` times (seeds as in replications.ts); each gives the step's mean
 * wait. The step is reproduced when the observed mean lies in the 95 % range of one replication's
 * mean (mean ± t·s·√(1 + 1/R): the log is one more period like those simulated), or within the
 * tolerance (the larger of {@link DEFAULT_TOLERANCE_MIN} minutes and
 * {@link DEFAULT_TOLERANCE_SHARE} of the observed mean). The model is trusted when every step that
 * can be checked is reproduced.
 *
 * Limits, said rather than hidden: a log with one time per activity has no touch times, so it
 * cannot be back-tested at all; a step whose instances name no resource cannot have its wait split
 * into queueing and delay, so it is not counted; parallel activities of a case are replayed one
 * after the other; the simulated staff are always there (a break while someone is at work is
 * counted as free time, so a wait over a break is delay); a person's working day is their first to
 * last activity of the UTC day; delays are drawn independently of the time of day. The first
 * activity of a case has no observed wait (its queueing is before the log's first time) and is
 * not compared.
 *
 * Pure and deterministic: the same log, workflow and seed give the identical result.
 */
import type { Workflow } from '../../../formats/workflow.ts';
import {
  confidenceInterval,
  DEFAULT_REPLICATIONS,
  type Interval,
  replicationSeed,
  tQuantile975,
} from '../replications.ts';
import { EventQueue, mulberry32 } from '../simulate.ts';
import type { EventLog } from './eventLog.ts';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** The seed when none is given (the capacity study's), so a back-test reproduces without one. */
export const DEFAULT_BACK_TEST_SEED = 20_240_701;
/** A person counts as busy without a break when their next activity starts within this many minutes. */
const HANDOVER_MIN = 1;
/** Observed waits a step needs before its mean is compared: fewer say too little. */
const MIN_OBSERVED_WAITS = 10;
/** Absolute tolerance on a step's mean wait (minutes): a clinic does not plan on smaller differences. */
const DEFAULT_TOLERANCE_MIN = 2;
/** Relative tolerance on a step's mean wait: a tenth either way. */
const DEFAULT_TOLERANCE_SHARE = 0.1;
/** A step whose instances name no resource more often than this cannot have its wait split. */
const MAX_UNNAMED_SHARE = 0.1;

/** What to run. */
export interface BackTestOptions {
  /** 32-bit seed; default {@link DEFAULT_BACK_TEST_SEED} */
  seed?: number;
  /** replications (2–500); default 20 */
  replications?: number;
  /** default {@link DEFAULT_TOLERANCE_MIN} */
  toleranceMin?: number;
  /** default {@link DEFAULT_TOLERANCE_SHARE} */
  toleranceShare?: number;
}

/** How a step came out. A public contract (CLI JSON): add, never rename. */
export type StepBackTestStatus =
  /** the observed mean wait is within the simulated range or the tolerance */
  | 'reproduced'
  /** the log waited longer than the model can explain: less capacity, or more delay, than modelled */
  | 'longer-than-model'
  /** the log waited less than the model says: more capacity than modelled */
  | 'shorter-than-model'
  /** fewer than {@link MIN_OBSERVED_WAITS} observed waits */
  | 'too-few'
  /** the log names no resource for most of its instances: queueing and delay cannot be told apart */
  | 'no-resource';

/** One step's comparison. Minutes throughout. */
export interface StepBackTest {
  stepId: string;
  label: string;
  laneId: string;
  /** the lane's staff in the workflow (the model) */
  staff: number;
  /** observed waits before the step (instances that are not a case's first) */
  observed: { n: number; meanMin: number; medianMin: number };
  /** the mean delay not spent waiting for staff, as estimated from the log (the rest was queueing) */
  delayMeanMin: number;
  /** the simulated mean wait: 95 % confidence interval of its expected value over the replications */
  simulatedMeanMin: Interval;
  /** the simulated median wait, over the replications */
  simulatedMedianMin: Interval;
  /** where one period's mean wait falls 95 % of the time (the range the observed mean is held to) */
  expectedRange: { low: number; high: number };
  /** the tolerance applied to this step (minutes) */
  toleranceMin: number;
  status: StepBackTestStatus;
  /** true when the log has no touch time for this step and the workflow's `touchMin` was used */
  touchFromWorkflow: boolean;
}

/** The verdict. A public contract (CLI JSON): add, never rename. */
export type BackTestVerdict = 'trusted' | 'not-trusted' | 'cannot-check';

/** The whole back-test. */
export interface BackTest {
  seed: number;
  replications: number;
  cases: number;
  /** first and last time of the log, epoch ms */
  from: number;
  to: number;
  toleranceMin: number;
  toleranceShare: number;
  /** steps in workflow order that the log has */
  steps: StepBackTest[];
  /** steps with enough evidence to compare */
  checked: number;
  reproduced: number;
  verdict: BackTestVerdict;
}

/** Why a log cannot back-test the model at all. A public contract (CLI JSON): add, never rename. */
type BackTestRefusalCode = 'no-cases' | 'no-touch-times' | 'activity-not-in-workflow';

type BackTestOutcome =
  | { ok: true; backTest: BackTest }
  | { ok: false; code: BackTestRefusalCode; message: string };

/** Per activity instance of the log, what the replay needs. */
interface Replay {
  /** instances in case order; the first of each case is marked by `first` */
  step: Int32Array;
  lane: Int32Array;
  first: Uint8Array;
  /**
   * minutes: arrival offset (first instances), or the delay net of queueing (the others): exact when
   * `censored` is 0, a lower bound when 1 (the case may have been queueing after it)
   */
  delay: Float64Array;
  censored: Uint8Array;
  /** per step: the delay distribution (Kaplan–Meier over its instances) to draw from */
  delays: DelayDistribution[];
  /** per step: measured touch times (minutes) */
  touches: Float64Array[];
  /** arrival order of cases: case start offsets (minutes from the log's first time) and instance ranges */
  caseFrom: Int32Array;
  caseTo: Int32Array;
}

/** Runs the back-test of `workflow` on `log` (see the file header). Throws RangeError for bad options. */
export function backTest(log: EventLog, workflow: Workflow, options: BackTestOptions = {}): BackTestOutcome {
  const seed = (options.seed ?? DEFAULT_BACK_TEST_SEED) >>> 0;
  const replications = options.replications ?? DEFAULT_REPLICATIONS;
  const toleranceMin = options.toleranceMin ?? DEFAULT_TOLERANCE_MIN;
  const toleranceShare = options.toleranceShare ?? DEFAULT_TOLERANCE_SHARE;
  if (!Number.isInteger(replications) || replications < 2 || replications > 500)
    throw new RangeError('replications must be a whole number from 2 to 500.');
  if (!(toleranceMin >= 0) || !(toleranceShare >= 0))
    throw new RangeError('The tolerance must be at least 0.');

  const instances = log.activity.length;
  if (instances === 0)
    return { ok: false, code: 'no-cases', message: 'The log has no activities to replay.' };
  let timedAny = false;
  for (let i = 0; i < instances && !timedAny; i++) if (log.timed[i]) timedAny = true;
  if (!timedAny) {
    return {
      ok: false,
      code: 'no-touch-times',
      message:
        'The log has one time per activity, not a start and a complete, so it does not show how long staff worked on each: without touch times the model cannot be checked against it. Export the start and complete times of each activity to back-test.',
    };
  }

  // activity → step (by name, as discovery names steps) → lane
  const stepByLabel = new Map<string, number>();
  workflow.steps.forEach((s, k) => {
    if (!stepByLabel.has(s.label)) stepByLabel.set(s.label, k);
  });
  const laneIndex = new Map(workflow.lanes.map((l, k) => [l.id, k] as const));
  const stepOfActivity = log.activities.map((name) => stepByLabel.get(name) ?? -1);
  let missing = 0;
  const used = new Uint8Array(log.activities.length);
  for (let i = 0; i < instances; i++) used[log.activity[i] as number] = 1;
  stepOfActivity.forEach((k, a) => {
    if (k < 0 && used[a]) missing++;
  });
  if (missing > 0) {
    return {
      ok: false,
      code: 'activity-not-in-workflow',
      message: `${missing} ${missing === 1 ? 'activity' : 'activities'} of the log ${missing === 1 ? 'has' : 'have'} no step of the same name in the workflow, so the log cannot be replayed through it. Back-test the workflow discovered from this log, or name its steps as the log does.`,
    };
  }

  const origin = log.start.reduce((min, t) => Math.min(min, t), Number.POSITIVE_INFINITY);
  const end = log.complete.reduce((max, t) => Math.max(max, t), Number.NEGATIVE_INFINITY);
  const replay = prepareReplay(log, workflow, stepOfActivity, laneIndex, origin);
  const stepCount = workflow.steps.length;

  // observed waits per step, and the delay part of each
  const observedWaits: number[][] = Array.from({ length: stepCount }, () => []);
  const unnamed = new Int32Array(stepCount);
  for (let c = 0; c < log.cases.length; c++) {
    const from = log.caseOffsets[c] as number;
    const to = log.caseOffsets[c + 1] as number;
    for (let i = from + 1; i < to; i++) {
      const k = replay.step[i] as number;
      const gap = Math.max(0, (log.start[i] as number) - (log.complete[i - 1] as number)) / MS_PER_MINUTE;
      (observedWaits[k] as number[]).push(gap);
      if ((log.resource[i] as number) < 0) unnamed[k] = (unnamed[k] as number) + 1;
    }
  }

  // replications
  const perReplication: Array<{ mean: Float64Array; median: Float64Array }> = [];
  for (let r = 0; r < replications; r++) {
    perReplication.push(replayOnce(replay, workflow, mulberry32(replicationSeed(seed, r))));
  }

  const t = tQuantile975(replications - 1);
  const steps: StepBackTest[] = [];
  workflow.steps.forEach((step, k) => {
    const waits = observedWaits[k] as number[];
    const occurs = replay.step.some((s) => s === k);
    if (!occurs) return;
    const lane = workflow.lanes[laneIndex.get(step.lane) ?? -1];
    const staff = lane?.staff ?? 0;
    const n = waits.length;
    const observedMean = n === 0 ? 0 : waits.reduce((a, b) => a + b, 0) / n;
    const means = perReplication.map((p) => p.mean[k] as number);
    const simulatedMeanMin = confidenceInterval(means);
    const spread = Math.sqrt(
      means.reduce((sum, m) => sum + (m - simulatedMeanMin.mean) ** 2, 0) / (replications - 1),
    );
    const reach = t * spread * Math.sqrt(1 + 1 / replications);
    const expectedRange = {
      low: Math.max(0, simulatedMeanMin.mean - reach),
      high: simulatedMeanMin.mean + reach,
    };
    const tolerance = Math.max(toleranceMin, toleranceShare * observedMean);
    const queued = staff >= 1 && (step.touchMin > 0 || (replay.touches[k]?.length ?? 0) > 0);
    let status: StepBackTestStatus;
    if (n < MIN_OBSERVED_WAITS) status = 'too-few';
    else if (queued && (unnamed[k] as number) > MAX_UNNAMED_SHARE * n) status = 'no-resource';
    else if (
      (observedMean >= expectedRange.low && observedMean <= expectedRange.high) ||
      Math.abs(observedMean - simulatedMeanMin.mean) <= tolerance
    )
      status = 'reproduced';
    else status = observedMean > simulatedMeanMin.mean ? 'longer-than-model' : 'shorter-than-model';
    steps.push({
      stepId: step.id,
      label: step.label,
      laneId: step.lane,
      staff,
      observed: { n, meanMin: observedMean, medianMin: median(waits) },
      delayMeanMin: replay.delays[k]?.mean ?? 0,
      simulatedMeanMin,
      simulatedMedianMin: confidenceInterval(perReplication.map((p) => p.median[k] as number)),
      expectedRange,
      toleranceMin: tolerance,
      status,
      touchFromWorkflow: (replay.touches[k]?.length ?? 0) === 0,
    });
  });
  const compared = steps.filter(
    (s) => s.status === 'reproduced' || s.status === 'longer-than-model' || s.status === 'shorter-than-model',
  );
  const reproduced = compared.filter((s) => s.status === 'reproduced').length;
  const verdict: BackTestVerdict =
    compared.length === 0 ? 'cannot-check' : reproduced === compared.length ? 'trusted' : 'not-trusted';
  return {
    ok: true,
    backTest: {
      seed,
      replications,
      cases: log.cases.length,
      from: origin,
      to: end,
      toleranceMin,
      toleranceShare,
      steps,
      checked: compared.length,
      reproduced,
      verdict,
    },
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Per instance: its step and lane, and its delay net of queueing (see the file header); per step,
 * its measured touch times.
 */
function prepareReplay(
  log: EventLog,
  workflow: Workflow,
  stepOfActivity: number[],
  laneIndex: Map<string, number>,
  origin: number,
): Replay {
  const n = log.activity.length;
  const step = new Int32Array(n);
  const lane = new Int32Array(n);
  const first = new Uint8Array(n);
  const delay = new Float64Array(n);
  const censored = new Uint8Array(n);
  const gap = new Float64Array(n);
  const touchLists: number[][] = workflow.steps.map(() => []);
  for (let i = 0; i < n; i++) {
    const k = stepOfActivity[log.activity[i] as number] as number;
    step[i] = k;
    lane[i] = laneIndex.get(workflow.steps[k]?.lane ?? '') ?? -1;
    if (log.timed[i])
      touchLists[k]?.push(((log.complete[i] as number) - (log.start[i] as number)) / MS_PER_MINUTE);
  }

  const lastFree = lastFreeBeforeStart(log, lane);

  const caseFrom: number[] = [];
  const caseTo: number[] = [];
  for (let c = 0; c < log.cases.length; c++) {
    const from = log.caseOffsets[c] as number;
    const to = log.caseOffsets[c + 1] as number;
    if (from === to) continue;
    caseFrom.push(from);
    caseTo.push(to);
    first[from] = 1;
    delay[from] = ((log.start[from] as number) - origin) / MS_PER_MINUTE;
    for (let i = from + 1; i < to; i++) {
      const previous = log.complete[i - 1] as number;
      const start = log.start[i] as number;
      const gapMs = Math.max(0, start - previous);
      const free = lastFree[i] as number;
      // no resource named: no evidence of queueing, the whole gap is replayed as delay
      const delayMs = Number.isNaN(free) ? gapMs : Math.min(gapMs, Math.max(0, free - previous));
      delay[i] = delayMs / MS_PER_MINUTE;
      gap[i] = gapMs / MS_PER_MINUTE;
      censored[i] = !Number.isNaN(free) && free < start ? 1 : 0;
    }
  }
  const delays = workflow.steps.map((_, k) => {
    const values: number[] = [];
    const intervals: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      if (first[i] || step[i] !== k) continue;
      if (censored[i]) intervals.push([delay[i] as number, gap[i] as number]);
      else values.push(delay[i] as number);
    }
    return delayDistribution(values, intervals);
  });
  return {
    step,
    lane,
    first,
    delay,
    censored,
    delays,
    touches: touchLists.map((list) => Float64Array.from(list)),
    caseFrom: Int32Array.from(caseFrom),
    caseTo: Int32Array.from(caseTo),
  };
}

/**
 * Per instance with a resource: the last moment before its start at which its lane could not have
 * kept it waiting — someone of the lane at work that day was free, or nobody was at work (closed)
 * (NaN without a resource). A person is at work from their first start to their last complete of a (UTC) day, and
 * busy while an activity of theirs is under way; a free spell shorter than {@link HANDOVER_MIN}
 * is a handover, not a free person.
 */
function lastFreeBeforeStart(log: EventLog, laneOf: Int32Array): Float64Array {
  const n = log.activity.length;
  const result = new Float64Array(n).fill(Number.NaN);
  const byLane = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if ((log.resource[i] as number) < 0) continue;
    const lane = laneOf[i] as number;
    let list = byLane.get(lane);
    if (!list) {
      list = [];
      byLane.set(lane, list);
    }
    list.push(i);
  }
  const handover = HANDOVER_MIN * MS_PER_MINUTE;
  for (const list of byLane.values()) {
    // presence per person and day
    const spans = new Map<string, { from: number; to: number }>();
    for (const i of list) {
      const key = `${log.resource[i]}:${Math.floor((log.start[i] as number) / MS_PER_DAY)}`;
      const span = spans.get(key);
      const s = log.start[i] as number;
      const c = log.complete[i] as number;
      if (!span) spans.set(key, { from: s, to: c });
      else {
        span.from = Math.min(span.from, s);
        span.to = Math.max(span.to, c);
      }
    }
    // a sweep over the changes: +1/−1 people at work, and per person how many activities under way
    const changes: Array<{ time: number; order: number; person: number; kind: number }> = [];
    for (const [key, span] of spans) {
      const person = Number(key.slice(0, key.indexOf(':')));
      changes.push({ time: span.from, order: 1, person, kind: PRESENT });
      changes.push({ time: span.to, order: 2, person, kind: ABSENT });
    }
    for (const i of list) {
      const person = log.resource[i] as number;
      changes.push({ time: log.start[i] as number, order: 0, person, kind: BUSY });
      changes.push({ time: log.complete[i] as number, order: 0, person, kind: IDLE });
    }
    // at one time: busy/idle first, then arrivals at work, then departures
    changes.sort((a, b) => a.time - b.time || a.order - b.order || a.kind - b.kind);
    const underWay = new Map<number, number>();
    let present = 0;
    let busyPeople = 0;
    // before the lane's first activity nobody was at work: closed
    const freeFrom: number[] = [];
    const freeTo: number[] = [];
    let freeSince = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < changes.length; ) {
      const time = (changes[k] as (typeof changes)[number]).time;
      for (; k < changes.length && (changes[k] as (typeof changes)[number]).time === time; k++) {
        const change = changes[k] as (typeof changes)[number];
        if (change.kind === PRESENT) present++;
        else if (change.kind === ABSENT) present--;
        else {
          const before = underWay.get(change.person) ?? 0;
          const after = before + (change.kind === BUSY ? 1 : -1);
          underWay.set(change.person, after);
          if (before === 0 && after > 0) busyPeople++;
          else if (before > 0 && after === 0) busyPeople--;
        }
      }
      // nobody at work (the lane is closed) is not waiting for staff either: that is delay
      const free = present === 0 || present > busyPeople;
      if (free && Number.isNaN(freeSince)) freeSince = time;
      else if (!free && !Number.isNaN(freeSince)) {
        if (time - freeSince >= handover) {
          freeFrom.push(freeSince);
          freeTo.push(time);
        }
        freeSince = Number.NaN;
      }
    }
    if (!Number.isNaN(freeSince)) {
      freeFrom.push(freeSince);
      freeTo.push(Number.POSITIVE_INFINITY);
    }
    for (const i of list) {
      const s = log.start[i] as number;
      // the last free spell that began before this start
      let lo = 0;
      let hi = freeFrom.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((freeFrom[mid] as number) < s) lo = mid + 1;
        else hi = mid;
      }
      result[i] = lo === 0 ? Number.NEGATIVE_INFINITY : Math.min(s, freeTo[lo - 1] as number);
    }
  }
  return result;
}

const PRESENT = 0;
const ABSENT = 1;
const BUSY = 2;
const IDLE = 3;

/** A discrete distribution of delays (minutes): values ascending with their cumulative chances. */
interface DelayDistribution {
  values: Float64Array;
  cumulative: Float64Array;
  /** its mean */
  mean: number;
}

/** Self-consistency iterations of {@link delayDistribution} at most, and the change that ends them. */
const MAX_ITERATIONS = 200;
const CONVERGED = 1e-7;

/**
 * The nonparametric maximum-likelihood estimate of a delay distribution (Turnbull's
 * self-consistency algorithm) from exact delays and interval-censored ones: a delay known only to
 * lie in [low, high] (the case became ready at some moment of a spell in which its lane was busy,
 * so it may have been queueing for part of the gap). The support is every exact value and every
 * interval end; each iteration spreads each interval's weight over the support inside it in
 * proportion to the current chances (the EM step), until the chances change by less than 1e-7.
 */
export function delayDistribution(
  exact: readonly number[],
  intervals: ReadonlyArray<readonly [number, number]>,
): DelayDistribution {
  const support = [...new Set([...exact, ...intervals.flat()])].sort((x, y) => x - y);
  const m = support.length;
  const total = exact.length + intervals.length;
  if (m === 0 || total === 0)
    return { values: new Float64Array(0), cumulative: new Float64Array(0), mean: 0 };
  const index = (v: number) => {
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((support[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const exactCount = new Float64Array(m);
  for (const v of exact) exactCount[index(v)] = (exactCount[index(v)] as number) + 1;
  const ranges = intervals.map(([low, high]) => [index(low), index(high)] as const);
  let p = new Float64Array(m).fill(1 / m);
  const prefix = new Float64Array(m + 1);
  const share = new Float64Array(m + 1);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    for (let k = 0; k < m; k++) prefix[k + 1] = (prefix[k] as number) + (p[k] as number);
    share.fill(0);
    for (const [from, to] of ranges) {
      const inside = (prefix[to + 1] as number) - (prefix[from] as number);
      if (inside <= 0) continue;
      share[from] = (share[from] as number) + 1 / inside;
      share[to + 1] = (share[to + 1] as number) - 1 / inside;
    }
    const next = new Float64Array(m);
    let running = 0;
    let change = 0;
    for (let k = 0; k < m; k++) {
      running += share[k] as number;
      next[k] = ((exactCount[k] as number) + (p[k] as number) * running) / total;
      change = Math.max(change, Math.abs((next[k] as number) - (p[k] as number)));
    }
    p = next;
    if (change < CONVERGED) break;
  }
  const values: number[] = [];
  const cumulative: number[] = [];
  let sum = 0;
  let mean = 0;
  for (let k = 0; k < m; k++) {
    if (!((p[k] as number) > 1e-12)) continue;
    sum += p[k] as number;
    mean += (p[k] as number) * (support[k] as number);
    values.push(support[k] as number);
    cumulative.push(sum);
  }
  return { values: Float64Array.from(values), cumulative: Float64Array.from(cumulative), mean: mean / sum };
}

function drawDelay(distribution: DelayDistribution | undefined, random: () => number): number {
  if (!distribution || distribution.values.length === 0) return 0;
  const u = random() * (distribution.cumulative[distribution.cumulative.length - 1] as number);
  let lo = 0;
  let hi = distribution.values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((distribution.cumulative[mid] as number) <= u) lo = mid + 1;
    else hi = mid;
  }
  return distribution.values[lo] as number;
}

interface HeapEvent {
  time: number;
  seq: number;
  item: number;
  kind: number;
}

const READY = 0;
const DONE = 1;

/** One replication: every case replayed through the lanes; per step the mean and median simulated wait. */
function replayOnce(
  replay: Replay,
  workflow: Workflow,
  random: () => number,
): { mean: Float64Array; median: Float64Array } {
  const n = replay.step.length;
  const stepCount = workflow.steps.length;
  const staff = workflow.lanes.map((l) => l.staff);
  const busy = new Int32Array(staff.length);
  const waiting: number[][] = staff.map(() => []);
  const waitingHead = new Int32Array(staff.length);
  const touch = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = replay.step[i] as number;
    const measured = replay.touches[k] as Float64Array;
    touch[i] =
      measured.length > 0
        ? (measured[Math.floor(random() * measured.length)] as number)
        : (workflow.steps[k]?.touchMin ?? 0);
  }
  const readyAt = new Float64Array(n);
  const startAt = new Float64Array(n);
  const caseEnd = new Int32Array(n); // per instance: the end of its case's range
  const heap = new EventQueue<HeapEvent>();
  let seq = 0;
  for (let c = 0; c < replay.caseFrom.length; c++) {
    const from = replay.caseFrom[c] as number;
    const to = replay.caseTo[c] as number;
    for (let i = from; i < to; i++) caseEnd[i] = to;
    readyAt[from] = replay.delay[from] as number;
    heap.push({ time: readyAt[from] as number, seq: seq++, item: from, kind: READY });
  }
  const queued = (i: number) => {
    const lane = replay.lane[i] as number;
    return lane >= 0 && (staff[lane] ?? 0) >= 1 && (touch[i] as number) > 0;
  };
  const serve = (i: number, now: number) => {
    startAt[i] = now;
    heap.push({ time: now + (touch[i] as number), seq: seq++, item: i, kind: DONE });
  };
  while (heap.size > 0) {
    const { time: now, item: i, kind } = heap.pop() as HeapEvent;
    const lane = replay.lane[i] as number;
    if (kind === READY) {
      if (!queued(i)) serve(i, now);
      else if ((busy[lane] as number) < (staff[lane] as number)) {
        busy[lane] = (busy[lane] as number) + 1;
        serve(i, now);
      } else (waiting[lane] as number[]).push(i);
    } else {
      if (queued(i)) {
        const fifo = waiting[lane] as number[];
        const head = waitingHead[lane] as number;
        if (head < fifo.length) {
          waitingHead[lane] = head + 1;
          serve(fifo[head] as number, now);
        } else busy[lane] = (busy[lane] as number) - 1;
      }
      const next = i + 1;
      if (next < (caseEnd[i] as number)) {
        readyAt[next] = now + drawDelay(replay.delays[replay.step[next] as number], random);
        heap.push({ time: readyAt[next] as number, seq: seq++, item: next, kind: READY });
      }
    }
  }
  // the simulated wait before an instance: its start − the previous instance's completion
  const waits: number[][] = Array.from({ length: stepCount }, () => []);
  for (let i = 0; i < n; i++) {
    if (replay.first[i]) continue;
    const previousDone = (startAt[i - 1] as number) + (touch[i - 1] as number);
    (waits[replay.step[i] as number] as number[]).push((startAt[i] as number) - previousDone);
  }
  const mean = new Float64Array(stepCount);
  const med = new Float64Array(stepCount);
  waits.forEach((list, k) => {
    mean[k] = list.length === 0 ? 0 : list.reduce((a, b) => a + b, 0) / list.length;
    med[k] = median(list);
  });
  return { mean, median: med };
}
