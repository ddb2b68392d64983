/**
 * Issues grouped by (rule, location) with counts and the first examples — the shape of the
 * report's `issues[]` — in bounded memory: one entry per group, at most {@link MAX_EXAMPLES}
 * examples each, whatever the number of rows.
 *
 * Row sets watched (the row ranges of waivers limited to rows, known before the pass): each group
 * a watch names counts how many of its occurrences fall inside the watch's rows, so a waiver
 * accepts exactly those, whatever the number of occurrences beyond the examples. An occurrence is
 * counted once, under the first watch (in the waivers' order) whose rows hold it, so the counts
 * of two waivers on the same rule and column never hold the same occurrence twice.
 */
import type { IssueSeverity } from '../../formats/report.ts';
import type { RowRange } from '../../formats/waivers.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import { detach } from './detach.ts';

/** Examples kept per issue group (the report's "first 20"). */
export const MAX_EXAMPLES = 20;

/** One example: where, and the value (removed on redacted export). */
export interface TallyExample {
  /** 1-based data row; absent for the header */
  row?: number;
  column?: string;
  /** the exact FHIRPath-style location in a mapped record (row checks: rowCheck.ts) */
  path?: string;
  /** the mapping field behind a finding in a mapped record, its transform, an absent element (rowCheck.ts) */
  field?: string;
  transform?: string;
  unfilled?: 'empty' | 'no-field';
  /** byte offset where the row's record starts in the file (row checks) */
  byte?: number;
  value?: string;
}

/** Rows to count occurrences in, for the group (rule, location): a waiver's row ranges. */
export interface RowSetWatch {
  /** the waiver's id */
  waiver: string;
  rule: string;
  location: string;
  rows: readonly RowRange[];
  /** the input the waiver names, when it names one (the pass is of that input) */
  input?: string;
}

/** The occurrences of a group one watch counted, with the rows (and input) it counted them in. */
export interface WithinRowsCount {
  waiver: string;
  rows: readonly RowRange[];
  count: number;
  input?: string;
}

/** One group. */
export interface TallyEntry {
  rule: string;
  severity: IssueSeverity;
  code?: string;
  location: string;
  message?: string;
  count: number;
  examples: TallyExample[];
  /**
   * per watch of the group, in the watches' order: its occurrences inside the watch's rows and in
   * no earlier watch's rows
   */
  withinRows?: WithinRowsCount[];
}

/** The tally of one input. */
interface IssueTally {
  add(
    rule: string,
    severity: IssueSeverity,
    location: string,
    example: TallyExample,
    describe: { code?: string; message?: string },
  ): void;
  /** the groups, in order of first occurrence */
  entries(): TallyEntry[];
}

/** Whether 1-based `row` is in one of `ranges`. */
export function inRows(row: number, ranges: readonly RowRange[]): boolean {
  for (const r of ranges) if (row >= r.from && row <= r.to) return true;
  return false;
}

/**
 * Row ranges worked through between two looks at a stop (see {@link indexRowSets}): a few
 * milliseconds of work, so 200,000 waivers' rows are indexed in about a hundred steps.
 */
export const ROW_SET_INDEX_STEP = 4096;

/**
 * The work of {@link firstHoldingList}, in steps: the generator yields after each
 * {@link ROW_SET_INDEX_STEP} ranges (and after the sort) and returns the lookup. One algorithm
 * for both drivers: {@link firstHoldingList} runs it through at once, {@link indexRowSets}
 * looks at its stop signal between steps.
 */
