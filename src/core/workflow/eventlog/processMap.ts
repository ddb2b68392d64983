/**
 * Process maps as Disco and PM4Py draw them: the directly-follows graph of a log with, per
 * activity and per path (edge), how often and in how many cases, and per path how long cases
 * wait between the two activities.
 *
 * Definitions:
 * - A path a → b is one instance of a directly followed (in its case, by start time) by one of b;
 *   the virtual start precedes each case's first instance and the virtual end follows its last.
 * - Absolute frequency (`n`) counts occurrences; case frequency (`cases`) counts the cases with
 *   at least one.
 * - A path's duration is from a's complete to b's start (the wait between them, never a's own
 *   work), 0 when b started before a completed. Measured per path, not per activity: the wait
 *   before "Visit" after "Vitals" and after "Check in" are two figures. Paths from the start and
 *   to the end have none. Minutes are elapsed, or working minutes (`workingTime.ts`).
 * - The activity share ({@link ProcessMapOptions.activityShare}, Disco's activity slider) keeps
 *   the most frequent activities (absolute frequency, ties by name) and measures the log as if
 *   the others had never been recorded, so an activity left out joins its neighbours directly.
 *   At least one activity is always kept.
 * - An activity's duration is its active time, from an instance's start to its complete, over the
 *   instances whose start and complete were both recorded (`EventLog.timed`); an activity with no
 *   such instance has none (a log of completion times only has none at all). Measured on the
 *   whole log, so the activity share does not change it.
 * - Variants are the distinct activity sequences of the cases (before the activity share), most
 *   frequent first, ties by their text.
 *
 * Pure; the log is not changed.
 */
import type { EventLog } from './eventLog.ts';
import { selectInstances } from './filters.ts';
import { NumberList, quantileSorted } from './statistics.ts';
import { type DurationMeasure, elapsedMinutes } from './workingTime.ts';

/** The virtual start and end in {@link MapEdge.from} / {@link MapEdge.to}. */
export const MAP_START = -1;
export const MAP_END = -2;

/** Mean and median of a path's waits, in minutes. */
export interface PathDuration {
  meanMin: number;
  medianMin: number;
}

/** Mean and median of an activity's active time, in minutes, and how many instances were timed. */
export interface ActivityDuration extends PathDuration {
  /** instances with both a start and a complete */
  timed: number;
}

/** An activity on the map. */
export interface MapActivity {
  name: string;
  /** instances */
  n: number;
  /** cases with at least one instance */
  cases: number;
  /** absent when no instance has both a start and a complete */
  duration?: ActivityDuration;
}

/** A path: indexes into {@link ProcessMap.activities}, or {@link MAP_START} / {@link MAP_END}. */
export interface MapEdge {
  from: number;
  to: number;
  n: number;
  cases: number;
  /** absent on paths from the start and to the end */
  duration?: PathDuration;
}

/** A variant: activity indexes in order, and how many cases follow it. */
export interface MapVariant {
  activities: number[];
  cases: number;
}

/** A process map (see the file header). */
export interface ProcessMap {
  /** cases of the log */
  cases: number;
  /** cases with at least one activity on the map (a case of left-out activities only is not drawn) */
  casesDrawn: number;
  /** every activity of the log with at least one instance, most frequent first */
  activities: MapActivity[];
  /** the first `shown` activities are on the map; the others are left out by the activity share */
  shown: number;
  edges: MapEdge[];
  /** the most frequent variants, up to {@link ProcessMapOptions.maxVariants} */
  variants: MapVariant[];
  /** all distinct variants */
  variantCount: number;
  /** durations are working minutes rather than elapsed ones */
  workingTime: boolean;
  /**
   * the log has no times (`EventLog.untimed`): frequencies and variants only, no duration on any
   * activity or path
   */
  untimed?: boolean;
}

/** Options of {@link buildProcessMap}. */
interface ProcessMapOptions {
  /** share of activities kept, 0–1; default 1 (every activity) */
  activityShare?: number;
  /** how a wait is measured; default elapsed minutes */
  measure?: DurationMeasure;
  /** marks the map's durations as working minutes */
  workingTime?: boolean;
  /** variants listed; default {@link DEFAULT_MAX_VARIANTS} */
  maxVariants?: number;
}

/** Variants listed by default: more is a list nobody reads, and it travels from the worker. */
const DEFAULT_MAX_VARIANTS = 200;

/** How many activities an activity share keeps out of `count`: at least one. */
export function activitiesKept(count: number, share: number): number {
  if (count === 0) return 0;
  return Math.min(count, Math.max(1, Math.round(Math.min(Math.max(share, 0), 1) * count)));
}

interface Counted {
  name: string;
  code: number;
  n: number;
  cases: number;
  duration?: ActivityDuration;
}

