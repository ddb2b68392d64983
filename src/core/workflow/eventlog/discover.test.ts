import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../../formats/workflow.ts';
import { readCsvLogText } from './csvLog.ts';
import { discoverWorkflow, mediumOf } from './discover.ts';
import type { LogFilters } from './filters.ts';
import { createLocalClock } from './timestamps.ts';

const MAPPING = { case: 'case', activity: 'activity', start: 'start', complete: 'complete', resource: 'who' };

/** Builds rows "case,activity,start,complete,who" from compact [case, activity, 'YYYY-MM-DD HH:mm', minutes, who]. */
function log(rows: Array<[string, string, string, number, string]>) {
  const lines = ['case,activity,start,complete,who'];
  for (const [c, a, start, minutes, who] of rows) {
    const t = Date.parse(`${start.replace(' ', 'T')}:00Z`);
    lines.push(
      `${c},${a},${new Date(t).toISOString()},${new Date(t + minutes * 60_000).toISOString()},${who}`,
    );
  }
  return readCsvLogText(lines.join('\n'), { mapping: MAPPING }).log;
}

// Mon 2025-06-02 and Tue 2025-06-03; case 4 arrives on Saturday night
const clinic = log([
  ['1', 'Check in', '2025-06-02 08:05', 4, 'Sam'],
  ['1', 'Vitals', '2025-06-02 08:15', 6, 'Kim'],
  ['1', 'Visit', '2025-06-02 08:31', 15, 'Dr Lee'],
  ['2', 'Check in', '2025-06-02 08:40', 2, 'Sam'],
  ['2', 'Visit', '2025-06-02 09:02', 20, 'Dr Lee'],
  ['3', 'Check in', '2025-06-03 08:10', 6, 'Ali'],
  ['3', 'Vitals', '2025-06-03 08:20', 4, 'Kim'],
  ['3', 'Visit', '2025-06-03 08:30', 10, 'Dr Lee'],
  ['4', 'Check in', '2025-06-07 22:00', 3, 'Sam'],
  ['4', 'Fax records', '2025-06-07 22:10', 3, 'Sam'],
]);
const ROLE_MAP = { Sam: 'Front desk', Ali: 'Front desk', Kim: 'Medical assistant', 'Dr Lee': 'Physician' };
const clock = createLocalClock('UTC');