function* holderSteps(
  lists: readonly (readonly RowRange[])[],
  step: number,
): Generator<void, (row: number) => number> {
  let done = 0;
  const cutSet = new Set<number>();
  for (const ranges of lists)
    for (const r of ranges) {
      if (r.from <= r.to) cutSet.add(r.from).add(r.to + 1);
      if (++done % step === 0) yield;
    }
  const cuts = Float64Array.from(cutSet).sort();
  yield;
  // owner[k]: the first list covering the span cuts[k] ≤ row < cuts[k + 1]
  const owner = new Int32Array(Math.max(cuts.length, 1)).fill(-1);
  // next[k]: a span at or after k not yet given (path-halving union-find)
  const next = Int32Array.from({ length: cuts.length + 1 }, (_, k) => k);
  const free = (k: number): number => {
    let at = k;
    while (next[at] !== at) {
      next[at] = next[next[at] as number] as number;
      at = next[at] as number;
    }
    return at;
  };
  /** the index of the last cut ≤ row (-1 when row is below every cut) */
  const spanOf = (row: number): number => {
    let lo = 0;
    let hi = cuts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((cuts[mid] as number) <= row) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  for (let list = 0; list < lists.length; list++)
    for (const r of lists[list] as readonly RowRange[]) {
      if (r.from <= r.to) {
        const end = spanOf(r.to + 1); // the cut r.to + 1 itself
        for (let k = free(spanOf(r.from)); k < end; k = free(k + 1)) {
          owner[k] = list;
          next[k] = k + 1;
        }
      }
      if (++done % step === 0) yield;
    }
  return (row) => {
    const k = spanOf(row);
    return k < 0 || k >= cuts.length - 1 ? -1 : (owner[k] as number);
  };
}

/**
 * For several lists of row ranges, the index of the first list that holds a row (-1: none), in
 * O(log n) a row: a pass may count each of a million rows against 200,000 waivers' rows. Built
 * in O(n log n): the ranges' ends cut the rows into spans, and each span goes to the first list
 * that covers it (a "next span not yet given" pointer skips the spans given already).
 */
export function firstHoldingList(lists: readonly (readonly RowRange[])[]): (row: number) => number {
  const steps = holderSteps(lists, Number.POSITIVE_INFINITY);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The watches of each group, keyed as the tally keys its groups. */
function watchesByGroup(watches: readonly RowSetWatch[]): Map<string, RowSetWatch[]> {
  const watched = new Map<string, RowSetWatch[]>();
  for (const watch of watches) {
    const key = groupKey(watch.rule, watch.location);
    const list = watched.get(key);
    if (list) list.push(watch);
    else watched.set(key, [watch]);
  }
  return watched;
}

const groupKey = (rule: string, location: string) => `${rule}\u0000${location}`;

/** Per group with watches, the first watch holding a row ({@link indexRowSets}). */
type RowSetIndex = ReadonlyMap<string, (row: number) => number>;

/** Options of {@link indexRowSets}. */
interface IndexRowSetsOptions {
  /** aborted: the index stops at its next step with {@link JobCancelledError} */
  signal?: AbortSignal;
  /**
   * lets the caller's other work run between two steps (default: the next macrotask, where a
   * Node process takes a pending SIGINT or SIGTERM and a worker its messages)
   */
  pause?: () => Promise<void>;
  /** ranges a step (default {@link ROW_SET_INDEX_STEP}) */
  step?: number;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Indexes the watches' rows before a pass ({@link createIssueTally} takes the index), in steps of
 * {@link ROW_SET_INDEX_STEP} ranges with a pause and a look at `signal` between two: 200,000
 * waivers limited to rows take seconds on a loaded machine, and a stop must not wait for them.
 * @throws JobCancelledError once `signal` is aborted.
 */
export async function indexRowSets(
  watches: readonly RowSetWatch[],
  options: IndexRowSetsOptions = {},
): Promise<RowSetIndex> {
  const pause = options.pause ?? nextTask;
  const step = options.step ?? ROW_SET_INDEX_STEP;
  const index = new Map<string, (row: number) => number>();
  for (const [key, named] of watchesByGroup(watches)) {
    const steps = holderSteps(
      named.map((w) => w.rows),
      step,
    );
    for (;;) {
      if (options.signal?.aborted) throw new JobCancelledError();
      const next = steps.next();
      if (next.done) {
        index.set(key, next.value);
        break;
      }
      await pause();
    }
  }
  return index;
}

/**
 * Creates an empty tally; `watches`: the row sets to count each named group's occurrences in;
 * `index`: their rows indexed beforehand ({@link indexRowSets}), else a group's are indexed when
 * its first issue comes, in one step (fine for a few waivers, not for tens of thousands).
 */
export function createIssueTally(watches: readonly RowSetWatch[] = [], index?: RowSetIndex): IssueTally {
  const groups = new Map<string, TallyEntry>();
  const watched = watchesByGroup(watches);
  /** per group with watches, the first watch holding a row (built with the group) */
  const holders = new Map<TallyEntry, (row: number) => number>();
  return {
    add(rule, severity, location, example, describe) {
      const key = groupKey(rule, location);
      let entry = groups.get(key);
      if (!entry) {
        entry = { rule, severity, location, count: 0, examples: [] };
        if (describe.code !== undefined) entry.code = describe.code;
        if (describe.message !== undefined) entry.message = describe.message;
        const named = watched.get(key);
        if (named) {
          entry.withinRows = named.map((w) => ({
            waiver: w.waiver,
            rows: w.rows,
            count: 0,
            ...(w.input === undefined ? {} : { input: w.input }),
          }));
          holders.set(entry, index?.get(key) ?? firstHoldingList(named.map((w) => w.rows)));
        }
        groups.set(key, entry);
      }
      entry.count++;
      const row = example.row;
      const holder = row === undefined ? undefined : holders.get(entry);
      if (entry.withinRows && holder && row !== undefined) {
        // under the first watch whose rows hold it: counts that never overlap
        const first = entry.withinRows[holder(row)];
        if (first) first.count++;
      }
      if (entry.examples.length < MAX_EXAMPLES) {
        if (example.value !== undefined) example.value = detach(example.value);
        entry.examples.push(example);
      }
    },
    entries: () => [...groups.values()],
  };
}
