/**
 * One resource's work on the timeline: its activity instances ordered by start, and the union of
 * their intervals (merged, with prefix sums), so how long the resource was busy — and how much
 * of that busy time fell outside its calendar — in any window costs two binary searches.
 */
import type { WorkingMeasure } from './calendar.ts';

export interface ResourceTime {
  /** instance indices ordered by start */
  order: Int32Array;
  /** starts of `order`, ascending */
  starts: Float64Array;
  /** the merged busy intervals, disjoint and ascending */
  mergedStart: Float64Array;
  mergedEnd: Float64Array;
  /** busy ms before merged interval k */
  busyBefore: Float64Array;
  /** off-calendar ms inside merged intervals before k */
  offBefore: Float64Array;
  /** off-calendar ms between two instants (the calendar's complement) */
  off: WorkingMeasure;
}

/** The last index k with `values[k] <= t`, −1 when none. */
export function lastAtOrBefore(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Builds a resource's timeline from its instances (any order) and its working measure. */
export function resourceTime(
  instances: ArrayLike<number>,
  start: Float64Array,
  complete: Float64Array,
  working: WorkingMeasure,
): ResourceTime {
  const order = Int32Array.from(instances).sort((a, b) => (start[a] as number) - (start[b] as number));
  const starts = Float64Array.from(order, (i) => start[i] as number);
  const ms: number[] = [];
  const me: number[] = [];
  for (const i of order) {
    const s = start[i] as number;
    const c = Math.max(s, complete[i] as number);
    if (c === s) continue;
    const last = me.length - 1;
    if (last >= 0 && s <= (me[last] as number)) me[last] = Math.max(me[last] as number, c);
    else {
      ms.push(s);
      me.push(c);
    }
  }
  const off: WorkingMeasure = (from, to) => (to > from ? to - from - working(from, to) : 0);
  const busyBefore = new Float64Array(ms.length + 1);
  const offBefore = new Float64Array(ms.length + 1);
  for (let k = 0; k < ms.length; k++) {
    busyBefore[k + 1] = (busyBefore[k] as number) + (me[k] as number) - (ms[k] as number);
    offBefore[k + 1] = (offBefore[k] as number) + off(ms[k] as number, me[k] as number);
  }
  return {
    order,
    starts,
    mergedStart: Float64Array.from(ms),
    mergedEnd: Float64Array.from(me),
    busyBefore,
    offBefore,
    off,
  };
}

/** Busy ms from the beginning of time to `t`. */
function busyUntil(r: ResourceTime, t: number): number {
  const k = lastAtOrBefore(r.mergedStart, t);
  if (k < 0) return 0;
  const s = r.mergedStart[k] as number;
  return (r.busyBefore[k] as number) + Math.min(t, r.mergedEnd[k] as number) - s;
}

/** Off-calendar busy ms from the beginning of time to `t`. */
function offBusyUntil(r: ResourceTime, t: number): number {
  const k = lastAtOrBefore(r.mergedStart, t);
  if (k < 0) return 0;
  const s = r.mergedStart[k] as number;
  return (r.offBefore[k] as number) + r.off(s, Math.min(t, r.mergedEnd[k] as number));
}

/** How long the resource was busy within [a, b]. */
export function busyIn(r: ResourceTime, a: number, b: number): number {
  return b > a ? busyUntil(r, b) - busyUntil(r, a) : 0;
}

/** How long the resource was neither busy nor in its working time within [a, b]. */
export function offAndIdleIn(r: ResourceTime, a: number, b: number): number {
  if (!(b > a)) return 0;
  return Math.max(0, r.off(a, b) - (offBusyUntil(r, b) - offBusyUntil(r, a)));
}

/**
 * The longest stretch within [a, b] in which the resource was idle, counting only its working
 * time (a night off is not idleness at work).
 */
export function longestIdleAtWork(r: ResourceTime, a: number, b: number): number {
  let longest = 0;
  let from = a;
  const stretch = (to: number) => {
    if (to > from) longest = Math.max(longest, to - from - r.off(from, to));
  };
  for (let k = Math.max(0, lastAtOrBefore(r.mergedStart, a)); k < r.mergedStart.length; k++) {
    const s = r.mergedStart[k] as number;
    if (s >= b) break;
    stretch(Math.min(s, b));
    from = Math.max(from, r.mergedEnd[k] as number);
  }
  stretch(b);
  return longest;
}