describe('discoverWorkflow', () => {
  it('turns a log into a valid current workflow with measured times and branch probabilities', () => {
    const { workflow, statistics } = discoverWorkflow(clinic, clock);
    expect(loadWorkflow(workflow).ok).toBe(true);
    const step = (label: string) => workflow.steps.find((s) => s.label === label);
    expect(step('Check in')).toMatchObject({ id: 'check-in', kind: 'task', touchMin: 3.75 });
    // waits since the previous complete: vitals 6 (case 1) and 4 (case 3) → median 5
    expect(step('Vitals')).toMatchObject({
      waitMin: 5,
      observed: { n: 2, cases: 2, wait: { n: 2, meanMin: 5, medianMin: 5 } },
    });
    // visits: waits 10, 20, 6 → median 10; touch 15, 20, 10 → mean 15, p90 19
    expect(step('Visit')?.observed).toMatchObject({
      n: 3,
      touch: { meanMin: 15, medianMin: 15, p90Min: 19 },
      wait: { medianMin: 10 },
    });
    const flow = (from: string, to: string) => workflow.flows.find((f) => f.from === from && f.to === to);
    expect(flow('check-in', 'vitals')).toMatchObject({ probability: 0.5, observed: { n: 2 } });
    expect(flow('check-in', 'visit')).toMatchObject({ probability: 0.25, observed: { n: 1 } });
    expect(flow('start', 'check-in')).toMatchObject({ probability: 1, observed: { n: 4 } });
    expect(flow('visit', 'end')).toMatchObject({ probability: 1, observed: { n: 3 } });
    // peak hour 08:00: 3 arrivals over 3 days with cases (Mon, Tue, Sat) = 1 per hour
    expect(statistics.peakHour).toBe(8);
    expect(workflow.arrivalsPerHour).toBe(1);
    expect(workflow.casesPerDay).toBeCloseTo(4 / 3, 3);
  });

  it('lanes come from roles (people mapped to roles), staffed by the people seen in each', () => {
    const mapped = readCsvLogText(
      [
        'case,activity,start,complete,who',
        '1,Check in,2025-06-02T08:05:00Z,2025-06-02T08:09:00Z,Sam',
        '1,Vitals,2025-06-02T08:15:00Z,2025-06-02T08:21:00Z,Kim',
        '2,Check in,2025-06-02T08:40:00Z,2025-06-02T08:42:00Z,Ali',
        '2,Visit,2025-06-02T09:02:00Z,2025-06-02T09:22:00Z,Dr Lee',
      ].join('\n'),
      { mapping: MAPPING, roleMap: ROLE_MAP },
    ).log;
    const { workflow } = discoverWorkflow(mapped, clock);
    expect(workflow.lanes).toEqual([
      { id: 'front-desk', name: 'Front desk', staff: 2 },
      { id: 'medical-assistant', name: 'Medical assistant', staff: 1 },
      { id: 'physician', name: 'Physician', staff: 1 },
    ]);
    expect(workflow.steps.find((s) => s.label === 'Check in')?.lane).toBe('front-desk');
    // lane bands: every step of a lane shares its row
    const ys = new Map(workflow.steps.map((s) => [s.lane, new Set<number>()]));
    for (const s of workflow.steps) ys.get(s.lane)?.add(s.position?.y ?? -1);
    for (const set of ys.values()) expect(set.size).toBe(1);
  });

  it.each([
    { activity: 'Fax records to specialist', medium: 'fax' },
    { activity: 'Call lab', medium: 'phone' },
    { activity: 'Print form', medium: 'paper' },
    { activity: 'Spreadsheet update', medium: 'digital' },
    { activity: 'Recall list review', medium: 'digital' },
  ])('guesses the medium of "$activity" as $medium', ({ activity, medium }) => {
    expect(mediumOf(activity)).toBe(medium);
  });

  it('discovered steps carry the guessed medium', () => {
    const { workflow } = discoverWorkflow(clinic, clock);
    expect(workflow.steps.find((s) => s.label === 'Fax records')?.medium).toBe('fax');
    expect(workflow.steps.find((s) => s.label === 'Visit')?.medium).toBe('digital');
  });

  const filterTable: Array<{
    description: string;
    filters: LogFilters;
    cases: number;
    activities: string[];
  }> = [
    {
      description: 'no filter',
      filters: {},
      cases: 4,
      activities: ['Check in', 'Fax records', 'Visit', 'Vitals'],
    },
    {
      description: 'date range (cases that start inside)',
      filters: { dateRange: { from: Date.UTC(2025, 5, 3), to: Date.UTC(2025, 5, 4) } },
      cases: 1,
      activities: ['Check in', 'Visit', 'Vitals'],
    },
    {
      description: 'working hours Mon–Fri 08–18',
      filters: { workingHours: { days: [1, 2, 3, 4, 5], startHour: 8, endHour: 18 } },
      cases: 3,
      activities: ['Check in', 'Visit', 'Vitals'],
    },
    {
      description: 'rare activities',
      filters: { minActivityCount: 2 },
      cases: 4,
      activities: ['Check in', 'Visit', 'Vitals'],
    },
    {
      description: 'most frequent variants covering 50 %',
      filters: { variantCoverage: 0.5 },
      cases: 2,
      activities: ['Check in', 'Visit', 'Vitals'],
    },
  ];
  it.each(filterTable)('filters: $description', ({ filters, cases, activities }) => {
    const { workflow, filters: summary } = discoverWorkflow(clinic, clock, { filters });
    expect(summary.casesAfter).toBe(cases);
    expect(
      workflow.steps
        .filter((s) => s.kind === 'task')
        .map((s) => s.label)
        .sort(),
    ).toEqual(activities);
    expect(loadWorkflow(workflow).ok).toBe(true);
  });
});

describe('duration statistics, gathered per activity or all at once', () => {
  // the same cases with activities renamed "A0".. so the log has few or many distinct activities:
  // the per-activity passes (few) and the all-at-once lists (many) must give the same numbers
  const rows = (names: (k: number) => string) => {
    const out: Array<[string, string, string, number, string]> = [];
    for (let c = 0; c < 40; c++) {
      for (let k = 0; k < 4; k++) {
        const minute = String((c % 5) * 3 + k * 12).padStart(2, '0');
        out.push([
          `c${c}`,
          names((c * 3 + k) % 5),
          `2025-06-02 ${String(8 + (c % 9)).padStart(2, '0')}:${minute}`,
          1 + ((c * k) % 7),
          'Sam',
        ]);
      }
    }
    return out;
  };
  const few = discoverWorkflow(log(rows((k) => `A${k}`)), clock).statistics;
  // 70 activities: 65 never used by these cases but named by extra one-row cases of their own
  const extra: Array<[string, string, string, number, string]> = Array.from({ length: 66 }, (_, k) => [
    `x${k}`,
    `Z${String(k).padStart(2, '0')}`,
    '2025-06-03 08:00',
    1,
    'Sam',
  ]);
  const many = discoverWorkflow(log([...rows((k) => `A${k}`), ...extra]), clock).statistics;

  it.each([0, 1, 2, 3, 4])('activity A%i has the same touch and wait statistics either way', (k) => {
    expect(many.activities.length).toBeGreaterThan(64);
    const a = few.activities.find((s) => s.activity === `A${k}`);
    const b = many.activities.find((s) => s.activity === `A${k}`);
    expect(a?.touch).toBeDefined();
    expect(b?.touch).toEqual(a?.touch);
    expect(b?.wait).toEqual(a?.wait);
  });
});
