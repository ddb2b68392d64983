/**
 * Patterns only a log shows, measured per case for the log finding rules (`rework-loop`,
 * `handoff-ping-pong`); discovery writes them into the workflow as evidence
 * (`observed.repeated` on steps, `observed.pingPong` on the workflow).
 *
 * Definitions:
 * - Rework: an activity done more than once in a case. Per activity: the cases that did it more
 *   than once, the times beyond the first over those cases, and per such case the span from its
 *   first instance's start to the latest complete of its instances.
 * - Ping-pong: a case's instances that name a role, with consecutive instances of the same role
 *   merged into one run (instances without a role are skipped). A stretch of runs alternating
 *   between the same two roles, A, B, A, B or longer (three handoffs or more), is work going back
 *   and forth. A → B → A alone is not: a patient roomed by a nurse, seen by the physician and
 *   discharged by the nurse is an ordinary visit. Per pair of roles: the cases with such a stretch,
 *   the handoffs inside the stretches, and per case the summed span of its stretches (first run's
 *   start to last run's latest complete).
 *
 * Cost: one pass over the instances; per case, scratch arrays over its activities and runs;
 * per pair of roles seen bouncing, one list of spans.
 */
import type { EventLog } from './eventLog.ts';
import { type DurationStats, NumberList, summarise } from './statistics.ts';

const MS_PER_MINUTE = 60_000;
/** Runs in a row, alternating between two roles, that make a back-and-forth (A, B, A, B). */
const PING_PONG_MIN_RUNS = 4;

/** Rework of one activity. */
export interface ActivityRepeats {
  /** cases that did it more than once */
  cases: number;
  /** instances beyond the first, over those cases */
  extra: number;
  /** per such case: first start → latest complete, minutes */
  span: DurationStats | undefined;
}

/** Back-and-forth between two roles. */
interface RolePingPong {
  /** role indices into `log.roles`, smaller first */
  roles: [number, number];
  cases: number;
  handoffs: number;
  /** per such case: summed span of its stretches, minutes */
  span: DurationStats | undefined;
}

/** What {@link logPatterns} measured. */
interface LogPatterns {
  /** per activity (index into `log.activities`), undefined when no case repeated it */
  repeats: Array<ActivityRepeats | undefined>;
  /** pairs of roles, most cases first, then by role indices */
  pingPong: RolePingPong[];
}

interface PairTally {
  cases: number;
  handoffs: number;
  spans: NumberList;
  /** last case counted, so a case with two stretches counts once */
  lastCase: number;
  /** span of the current case so far, ms */
  caseSpan: number;
}

/** Measures rework and ping-pong in a log (see the file header). */
export function logPatterns(log: EventLog): LogPatterns {
  const A = log.activities.length;
  const R = log.roles.length;
  const count = new Int32Array(A);
  const firstStart = new Float64Array(A);
  const lastComplete = new Float64Array(A);
  const repeatCases = new Int32Array(A);
  const extra = new Int32Array(A);
  const spans: Array<NumberList | undefined> = new Array(A).fill(undefined);
  const touched: number[] = [];
  const pairs = new Map<number, PairTally>();
  // role runs of the case in progress
  const runRole: number[] = [];
  const runStart: number[] = [];
  const runEnd: number[] = [];
  const { activity, role, start, complete, caseOffsets } = log;

  const closeStretch = (c: number, from: number, to: number) => {
    const runs = to - from + 1;
    if (runs < PING_PONG_MIN_RUNS) return;
    const a = runRole[from] as number;
    const b = runRole[from + 1] as number;
    const low = Math.min(a, b);
    const key = low * R + Math.max(a, b);
    let tally = pairs.get(key);
    if (!tally) {
      tally = { cases: 0, handoffs: 0, spans: new NumberList(), lastCase: -1, caseSpan: 0 };
      pairs.set(key, tally);
    }
    if (tally.lastCase !== c) {
      if (tally.lastCase >= 0) tally.spans.push(tally.caseSpan / MS_PER_MINUTE);
      tally.lastCase = c;
      tally.caseSpan = 0;
      tally.cases++;
    }
    tally.handoffs += runs - 1;
    tally.caseSpan += Math.max(0, (runEnd[to] as number) - (runStart[from] as number));
  };

  for (let c = 0; c < log.cases.length; c++) {
    const first = caseOffsets[c] as number;
    const end = caseOffsets[c + 1] as number;
    runRole.length = 0;
    runStart.length = 0;
    runEnd.length = 0;
    for (let i = first; i < end; i++) {
      const a = activity[i] as number;
      if (count[a] === 0) {
        touched.push(a);
        firstStart[a] = start[i] as number;
        lastComplete[a] = complete[i] as number;
      } else if ((complete[i] as number) > (lastComplete[a] as number))
        lastComplete[a] = complete[i] as number;
      count[a] = (count[a] as number) + 1;
      const r = role[i] as number;
      if (r < 0) continue;
      const last = runRole.length - 1;
      if (last >= 0 && runRole[last] === r) {
        if ((complete[i] as number) > (runEnd[last] as number)) runEnd[last] = complete[i] as number;
      } else {
        runRole.push(r);
        runStart.push(start[i] as number);
        runEnd.push(complete[i] as number);
      }
    }
    for (const a of touched) {
      const k = count[a] as number;
      if (k >= 2) {
        repeatCases[a] = (repeatCases[a] as number) + 1;
        extra[a] = (extra[a] as number) + k - 1;
        let list = spans[a];
        if (!list) {
          list = new NumberList();
          spans[a] = list;
        }
        list.push(Math.max(0, (lastComplete[a] as number) - (firstStart[a] as number)) / MS_PER_MINUTE);
      }
      count[a] = 0;
    }
    touched.length = 0;
    // alternating stretches: consecutive runs always differ, so a stretch alternates between two
    // roles exactly while each run repeats the role two runs before it
    let from = 0;
    for (let k = 2; k < runRole.length; k++) {
      if (runRole[k] !== runRole[k - 2]) {
        closeStretch(c, from, k - 1);
        from = k - 1;
      }
    }
    if (runRole.length > 0) closeStretch(c, from, runRole.length - 1);
  }

  const pingPong: RolePingPong[] = [];
  for (const [key, tally] of pairs) {
    if (tally.lastCase >= 0) tally.spans.push(tally.caseSpan / MS_PER_MINUTE);
    pingPong.push({
      roles: [Math.floor(key / R), key % R],
      cases: tally.cases,
      handoffs: tally.handoffs,
      span: summarise(tally.spans.values()),
    });
  }
  pingPong.sort((x, y) => y.cases - x.cases || x.roles[0] - y.roles[0] || x.roles[1] - y.roles[1]);
  const repeats = Array.from({ length: A }, (_, a): ActivityRepeats | undefined =>
    (repeatCases[a] as number) > 0
      ? {
          cases: repeatCases[a] as number,
          extra: extra[a] as number,
          span: summarise((spans[a] as NumberList).values()),
        }
      : undefined,
  );
  return { repeats, pingPong };
}
