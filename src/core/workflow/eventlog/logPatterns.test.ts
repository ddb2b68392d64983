/**
 * Rework and ping-pong measured in logs: pinned small logs with figures worked out by hand, and a
 * property over random logs against a plain re-computation over activity and role names (a
 * different algorithm: maximal stretches grown from each pair of runs), plus the identity that a
 * rework's extra times are the activity's instances minus the cases that did it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvLogText } from './csvLog.ts';
import { discoverWorkflow, logStatistics } from './discover.ts';
import type { EventLog } from './eventLog.ts';
import { logPatterns } from './logPatterns.ts';
import { createLocalClock } from './timestamps.ts';

const MAPPING = { case: 'case', activity: 'activity', start: 'start', complete: 'complete', resource: 'who' };
const ROLE_MAP = { Sam: 'Front desk', Kim: 'Nurse', Lee: 'Physician', Ray: 'Physician' };
const clock = createLocalClock('UTC');

/** rows [case, activity, minutes after 08:00 on 2025-06-02, touch minutes, who] */
function log(
  rows: ReadonlyArray<readonly [string, string, number, number, string]>,
  roleMap: Record<string, string> = ROLE_MAP,
) {
  const base = Date.UTC(2025, 5, 2, 8, 0);
  const lines = ['case,activity,start,complete,who'];
  for (const [c, a, at, touch, who] of rows) {
    const start = base + at * 60_000;
    lines.push(
      `${c},${a},${new Date(start).toISOString()},${new Date(start + touch * 60_000).toISOString()},${who}`,
    );
  }
  return readCsvLogText(lines.join('\n'), { mapping: MAPPING, roleMap }).log;
}

// case 1: Review twice (rework, first start 10 → last complete 55 = 45 min); nurse ↔ physician
// four runs (N, P, N, P: 3 handoffs, from 10 to 70 = 60 min). Case 2: an ordinary visit
// (F, N, P, N: the N, P, N stretch is only three runs). Case 3: Review three times, and
// F, N, P, N, P, N: one stretch N, P, N, P, N of five runs (4 handoffs, 20 → 100 = 80 min).
const pinned = log([
  ['1', 'Check in', 0, 5, 'Sam'],
  ['1', 'Review', 10, 5, 'Kim'],
  ['1', 'Order', 20, 10, 'Lee'],
  ['1', 'Review', 50, 5, 'Kim'],
  ['1', 'Sign', 60, 10, 'Ray'],
  ['2', 'Check in', 0, 5, 'Sam'],
  ['2', 'Review', 10, 5, 'Kim'],
  ['2', 'Order', 20, 5, 'Lee'],
  ['2', 'Discharge', 30, 5, 'Kim'],
  ['3', 'Check in', 0, 5, 'Sam'],
  ['3', 'Review', 20, 5, 'Kim'],
  ['3', 'Order', 30, 5, 'Lee'],
  ['3', 'Review', 40, 5, 'Kim'],
  ['3', 'Order', 50, 5, 'Ray'],
  ['3', 'Review', 60, 5, 'Kim'],
  ['3', 'Note', 70, 30, 'Kim'],
]);

describe('logPatterns', () => {
  it('measures rework per activity: cases, extra times and the first-to-last span', () => {
    const { repeats } = logPatterns(pinned);
    const of = (name: string) => repeats[pinned.activities.indexOf(name)];
    expect(of('Review')).toMatchObject({ cases: 2, extra: 3, span: { n: 2, medianMin: 45, p90Min: 45 } });
    // Review: case 1 10 → 55 = 45, case 3 20 → 65 = 45; Order: case 3 30 → 55 = 25
    expect(of('Order')).toMatchObject({ cases: 1, extra: 1, span: { n: 1, medianMin: 25 } });
    expect(of('Check in')).toBeUndefined();
    expect(of('Sign')).toBeUndefined();
  });

  it('finds back-and-forth of four runs or more between two roles, never A, B, A alone', () => {
    const { pingPong } = logPatterns(pinned);
    const nurse = pinned.roles.indexOf('Nurse');
    const physician = pinned.roles.indexOf('Physician');
    expect(pingPong).toHaveLength(1);
    expect(pingPong[0]).toMatchObject({
      roles: [Math.min(nurse, physician), Math.max(nurse, physician)],
      cases: 2,
      handoffs: 7,
      // case 1: 10 → 70 = 60 min; case 3: 20 → 100 = 80 min
      span: { n: 2, medianMin: 70, meanMin: 70 },
    });
  });

  it('merges consecutive instances of one role into one run; a third role ends a stretch', () => {
    const bounced = log(
      [
        ['1', 'A', 0, 1, 'Kim'],
        ['1', 'B', 2, 1, 'Lee'],
        ['1', 'B2', 4, 1, 'Ray'], // physician again: the same run
        ['1', 'X', 5, 1, 'Nobody'], // not in the role map: its own role, a third one
        ['2', 'A', 0, 1, 'Kim'],
        ['2', 'B', 2, 1, 'Lee'],
        ['2', 'B2', 4, 1, 'Ray'],
        ['2', 'A', 6, 1, 'Kim'],
        ['2', 'B', 8, 1, 'Lee'],
      ],
      ROLE_MAP,
    );
    const { pingPong } = logPatterns(bounced);
    expect(pingPong.map((p) => [p.cases, p.handoffs])).toEqual([[1, 3]]);
  });

  it('discovery keeps them as evidence the workflow format accepts', () => {
    const { workflow } = discoverWorkflow(pinned, clock);
    expect(workflow.observed).toEqual({
      cases: 3,
      pingPong: [
        {
          lanes: ['nurse', 'physician'],
          cases: 2,
          handoffs: 7,
          span: { n: 2, meanMin: 70, medianMin: 70, p90Min: 78 },
        },
      ],
    });
    expect(workflow.steps.find((s) => s.label === 'Review')?.observed?.repeated).toEqual({
      cases: 2,
      extra: 3,
      span: { n: 2, meanMin: 45, medianMin: 45, p90Min: 45 },
    });
  });
});

