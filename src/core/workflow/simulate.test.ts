import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Lane, Step, Workflow } from '../../formats/workflow.ts';
import { loadWorkflow } from '../../formats/workflow.ts';
import { computeMetrics } from './metrics.ts';
import { mmc, waitPercentile } from './queueing.ts';
import {
  mulberry32,
  type SimulationResult,
  simulate,
  simulateGoLiveWeeks,
  touchTimeSampler,
} from './simulate.ts';
import { flow, singleLane, step, workflow } from './testing/builders.ts';

function run(w: Workflow, options: Parameters<typeof simulate>[1]): SimulationResult {
  const outcome = simulate(w, options);
  if (!outcome.ok) throw new Error(`expected a simulation, got ${outcome.problem.kind}`);
  return outcome.result;
}

describe('simulate agrees with Erlang C on a single M/M/c lane', () => {
  // λ = 30/h, 5-min exponential service (the evidence test vector), 8,000 open hours ≈ 240,000
  // cases after a 10-hour warm-up. Over seeds 1–10 the simulated mean wait deviated from Erlang C
  // by 2.2 % (c = 4) and 3.5 % (c = 3) standard deviation, P(wait) by 0.2 and 0.7 points: the
  // tolerances below are about 2.5–3 standard deviations. The seed is fixed, so the test is
  // deterministic; a broken queue discipline or sampler misses them by far more.
  const HOURS = 8000;
  const WARMUP_MIN = 600;
  const cases = [
    { servers: 4, meanWaitTolerance: 0.06, pWaitTolerance: 0.006 },
    { servers: 3, meanWaitTolerance: 0.1, pWaitTolerance: 0.02 },
  ];
  it.each(cases)('c = $servers', ({ servers, meanWaitTolerance, pWaitTolerance }) => {
    const result = run(singleLane(servers, 30, 5), { seed: 20261122, hours: HOURS, warmupMin: WARMUP_MIN });
    const lane = result.lanes[0];
    const erlang = mmc(30 / 60, 5, servers);
    expect(result.casesArrived).toBeGreaterThan(230_000);
    expect(result.truncated).toBe(false);
    expect(result.casesCompleted).toBe(result.casesArrived);
    expect(Math.abs((lane?.meanWaitMin ?? 0) / erlang.meanWait - 1)).toBeLessThan(meanWaitTolerance);
    expect(Math.abs((lane?.pWait ?? 0) - erlang.pWait)).toBeLessThan(pWaitTolerance);
    expect(Math.abs((lane?.p90WaitMin ?? 0) / waitPercentile(0.5, 5, servers, 0.9) - 1)).toBeLessThan(
      meanWaitTolerance,
    );
    expect(lane?.utilisation).toBeCloseTo(erlang.utilisation, 2);
    expect(lane?.served).toBe(result.casesArrived);
  });
});

