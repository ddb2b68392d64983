/**
 * Inter-rater agreement of a dual review (docs/product.md#sign-off): Cohen's kappa of the first and
 * second reviewers' outcomes (accept, reject, cannot assess) over the records both decided, with a
 * 95 % confidence interval.
 *
 * kappa = (pₒ − pₑ) / (1 − pₑ), pₒ the share of records where both chose the same outcome, pₑ the
 * share expected by chance from each reviewer's own outcome frequencies. The interval is
 * kappa ± z·SE, clipped to [−1, 1], with the asymptotic standard error of Fleiss, Cohen and
 * Everitt (1969) — the one SAS PROC FREQ, R and statsmodels report, so an auditor's own package
 * gives the same interval:
 *
 *   SE² = (A + B − C) / ((1 − pₑ)² n)
 *   A = Σᵢ pᵢᵢ (1 − (pᵢ· + p·ᵢ)(1 − kappa))²
 *   B = (1 − kappa)² Σᵢ≠ⱼ pᵢⱼ (p·ᵢ + pⱼ·)²
 *   C = (kappa − pₑ(1 − kappa))²
 *
 * It is a large-sample interval, rough for a few dozen records, which the screen says by showing
 * n beside it. When pₑ = 1 (both reviewers gave every record the same one outcome) kappa is
 * undefined and reported as null.
 *
 * Pure; counts only.
 */
import type { Outcome, Review } from '../../../formats/review.ts';
import { recordStatuses } from './dualReview.ts';

/** The confidence of the interval. */
const KAPPA_CONFIDENCE = 0.95;
/** The two-sided standard normal quantile for {@link KAPPA_CONFIDENCE}: Φ⁻¹(0.975). */
const Z_95 = 1.959963984540054;

/** Cohen's kappa of paired ratings, with its interval. */
export interface Agreement {
  /** rated pairs */
  n: number;
  /** pairs where both chose the same category, as a share (null without pairs) */
  observed: number | null;
  /** agreement expected by chance (null without pairs) */
  expected: number | null;
  /** null without pairs, or when chance agreement is 1 */
  kappa: number | null;
  /** the interval at {@link KAPPA_CONFIDENCE}; null with kappa */
  interval: { lower: number; upper: number } | null;
}

const clip = (x: number) => Math.max(-1, Math.min(1, x));

/** Cohen's kappa of `pairs` of categories (see the file header). */
export function cohenKappa<T extends string>(pairs: readonly (readonly [T, T])[]): Agreement {
  const n = pairs.length;
  if (n === 0) return { n, observed: null, expected: null, kappa: null, interval: null };
  const rows = new Map<T, number>();
  const columns = new Map<T, number>();
  /** cell counts of the cross-table, by first and second category */
  const cells = new Map<T, Map<T, number>>();
  let same = 0;
  for (const [a, b] of pairs) {
    if (a === b) same++;
    rows.set(a, (rows.get(a) ?? 0) + 1);
    columns.set(b, (columns.get(b) ?? 0) + 1);
    const row = cells.get(a) ?? new Map<T, number>();
    row.set(b, (row.get(b) ?? 0) + 1);
    cells.set(a, row);
  }
  const observed = same / n;
  let expected = 0;
  for (const [category, count] of rows) expected += (count / n) * ((columns.get(category) ?? 0) / n);
  if (expected >= 1) return { n, observed, expected, kappa: null, interval: null };
  const kappa = (observed - expected) / (1 - expected);
  const rowShare = (c: T) => (rows.get(c) ?? 0) / n;
  const columnShare = (c: T) => (columns.get(c) ?? 0) / n;
  let a = 0;
  let b = 0;
  for (const [i, row] of cells)
    for (const [j, count] of row) {
      const p = count / n;
      if (i === j) a += p * (1 - (rowShare(i) + columnShare(i)) * (1 - kappa)) ** 2;
      else b += p * (columnShare(i) + rowShare(j)) ** 2;
    }
  b *= (1 - kappa) ** 2;
  const c = (kappa - expected * (1 - kappa)) ** 2;
  // rounding can leave a tiny negative where the variance is 0 (perfect agreement or disagreement)
  const se = Math.sqrt(Math.max(0, (a + b - c) / ((1 - expected) ** 2 * n)));
  return {
    n,
    observed,
    expected,
    kappa,
    interval: { lower: clip(kappa - Z_95 * se), upper: clip(kappa + Z_95 * se) },
  };
}

/** The agreement of a dual review's two reviewers on the outcome of every record both decided. */
export function reviewerAgreement(review: Review): Agreement {
  const pairs: [Outcome, Outcome][] = [];
  for (const s of recordStatuses(review))
    if (s.first && s.second) pairs.push([s.first.outcome, s.second.outcome]);
  return cohenKappa(pairs);
}

/** Kappa in words: the value, its interval and n, e.g. "0.62 (95 % CI 0.31 to 0.93; 40 records)". */
export function formatAgreement(agreement: Agreement): string {
  const records = `${agreement.n.toLocaleString('en-US')} record${agreement.n === 1 ? '' : 's'}`;
  if (agreement.n === 0) return 'no record decided by both reviewers yet';
  if (agreement.kappa === null || !agreement.interval)
    return `not defined: both reviewers gave every record the same outcome (${records})`;
  const f = (x: number) => x.toFixed(2).replace(/^-0\.00$/, '0.00');
  return `${f(agreement.kappa)} (${Math.round(KAPPA_CONFIDENCE * 100)} % CI ${f(agreement.interval.lower)} to ${f(agreement.interval.upper)}; ${records})`;
}
