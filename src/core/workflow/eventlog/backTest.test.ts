import { describe, expect, it } from 'vitest';
import type { Flow, Lane, Step, Workflow } from '../../../formats/workflow.ts';
import { mulberry32 } from '../simulate.ts';
import { backTest, delayDistribution } from './backTest.ts';
import { readCsvLogText } from './csvLog.ts';
import { discoverWorkflow } from './discover.ts';
import type { ColumnMapping } from './readEvents.ts';
import { playQueuedLog, type QueuedPlayOptions, queuedCsv } from './testing/playQueued.ts';
import { createLocalClock } from './timestamps.ts';

const step = (id: string, label: string, lane: string, touchMin: number, waitMin: number): Step => ({
  id,
  label,
  lane,
  kind: id === 'start' ? 'start' : id === 'end' ? 'end' : 'task',
  medium: 'digital',
  system: '',
  touchMin,
  waitMin,
  clicks: 0,
  enters: [],
});
const flow = (from: string, to: string, probability = 1): Flow => ({
  from,
  to,
  probability,
  transfer: 'none',
});
const lanes: Lane[] = [
  { id: 'desk', name: 'Front desk', staff: 2 },
  { id: 'nurse', name: 'Nurse', staff: 2 },
  { id: 'doctor', name: 'Doctor', staff: 2 },
];
/** A clinic day: check-in, vitals (5 min away first), a visit for most (10 min away), checkout. */
const clinic: Workflow = {
  format: 'preflight.workflow/v1',
  id: 'clinic',
  name: 'Clinic',
  state: 'current',
  arrivalsPerHour: 8,
  lanes,
  steps: [
    step('start', 'Start', 'desk', 0, 0),
    step('check-in', 'Check in', 'desk', 5, 0),
    step('vitals', 'Vitals', 'nurse', 12, 5),
    step('visit', 'Visit', 'doctor', 10, 10),
    step('checkout', 'Checkout', 'desk', 3, 0),
    step('end', 'End', 'desk', 0, 0),
  ],
  flows: [
    flow('start', 'check-in'),
    flow('check-in', 'vitals'),
    flow('vitals', 'visit', 0.8),
    flow('vitals', 'checkout', 0.2),
    flow('visit', 'checkout'),
    flow('checkout', 'end'),
  ],
};

const MAPPING = {
  case: 'case',
  activity: 'activity',
  timestamp: 'timestamp',
  lifecycle: 'lifecycle',
  resource: 'resource',
  role: 'role',
};
const clock = createLocalClock('UTC');

function discovered(options: QueuedPlayOptions) {
  const read = readCsvLogText(queuedCsv(playQueuedLog(clinic, options)), { mapping: MAPPING });
  expect(read.problems.list().filter((p) => p.severity === 'error')).toEqual([]);
  return discoverWorkflow(read.log, clock);
}

const statuses = (result: ReturnType<typeof backTest>) =>
  result.ok ? Object.fromEntries(result.backTest.steps.map((s) => [s.label, s.status])) : result.code;

describe('back-test of a discovered workflow against its own log', () => {
  // one seed of the clinic as drawn; other seeds, loads and staff are the property at the end
  it('a clinic played with the staff the workflow says is reproduced (seed 1)', () => {
    const discovery = discovered({ seed: 1 });
    const result = backTest(discovery.log, discovery.workflow, { seed: 1 });
    if (!result.ok) throw new Error(result.message);
    expect(result.backTest.verdict).toBe('trusted');
  });

  it.each([
    {
      name: 'one nurse on duty, three named on the rota',
      play: { onDuty: { nurse: 1 }, names: { nurse: 3 } },
      staff: undefined,
    },
    { name: 'the workflow claims a third nurse', play: {}, staff: { nurse: 3 } },
  ])('planted queueing the model lacks is flagged: $name', ({ play, staff }) => {
    const discovery = discovered({ seed: 11, ...play });
    const workflow = {
      ...discovery.workflow,
      lanes: discovery.workflow.lanes.map((l) =>
        staff && l.name === 'Nurse' ? { ...l, staff: staff.nurse } : l,
      ),
    };
    const result = backTest(discovery.log, workflow, { seed: 11 });
    if (!result.ok) throw new Error(result.message);
    expect(result.backTest.verdict).toBe('not-trusted');
    expect(statuses(result)).toMatchObject({ Vitals: 'longer-than-model' });
  });
});