describe('simulate', () => {
  const clinic = workflow(
    [
      { id: 'patient', name: 'Patient', staff: 0 },
      { id: 'desk', name: 'Desk', staff: 2 },
      { id: 'doc', name: 'Physician', staff: 2 },
    ],
    [
      step('s', 'patient', 0, { kind: 'start' }),
      step('form', 'patient', 10),
      step('check-in', 'desk', 3),
      step('visit', 'doc', 12, { waitMin: 5 }),
      step('more', 'doc', 0, { kind: 'decision' }),
      step('e', 'desk', 0, { kind: 'end' }),
    ],
    [
      flow('s', 'form'),
      flow('form', 'check-in'),
      flow('check-in', 'visit'),
      flow('visit', 'more'),
      flow('more', 'visit', 0.1),
      flow('more', 'e', 0.9),
    ],
    8,
  );

  it('is deterministic: the same seed gives the identical result, another seed a different one', () => {
    const a = run(clinic, { seed: 7, days: 3 });
    expect(run(clinic, { seed: 7, days: 3 })).toEqual(a);
    expect(run(clinic, { seed: 8, days: 3 })).not.toEqual(a);
  });

  it('a staff-0 lane never queues, and loops are walked by their probabilities', () => {
    const result = run(clinic, { seed: 3, days: 50 });
    const patient = result.lanes.find((l) => l.laneId === 'patient');
    expect(patient).toMatchObject({ queued: false, utilisation: null, meanWaitMin: 0, maxQueueLength: 0 });
    expect(patient?.served).toBe(result.casesArrived);
    // the physician sees each case 1 / 0.9 times on average (the rework loop)
    const doc = result.lanes.find((l) => l.laneId === 'doc');
    expect((doc?.served ?? 0) / result.casesArrived).toBeCloseTo(1 / 0.9, 1);
    expect(result.casesCompleted).toBe(result.casesArrived);
    // mean cycle: at least the touch and fixed waits of a case, weighted by visits
    const metrics = computeMetrics(clinic);
    expect(metrics.ok).toBe(true);
    if (metrics.ok)
      expect(result.meanCycleMin).toBeGreaterThan(metrics.metrics.touchMin + metrics.metrics.waitMin - 2);
  });

  it('a boundary event sends its own share of cases down its path; a non-interrupting one beside the normal path', () => {
    const lanes: Lane[] = [
      { id: 'nurse', name: 'Nurse', staff: 0 },
      { id: 'doc', name: 'Physician', staff: 0 },
    ];
    const withBoundary = (interrupting: boolean) =>
      workflow(
        lanes,
        [
          step('s', 'nurse', 0, { kind: 'start' }),
          step('t', 'nurse', 5),
          step('b', 'nurse', 0, {
            kind: 'wait',
            boundary: { attachedTo: 't', trigger: 'timer', interrupting },
          }),
          step('call', 'doc', 3),
          step('next', 'nurse', 2),
          step('e', 'nurse', 0, { kind: 'end' }),
        ],
        [
          flow('s', 't'),
          flow('t', 'next'),
          flow('t', 'b', 0.2),
          flow('b', 'call'),
          flow('call', 'e'),
          flow('next', 'e'),
        ],
      );
    const share = (result: SimulationResult, lane: string) =>
      (result.lanes.find((l) => l.laneId === lane)?.served ?? 0) / result.casesArrived;
    const interrupting = run(withBoundary(true), { seed: 5, days: 20 });
    // nurse: t and, for the cases not interrupted, next
    expect(share(interrupting, 'doc')).toBeCloseTo(0.2, 1);
    expect(share(interrupting, 'nurse')).toBeCloseTo(1.8, 1);
    const beside = run(withBoundary(false), { seed: 5, days: 20 });
    expect(share(beside, 'doc')).toBeCloseTo(0.2, 1);
    expect(share(beside, 'nurse')).toBeCloseTo(2, 5);
    expect(beside.casesCompleted).toBe(beside.casesArrived);
  });

  it('an overloaded lane is named unstable and its queue is still long at closing time', () => {
    // 8/h × 12 min × 1.11 visits = 1.78 Erlangs on 2 physicians at normal speed; at 70 % it is 2.5
    const result = run(clinic, { seed: 1, days: 5, productivityFactor: 0.7 });
    expect(result.unstableLanes).toEqual(['doc']);
    const doc = result.lanes.find((l) => l.laneId === 'doc');
    expect(doc?.queueAtClose).toBeGreaterThan(5);
    // the day's physician work is about 2.5 / 2 of the opening hours: it runs hours late
    expect(doc?.utilisation).toBeCloseTo(1.25, 1);
    expect(doc?.overtimeMin).toBeGreaterThan(60);
    expect(result.truncated).toBe(false);
    const normal = run(clinic, { seed: 1, days: 5 });
    expect(normal.unstableLanes).toEqual([]);
    expect(normal.lanes.find((l) => l.laneId === 'doc')?.meanWaitMin).toBeLessThan(doc?.meanWaitMin ?? 0);
  });

  it('stops at the event cap and says so', () => {
    const result = run(clinic, { seed: 1, hours: 1000, maxEvents: 10_000 });
    expect(result.truncated).toBe(true);
    expect(result.events).toBe(10_000);
  });

  it('refuses a workflow whose cases can be trapped in a loop', () => {
    const trapped = workflow(
      [{ id: 'l', name: 'L', staff: 1 }],
      [
        step('s', 'l', 0, { kind: 'start' }),
        step('a', 'l', 1),
        step('b', 'l', 1),
        step('e', 'l', 0, { kind: 'end' }),
      ],
      [flow('s', 'a'), flow('a', 'b'), flow('b', 'a', 1), flow('b', 'e', 0)],
      5,
    );
    const outcome = simulate(trapped, { seed: 1 });
    expect(outcome.ok).toBe(false);
    expect(() => simulate(clinic, { seed: 1, hours: 0 })).toThrow(RangeError);
  });

  it('go-live weeks hold the bookings and let productivity recover linearly', () => {
    const outcome = simulateGoLiveWeeks(clinic, {
      seed: 11,
      capacityFactor: 0.75,
      productivityFactor: 0.6,
      recoveryWeeks: 4,
      weeks: 4,
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.weeks.map((w) => w.productivityFactor)).toEqual(
      [0.6, 0.7, 0.8, 0.9].map((p) => expect.closeTo(p, 12)),
    );
    expect(outcome.weeks.every((w) => w.result.days === 5 && w.result.demandFactor === 0.75)).toBe(true);
    const doc = (i: number) =>
      outcome.weeks[i]?.result.lanes.find((l) => l.laneId === 'doc')?.utilisation ?? 0;
    // 6/h × 13.3 min / 0.6 / 2 ≈ 1.11 in week one, ≈ 0.74 in week four
    expect(doc(0)).toBeGreaterThan(doc(3));
    expect(outcome.weeks[0]?.result.unstableLanes).toEqual(['doc']);
    expect(outcome.weeks[3]?.result.unstableLanes).toEqual([]);
  });
});

describe('random numbers', () => {
  it('mulberry32 gives reproducible uniforms in [0, 1) with mean ½', () => {
    const a = mulberry32(99);
    const b = mulberry32(99);
    let sum = 0;
    const n = 100_000;
    let mismatches = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const u = a();
      if (u !== b()) mismatches++;
      if (!(u >= 0 && u < 1)) outOfRange++;
      sum += u;
    }
    expect({ mismatches, outOfRange }).toEqual({ mismatches: 0, outOfRange: 0 });
    expect(sum / n).toBeCloseTo(0.5, 2);
  });

  it.each([
    { distribution: { kind: 'exponential' } as const, cv: 1 },
    { distribution: { kind: 'lognormal', cv: 0.5 } as const, cv: 0.5 },
    { distribution: { kind: 'fixed' } as const, cv: 0 },
  ])(
    '$distribution.kind touch times keep their mean and coefficient of variation',
    ({ distribution, cv }) => {
      const sample = touchTimeSampler(distribution, mulberry32(5));
      const n = 200_000;
      let sum = 0;
      let sumSquares = 0;
      for (let i = 0; i < n; i++) {
        const x = sample(8);
        sum += x;
        sumSquares += x * x;
      }
      const m = sum / n;
      const sd = Math.sqrt(Math.max(0, sumSquares / n - m * m));
      expect(m).toBeCloseTo(8, 1);
      expect(sd / m).toBeCloseTo(cv, 1);
    },
  );
});

