/**
 * Discovery: an event log → the clinic's current workflow with measured times
 * (`preflight.workflow/v1`, state "current").
 *
 * Definitions (what each number in the discovered file means):
 * - Steps are the log's activities, plus a `start` and an `end` step.
 * - Flows are directly-follows relations: in each case, instance i → instance i+1 (instances
 *   ordered by start time), start → the first, the last → end. `observed.n` is how often; the
 *   branch probability is that count over all flows leaving the same step.
 * - `touchMin` is the MEAN of complete − start over the step's instances that recorded both (the
 *   mean, because staff time per case feeds utilisation, λ·Σ visits·touch, where a median would
 *   understate skewed work); 0 when the log has only one time per event.
 * - `waitMin` is the MEDIAN of the time from the previous instance's complete to this instance's
 *   start, in the same case (a few overnight waits would swamp a mean); an overlap (this one
 *   started before the previous completed) counts as 0. The first instance of a case has none.
 * - Lanes are roles: the role column, or the resource column mapped through the role map
 *   (resources the map lacks are their own role). A step's lane is its most frequent role; a
 *   lane's `staff` is the number of distinct resources seen in it (1 when the log names none).
 * - `arrivalsPerHour` (peak): a case arrives at its first instance's start. For each hour of the
 *   day (the log's zone), the arrivals in that hour over all days, divided by the number of
 *   calendar days on which at least one case arrived; the largest of the 24 averages. So a clinic
 *   open on weekdays is not diluted by the weekends it is closed. `casesPerDay` is the cases
 *   over those same days.
 * - `medium` is guessed from the activity name ({@link MEDIUM_KEYWORDS}: "Fax records" → fax,
 *   "Call lab" → phone, "Print form" → paper), otherwise digital; `kind` is task.
 * - Every step keeps `observed: { n, cases, touch?, wait? }` (n, mean, median, p90 in minutes)
 *   as evidence for later findings, and `observed.repeated` when cases did it more than once; the
 *   workflow keeps `observed: { cases, pingPong? }`, the pairs of lanes cases went back and forth
 *   between (logPatterns.ts; at most {@link MAX_PING_PONG_PAIRS}, most cases first, only pairs of
 *   roles that are lanes).
 *
 * Speed: directly-follows counting runs over integer-coded activities into one Int32Array of
 * (activities + 2)² counters — no strings and no maps per event.
 *
 * Memory: beyond the log itself (eventLog.ts: 33 bytes per activity instance, kept by the worker
 * so a filter change needs no new read), discovery allocates per activity (counters, (A + 2)²
 * directly-follows counts) and per case (variant keys of one character per instance, arrival
 * hours), and for the exact medians one buffer as long as the most frequent activity's instances,
 * filled and summarised one activity at a time (`durationStats`; with more than
 * {@link MAX_ACTIVITIES_FOR_PASSES} activities all durations at once). A filter that drops rows
 * makes a filtered copy of the kept instances.
 */
import type { Flow, Lane, ObservedRepeats, Step, Workflow } from '../../../formats/workflow.ts';
import { WORKFLOW_FORMAT } from '../../../formats/workflow.ts';
import type { EventLog } from './eventLog.ts';
import { type FilterSummary, filterLog, type LogFilters } from './filters.ts';
import { type ActivityRepeats, logPatterns } from './logPatterns.ts';
import { type DurationStats, NumberList, roundMinutes, roundStats, summarise } from './statistics.ts';
import type { LocalClock } from './timestamps.ts';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const HOURS_PER_DAY = 24;

/** Directly-follows counts: a (size × size) matrix over activities + start (index A) + end (A+1). */
export interface DirectlyFollows {
  /** activities + 2 */
  size: number;
  /** counts[from × size + to] */
  counts: Int32Array;
}

/** Index of the virtual start in {@link DirectlyFollows} for `activities` activities. */
export const startIndex = (activities: number): number => activities;
/** Index of the virtual end. */
export const endIndex = (activities: number): number => activities + 1;

