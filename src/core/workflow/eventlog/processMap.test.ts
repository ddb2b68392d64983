import { describe, expect, it } from 'vitest';
import { readCsvLogText } from './csvLog.ts';
import {
  activitiesKept,
  buildProcessMap,
  keepPaths,
  MAP_END,
  MAP_START,
  type ProcessMap,
} from './processMap.ts';
import { createLocalClock } from './timestamps.ts';
import { createWorkingTime } from './workingTime.ts';

const MAPPING = { case: 'case', activity: 'activity', start: 'start', complete: 'complete' };

/** A log from [case, activity, 'YYYY-MM-DD HH:mm' start, minutes of work]. */
function log(rows: Array<[string, string, string, number]>) {
  const lines = ['case,activity,start,complete'];
  for (const [c, a, start, minutes] of rows) {
    const t = Date.parse(`${start.replace(' ', 'T')}:00Z`);
    lines.push(`${c},${a},${new Date(t).toISOString()},${new Date(t + minutes * 60_000).toISOString()}`);
  }
  return readCsvLogText(lines.join('\n'), { mapping: MAPPING }).log;
}

// Monday 2 June 2025. Case 3 has a loop (Visit → Labs → Visit); case 4 a rework on Labs.
const clinic = log([
  ['1', 'Check in', '2025-06-02 08:00', 5],
  ['1', 'Visit', '2025-06-02 08:15', 20],
  ['2', 'Check in', '2025-06-02 09:00', 5],
  ['2', 'Visit', '2025-06-02 09:35', 20],
  ['3', 'Check in', '2025-06-02 10:00', 5],
  ['3', 'Visit', '2025-06-02 10:25', 10],
  ['3', 'Labs', '2025-06-02 10:40', 5],
  ['3', 'Visit', '2025-06-02 11:05', 10],
  ['4', 'Check in', '2025-06-02 17:00', 5],
  ['4', 'Labs', '2025-06-02 17:55', 5],
  ['4', 'Labs', '2025-06-03 08:30', 5],
]);

/** The map's paths by name, "a→b": [n, cases, median, mean]. */
function paths(map: ProcessMap, indexes = map.edges.map((_, k) => k)) {
  const name = (k: number) => (k === MAP_START ? '▶' : k === MAP_END ? '■' : map.activities[k]?.name);
  return Object.fromEntries(
    indexes.map((k) => {
      const e = map.edges[k] ?? map.edges[0];
      if (!e) throw new Error('no edge');
      return [`${name(e.from)}→${name(e.to)}`, [e.n, e.cases, e.duration?.medianMin, e.duration?.meanMin]];
    }),
  );
}