describe('back-test refusals and limits', () => {
  const read = (csv: string, mapping: ColumnMapping) => {
    const result = readCsvLogText(csv, { mapping });
    return result.log;
  };

  it('refuses a log with one time per activity: no touch times, so nothing to check staff against', () => {
    const events = playQueuedLog(clinic, { seed: 5, days: 2 }).filter((e) => e.lifecycle === 'complete');
    const csv = queuedCsv(events);
    const log = read(csv, {
      case: 'case',
      activity: 'activity',
      timestamp: 'timestamp',
      resource: 'resource',
      role: 'role',
    });
    const discovery = discoverWorkflow(log, clock);
    const result = backTest(discovery.log, discovery.workflow);
    expect(result).toMatchObject({ ok: false, code: 'no-touch-times' });
    expect(result.ok ? '' : result.message).toMatch(/start and complete/);
  });

  it('refuses a workflow without a step for an activity of the log, naming no activity', () => {
    const discovery = discovered({ seed: 6, days: 2 });
    const workflow = {
      ...discovery.workflow,
      steps: discovery.workflow.steps.map((s) => (s.label === 'Vitals' ? { ...s, label: 'Triage' } : s)),
    };
    const result = backTest(discovery.log, workflow);
    expect(result).toMatchObject({ ok: false, code: 'activity-not-in-workflow' });
    expect(result.ok ? '' : result.message).not.toMatch(/Vitals/);
  });

  it('does not compare steps whose log names nobody: queueing and delay cannot be told apart', () => {
    const events = playQueuedLog(clinic, { seed: 7, days: 5 });
    const csv = queuedCsv(events);
    const log = read(csv, {
      case: 'case',
      activity: 'activity',
      timestamp: 'timestamp',
      lifecycle: 'lifecycle',
      role: 'role',
    });
    const discovery = discoverWorkflow(log, clock);
    const result = backTest(discovery.log, discovery.workflow);
    if (!result.ok) throw new Error(result.message);
    expect(statuses(result)).toEqual({
      'Check in': 'too-few',
      Vitals: 'no-resource',
      Visit: 'no-resource',
      Checkout: 'no-resource',
    });
    expect(result.backTest.verdict).toBe('cannot-check');
  });

  it('is deterministic for a seed, and another seed draws other replications', () => {
    const discovery = discovered({ seed: 8, days: 5 });
    const a = backTest(discovery.log, discovery.workflow, { seed: 3, replications: 5 });
    const b = backTest(discovery.log, discovery.workflow, { seed: 3, replications: 5 });
    const c = backTest(discovery.log, discovery.workflow, { seed: 4, replications: 5 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it.each([{ replications: 1 }, { replications: 501 }, { toleranceMin: -1 }])(
    'rejects options out of range: %o',
    (options) => {
      const discovery = discovered({ seed: 9, days: 1 });
      expect(() => backTest(discovery.log, discovery.workflow, options)).toThrow(RangeError);
    },
  );
});

describe('delayDistribution (Turnbull)', () => {
  const mean = (exact: number[], intervals: Array<[number, number]>) =>
    delayDistribution(exact, intervals).mean;

  it.each([
    { name: 'exact delays only: the empirical mean', exact: [1, 2, 3, 6], intervals: [], expected: 3 },
    { name: 'no data', exact: [], intervals: [], expected: 0 },
    {
      name: 'an interval holding one exact value puts its weight there',
      exact: [4],
      intervals: [[3, 5]],
      expected: 4,
    },
    {
      name: 'intervals alone: mass on the ends they share',
      exact: [],
      intervals: [
        [0, 10],
        [10, 20],
      ],
      expected: 10,
    },
    {
      name: 'an interval above every exact value keeps its weight inside',
      exact: [1, 1],
      intervals: [[5, 7]],
      expected: (1 + 1 + 6) / 3,
    },
  ] as Array<{ name: string; exact: number[]; intervals: Array<[number, number]>; expected: number }>)(
    '$name',
    ({ exact, intervals, expected }) => {
      expect(mean(exact, intervals)).toBeCloseTo(expected, 1);
    },
  );

  it('recovers the mean of exponential delays censored by a busy spell (seeded)', () => {
    // delays of mean 5 min; where a draw fell inside a busy spell [3, 9) only the spell is known
    const random = mulberry32(42);
    const exact: number[] = [];
    const intervals: Array<[number, number]> = [];
    let sum = 0;
    for (let k = 0; k < 4000; k++) {
      const d = -Math.log(1 - random()) * 5;
      sum += d;
      if (d >= 3 && d < 9) intervals.push([3, 9]);
      else exact.push(d);
    }
    expect(mean(exact, intervals)).toBeCloseTo(sum / 4000, 0);
  });
});

describe('back-test property: clinics of any load are reproduced with their own staff (seeded)', () => {
  // seeded clinics: arrival rate, staff per lane and touch-time spread drawn per seed
  const cases = Array.from({ length: 6 }, (_, k) => {
    const random = mulberry32(1000 + k);
    const nurses = 1 + Math.floor(random() * 3);
    // nurse utilisation between 0.4 and 0.85 (vitals take 12 min)
    const load = 0.4 + random() * 0.45;
    return {
      seed: 1000 + k,
      nurses,
      arrivalsPerHour: Math.round(((load * nurses * 60) / 12) * 10) / 10,
      touchCv: Math.round((0.3 + random() * 0.7) * 100) / 100,
    };
  });

  it.each(cases)(
    'seed $seed: $nurses nurse(s), $arrivalsPerHour arrivals an hour, touch-time CV $touchCv',
    ({ seed, nurses, arrivalsPerHour, touchCv }) => {
      const workflow: Workflow = {
        ...clinic,
        arrivalsPerHour,
        lanes: clinic.lanes.map((l) => (l.id === 'nurse' ? { ...l, staff: nurses } : { ...l, staff: 3 })),
      };
      const read = readCsvLogText(queuedCsv(playQueuedLog(workflow, { seed, days: 15, touchCv })), {
        mapping: MAPPING,
      });
      const discovery = discoverWorkflow(read.log, clock);
      const result = backTest(discovery.log, discovery.workflow, { seed });
      if (!result.ok) throw new Error(result.message);
      expect(statuses(result)).toMatchObject({ Vitals: 'reproduced', Visit: 'reproduced' });
      expect(result.backTest.verdict).toBe('trusted');
    },
  );
});
