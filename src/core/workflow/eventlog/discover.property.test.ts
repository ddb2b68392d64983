/**
 * Properties of discovery over random logs (fast-check prints the seed of a failure; pin it as a
 * regression case): permuting a log's rows changes nothing, and discovering two halves of a log
 * split by case sums (every count) to discovering the whole. Random logs have distinct times
 * within a case (equal times keep file order by design: see eventLog.ts) and a start and a
 * complete row per activity instance, some instances overlapping.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../simulate.ts';
import { readCsvLogText } from './csvLog.ts';
import { discoverWorkflow, endIndex, type LogStatistics, startIndex } from './discover.ts';
import type { EventLog } from './eventLog.ts';
import { createLocalClock } from './timestamps.ts';

const ACTIVITIES = ['Check in', 'Vitals', 'Visit', 'Labs', 'Check out', 'Call back'];
const RESOURCES = ['Ana', 'Ben', 'Cy'];
const MAPPING = { case: 'case', activity: 'activity', timestamp: 'time', lifecycle: 'lc', resource: 'who' };
const BASE = Date.UTC(2025, 5, 2, 7, 0);

interface Row {
  caseId: string;
  activity: string;
  lc: 'start' | 'complete';
  time: number;
  who: string;
}

/** A random log: per case, instances at increasing distinct minutes; each lasts 1–20 minutes. */
const logArbitrary = fc
  .array(
    fc.record({
      instances: fc.array(
        fc.record({
          activity: fc.constantFrom(...ACTIVITIES),
          gap: fc.integer({ min: 1, max: 600 }),
          touch: fc.integer({ min: 1, max: 20 }),
          who: fc.constantFrom(...RESOURCES),
        }),
        { minLength: 1, maxLength: 7 },
      ),
      dayOffset: fc.integer({ min: 0, max: 20 }),
    }),
    { minLength: 2, maxLength: 25 },
  )
  .map((cases) => {
    const rows: Row[] = [];
    cases.forEach((c, k) => {
      // distinct minutes per case: start times strictly increase, completes land at odd seconds
      let time = BASE + c.dayOffset * 86_400_000 + k * 60_000;
      for (const inst of c.instances) {
        time += inst.gap * 60_000;
        const caseId = k % 3 === 0 ? `00${k}` : `case-${k}`;
        rows.push({ caseId, activity: inst.activity, lc: 'start', time, who: inst.who });
        rows.push({
          caseId,
          activity: inst.activity,
          lc: 'complete',
          time: time + inst.touch * 60_000 + 1000,
          who: inst.who,
        });
      }
    });
    return rows;
  });

const toCsv = (rows: readonly Row[]) =>
  [
    'case,activity,time,lc,who',
    ...rows.map((r) => `${r.caseId},${r.activity},${new Date(r.time).toISOString()},${r.lc},${r.who}`),
  ].join('\n');

function read(rows: readonly Row[]): EventLog {
  const result = readCsvLogText(toCsv(rows), { mapping: MAPPING });
  return result.log;
}

const clock = createLocalClock('UTC');

/** Counts keyed by activity names, comparable across logs whose activity codes differ. */
function counts(stats: LogStatistics, activities: readonly string[]) {
  const name = (k: number) =>
    k === startIndex(activities.length)
      ? '(start)'
      : k === endIndex(activities.length)
        ? '(end)'
        : activities[k];
  const follows: Record<string, number> = {};
  const { size, counts: df } = stats.directlyFollows;
  for (let i = 0; i < df.length; i++) {
    if (df[i]) follows[`${name(Math.floor(i / size))}→${name(i % size)}`] = df[i] as number;
  }
  const perActivity: Record<string, { n: number; cases: number; touch: number; wait: number }> = {};
  for (const a of stats.activities) {
    perActivity[a.activity] = { n: a.n, cases: a.cases, touch: a.touch?.n ?? 0, wait: a.wait?.n ?? 0 };
  }
  return { cases: stats.cases, instances: stats.instances, follows, perActivity };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('discovery properties', () => {
  it('permuting the rows of a log changes nothing', () => {
    fc.assert(
      fc.property(logArbitrary, fc.integer(), (rows, seed) => {
        const original = discoverWorkflow(read(rows), clock);
        const permuted = discoverWorkflow(read(shuffled(rows, seed)), clock);
        expect(permuted.workflow).toEqual(original.workflow);
        expect(permuted.statistics).toEqual(original.statistics);
      }),
      { numRuns: 60 },
    );
  });

  it('discovering a log split by case sums to discovering the whole', () => {
    fc.assert(
      fc.property(logArbitrary, fc.integer(), (rows, seed) => {
        const caseIds = [...new Set(rows.map((r) => r.caseId))];
        const random = mulberry32(seed);
        const left = new Set(caseIds.filter(() => random() < 0.5));
        const halves = [rows.filter((r) => left.has(r.caseId)), rows.filter((r) => !left.has(r.caseId))];
        const whole = read(rows);
        const expected = counts(discoverWorkflow(whole, clock).statistics, whole.activities);
        const sum = {
          cases: 0,
          instances: 0,
          follows: {} as Record<string, number>,
          perActivity: {} as typeof expected.perActivity,
        };
        for (const half of halves) {
          if (half.length === 0) continue;
          const log = read(half);
          const part = counts(discoverWorkflow(log, clock).statistics, log.activities);
          sum.cases += part.cases;
          sum.instances += part.instances;
          for (const [key, n] of Object.entries(part.follows)) sum.follows[key] = (sum.follows[key] ?? 0) + n;
          for (const [activity, c] of Object.entries(part.perActivity)) {
            const into = sum.perActivity[activity] ?? { n: 0, cases: 0, touch: 0, wait: 0 };
            sum.perActivity[activity] = into;
            into.n += c.n;
            into.cases += c.cases;
            into.touch += c.touch;
            into.wait += c.wait;
          }
        }
        expect(sum).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});
