/**
 * How many records a plan's review holds, before and after its sample is drawn, and why the two
 * can differ. The plan sizes strata in rows (its N, from validation), but the sample is drawn by
 * record key: rows that repeat a key are one record, reviewed once. So a census of 262 flagged rows
 * holding 250 distinct MRNs is 250 records to review — the number the review and the verdict use.
 * The plan card shows these numbers so it agrees with the review and says why where it differs.
 *
 * Pure; words for clinic staff (counts only, never a key's value).
 */
import type { DrawnSample } from '../../../formats/review.ts';
import type { PlanSampleSizes } from './statistics.ts';

/** One stratum's count of records to review. */
interface StratumReviewCount {
  stratumId: string;
  /** rows in the stratum: the plan's N, or the rows seen when the sample was drawn */
  rows: number;
  /** records the plan asks for (all rows for a census) */
  planned: number;
  /** records drawn to review (one per distinct key); absent before the sample is drawn */
  drawn?: number;
  /** why `drawn` is smaller than `planned`, in plain words; absent when they agree */
  note?: string;
}

/** Every stratum's count and the totals. */
interface ReviewCounts {
  strata: StratumReviewCount[];
  /** records to review: Σ drawn once drawn, else Σ planned */
  total: number;
  /** Σ planned (what the plan asked for) */
  planned: number;
  /** Σ rows */
  rows: number;
  /** whether the counts come from a drawn sample */
  drawn: boolean;
  /**
   * before drawing: `total` is an upper bound, since some stratum is reviewed in full and rows with the
   * same key in it will be one record
   */
  atMost: boolean;
}

const many = (n: number, one: string, more = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : more}`;

/**
 * The records to review per stratum: the plan's sizes, and once `sample` (the review's drawn
 * sample of this plan) is given, what was drawn, with the reason wherever fewer records were drawn
 * than planned.
 *
 * @param keyColumn the record key's column (e.g. "mrn"), named in the words when known
 */
export function reviewCounts(sizes: PlanSampleSizes, sample?: DrawnSample, keyColumn?: string): ReviewCounts {
  const column = keyColumn ? ` (${keyColumn})` : '';
  const strata = sizes.strata.map((s): StratumReviewCount => {
    const drawn = sample?.strata.find((d) => d.id === s.stratumId);
    if (!drawn) return { stratumId: s.stratumId, rows: s.population, planned: s.n };
    const planned = drawn.n;
    const records = drawn.records.length;
    const count: StratumReviewCount = {
      stratumId: s.stratumId,
      rows: drawn.population,
      planned,
      drawn: records,
    };
    if (records >= planned) return count;
    const note =
      drawn.census || planned >= drawn.population
        ? `${many(drawn.population, 'row')}, ${many(records, 'record')}: rows with the same key${column} are one record, reviewed once`
        : `only ${many(records, 'distinct key')}${column} in ${many(drawn.population, 'row')}: each is reviewed once`;
    return { ...count, note };
  });
  const planned = strata.reduce((sum, s) => sum + s.planned, 0);
  const total = strata.reduce((sum, s) => sum + (s.drawn ?? s.planned), 0);
  return {
    strata,
    total,
    planned,
    rows: strata.reduce((sum, s) => sum + s.rows, 0),
    drawn: sample !== undefined,
    atMost: sample === undefined && strata.some((s) => s.rows > 0 && s.planned >= s.rows),
  };
}