/**
 * Counts directly-follows relations of a log (see the file header): the hot loop of discovery.
 */
export function directlyFollows(log: EventLog): DirectlyFollows {
  const a = log.activities.length;
  const size = a + 2;
  const counts = new Int32Array(size * size);
  const start = startIndex(a);
  const end = endIndex(a);
  const offsets = log.caseOffsets;
  const activity = log.activity;
  const caseCount = log.cases.length;
  for (let c = 0; c < caseCount; c++) {
    const from = offsets[c] as number;
    const to = offsets[c + 1] as number;
    if (from === to) continue;
    let previous = start;
    for (let i = from; i < to; i++) {
      const current = activity[i] as number;
      counts[previous * size + current] = (counts[previous * size + current] as number) + 1;
      previous = current;
    }
    counts[previous * size + end] = (counts[previous * size + end] as number) + 1;
  }
  return { size, counts };
}

/** Per-activity evidence. */
export interface ActivityStats {
  activity: string;
  /** instances */
  n: number;
  /** cases with at least one instance */
  cases: number;
  touch: DurationStats | undefined;
  wait: DurationStats | undefined;
  /** index into `log.roles` of the most frequent role, −1 when none */
  role: number;
  /** index into `log.systems` of the most frequent system, −1 when none */
  system: number;
  /** mean relative position in its cases (0 first … 1 last), for the layout */
  position: number;
}

/** Everything discovery measured, before it becomes a workflow. */
export interface LogStatistics {
  cases: number;
  instances: number;
  activities: ActivityStats[];
  directlyFollows: DirectlyFollows;
  /** peak arrivals per hour (see the file header) */
  arrivalsPerHour: number;
  /** the hour of the day (0–23, log zone) of that peak */
  peakHour: number;
  /** calendar days with at least one arrival */
  days: number;
  casesPerDay: number;
  /** first start and last complete, epoch ms */
  from: number;
  to: number;
  /** distinct resources per role */
  staffByRole: number[];
}

/**
 * Above this many distinct activities, discovery gathers every instance's durations at once
 * (16 bytes per instance) instead of one pass over the log per activity.
 */
const MAX_ACTIVITIES_FOR_PASSES = 64;

/**
 * Touch and wait statistics per activity, one activity at a time: a pass over the log fills one
 * buffer with that activity's durations (in instance order, as one pass for all would), which is
 * summarised before the next. Memory: one buffer as long as the most frequent activity's
 * instances, never every instance's durations at once; time: two passes per activity.
 */
function durationStats(
  log: EventLog,
  n: Int32Array,
): { touch: Array<DurationStats | undefined>; wait: Array<DurationStats | undefined> } {
  const A = log.activities.length;
  const buffer = new Float64Array(Math.max(0, ...n));
  const touch = new Array<DurationStats | undefined>(A).fill(undefined);
  const wait = new Array<DurationStats | undefined>(A).fill(undefined);
  const { activity, start, complete, timed, caseOffsets } = log;
  const caseCount = log.cases.length;
  for (let a = 0; a < A; a++) {
    if ((n[a] as number) === 0) continue;
    let k = 0;
    for (let i = 0; i < activity.length; i++)
      if (activity[i] === a && timed[i])
        buffer[k++] = ((complete[i] as number) - (start[i] as number)) / MS_PER_MINUTE;
    touch[a] = summarise(buffer.subarray(0, k));
    k = 0;
    for (let c = 0; c < caseCount; c++) {
      const to = caseOffsets[c + 1] as number;
      for (let i = (caseOffsets[c] as number) + 1; i < to; i++)
        if (activity[i] === a)
          buffer[k++] = Math.max(0, (start[i] as number) - (complete[i - 1] as number)) / MS_PER_MINUTE;
    }
    wait[a] = summarise(buffer.subarray(0, k));
  }
  return { touch, wait };
}

