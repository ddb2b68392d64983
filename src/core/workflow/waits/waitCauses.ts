/**
 * Why cases wait: each activity instance's waiting time — from its enablement (the latest end of
 * an earlier activity of its case, at or before its start) to its start — split into five causes,
 * after "Why am I waiting?" (Lashkevich, Milani, Chapela-Campa, Suvorau, Dumas):
 *
 * - batching: the case was ready but its batch was still accumulating — from its enablement to the
 *   enablement of the batch's last member ({@link findBatches} says what a batch is; the pause
 *   that separates batches is found per activity from the log's own gaps, batchGap.ts);
 * - prioritization: the resource was busy with an instance enabled later than this one that
 *   started first (it overtook);
 * - contention: the resource was busy with other work (enabled earlier, or a batch mate);
 * - unavailability: the resource was idle and outside its working time, discovered from the log
 *   as a weekly calendar (calendar.ts);
 * - extraneous: the rest (the resource idle and at work, yet the case waited: something outside
 *   the log).
 *
 * Every instant of a wait goes to exactly one cause, so the five add up to the waiting time. Off
 * the calendar comes first (an accumulating batch at night waits for the morning, not the batch);
 * then batching; then, outside the accumulation, what the resource was doing. The resource is
 * the one that did the waiting instance; an instance without one waits only for extraneous
 * reasons. A log with one time per event has no busy time, so no contention or prioritization.
 *
 * Pure: no DOM, no I/O; the log's case ids appear only in the evidence (the overtaking cases).
 */
import type { EventLog } from '../eventlog/eventLog.ts';
import type { LocalClock } from '../eventlog/timestamps.ts';
import { BATCH_GAP_CEILING_MS, type BatchGap, estimateBatchGap, idleGaps } from './batchGap.ts';
import { CalendarCounter, type ResourceCalendar, workingMeasure } from './calendar.ts';
import {
  busyIn,
  lastAtOrBefore,
  longestIdleAtWork,
  offAndIdleIn,
  type ResourceTime,
  resourceTime,
} from './resourceTime.ts';

export const WAIT_CAUSES = [
  'batching',
  'prioritization',
  'contention',
  'unavailability',
  'extraneous',
] as const;
export type WaitCause = (typeof WAIT_CAUSES)[number];
export type CauseValues = Record<WaitCause, number>;

/** Evidence listed per activity: batch release times and overtaking cases. */
export const EVIDENCE_LIMIT = 5;

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;

/** Waiting by cause over a set of instances. */
export interface WaitBreakdown {
  /** instances with an enablement (so a measured wait, possibly 0) */
  instances: number;
  /** distinct cases among them */
  cases: number;
  /** waiting hours per case */
  waitingHours: number;
  /** hours per case for each cause; they add up to `waitingHours` */
  causes: CauseValues;
  /** each cause's share of the waiting, 0–1 (all 0 when nothing waited) */
  shares: CauseValues;
}

/** The batches of an activity: the evidence for its batching. */
export interface BatchEvidence {
  count: number;
  /** instances in batches */
  instances: number;
  minSize: number;
  maxSize: number;
  meanSize: number;
  /** when the first batches were released (their first start), ISO 8601 UTC */
  firstReleases: string[];
}

/** The pause that separates the activity's batches (batchGap.ts), as found in the log. */
export interface BatchGapEvidence {
  /** the gap, minutes: an instance joins a run when it started within this of the run's end */
  minutes: number;
  /**
   * `estimated` from the activity's own gaps; `ceiling` when the split fell above the ceiling;
   * `too-few` when there were too few gaps to split (the floor, only instances started together
   * or straight after one another)
   */
  basis: BatchGap['basis'];
  /** the idle gaps between one person's instances it was found from (those above the floor) */
  gaps: number;
}

/** What an activity's waits are made of. */
export interface ActivityWaits extends WaitBreakdown {
  activity: string;
  /** waits by the activity the case came from */
  transitions: Array<WaitBreakdown & { from: string }>;
  batches: BatchEvidence;
  /** the pause that separates its batches and how it was found */
  batchGap: BatchGapEvidence;
  /** instances overtaken at least once by a later-enabled one on their resource */
  overtaken: number;
  /** cases of the first instances that overtook (at most {@link EVIDENCE_LIMIT}) */
  overtakingCases: string[];
  /** the resources that did it, most instances first */
  resources: string[];
}