describe('simulate on the demo pairs', () => {
  const names = [
    'patient-intake.current',
    'patient-intake.future',
    'lab-results.current',
    'lab-results.future',
  ];
  it.each(names)('%s: simulated utilisation follows the metrics’ ρ per lane', (name) => {
    const loaded = loadWorkflow(
      JSON.parse(readFileSync(new URL(`../../../samples/workflows/${name}.json`, import.meta.url), 'utf8')),
    );
    if (!loaded.ok) throw new Error(`sample ${name} does not load`);
    const metrics = computeMetrics(loaded.value);
    if (!metrics.ok) throw new Error('expected metrics');
    const result = run(loaded.value, { seed: 2026, days: 60, warmupMin: 60 });
    expect(result.casesCompleted).toBe(result.casesArrived);
    for (const lane of metrics.metrics.lanes) {
      const simulated = result.lanes.find((l) => l.laneId === lane.laneId);
      if (!lane.queued) continue;
      expect(Math.abs((simulated?.utilisation ?? 0) - (lane.utilisation ?? 0))).toBeLessThan(0.03);
    }
  });
});

describe('parallel and inclusive branches in the simulation', () => {
  const lanes: Lane[] = [
    { id: 'desk', name: 'Desk', staff: 0 },
    { id: 'nurse', name: 'Nurse', staff: 0 },
  ];
  /** s > split > (a: 10 touch + 5 wait, b: 4 touch + 20 wait) > join > c (2) > e, no queues */
  const blockOf = (split: Step['kind'], join: Step['kind'], pa?: number, pb?: number) =>
    workflow(
      lanes,
      [
        step('s', 'desk', 0, { kind: 'start' }),
        step('p', 'desk', 0, { kind: split }),
        step('a', 'desk', 10, { waitMin: 5 }),
        step('b', 'nurse', 4, { waitMin: 20 }),
        step('j', 'desk', 0, { kind: join }),
        step('c', 'desk', 2),
        step('e', 'desk', 0, { kind: 'end' }),
      ],
      [
        flow('s', 'p'),
        flow('p', 'a', pa),
        flow('p', 'b', pb),
        flow('a', 'j'),
        flow('b', 'j'),
        flow('j', 'c'),
        flow('c', 'e'),
      ],
      6,
    );
  const fixed = { seed: 7, days: 3, touchTime: { kind: 'fixed' } } as const;

  it('runs both branches of a parallel split at once: every case takes its longer branch', () => {
    const result = run(blockOf('parallel-split', 'parallel-join'), fixed);
    expect(result.casesCompleted).toBe(result.casesArrived);
    expect(result.meanCycleMin).toBeCloseTo(26, 9);
    expect(result.p90CycleMin).toBeCloseTo(26, 9);
    // and agrees with the analysis
    const metrics = computeMetrics(blockOf('parallel-split', 'parallel-join'));
    expect(metrics.ok && metrics.metrics.cycleMin).toBeCloseTo(26, 9);
  });

  it('drawn as a decision, a case takes one branch: 17 or 26 minutes', () => {
    const result = run(blockOf('decision', 'task'), fixed);
    expect(result.casesCompleted).toBe(result.casesArrived);
    expect(result.meanCycleMin).toBeGreaterThan(17);
    expect(result.meanCycleMin).toBeLessThan(26);
  });

  it('an inclusive split always taking a and sometimes b: the join waits only for the branches taken', () => {
    const result = run(blockOf('inclusive-split', 'inclusive-join', 1, 0.5), { ...fixed, days: 20 });
    expect(result.casesCompleted).toBe(result.casesArrived);
    // a alone: 15 + 2; with b: 24 + 2; about half the cases each
    expect(result.meanCycleMin).toBeGreaterThan(19);
    expect(result.meanCycleMin).toBeLessThan(24);
  });

  it('a parallel split whose branches never meet ends the case when its last branch ends', () => {
    const w = workflow(
      lanes,
      [
        step('s', 'desk', 0, { kind: 'start' }),
        step('p', 'desk', 0, { kind: 'parallel-split' }),
        step('a', 'desk', 10),
        step('b', 'nurse', 4),
        step('e', 'desk', 0, { kind: 'end' }),
        step('f', 'nurse', 0, { kind: 'end' }),
      ],
      [flow('s', 'p'), flow('p', 'a'), flow('p', 'b'), flow('a', 'e'), flow('b', 'f')],
      6,
    );
    const result = run(w, fixed);
    expect(result.casesCompleted).toBe(result.casesArrived);
    expect(result.meanCycleMin).toBeCloseTo(10, 9);
  });
});