// ---- property: against a plain re-computation over names --------------------------------------

const ACTIVITIES = ['Check in', 'Review', 'Order', 'Sign'];
const PEOPLE = ['Sam', 'Kim', 'Lee', 'Ray', 'Ann'];
const PEOPLE_ROLES: Record<string, string> = { ...ROLE_MAP, Ann: 'Nurse' };

const casesArbitrary = fc.array(
  fc.array(fc.record({ activity: fc.constantFrom(...ACTIVITIES), who: fc.constantFrom(...PEOPLE) }), {
    minLength: 1,
    maxLength: 10,
  }),
  { minLength: 1, maxLength: 15 },
);

type Case = Array<{ activity: string; who: string }>;

function randomLog(cases: readonly Case[]): EventLog {
  const rows: Array<readonly [string, string, number, number, string]> = [];
  cases.forEach((instances, k) => {
    instances.forEach((inst, i) => {
      rows.push([`c${String(k).padStart(3, '0')}`, inst.activity, i * 10, 5, inst.who]);
    });
  });
  return log(rows, PEOPLE_ROLES);
}

/** The same patterns by names, with stretches grown from each pair of runs. */
function byNames(cases: readonly Case[]) {
  const repeats = new Map<string, { cases: number; extra: number }>();
  const pairs = new Map<string, { cases: number; handoffs: number }>();
  for (const instances of cases) {
    const counts = new Map<string, number>();
    for (const inst of instances) counts.set(inst.activity, (counts.get(inst.activity) ?? 0) + 1);
    for (const [activity, k] of counts) {
      if (k < 2) continue;
      const r = repeats.get(activity) ?? { cases: 0, extra: 0 };
      r.cases++;
      r.extra += k - 1;
      repeats.set(activity, r);
    }
    const runs: string[] = [];
    for (const inst of instances) {
      const role = PEOPLE_ROLES[inst.who] as string;
      if (runs[runs.length - 1] !== role) runs.push(role);
    }
    const seen = new Set<string>();
    let s = 0;
    while (s < runs.length - 1) {
      let e = s + 1;
      while (e + 1 < runs.length && runs[e + 1] === runs[e - 1]) e++;
      if (e - s + 1 >= 4) {
        const key = [runs[s], runs[s + 1]].sort().join('|');
        const p = pairs.get(key) ?? { cases: 0, handoffs: 0 };
        if (!seen.has(key)) p.cases++;
        seen.add(key);
        p.handoffs += e - s;
        pairs.set(key, p);
      }
      s = e;
    }
  }
  return { repeats, pairs };
}

describe('logPatterns on random logs', () => {
  it('agrees with a plain re-computation by names, and extra = instances − cases', () => {
    fc.assert(
      fc.property(casesArbitrary, (cases) => {
        const eventLog = randomLog(cases);
        const measured = logPatterns(eventLog);
        const expected = byNames(cases);
        const repeats = new Map<string, { cases: number; extra: number }>();
        measured.repeats.forEach((r, a) => {
          if (r) repeats.set(eventLog.activities[a] as string, { cases: r.cases, extra: r.extra });
        });
        expect(repeats).toEqual(expected.repeats);
        const pairs = new Map(
          measured.pingPong.map((p) => [
            p.roles
              .map((r) => eventLog.roles[r])
              .sort()
              .join('|'),
            { cases: p.cases, handoffs: p.handoffs },
          ]),
        );
        expect(pairs).toEqual(expected.pairs);
        for (const p of measured.pingPong) expect(p.handoffs).toBeGreaterThanOrEqual(3 * p.cases);
        const stats = logStatistics(eventLog, clock);
        stats.activities.forEach((s, a) => {
          expect(measured.repeats[a]?.extra ?? 0).toBe(s.n - s.cases);
        });
      }),
      { numRuns: 60 },
    );
  });
});