export interface WaitAnalysis {
  /** by activity, most waiting hours in total first */
  activities: ActivityWaits[];
  /** the calendar found per resource (the evidence for unavailability), by name */
  calendars: Array<Omit<ResourceCalendar, 'slots'>>;
  /** false when the log has no start times: busy time unknown, so no contention or prioritization */
  timed: boolean;
  /**
   * Activities whose batch gap could not be found (too few gaps between one person's instances)
   * and their instances: for them only instances started together or straight after one another
   * count as a batch.
   */
  batchGapUndecided: { activities: number; instances: number };
}

/** A batch: members (instance indices) and when it was ready (its last member's enablement). */
export interface Batch {
  members: number[];
  ready: number;
  release: number;
}

/** The enablement of each instance (NaN for none) and the instance it came from (−1). */
export function enablements(log: EventLog): { enabled: Float64Array; from: Int32Array } {
  const n = log.activity.length;
  const enabled = new Float64Array(n).fill(Number.NaN);
  const from = new Int32Array(n).fill(-1);
  for (let c = 0; c < log.cases.length; c++) {
    const first = log.caseOffsets[c] as number;
    const end = log.caseOffsets[c + 1] as number;
    for (let i = first; i < end; i++) {
      const s = log.start[i] as number;
      let best = -1;
      for (let j = first; j < i; j++) {
        const done = log.complete[j] as number;
        if (done <= s && (best < 0 || done >= (log.complete[best] as number))) best = j;
      }
      if (best >= 0) {
        enabled[i] = log.complete[best] as number;
        from[i] = best;
      }
    }
  }
  return { enabled, from };
}

/**
 * The batches of one resource's instances of one activity (`instances` ordered by start): runs
 * where each instance started within `gap` ms (the activity's, batchGap.ts) of the run's latest
 * end and was enabled by the time the run's first one started. A run is a batch when its
 * members waited for one another:
 *
 * - two or more members, their enablements spread (they accumulated);
 * - the earlier ones were held while the resource was at work and idle, in one stretch, for
 *   longer than `longestPause` (the longest pause between items: the gap where the log showed its
 *   pauses, else the gap's ceiling, batchGap.ts): a queue taken as it comes, with a pause between
 *   items at most, never holds a case so;
 * - once the last member was ready, the run was not held so: it was released when complete, or
 *   as soon as the resource was free. Cases that each wait for something outside the log and
 *   happen to start together (a chance co-start) were held after the last of them was ready as
 *   long as before: nothing shows they waited for each other, so they are no batch. Nor is a
 *   queue worked off one after the other because the resource had been busy (contention), which
 *   was never held while she was idle.
 *
 * So a pile released by the clock (at a set hour, whatever has gathered) counts only when its
 * last case came within a pause of the release or the resource was busy until it.
 */
export function findBatches(
  instances: ArrayLike<number> & Iterable<number>,
  log: EventLog,
  ready: Float64Array,
  time: ResourceTime,
  gap: number,
  longestPause: number,
): Batch[] {
  const batches: Batch[] = [];
  let members: number[] = [];
  let firstStart = 0;
  let lastEnd = 0;
  const close = () => {
    if (members.length < 2) return;
    let earliest = Number.POSITIVE_INFINITY;
    let latest = Number.NEGATIVE_INFINITY;
    for (const m of members) {
      earliest = Math.min(earliest, ready[m] as number);
      latest = Math.max(latest, ready[m] as number);
    }
    if (latest - earliest <= gap) return;
    const heldWhileIdle = longestIdleAtWork(time, earliest, firstStart) > longestPause;
    const releasedWhenComplete = longestIdleAtWork(time, latest, firstStart) <= longestPause;
    if (heldWhileIdle && releasedWhenComplete) batches.push({ members, ready: latest, release: firstStart });
  };
  for (const i of instances) {
    const s = log.start[i] as number;
    const joins = members.length > 0 && s <= lastEnd + gap && (ready[i] as number) <= firstStart;
    if (!joins) {
      close();
      members = [];
      firstStart = s;
      lastEnd = s;
    }
    members.push(i);
    lastEnd = Math.max(lastEnd, log.complete[i] as number);
  }
  close();
  return batches;
}