/** Mean and median of measured minutes; undefined when there are none. */
function summarise(list: NumberList | undefined): PathDuration | undefined {
  if (!list || list.length === 0) return undefined;
  const sorted = Float64Array.from(list.values()).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return { meanMin: sum / sorted.length, medianMin: quantileSorted(sorted, 0.5) };
}

/**
 * Per-code instance and case counts and active times of the activities present, most frequent
 * first, ties by name.
 */
function countActivities(log: EventLog, measure: DurationMeasure): Counted[] {
  const A = log.activities.length;
  const n = new Int32Array(A);
  const cases = new Int32Array(A);
  const lastCase = new Int32Array(A).fill(-1);
  const active = new Map<number, NumberList>();
  for (let c = 0; c < log.cases.length; c++) {
    for (let i = log.caseOffsets[c] as number; i < (log.caseOffsets[c + 1] as number); i++) {
      const a = log.activity[i] as number;
      n[a] = (n[a] as number) + 1;
      if (lastCase[a] !== c) {
        lastCase[a] = c;
        cases[a] = (cases[a] as number) + 1;
      }
      if (log.timed[i] !== 1) continue;
      let list = active.get(a);
      if (!list) {
        list = new NumberList();
        active.set(a, list);
      }
      const from = log.start[i] as number;
      const to = log.complete[i] as number;
      list.push(to > from ? measure(from, to) : 0);
    }
  }
  const out: Counted[] = [];
  for (let a = 0; a < A; a++) {
    if ((n[a] as number) === 0) continue;
    const list = active.get(a);
    const duration = summarise(list);
    out.push({
      name: log.activities[a] as string,
      code: a,
      n: n[a] as number,
      cases: cases[a] as number,
      ...(duration && list ? { duration: { ...duration, timed: list.length } } : {}),
    });
  }
  return out.sort((x, y) => y.n - x.n || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** The variants of a log as lists of activity codes with their case counts, most frequent first. */
function variantsOf(log: EventLog): Array<{ codes: number[]; cases: number; text: string }> {
  const byKey = new Map<string, { codes: number[]; cases: number }>();
  for (let c = 0; c < log.cases.length; c++) {
    const codes = Array.from(
      log.activity.subarray(log.caseOffsets[c] as number, log.caseOffsets[c + 1] as number),
    );
    if (codes.length === 0) continue;
    const key = codes.join(',');
    const found = byKey.get(key);
    if (found) found.cases++;
    else byKey.set(key, { codes, cases: 1 });
  }
  return [...byKey.values()]
    .map((v) => ({ ...v, text: v.codes.map((a) => log.activities[a]).join('\u0000') }))
    .sort((x, y) => y.cases - x.cases || (x.text < y.text ? -1 : x.text > y.text ? 1 : 0));
}

/** Measures the process map of a log (see the file header). */
export function buildProcessMap(log: EventLog, options: ProcessMapOptions = {}): ProcessMap {
  const measure = options.measure ?? elapsedMinutes;
  const counted = countActivities(log, measure);
  const keepCount = activitiesKept(counted.length, options.activityShare ?? 1);
  const indexOfCode = new Int32Array(log.activities.length).fill(-1);
  counted.forEach((a, k) => {
    indexOfCode[a.code] = k;
  });

  const allVariants = variantsOf(log);
  const maxVariants = options.maxVariants ?? DEFAULT_MAX_VARIANTS;
  const variants = allVariants.slice(0, maxVariants).map((v) => ({
    activities: v.codes.map((code) => indexOfCode[code] as number),
    cases: v.cases,
  }));

  let projected = log;
  if (keepCount < counted.length) {
    const keep = new Uint8Array(log.activity.length);
    for (let i = 0; i < keep.length; i++)
      keep[i] = (indexOfCode[log.activity[i] as number] as number) < keepCount ? 1 : 0;
    projected = selectInstances(log, keep);
  }

  // paths keyed by (from + 2) × size + (to + 2), start and end at −1 and −2
  const size = keepCount + 2;
  const n = new Int32Array(size * size);
  const cases = new Int32Array(size * size);
  const lastCase = new Int32Array(size * size).fill(-1);
  const waits = new Map<number, NumberList>();
  const slot = (from: number, to: number) => (from + 2) * size + (to + 2);
  const count = (key: number, c: number) => {
    n[key] = (n[key] as number) + 1;
    if (lastCase[key] !== c) {
      lastCase[key] = c;
      cases[key] = (cases[key] as number) + 1;
    }
  };
  const { caseOffsets, activity, start, complete } = projected;
  for (let c = 0; c < projected.cases.length; c++) {
    const first = caseOffsets[c] as number;
    const end = caseOffsets[c + 1] as number;
    if (end === first) continue;
    let previous = MAP_START;
    for (let i = first; i < end; i++) {
      const current = indexOfCode[activity[i] as number] as number;
      const key = slot(previous, current);
      count(key, c);
      // a log without times has the order of its rows only: no wait can be measured
      if (previous !== MAP_START && !log.untimed) {
        let list = waits.get(key);
        if (!list) {
          list = new NumberList();
          waits.set(key, list);
        }
        const from = complete[i - 1] as number;
        const to = start[i] as number;
        list.push(to > from ? measure(from, to) : 0);
      }
      previous = current;
    }
    count(slot(previous, MAP_END), c);
  }

  let casesDrawn = 0;
  for (let c = 0; c < projected.cases.length; c++)
    if ((caseOffsets[c + 1] as number) > (caseOffsets[c] as number)) casesDrawn++;
  const edges: MapEdge[] = [];
  for (let key = 0; key < n.length; key++) {
    if ((n[key] as number) === 0) continue;
    const from = Math.floor(key / size) - 2;
    const to = (key % size) - 2;
    const duration = summarise(waits.get(key));
    edges.push({
      from,
      to,
      n: n[key] as number,
      cases: cases[key] as number,
      ...(duration ? { duration } : {}),
    });
  }
  edges.sort((x, y) => y.n - x.n || x.from - y.from || x.to - y.to);

  let caseCount = 0;
  for (let c = 0; c < log.cases.length; c++)
    if ((log.caseOffsets[c + 1] as number) > (log.caseOffsets[c] as number)) caseCount++;
  return {
    cases: caseCount,
    casesDrawn,
    activities: counted.map(({ code: _code, ...activity }) => activity),
    shown: keepCount,
    edges,
    variants,
    variantCount: allVariants.length,
    workingTime: options.workingTime === true,
    ...(log.untimed ? { untimed: true } : {}),
  };
}

/**
 * The paths drawn at a path share (Disco's path slider), as indexes into `map.edges`: the most
 * frequent `round(share × paths)` paths, plus, whatever the share, the paths that keep every
 * activity on the map connected — for each activity, the widest path (the one whose rarest step
 * is most frequent) from the start to it and from it to the end. So at 0 % the map is the
 * backbone through which every activity is reached and left, and at 100 % every path.
 * Raising the share only ever adds paths. Returned in `map.edges` order.
 */
export function keepPaths(map: ProcessMap, share: number): number[] {
  const edges = map.edges;
  const keep = new Uint8Array(edges.length);
  const top = Math.round(Math.min(Math.max(share, 0), 1) * edges.length);
  // map.edges is most frequent first (ties by from, to): the top paths are a prefix
  for (let e = 0; e < top; e++) keep[e] = 1;
  for (const e of widestTree(map, true)) keep[e] = 1;
  for (const e of widestTree(map, false)) keep[e] = 1;
  const out: number[] = [];
  for (let e = 0; e < edges.length; e++) if (keep[e]) out.push(e);
  return out;
}

/**
 * The edges of the widest-path tree from the start (forward) or to the end (backward): a
 * maximum-bottleneck Dijkstra over the map's nodes (activities, start, end), ties broken by the
 * edge's place in `map.edges`, so the tree does not depend on anything but the map.
 */
function widestTree(map: ProcessMap, forward: boolean): number[] {
  const V = map.shown + 2;
  const node = (k: number) => (k === MAP_START ? map.shown : k === MAP_END ? map.shown + 1 : k);
  const out: number[][] = Array.from({ length: V }, () => []);
  map.edges.forEach((e, index) => {
    if (forward) out[node(e.from)]?.push(index);
    else out[node(e.to)]?.push(index);
  });
  const width = new Float64Array(V).fill(-1);
  const via = new Int32Array(V).fill(-1);
  const done = new Uint8Array(V);
  const root = forward ? node(MAP_START) : node(MAP_END);
  width[root] = Number.POSITIVE_INFINITY;
  for (;;) {
    let best = -1;
    for (let v = 0; v < V; v++)
      if (
        !done[v] &&
        (width[v] as number) >= 0 &&
        (best < 0 || (width[v] as number) > (width[best] as number))
      )
        best = v;
    if (best < 0) break;
    done[best] = 1;
    for (const index of out[best] as number[]) {
      const e = map.edges[index] as MapEdge;
      const next = forward ? node(e.to) : node(e.from);
      if (done[next]) continue;
      const w = Math.min(width[best] as number, e.n);
      if (w > (width[next] as number)) {
        width[next] = w;
        via[next] = index;
      }
    }
  }
  const tree: number[] = [];
  for (let v = 0; v < V; v++) if (v !== root && (via[v] as number) >= 0) tree.push(via[v] as number);
  return tree;
}
