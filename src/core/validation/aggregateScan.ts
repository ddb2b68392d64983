/**
 * What an aggregate query found ({@link AggregatePart}: one table's, or several partitions'
 * merged) as the SQL report's inputs ({@link SqlScan}): each check's count and first rows under
 * the plan's SQL check ids, the blank records, and every column's profile made by the default
 * profiler from the distinct values and their counts, so the report says what the default
 * engine's says.
 *
 * Constraints:
 * - A profile is fed each distinct value once, in first-row order, with its count
 *   (`addCounted`): the state the rows give. A column that overflowed the tracked values is fed
 *   from all its distinct values (`readDistinct`), never from the part's first ones only.
 * - Memory: the parts hold at most checks × k rows and {@link PROFILE_VALUES} values per column;
 *   a column's distinct values stream through the profiler.
 */
import type { createPlanRunner } from '../contract/index.ts';
import { type AggregatePart, PROFILE_VALUES, type SqlCheck } from '../sql/index.ts';
import { createColumnProfiler, type ProfileState } from './columnProfile.ts';
import type { SqlCheckResult, SqlScan } from './sqlRun.ts';

/** A distinct filled value of a column: its cells, and those before the column's overflow. */
export interface DistinctValue {
  value: string;
  count: number;
  /** its cells before the first cell of the first value past the tracked ones */
  tracked: number;
}

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
 * `date` format passes is of its kind); `readDistinct` feeds a column's every distinct value in
 * first-row order, asked only for a column that overflowed.
 */
export async function aggregateProfiles(
  part: AggregatePart,
  columns: readonly string[],
  runner: Pick<ReturnType<typeof createPlanRunner>, 'columns'> | undefined,
  readDistinct: (column: string, take: (value: DistinctValue) => void) => Promise<void>,
): Promise<ProfileState[]> {
  const states: ProfileState[] = [];
  for (const [k, column] of columns.entries()) {
    const profile = part.profiles[k];
    if (!profile) throw new Error(`the aggregate has no profile of column ${k + 1}`);
    const profiler = createColumnProfiler(column, runner?.columns[k]);
    if (profile.overflowed || profile.values.length >= PROFILE_VALUES)
      await readDistinct(column, (v) => profiler.addCounted(v.value, v.count, v.tracked));
    else for (const [value, count] of profile.values) profiler.addCounted(value, count);
    profiler.addCounted('', profile.empty);
    states.push(profiler.state);
  }
  return states;
}
