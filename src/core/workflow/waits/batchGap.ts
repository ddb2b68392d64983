/**
 * The pause that separates one batch from the next, found per activity from the log's own gaps.
 *
 * Batch discovery (Martin, Pufahl, Mannhardt, "Detection of batch activities from event logs",
 * Information Systems 95, 2021, whose BAMA tool the waiting-time-analysis tool of "Why am I
 * waiting?" (Lashkevich et al.) calls; and pix-framework's `discover_batches`, which Simod calls)
 * groups instances of one activity by one resource that were ready before the group's first
 * start and started together or one after another, the next within a *tolerated gap* of the
 * previous ones' end. Those tools take the gap as a setting (0 by default; Simod passes 10
 * minutes). Here it is estimated from the log:
 *
 * - the gaps: for each resource, its instances of the activity by start; each instance's idle gap
 *   is its start minus the latest end of the resource's earlier instances of that activity
 *   (0 when it started before that end: together);
 * - the split: the gaps above {@link BATCH_GAP_FLOOR_MS} are split in two groups on a log scale by
 *   Otsu's method (N. Otsu, "A threshold selection method from gray-level histograms", IEEE SMC 9,
 *   1979: the cut that leaves the least variance inside the two groups; in one dimension the same
 *   cut as Jenks' natural breaks for two classes). Short pauses between forms are one group, the
 *   breaks between piles the other; the estimate is the geometric middle of the empty stretch
 *   between the two groups;
 * - the check: the short group must be a mode of its own, not the short end of gaps that come at
 *   random. Starts that come at random (a Poisson stream) leave idle gaps that are exponential,
 *   and memoryless: the long group's excess over the split has the same mean. Fitted so (the short
 *   group cannot pull it down), it says how many gaps above the floor would be at or under the
 *   estimate by chance. Unless more are, by at least {@link PAUSE_EXCESS} standard
 *   deviations of that count (binomial; a person working through a pile with short pauses leaves
 *   far more), there are no pauses to tell apart and the gap is the floor;
 * - the bounds: never below the floor, 1 minute (a log kept in whole minutes puts instances done
 *   straight after one another up to a minute apart, so they are always one run) and never above
 *   the ceiling, {@link BATCH_GAP_CEILING_MS} (10 minutes, the gap Simod tolerates: a longer pause
 *   is a break, and a wider gap starts joining separate releases and delays that are not batching);
 * - too few gaps ({@link MIN_GAPS} or fewer above the floor) cannot be split: the activity gets the
 *   floor (only instances started together or straight after one another), and is counted as
 *   undecided so the account says so.
 *
 * Which instances join a batch, and when a run is a batch, stays in waitCauses.ts (`findBatches`).
 */

const MIN = 60_000;

/** The least gap: instances this close are always one run (a log's clock in whole minutes). */
export const BATCH_GAP_FLOOR_MS = MIN;
/** The greatest gap: a longer pause is a break (the gap Simod tolerates for batch discovery). */
export const BATCH_GAP_CEILING_MS = 10 * MIN;
/**
 * Standard deviations by which the short gaps must outnumber what a random stream would leave:
 * three keeps a stream of random starts (where the split lands by chance) from passing for pauses.
 */
export const PAUSE_EXCESS = 3;
/** Gaps above the floor an activity needs before they are split; with this many or fewer it is undecided. */
export const MIN_GAPS = 8;

/**
 * How an activity's gap was found: `estimated` (split from its own gaps), `ceiling` (the split fell
 * above the ceiling, so the ceiling), `no-pauses` (no more short gaps than a random stream leaves:
 * the floor) or `too-few` (not enough gaps to split: the floor, counted as undecided). Only gaps
 * above the floor are split, so the split is never below it.
 */
export type BatchGapBasis = 'estimated' | 'ceiling' | 'no-pauses' | 'too-few';

/** The gap that separates batches of one activity, and what it was found from. */
export interface BatchGap {
  /** the gap, ms: the next instance joins a run when it started within this of the run's end */
  ms: number;
  basis: BatchGapBasis;
  /** idle gaps above the floor it was found from (between instances of one resource) */
  gaps: number;
}

/**
 * The idle gaps of one resource's instances of one activity, `instances` ordered by start: for
 * each instance after the first, its start minus the latest end of the earlier ones (0 if it
 * started before that end), written into `into` from `at` (one fewer than the instances). Returns
 * where the next gap goes.
 */
export function idleGaps(
  instances: Iterable<number>,
  start: ArrayLike<number>,
  complete: ArrayLike<number>,
  into: Float64Array,
  at = 0,
): number {
  let next = at;
  let lastEnd = Number.NaN;
  for (const i of instances) {
    const s = start[i] as number;
    if (!Number.isNaN(lastEnd)) into[next++] = Math.max(0, s - lastEnd);
    lastEnd = Number.isNaN(lastEnd) ? (complete[i] as number) : Math.max(lastEnd, complete[i] as number);
  }
  return next;
}

