/**
 * What an aggregate query found ({@link AggregatePart}: one table's, or several partitions'
 * merged) as the SQL report's inputs ({@link SqlScan}): each check's count and first rows under
 * the plan's SQL check ids, the blank records, and every column's profile made by the default
 * profiler from the distinct values and their counts, so the report says what the default
 * engine's says.
 *
 * Constraints:
 * - A column within the tracked values is fed each distinct value once, in first-row order, with
 *   its count (`addCounted`): the state the rows give. A column that overflowed them is made from
 *   the part's tracked values (their cells before the overflow) and its stats (kinds, numbers,
 *   dates, texts over every cell, classified by the server as the profiler classifies a cell):
 *   the state the rows give too, except its distinct count, exact where the default profiler's
 *   is an estimate (past `MAX_EXACT_DISTINCT` values).
 * - Memory: the parts hold at most checks × k rows and {@link PROFILE_VALUES} values per column.
 */
import type { createPlanRunner } from '../contract/index.ts';
import {
  type AggregatePart,
  type AggregateProfile,
  type AggregateStats,
  PROFILE_VALUES,
  type SqlCheck,
} from '../sql/index.ts';
import { createColumnProfiler, type ProfileState } from './columnProfile.ts';
import type { SqlCheckResult, SqlScan } from './sqlRun.ts';

/**
 * The counts of `part` as a scan's (the profiles made apart: {@link aggregateProfiles}). `checked`:
 * whether a plan was checked (an input whose header did not fit its contract has none).
 */
export function aggregateScan(
  part: AggregatePart,
  checks: readonly SqlCheck[],
  checked: boolean,
): Omit<SqlScan, 'profiles'> {
  const results: SqlCheckResult[] = checks.map((c) => {
    const found = part.checks[c.id];
    return { ...c, failing: found?.failing ?? 0, rows: found?.rows ?? [], cells: found?.cells ?? new Map() };
  });
  return {
    records: part.records,
    blankRows: part.blankRows,
    blanks: part.blanks,
    ...(checked ? { checked: { invalid: part.invalid, checks: results } } : {}),
  };
}

/**
 * Every column's profile as the default profiler makes it (see the file header). `runner`: the
 * plan's runner on the header, whose cell verdicts the default engine profiles with (a value a
 * `date` format passes is of its kind). A sharded column's profile comes here with its
 * values and tracked counts already made whole by the coordinator (`withPartsProfile`). Every
 * engine's aggregate gives a column past the tracked values its statistics (PostgreSQL's,
 * a shard's and a warehouse's): none reads a column's values beyond them.
 */
export function aggregateProfiles(
  part: AggregatePart,
  columns: readonly string[],
  runner: Pick<ReturnType<typeof createPlanRunner>, 'columns'> | undefined,
): ProfileState[] {
  const states: ProfileState[] = [];
  for (const [k, column] of columns.entries()) {
    const profile = part.profiles[k];
    if (!profile) throw new Error(`the aggregate has no profile of column ${k + 1}`);
    const profiler = createColumnProfiler(column, runner?.columns[k]);
    const overflowed = profile.overflowed || profile.values.length >= PROFILE_VALUES;
    if (overflowed && profile.stats) {
      states.push(overflowedState(profiler.state, profile, profile.stats));
      continue;
    }
    if (overflowed)
      throw new Error(`the aggregate gave no statistics of column ${k + 1}, past the tracked values`);
    for (const [value, count] of profile.values) profiler.addCounted(value, count);
    profiler.addCounted('', profile.empty);
    states.push(profiler.state);
  }
  return states;
}

/**
 * The state of a column past the tracked values, as the default profiler's would be: the first
 * tracked values with their cells before the overflow, and every cell's kind, number, date and
 * text bounds from `stats`. `fresh`: a new profiler's state, filled here.
 */
function overflowedState(
  fresh: ProfileState,
  profile: AggregateProfile,
  stats: AggregateStats,
): ProfileState {
  const filled = stats.kinds.reduce((n, k) => n + k, 0);
  const tracked = profile.values.slice(0, PROFILE_VALUES - 1);
  return {
    ...fresh,
    count: filled + profile.empty,
    empty: profile.empty,
    kindCounts: fresh.kindCounts.map((_, k) => stats.kinds[k] ?? 0),
    values: new Map(tracked.map(([value, count], k) => [value, profile.tracked?.[k] ?? count])),
    overflowed: true,
    numericCount: stats.numericCount,
    numericMin: stats.numericMin ?? Number.POSITIVE_INFINITY,
    numericMax: stats.numericMax ?? Number.NEGATIVE_INFINITY,
    textMin: stats.textMin ?? undefined,
    textMax: stats.textMax ?? undefined,
    dateMin: stats.dateMin?.[0],
    dateMax: stats.dateMax?.[0],
    exactDistinct: profile.distinctExact === false ? undefined : profile.distinct,
    ...(profile.distinctExact === false && profile.distinct !== undefined
      ? { distinctBound: profile.distinct }
      : {}),
  };
}