/** Measures a log (see the file header for every definition). */
export function logStatistics(log: EventLog, clock: LocalClock): LogStatistics {
  const A = log.activities.length;
  const R = log.roles.length;
  const S = log.systems.length;
  const n = new Int32Array(A);
  const cases = new Int32Array(A);
  const lastCaseSeen = new Int32Array(A).fill(-1);
  const roleCounts = new Int32Array(A * Math.max(R, 1));
  const systemCounts = new Int32Array(A * Math.max(S, 1));
  const positionSum = new Float64Array(A);
  // durations are gathered one activity at a time after the pass (see `durationStats`), unless
  // the log has so many activities that a pass per activity would cost more than the memory
  const gatherAll = A > MAX_ACTIVITIES_FOR_PASSES;
  const touch = gatherAll ? Array.from({ length: A }, () => new NumberList()) : [];
  const wait = gatherAll ? Array.from({ length: A }, () => new NumberList()) : [];
  const arrivalsByHour = new Float64Array(HOURS_PER_DAY);
  const days = new Set<number>();
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  const resourcesByRole = Array.from({ length: R }, () => new Set<number>());

  for (let c = 0; c < log.cases.length; c++) {
    const first = log.caseOffsets[c] as number;
    const last = (log.caseOffsets[c + 1] as number) - 1;
    if (last < first) continue;
    const arrival = clock(log.start[first] as number);
    days.add(Math.floor(arrival / MS_PER_DAY));
    const hour = Math.floor((((arrival % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_HOUR);
    arrivalsByHour[hour] = (arrivalsByHour[hour] as number) + 1;
    const span = last - first;
    for (let i = first; i <= last; i++) {
      const a = log.activity[i] as number;
      n[a] = (n[a] as number) + 1;
      if (lastCaseSeen[a] !== c) {
        lastCaseSeen[a] = c;
        cases[a] = (cases[a] as number) + 1;
      }
      positionSum[a] = (positionSum[a] as number) + (span === 0 ? 0.5 : (i - first) / span);
      const role = log.role[i] as number;
      if (role >= 0) {
        roleCounts[a * R + role] = (roleCounts[a * R + role] as number) + 1;
        const resource = log.resource[i] as number;
        if (resource >= 0) resourcesByRole[role]?.add(resource);
      }
      const system = log.system[i] as number;
      if (system >= 0) systemCounts[a * S + system] = (systemCounts[a * S + system] as number) + 1;
      const start = log.start[i] as number;
      const complete = log.complete[i] as number;
      if (start < from) from = start;
      if (complete > to) to = complete;
      if (gatherAll) {
        if (log.timed[i]) touch[a]?.push((complete - start) / MS_PER_MINUTE);
        if (i > first) wait[a]?.push(Math.max(0, start - (log.complete[i - 1] as number)) / MS_PER_MINUTE);
      }
    }
  }
  const argmax = (counts: Int32Array, a: number, width: number) => {
    let best = -1;
    let bestCount = 0;
    for (let k = 0; k < width; k++) {
      const count = counts[a * width + k] as number;
      if (count > bestCount) {
        best = k;
        bestCount = count;
      }
    }
    return best;
  };
  const durations = gatherAll
    ? {
        touch: touch.map((list) => summarise(list.values())),
        wait: wait.map((list) => summarise(list.values())),
      }
    : durationStats(log, n);
  const activities: ActivityStats[] = log.activities.map((activity, a) => ({
    activity,
    n: n[a] as number,
    cases: cases[a] as number,
    touch: durations.touch[a],
    wait: durations.wait[a],
    role: R === 0 ? -1 : argmax(roleCounts, a, R),
    system: S === 0 ? -1 : argmax(systemCounts, a, S),
    position: (n[a] as number) > 0 ? (positionSum[a] as number) / (n[a] as number) : 0,
  }));
  let peakHour = 0;
  for (let h = 1; h < HOURS_PER_DAY; h++)
    if ((arrivalsByHour[h] as number) > (arrivalsByHour[peakHour] as number)) peakHour = h;
  const dayCount = days.size;
  const caseCount = log.cases.filter(
    (_, c) => (log.caseOffsets[c + 1] as number) > (log.caseOffsets[c] as number),
  ).length;
  return {
    cases: caseCount,
    instances: log.activity.length,
    activities,
    directlyFollows: directlyFollows(log),
    arrivalsPerHour: dayCount === 0 ? 0 : (arrivalsByHour[peakHour] as number) / dayCount,
    peakHour,
    days: dayCount,
    casesPerDay: dayCount === 0 ? 0 : caseCount / dayCount,
    from: Number.isFinite(from) ? from : 0,
    to: Number.isFinite(to) ? to : 0,
    staffByRole: resourcesByRole.map((set) => set.size),
  };
}

/** Options of {@link discoverWorkflow}. */
export interface DiscoverOptions {
  /** id of the discovered workflow; default "discovered-current" */
  id?: string;
  /** name shown to people; default "Discovered current workflow" */
  name?: string;
  process?: string;
  /** where the log came from (a file name), for the description */
  source?: string;
  filters?: LogFilters;
}

/** The discovered workflow with what was measured and what the filters kept. */
export interface Discovery {
  workflow: Workflow;
  statistics: LogStatistics;
  filters: FilterSummary;
  /** the log the filters kept, which the workflow was measured on */
  log: EventLog;
}

/**
 * How a step is done, guessed from its activity name (a log records that a step happened, not how):
 * the first matching row wins, anything else is `digital`. A guess for the analyst to review; it
 * lets the paper, fax and phone findings see a discovered workflow at all.
 */
const MEDIUM_KEYWORDS: ReadonlyArray<{ medium: Step['medium']; pattern: RegExp }> = [
  { medium: 'fax', pattern: /\bfax/i },
  { medium: 'phone', pattern: /\b(call|calls|called|phone|telephone|voicemail)\b/i },
  { medium: 'paper', pattern: /\b(print|printed|paper|clipboard|wet signature|mail|mailed|letter)\b/i },
  { medium: 'verbal', pattern: /\b(verbal|verbally|tell|told|hand-?off talk)\b/i },
];

/** The medium of an activity name by {@link MEDIUM_KEYWORDS}. */
export function mediumOf(activity: string): Step['medium'] {
  return MEDIUM_KEYWORDS.find((row) => row.pattern.test(activity))?.medium ?? 'digital';
}

/** Lane height and step spacing of the simple lane-band layout (the editor's elkjs layout replaces it). */
export const LAYOUT = { laneHeight: 160, stepWidth: 220, laneTop: 40, left: 40 } as const;

/** Pairs of lanes kept in `observed.pingPong`: a log of hundreds of people has many pairs. */
const MAX_PING_PONG_PAIRS = 20;

const UNASSIGNED_LANE = 'Unassigned';
const SINGLE_LANE = 'Staff';

/** A step or lane id from a name: lowercase words joined by "-", unique among `taken`. */
function slugId(name: string, taken: Set<string>, fallback: string): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || fallback;
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  taken.add(id);
  return id;
}

/** A step's `observed.repeated` from its activity's rework, when cases repeated it. */
function repeatedOf(repeats: ActivityRepeats | undefined): { repeated?: ObservedRepeats } {
  if (!repeats) return {};
  return {
    repeated: {
      cases: repeats.cases,
      extra: repeats.extra,
      ...(repeats.span ? { span: roundStats(repeats.span) } : {}),
    },
  };
}

/** Filters, measures and turns a log into a current workflow (see the file header). */
export function discoverWorkflow(log: EventLog, clock: LocalClock, options: DiscoverOptions = {}): Discovery {
  const filtered = filterLog(log, options.filters ?? {}, clock);
  const stats = logStatistics(filtered.log, clock);
  const kept = filtered.log;
  const A = kept.activities.length;
  const df = stats.directlyFollows;
  const present = stats.activities.map((s) => s.n > 0);

  // lanes: roles in use, in name order; steps without a role go to one extra lane
  const laneIds = new Set<string>();
  const lanes: Lane[] = [];
  const laneOfRole = new Map<number, string>();
  let unassigned: string | undefined;
  const laneFor = (role: number): string => {
    if (role >= 0) {
      let id = laneOfRole.get(role);
      if (id === undefined) {
        const name = kept.roles[role] as string;
        id = slugId(name, laneIds, 'lane');
        laneOfRole.set(role, id);
        lanes.push({ id, name, staff: Math.max(1, stats.staffByRole[role] ?? 0) });
      }
      return id;
    }
    if (unassigned === undefined) {
      unassigned = slugId(kept.roles.length === 0 ? SINGLE_LANE : UNASSIGNED_LANE, laneIds, 'lane');
      lanes.push({ id: unassigned, name: kept.roles.length === 0 ? SINGLE_LANE : UNASSIGNED_LANE, staff: 1 });
    }
    return unassigned;
  };
  const roleOrder = stats.activities
    .map((s, a) => ({ role: s.role, a }))
    .filter((x) => present[x.a])
    .sort((x, y) => (x.role < 0 ? 1 : y.role < 0 ? -1 : x.role - y.role));
  for (const { role } of roleOrder) laneFor(role);

  const patterns = logPatterns(kept);
  const stepIds = new Set<string>(['start', 'end']);
  const stepIdOf = new Array<string>(A);
  for (let a = 0; a < A; a++)
    if (present[a]) stepIdOf[a] = slugId(kept.activities[a] as string, stepIds, 'activity');

  // layout: columns by mean relative position, rows by lane band
  const byPosition = stats.activities
    .map((s, a) => ({ a, position: s.position }))
    .filter((x) => present[x.a])
    .sort((x, y) => x.position - y.position || x.a - y.a);
  const column = new Map(byPosition.map((x, k) => [x.a, k + 1]));
  const laneIndex = (laneId: string) => lanes.findIndex((l) => l.id === laneId);
  const position = (laneId: string, col: number) => ({
    x: LAYOUT.left + col * LAYOUT.stepWidth,
    y: LAYOUT.laneTop + Math.max(0, laneIndex(laneId)) * LAYOUT.laneHeight,
  });

  // the start and end steps sit in the lane of the most frequent first and last activity
  const size = df.size;
  const mostFrequentNext = (from: number) => {
    let best = -1;
    for (let a = 0; a < A; a++)
      if (best < 0 || (df.counts[from * size + a] as number) > (df.counts[from * size + best] as number))
        best = a;
    return best;
  };
  const mostFrequentPrevious = (to: number) => {
    let best = -1;
    for (let a = 0; a < A; a++)
      if (best < 0 || (df.counts[a * size + to] as number) > (df.counts[best * size + to] as number))
        best = a;
    return best;
  };
  const firstActivity = mostFrequentNext(startIndex(A));
  const lastActivity = mostFrequentPrevious(endIndex(A));
  const laneOfActivity = (a: number) => laneFor(a >= 0 ? (stats.activities[a]?.role ?? -1) : -1);
  const startLane = laneOfActivity(firstActivity);
  const endLane = laneOfActivity(lastActivity);

  const steps: Step[] = [
    {
      id: 'start',
      label: 'Case starts',
      lane: startLane,
      kind: 'start',
      medium: 'digital',
      system: '',
      touchMin: 0,
      waitMin: 0,
      clicks: 0,
      enters: [],
      observed: { n: stats.cases, cases: stats.cases },
      position: position(startLane, 0),
    },
  ];
  for (const { a } of byPosition) {
    const s = stats.activities[a] as ActivityStats;
    const lane = laneOfActivity(a);
    steps.push({
      id: stepIdOf[a] as string,
      label: s.activity,
      lane,
      kind: 'task',
      medium: mediumOf(s.activity),
      system: s.system >= 0 ? (kept.systems[s.system] as string) : '',
      touchMin: s.touch ? roundMinutes(s.touch.meanMin) : 0,
      waitMin: s.wait ? roundMinutes(s.wait.medianMin) : 0,
      clicks: 0,
      enters: [],
      observed: {
        n: s.n,
        cases: s.cases,
        ...(s.touch ? { touch: roundStats(s.touch) } : {}),
        ...(s.wait ? { wait: roundStats(s.wait) } : {}),
        ...repeatedOf(patterns.repeats[a]),
      },
      position: position(lane, column.get(a) ?? 0),
    });
  }
  steps.push({
    id: 'end',
    label: 'Case ends',
    lane: endLane,
    kind: 'end',
    medium: 'digital',
    system: '',
    touchMin: 0,
    waitMin: 0,
    clicks: 0,
    enters: [],
    observed: { n: stats.cases, cases: stats.cases },
    position: position(endLane, byPosition.length + 1),
  });

  const idOf = (k: number) =>
    k === startIndex(A) ? 'start' : k === endIndex(A) ? 'end' : (stepIdOf[k] as string);
  const flows: Flow[] = [];
  for (let from = 0; from < size; from++) {
    let total = 0;
    for (let to = 0; to < size; to++) total += df.counts[from * size + to] as number;
    if (total === 0) continue;
    for (let to = 0; to < size; to++) {
      const count = df.counts[from * size + to] as number;
      if (count === 0) continue;
      flows.push({
        from: idOf(from),
        to: idOf(to),
        probability: count / total,
        transfer: 'none',
        observed: { n: count },
      });
    }
  }
  // flows in step order, so the file reads top to bottom
  const order = new Map(steps.map((s, i) => [s.id, i]));
  flows.sort(
    (x, y) =>
      (order.get(x.from) ?? 0) - (order.get(y.from) ?? 0) || (order.get(x.to) ?? 0) - (order.get(y.to) ?? 0),
  );

  // back-and-forth between roles that are lanes (a role no activity mostly belongs to has none)
  const pingPong = patterns.pingPong
    .flatMap(({ roles: [r1, r2], cases, handoffs, span }) => {
      const l1 = laneOfRole.get(r1);
      const l2 = laneOfRole.get(r2);
      if (l1 === undefined || l2 === undefined || l1 === l2) return [];
      const lanePair: [string, string] = l1 < l2 ? [l1, l2] : [l2, l1];
      return [{ lanes: lanePair, cases, handoffs, ...(span ? { span: roundStats(span) } : {}) }];
    })
    .slice(0, MAX_PING_PONG_PAIRS);

  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const workflow: Workflow = {
    format: WORKFLOW_FORMAT,
    id: options.id ?? 'discovered-current',
    name: options.name ?? 'Discovered current workflow',
    ...(options.process ? { process: options.process } : {}),
    description: `Discovered from an event log${options.source ? ` (${options.source})` : ''}: ${stats.cases} ${stats.cases === 1 ? 'case' : 'cases'}, ${stats.instances} activity ${stats.instances === 1 ? 'instance' : 'instances'}, ${day(stats.from)} to ${day(stats.to)}. Touch times are means of start→complete; waits are medians of the gap since the previous activity; arrivals are the peak hour (${String(stats.peakHour).padStart(2, '0')}:00) averaged over ${stats.days} ${stats.days === 1 ? 'day' : 'days'} with cases.`,
    state: 'current',
    arrivalsPerHour: roundMinutes(stats.arrivalsPerHour),
    casesPerDay: roundMinutes(stats.casesPerDay),
    lanes,
    steps,
    flows,
    observed: { cases: stats.cases, ...(pingPong.length > 0 ? { pingPong } : {}) },
  };
  return { workflow, statistics: stats, filters: filtered.summary, log: kept };
}