/**
 * Otsu's two-group cut of `sorted` (ascending): the index k such that `sorted[0..k)` and
 * `sorted[k..)` leave the least variance inside the groups (the most between them).
 */
function otsuCut(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  let total = 0;
  for (let k = 0; k < n; k++) total += sorted[k] as number;
  let best = -1;
  let cut = 1;
  let below = 0;
  for (let k = 1; k < n; k++) {
    below += sorted[k - 1] as number;
    // equal values stay in one group
    if ((sorted[k - 1] as number) === (sorted[k] as number)) continue;
    const w0 = k / n;
    const between = w0 * (1 - w0) * (below / k - (total - below) / (n - k)) ** 2;
    if (between > best) {
      best = between;
      cut = k;
    }
  }
  return cut;
}

/** The gap that separates batches, from an activity's idle gaps (all its resources' together). */
export function estimateBatchGap(gaps: ArrayLike<number>): BatchGap {
  let above = 0;
  for (let k = 0; k < gaps.length; k++) if ((gaps[k] as number) > BATCH_GAP_FLOOR_MS) above++;
  const logs = new Float64Array(above);
  above = 0;
  for (let k = 0; k < gaps.length; k++) {
    const g = gaps[k] as number;
    if (g > BATCH_GAP_FLOOR_MS) logs[above++] = Math.log(g);
  }
  // a typed array sorts by value
  logs.sort();
  if (logs.length <= MIN_GAPS) return { ms: BATCH_GAP_FLOOR_MS, basis: 'too-few', gaps: logs.length };
  const cut = otsuCut(logs);
  const split = Math.exp(((logs[cut - 1] as number) + (logs[cut] as number)) / 2);
  const ms = Math.min(split, BATCH_GAP_CEILING_MS);
  // a random stream's share at or under `ms`: exponential, its mean from the long group's excess
  let excess = 0;
  let under = 0;
  for (let k = 0; k < logs.length; k++) {
    const g = Math.exp(logs[k] as number);
    if (k >= cut) excess += g - split;
    if (g <= ms) under++;
  }
  const n = logs.length;
  const byChance = 1 - Math.exp(-(ms - BATCH_GAP_FLOOR_MS) / (excess / (n - cut)));
  if (under - n * byChance < PAUSE_EXCESS * Math.sqrt(n * byChance * (1 - byChance)))
    return { ms: BATCH_GAP_FLOOR_MS, basis: 'no-pauses', gaps: logs.length };
  return { ms, basis: split > BATCH_GAP_CEILING_MS ? 'ceiling' : 'estimated', gaps: logs.length };
}

const minutesWords = (minutes: number) => `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
const gapsWords = (gaps: number) => `${gaps} ${gaps === 1 ? 'gap' : 'gaps'}`;

/**
 * How an activity's batches were told apart, in words for clinic staff (the CLI's table, the
 * `kept-handoff-wait` finding and the app say it the same way).
 */
export function batchGapWords(gap: { minutes: number; basis: BatchGapBasis; gaps: number }): string {
  const floor = minutesWords(BATCH_GAP_FLOOR_MS / MIN);
  switch (gap.basis) {
    case 'estimated':
      return `batches told apart by pauses over ${minutesWords(gap.minutes)} between one person's cases (found from ${gapsWords(gap.gaps)} in the log)`;
    case 'ceiling':
      return `batches told apart by pauses over ${minutesWords(gap.minutes)}, the most allowed (the log's ${gapsWords(gap.gaps)} split higher)`;
    case 'no-pauses':
      return `no working pauses found between one person's cases (${gapsWords(gap.gaps)}): only cases started together or within ${floor} of the previous one count as a batch`;
    case 'too-few':
      return `too few cases by one person to find the pause between batches (${gapsWords(gap.gaps)}): only cases started together or within ${floor} of the previous one count as a batch`;
  }
}

/** The activities whose pause could not be found (and their instances), in words; empty when none. */
export function batchGapUndecidedWords(undecided: { activities: number; instances?: number }): string {
  if (undecided.activities === 0) return '';
  const floor = minutesWords(BATCH_GAP_FLOOR_MS / MIN);
  const n = undecided.instances;
  return (
    `${undecided.activities} ${undecided.activities === 1 ? 'activity' : 'activities'}` +
    `${n === undefined ? '' : ` (${n} ${n === 1 ? 'instance' : 'instances'})`}: ` +
    `too few cases by one person to find the pause between batches; there only cases started together or within ${floor} of the previous one count as a batch`
  );
}
