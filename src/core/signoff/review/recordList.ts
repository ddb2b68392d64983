/**
 * The record list of a reviewer's screen: every drawn record in sample order with where it stands
 * for this reviewer and whether validation flagged it, the list filtered by state, stratum and
 * flag, and the next or previous record still to review.
 *
 * Under dual review the list is blind as the record screen is: a reviewer sees their own decision
 * only, and "in adjudication" only where their own decision sent the record there (cannot assess);
 * whether the other reviewer agreed is never shown. Pure.
 */
import type { Review } from '../../../formats/review.ts';
import { recordStatuses } from './dualReview.ts';

/** Where a record stands for the reviewer. */
export type ListedState = 'not-reviewed' | 'accepted' | 'rejected' | 'cannot-assess' | 'in-adjudication';

/** One record of the list. */
export interface ListedRecord {
  /** position in the sample (0-based) */
  index: number;
  stratum: string;
  key: string;
  state: ListedState;
  /** fields the reviewer marked wrong */
  findings: number;
  /** the record is in the plan's flagged stratum: validation counted an error on it */
  flagged: boolean;
}

/** Which records the list shows: each part left out shows all. */
interface ListFilter {
  state?: ListedState;
  stratum?: string;
  /** true: only records validation flagged; false: only the others */
  flagged?: boolean;
}

const OUTCOME_STATE = { accept: 'accepted', reject: 'rejected', 'cannot-assess': 'cannot-assess' } as const;

/**
 * The drawn records with their state for the reviewer of `stage` (sample order); `flaggedStrata`
 * are the plan's strata of records validation flagged (`flagged: true` in the plan).
 */
export function recordList(
  review: Review,
  stage: 'first' | 'second',
  flaggedStrata: ReadonlySet<string> = new Set(),
): ListedRecord[] {
  const dual = review.dualReview === true;
  return recordStatuses(review).map((status, index) => {
    const own = status[stage];
    const base = {
      index,
      stratum: status.stratum,
      key: status.recordKey,
      findings: own?.findings.length ?? 0,
      flagged: flaggedStrata.has(status.stratum),
    };
    if (!own) return { ...base, state: 'not-reviewed' };
    const waiting = status.state === 'awaiting-adjudication' && (!dual || own.outcome === 'cannot-assess');
    return { ...base, state: waiting ? 'in-adjudication' : OUTCOME_STATE[own.outcome] };
  });
}

/**
 * The index of the next (`direction` 1) or previous (-1) record after `from` that is not reviewed,
 * wrapping around the list; `from` itself when no other record is left to review.
 */
export function nextUnreviewed(list: readonly ListedRecord[], from: number, direction: 1 | -1): number {
  return nextWhere(list.length, from, direction, (at) => list[at]?.state === 'not-reviewed');
}

/**
 * The index of the next (`direction` 1) or previous (-1) of `count` positions after `from` where
 * `wanted` holds, wrapping around; `from` itself when no other position does.
 */
export function nextWhere(
  count: number,
  from: number,
  direction: 1 | -1,
  wanted: (at: number) => boolean,
): number {
  for (let step = 1; step < count; step++) {
    const at = (((from + direction * step) % count) + count) % count;
    if (wanted(at)) return at;
  }
  return from;
}

/** The records of `list` that `filter` shows, in list order. */
export function filterList(list: readonly ListedRecord[], filter: ListFilter): ListedRecord[] {
  return list.filter(
    (r) =>
      (filter.state === undefined || r.state === filter.state) &&
      (filter.stratum === undefined || r.stratum === filter.stratum) &&
      (filter.flagged === undefined || r.flagged === filter.flagged),
  );
}

/** How many records are in each state. */
export function listCounts(list: readonly ListedRecord[]): Record<ListedState, number> {
  const counts: Record<ListedState, number> = {
    'not-reviewed': 0,
    accepted: 0,
    rejected: 0,
    'cannot-assess': 0,
    'in-adjudication': 0,
  };
  for (const record of list) counts[record.state]++;
  return counts;
}