interface Totals {
  instances: number;
  cases: number;
  lastCase: number;
  waiting: number;
  causes: CauseValues;
}

const zeroCauses = (): CauseValues => ({
  batching: 0,
  prioritization: 0,
  contention: 0,
  unavailability: 0,
  extraneous: 0,
});

function totals(): Totals {
  return { instances: 0, cases: 0, lastCase: -1, waiting: 0, causes: zeroCauses() };
}

function breakdown(t: Totals): WaitBreakdown {
  const per = (ms: number) => (t.cases === 0 ? 0 : ms / MS_PER_HOUR / t.cases);
  const causes = zeroCauses();
  const shares = zeroCauses();
  for (const cause of WAIT_CAUSES) {
    causes[cause] = per(t.causes[cause]);
    shares[cause] = t.waiting > 0 ? t.causes[cause] / t.waiting : 0;
  }
  return { instances: t.instances, cases: t.cases, waitingHours: per(t.waiting), causes, shares };
}

/** Length of the union of intervals given sorted by start, clipped to [a, b]. */
function unionLength(intervals: Array<[number, number]>, a: number, b: number): number {
  let total = 0;
  let openAt = Number.NaN;
  let closeAt = Number.NaN;
  for (const [s0, e0] of intervals) {
    const s = Math.max(s0, a);
    const e = Math.min(e0, b);
    if (!(e > s)) continue;
    if (s > closeAt || Number.isNaN(openAt)) {
      if (!Number.isNaN(openAt)) total += closeAt - openAt;
      openAt = s;
      closeAt = e;
    } else closeAt = Math.max(closeAt, e);
  }
  if (!Number.isNaN(openAt)) total += closeAt - openAt;
  return total;
}

/**
 * The instances of each of `count` groups (`groupOf[i]`, −1 for none), in index order: views into
 * one typed array, so a log of millions of instances costs 4 bytes each, not a list per group.
 */
function groupedBy(groupOf: Int32Array, count: number): Int32Array[] {
  const offsets = new Int32Array(count + 1);
  for (const g of groupOf) if (g >= 0) offsets[g + 1] = (offsets[g + 1] as number) + 1;
  for (let g = 0; g < count; g++) offsets[g + 1] = (offsets[g + 1] as number) + (offsets[g] as number);
  const members = new Int32Array(offsets[count] as number);
  const next = offsets.slice(0, count);
  groupOf.forEach((g, i) => {
    if (g < 0) return;
    members[next[g] as number] = i;
    next[g] = (next[g] as number) + 1;
  });
  return Array.from({ length: count }, (_, g) => members.subarray(offsets[g], offsets[g + 1]));
}

/**
 * `order`'s instances by activity, each activity's in `order`'s order, activities in the order
 * they first come: views into one typed array the length of `order`.
 */
