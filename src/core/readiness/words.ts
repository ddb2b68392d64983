/**
 * Numbers, counts and dates in readiness sentences: the same text in the browser and the CLI,
 * whatever the machine's locale (no `Intl`), so a pipeline's log and the screen agree.
 */

/** 12345 → "12,345". */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 extract", "3 extracts". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/**
 * A share as a percentage with at most one decimal: 0.9852 → "98.5 %", 0.99 → "99 %". `round`:
 * `down` for a value judged against a minimum and `up` for one judged against a maximum, so a
 * value that fails its gate never reads as the gate itself (0.9899 under 99 % reads "98.9 %").
 * A value that is not finite reads "unbounded".
 */
export function percent(share: number, round: 'down' | 'up' | 'nearest' = 'nearest'): string {
  if (!Number.isFinite(share)) return 'unbounded';
  // the epsilon keeps 0.29 * 1000 = 289.99999999999994 at 290 before a floor or a ceiling
  const scaled = share * 1000;
  const tenths =
    round === 'down'
      ? Math.floor(scaled + 1e-9)
      : round === 'up'
        ? Math.ceil(scaled - 1e-9)
        : Math.round(scaled);
  return `${tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)} %`;
}

/** Minutes with at most one decimal: 12.25 → "12.3 min". */
export function minutes(value: number): string {
  if (!Number.isFinite(value)) return 'unbounded';
  const tenths = Math.round(value * 10);
  return `${tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)} min`;
}

/** The calendar date an RFC 3339 date-time was written on, as its writer saw it: "2026-11-24". */
export function day(dateTime: string): string {
  return dateTime.slice(0, 10);
}

/** "a", "a and b", "a, b and c". */
export { listWords as list } from '../../formats/listWords.ts';