describe("simulate: a message start begins the other pool's work, not a case", () => {
  // the clinic orders (start → order → end); the lab's pool starts when the order's message is sent
  const twoPools: Workflow = {
    ...workflow(
      [
        { id: 'desk', name: 'Desk', staff: 1 },
        { id: 'lab', name: 'Lab', staff: 1 },
      ],
      [
        step('s', 'desk', 0, { kind: 'start' }),
        step('order', 'desk', 2),
        step('e', 'desk', 0, { kind: 'end' }),
        step('in', 'lab', 0, { kind: 'start' }),
        step('test', 'lab', 3),
        step('out', 'lab', 0, { kind: 'end' }),
      ],
      [flow('s', 'order'), flow('order', 'e'), flow('in', 'test'), flow('test', 'out')],
      6,
    ),
    messageFlows: [{ from: 'order', to: 'in' }],
  };

  it('every case is ordered and every order tested; cycle time is the clinic pool only', () => {
    const result = run(twoPools, { seed: 7, hours: 200, touchTime: { kind: 'fixed' } });
    const [desk, lab] = result.lanes;
    expect(result.casesArrived).toBeGreaterThan(1000);
    expect(result.casesCompleted).toBe(result.casesArrived);
    expect(desk?.served).toBe(result.casesArrived);
    expect(lab?.served).toBe(result.casesArrived);
    // a case ends when the desk's order is done (2 min plus any queue), not after the lab's test
    expect(result.meanCycleMin).toBeLessThan(2.5);
  });
});

describe('simulate: an ad-hoc sub-process runs its inner paths side by side', () => {
  const inside = (id: string, touch: number) => step(id, 'desk', touch, { within: 'sp' });
  const adHoc = workflow(
    [{ id: 'desk', name: 'Desk', staff: 0 }],
    [
      step('s', 'desk', 0, { kind: 'start' }),
      step('sp', 'desk', 0),
      inside('a', 4),
      inside('b', 6),
      step('next', 'desk', 1),
      step('e', 'desk', 0, { kind: 'end' }),
    ],
    [
      flow('s', 'sp'),
      flow('sp', 'a'),
      flow('sp', 'b'),
      flow('a', 'next'),
      flow('b', 'next'),
      flow('next', 'e'),
    ],
    6,
  );

  it('a case does both inner steps, waits for the longer, and goes on once', () => {
    const result = run(adHoc, { seed: 3, hours: 50, touchTime: { kind: 'fixed' } });
    expect(result.casesCompleted).toBe(result.casesArrived);
    expect(result.meanCycleMin).toBeCloseTo(7, 6);
  });
});