function byActivityInOrder(order: Int32Array, activity: Int32Array): Map<number, Int32Array> {
  const counts = new Map<number, number>();
  for (const i of order) {
    const a = activity[i] as number;
    counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  const grouped = new Int32Array(order.length);
  const next = new Map<number, number>();
  const runs = new Map<number, Int32Array>();
  let at = 0;
  for (const [a, count] of counts) {
    next.set(a, at);
    runs.set(a, grouped.subarray(at, at + count));
    at += count;
  }
  for (const i of order) {
    const a = activity[i] as number;
    const k = next.get(a) as number;
    grouped[k] = i;
    next.set(a, k + 1);
  }
  return runs;
}

/** Splits every wait of `log` by cause; times of day are read on `clock` (the log's zone). */
export function analyzeWaits(log: EventLog, clock: LocalClock): WaitAnalysis {
  const n = log.activity.length;
  const { enabled, from } = enablements(log);
  // when an instance became ready: its enablement, or its start for a case's first activity
  const ready = Float64Array.from(enabled, (e, i) => (Number.isNaN(e) ? (log.start[i] as number) : e));
  let timed = false;
  for (let i = 0; i < n; i++) if ((log.complete[i] as number) > (log.start[i] as number)) timed = true;

  // per resource: calendar and timeline
  const calendars: ResourceCalendar[] = [];
  const times: ResourceTime[] = [];
  groupedBy(log.resource, log.resources.length).forEach((instances, r) => {
    const counter = new CalendarCounter(clock);
    for (const i of instances) counter.add(log.start[i] as number, log.complete[i] as number);
    const calendar = counter.calendar(log.resources[r] as string);
    calendars.push(calendar);
    times.push(resourceTime(instances, log.start, log.complete, workingMeasure(calendar, clock)));
  });

  // each resource's instances per activity, by start; the gap that separates batches per activity
  const runs = times.map((time) => byActivityInOrder(time.order, log.activity));
  const resourcedInstances = new Int32Array(log.activities.length);
  for (const byActivity of runs)
    for (const [a, list] of byActivity)
      resourcedInstances[a] = (resourcedInstances[a] as number) + list.length;
  // an activity's gaps are fewer than its instances: one typed array each, filled in place
  const gapsOf = Array.from(resourcedInstances, (count) => new Float64Array(count));
  const gapsFilled = new Int32Array(log.activities.length);
  for (const byActivity of runs) {
    for (const [a, list] of byActivity)
      gapsFilled[a] = idleGaps(list, log.start, log.complete, gapsOf[a] as Float64Array, gapsFilled[a]);
  }
  const batchGaps = gapsOf.map((gaps, a) => estimateBatchGap(gaps.subarray(0, gapsFilled[a])));

  // batches, per resource and activity
  const batchOf = new Int32Array(n).fill(-1);
  const batches: Batch[] = [];
  runs.forEach((byActivity, r) => {
    for (const [a, list] of byActivity) {
      const { ms: gap, basis } = batchGaps[a] as BatchGap;
      // pauses seen in the log bound idleness within a queue; otherwise the longest pause allowed
      const longestPause = basis === 'estimated' || basis === 'ceiling' ? gap : BATCH_GAP_CEILING_MS;
      for (const batch of findBatches(list, log, ready, times[r] as ResourceTime, gap, longestPause)) {
        for (const m of batch.members) batchOf[m] = batches.length;
        batches.push(batch);
      }
    }
  });

  const activityTotals = log.activities.map(() => totals());
  const transitionTotals = log.activities.map(() => new Map<number, Totals>());
  const overtaken = new Int32Array(log.activities.length);
  const overtakingCases: string[][] = log.activities.map(() => []);
  const caseOf = new Int32Array(n);
  for (let c = 0; c < log.cases.length; c++) {
    caseOf.fill(c, log.caseOffsets[c] as number, log.caseOffsets[c + 1] as number);
  }

  const add = (t: Totals, c: number, wait: number, causes: CauseValues) => {
    t.instances++;
    if (t.lastCase !== c) {
      t.cases++;
      t.lastCase = c;
    }
    t.waiting += wait;
    for (const cause of WAIT_CAUSES) t.causes[cause] += causes[cause];
  };

  const overtakers: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const e = enabled[i] as number;
    if (Number.isNaN(e)) continue;
    const s = log.start[i] as number;
    const a = log.activity[i] as number;
    const causes = zeroCauses();
    const wait = Math.max(0, s - e);
    const r = log.resource[i] as number;
    const time = r >= 0 ? times[r] : undefined;
    if (wait > 0 && time === undefined) causes.extraneous = wait;
    else if (wait > 0 && time !== undefined) {
      const b = batchOf[i] as number;
      const accumulatedUntil = b >= 0 ? Math.min(s, Math.max(e, (batches[b] as Batch).ready)) : e;
      // the accumulation: batching, unless the resource was off and idle
      const offInAccumulation = offAndIdleIn(time, e, accumulatedUntil);
      causes.batching = accumulatedUntil - e - offInAccumulation;
      causes.unavailability = offInAccumulation;
      // the rest: what the resource was doing
      const from0 = accumulatedUntil;
      const busy = busyIn(time, from0, s);
      overtakers.length = 0;
      let firstOvertaker = -1;
      for (let k = lastAtOrBefore(time.starts, e) + 1; k < time.order.length; k++) {
        const j = time.order[k] as number;
        const sj = log.start[j] as number;
        if (sj >= s) break;
        if (j === i || (b >= 0 && batchOf[j] === b) || !((ready[j] as number) > e)) continue;
        overtakers.push([sj, log.complete[j] as number]);
        if (firstOvertaker < 0) firstOvertaker = j;
      }
      const prioritized = unionLength(overtakers, from0, s);
      const off = offAndIdleIn(time, from0, s);
      causes.prioritization = prioritized;
      causes.contention = Math.max(0, busy - prioritized);
      causes.unavailability += off;
      causes.extraneous = Math.max(0, s - from0 - busy - off);
      if (firstOvertaker >= 0) {
        overtaken[a] = (overtaken[a] as number) + 1;
        const list = overtakingCases[a] as string[];
        const name = log.cases[caseOf[firstOvertaker] as number] as string;
        if (list.length < EVIDENCE_LIMIT && !list.includes(name)) list.push(name);
      }
    }
    const c = caseOf[i] as number;
    add(activityTotals[a] as Totals, c, wait, causes);
    const prev = log.activity[from[i] as number] as number;
    const byFrom = transitionTotals[a] as Map<number, Totals>;
    let t = byFrom.get(prev);
    if (!t) {
      t = totals();
      byFrom.set(prev, t);
    }
    add(t, c, wait, causes);
  }

  const batchesOf: Batch[][] = log.activities.map(() => []);
  for (const batch of batches) batchesOf[log.activity[batch.members[0] as number] as number]?.push(batch);
  const resourceCounts = log.activities.map(() => new Map<number, number>());
  for (let i = 0; i < n; i++) {
    const r = log.resource[i] as number;
    const counts = resourceCounts[log.activity[i] as number] as Map<number, number>;
    if (r >= 0) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  const activities: ActivityWaits[] = [];
  // undecided: an activity reported with too few gaps to split (its instances done by someone)
  const batchGapUndecided = { activities: 0, instances: 0 };
  log.activities.forEach((name, a) => {
    const t = activityTotals[a] as Totals;
    if (t.instances === 0) return;
    if ((batchGaps[a] as BatchGap).basis === 'too-few' && (resourcedInstances[a] as number) > 0) {
      batchGapUndecided.activities++;
      batchGapUndecided.instances += resourcedInstances[a] as number;
    }
    const own = batchesOf[a] as Batch[];
    const sizes = own.map((batch) => batch.members.length);
    const inBatches = sizes.reduce((x, y) => x + y, 0);
    const gap = batchGaps[a] as BatchGap;
    activities.push({
      activity: name,
      ...breakdown(t),
      transitions: [...(transitionTotals[a] as Map<number, Totals>).entries()]
        .map(([prev, totalsFrom]) => ({ from: log.activities[prev] as string, ...breakdown(totalsFrom) }))
        .sort((x, y) => y.waitingHours * y.cases - x.waitingHours * x.cases || (x.from < y.from ? -1 : 1)),
      batches: {
        count: own.length,
        instances: inBatches,
        minSize: sizes.reduce((x, y) => Math.min(x, y), sizes[0] ?? 0),
        maxSize: sizes.reduce((x, y) => Math.max(x, y), 0),
        meanSize: own.length === 0 ? 0 : inBatches / own.length,
        firstReleases: own
          .map((batch) => batch.release)
          .sort((x, y) => x - y)
          .slice(0, EVIDENCE_LIMIT)
          .map((ms) => new Date(ms).toISOString()),
      },
      batchGap: { minutes: Math.round((gap.ms / MS_PER_MINUTE) * 10) / 10, basis: gap.basis, gaps: gap.gaps },
      overtaken: overtaken[a] as number,
      overtakingCases: overtakingCases[a] as string[],
      resources: [...(resourceCounts[a] as Map<number, number>).entries()]
        .sort((x, y) => y[1] - x[1] || x[0] - y[0])
        .map(([r]) => log.resources[r] as string),
    });
  });
  activities.sort(
    (x, y) => y.waitingHours * y.cases - x.waitingHours * x.cases || (x.activity < y.activity ? -1 : 1),
  );
  return {
    activities,
    calendars: calendars.map(({ slots: _slots, ...rest }) => rest),
    timed,
    batchGapUndecided,
  };
}