describe('buildProcessMap', () => {
  it('counts activities and paths, and measures each path’s wait on its own', () => {
    const map = buildProcessMap(clinic);
    expect(map.cases).toBe(4);
    expect(map.activities).toEqual([
      // equal counts: by name; active time from start to complete
      { name: 'Check in', n: 4, cases: 4, duration: { medianMin: 5, meanMin: 5, timed: 4 } },
      { name: 'Visit', n: 4, cases: 3, duration: { medianMin: 15, meanMin: 15, timed: 4 } },
      { name: 'Labs', n: 3, cases: 2, duration: { medianMin: 5, meanMin: 5, timed: 3 } },
    ]);
    expect(map.shown).toBe(3);
    expect(paths(map)).toEqual({
      '▶→Check in': [4, 4, undefined, undefined],
      // waits after check-in: 10, 30, 20 → median 20, mean 20
      'Check in→Visit': [3, 3, 20, 20],
      'Visit→■': [3, 3, undefined, undefined],
      'Visit→Labs': [1, 1, 5, 5],
      'Labs→Visit': [1, 1, 20, 20],
      'Check in→Labs': [1, 1, 50, 50],
      // overnight: 18:00 → 08:30
      'Labs→Labs': [1, 1, 870, 870],
      'Labs→■': [1, 1, undefined, undefined],
    });
  });

  it('counts a path once per case in case frequency however often the case repeats it', () => {
    const loop = log([
      ['1', 'Visit', '2025-06-02 08:00', 1],
      ['1', 'Labs', '2025-06-02 08:10', 1],
      ['1', 'Visit', '2025-06-02 08:20', 1],
      ['1', 'Labs', '2025-06-02 08:30', 1],
    ]);
    expect(paths(buildProcessMap(loop))['Visit→Labs']).toEqual([2, 1, 9, 9]);
  });

  it.each([
    {
      title: 'median and mean over the timed instances',
      csv: [
        '1,Visit,2025-06-02T08:00:00Z,2025-06-02T08:10:00Z',
        '2,Visit,2025-06-02T09:00:00Z,2025-06-02T09:20:00Z',
        '3,Visit,2025-06-02T10:00:00Z,2025-06-02T11:00:00Z',
      ],
      expected: { medianMin: 20, meanMin: 30, timed: 3 },
    },
    {
      title: 'only the instances with a start',
      csv: ['1,Visit,2025-06-02T08:00:00Z,2025-06-02T08:10:00Z', '2,Visit,,2025-06-02T09:20:00Z'],
      expected: { medianMin: 10, meanMin: 10, timed: 1 },
    },
    {
      title: 'none when no instance has a start',
      csv: ['1,Visit,,2025-06-02T08:10:00Z', '2,Visit,,2025-06-02T09:20:00Z'],
      expected: undefined,
    },
  ])('measures an activity’s active time: $title', ({ csv, expected }) => {
    const text = ['case,activity,start,complete', ...csv].join('\n');
    const map = buildProcessMap(readCsvLogText(text, { mapping: MAPPING }).log);
    expect(map.activities[0]?.duration).toEqual(expected);
  });

  it('has no active times in a log of completion times only', () => {
    const text = [
      'case,activity,complete',
      '1,Check in,2025-06-02T08:00:00Z',
      '1,Visit,2025-06-02T08:30:00Z',
    ];
    const only = readCsvLogText(text.join('\n'), {
      mapping: { case: 'case', activity: 'activity', timestamp: 'complete' },
    });
    const map = buildProcessMap(only.log);
    expect(map.activities.map((a) => a.duration)).toEqual([undefined, undefined]);
    expect(paths(map)['Check in→Visit']).toEqual([1, 1, 30, 30]);
  });

  it('measures active time in working hours when asked, whatever the activity share', () => {
    const hours = createWorkingTime(
      { days: [1, 2, 3, 4, 5], startHour: 8, endHour: 18 },
      createLocalClock('UTC'),
    );
    // Monday 17:30 → Tuesday 08:30: 30 + 30 working minutes, 900 elapsed
    const late = log([
      ['1', 'Visit', '2025-06-02 17:30', 900],
      ['2', 'Visit', '2025-06-02 09:00', 60],
      ['2', 'Fax', '2025-06-02 10:30', 1],
    ]);
    expect(buildProcessMap(late).activities[0]?.duration).toEqual({ medianMin: 480, meanMin: 480, timed: 2 });
    const map = buildProcessMap(late, { measure: hours, workingTime: true, activityShare: 0.5 });
    expect(map.activities[0]?.duration).toEqual({ medianMin: 60, meanMin: 60, timed: 2 });
  });

  it('measures waits in working hours when asked', () => {
    const hours = createWorkingTime(
      { days: [1, 2, 3, 4, 5], startHour: 8, endHour: 18 },
      createLocalClock('UTC'),
    );
    const map = buildProcessMap(clinic, { measure: hours, workingTime: true });
    expect(map.workingTime).toBe(true);
    // 18:00 Monday → 08:30 Tuesday is 30 working minutes
    expect(paths(map)['Labs→Labs']).toEqual([1, 1, 30, 30]);
  });

  it('leaves out the rarest activities and joins their neighbours directly', () => {
    const map = buildProcessMap(clinic, { activityShare: 0.5 });
    expect(map.shown).toBe(2);
    expect([map.cases, map.casesDrawn]).toEqual([4, 4]);
    expect(map.activities.slice(map.shown).map((a) => a.name)).toEqual(['Labs']);
    expect(paths(map)).toEqual({
      '▶→Check in': [4, 4, undefined, undefined],
      'Check in→Visit': [3, 3, 20, 20],
      'Visit→■': [3, 3, undefined, undefined],
      // case 3 without Labs: Visit (10:35) → Visit (11:05)
      'Visit→Visit': [1, 1, 30, 30],
      // case 4 without Labs: Check in → end
      'Check in→■': [1, 1, undefined, undefined],
    });
  });

  it('lists the variants most frequent first with their cases', () => {
    const map = buildProcessMap(clinic);
    expect(map.variantCount).toBe(3);
    const names = map.variants.map((v) => [
      v.activities.map((a) => map.activities[a]?.name).join(' > '),
      v.cases,
    ]);
    expect(names).toEqual([
      ['Check in > Visit', 2],
      ['Check in > Labs > Labs', 1],
      ['Check in > Visit > Labs > Visit', 1],
    ]);
    expect(buildProcessMap(clinic, { maxVariants: 1 }).variants).toHaveLength(1);
  });

  it('does not draw a case whose activities are all left out', () => {
    const map = buildProcessMap(
      log([
        ['1', 'Visit', '2025-06-02 08:00', 1],
        ['2', 'Visit', '2025-06-02 09:00', 1],
        ['3', 'Fax', '2025-06-02 10:00', 1],
      ]),
      { activityShare: 0.5 },
    );
    expect([map.cases, map.casesDrawn]).toEqual([3, 2]);
  });

  it.each([
    { count: 0, share: 1, kept: 0 },
    { count: 10, share: 0, kept: 1 },
    { count: 10, share: 0.04, kept: 1 },
    { count: 10, share: 0.35, kept: 4 },
    { count: 10, share: 1, kept: 10 },
    { count: 10, share: 2, kept: 10 },
  ])('keeps $kept of $count activities at a share of $share', ({ count, share, kept }) => {
    expect(activitiesKept(count, share)).toBe(kept);
  });
});

describe('keepPaths', () => {
  const map = buildProcessMap(clinic);
  it('keeps every path at 100 %', () => {
    expect(keepPaths(map, 1)).toEqual(map.edges.map((_, k) => k));
  });

  it('keeps at 0 % only the widest paths that reach and leave every activity', () => {
    expect(Object.keys(paths(map, keepPaths(map, 0))).sort()).toEqual([
      'Check in→Labs',
      'Check in→Visit',
      'Labs→■',
      'Visit→■',
      '▶→Check in',
    ]);
  });

  it('adds the most frequent paths as the share grows', () => {
    const most = keepPaths(map, 0.75);
    expect(most.length).toBeGreaterThan(keepPaths(map, 0).length);
    expect(most).toEqual(expect.arrayContaining([0, 1, 2, 3, 4, 5]));
    expect(paths(map, most)).toHaveProperty(['Visit→Labs']);
  });
});
