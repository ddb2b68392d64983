import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Lane, StepKind, Workflow } from '../../formats/workflow.ts';
import { loadWorkflow } from '../../formats/workflow.ts';
import { computeMetrics, type WorkflowMetrics } from './metrics.ts';
import { mmc } from './queueing.ts';
import { flow, step, workflow } from './testing/builders.ts';

const start = (id: string, lane: string) => step(id, lane, 0, { kind: 'start' });
const end = (id: string, lane: string) => step(id, lane, 0, { kind: 'end' });

function metricsOf(w: Workflow): WorkflowMetrics {
  const result = computeMetrics(w);
  if (!result.ok) throw new Error(`expected metrics, got ${result.problem.kind}`);
  return result.metrics;
}
const lane = (m: WorkflowMetrics, id: string) => m.lanes.find((l) => l.laneId === id);

describe('computeMetrics', () => {
  it('a single path sums its steps, counts lane changes and queues each lane (M/M/c)', () => {
    const w = workflow(
      [
        { id: 'desk', name: 'Desk', staff: 2 },
        { id: 'ma', name: 'MA', staff: 1 },
      ],
      [
        start('s', 'desk'),
        step('a', 'desk', 4, { waitMin: 1, clicks: 5, enters: ['name', 'dob'] }),
        step('b', 'ma', 3, { waitMin: 10, clicks: 2, enters: ['vitals'] }),
        step('c', 'desk', 2, { clicks: 1 }),
        end('e', 'desk'),
      ],
      [flow('s', 'a'), flow('a', 'b'), flow('b', 'c'), flow('c', 'e')],
      12,
    );
    const m = metricsOf(w);
    expect(m.touchMin).toBe(9);
    expect(m.waitMin).toBe(11);
    expect(m.clicks).toBe(8);
    expect(m.dataEntries).toBe(3);
    expect(m.handoffs).toBe(2);
    // desk: 2 work items per case (a, c) of 3 min mean, 12 cases/h → 24 items/h, ρ = 12·6/60/2 = 0.6
    const desk = mmc(24 / 60, 3, 2);
    const ma = mmc(12 / 60, 3, 1);
    expect(lane(m, 'desk')).toMatchObject({
      arrivalsPerHour: 24,
      touchMinPerCase: 6,
      offeredLoad: 1.2,
      queued: true,
    });
    expect(lane(m, 'desk')?.utilisation).toBeCloseTo(0.6, 12);
    expect(lane(m, 'desk')?.queueWaitMin).toBeCloseTo(desk.meanWait, 12);
    expect(lane(m, 'ma')?.utilisation).toBeCloseTo(0.6, 12);
    expect(lane(m, 'ma')?.pWait).toBeCloseTo(0.6, 12); // M/M/1: P(wait) = ρ
    // the start and end steps have no touch time: they do not queue
    expect(m.queueWaitMin).toBeCloseTo(2 * desk.meanWait + ma.meanWait, 12);
    expect(m.cycleMin).toBeCloseTo(9 + 11 + m.queueWaitMin, 12);
    expect(m.criticalPath.stepIds).toEqual(['s', 'a', 'b', 'c', 'e']);
    expect(m.criticalPath.durationMin).toBeCloseTo(m.cycleMin, 12);
  });

  it('weights branches by probability and solves a rework loop exactly', () => {
    // d → fix (0.25) → d again: visits of d = 1 / (1 − 0.25) = 4/3, fix 1/3
    const w = workflow(
      [{ id: 'l', name: 'L', staff: 3 }],
      [
        start('s', 'l'),
        step('d', 'l', 2, { kind: 'decision', clicks: 3 }),
        step('fix', 'l', 6, { waitMin: 30 }),
        end('e', 'l'),
      ],
      [flow('s', 'd'), flow('d', 'fix', 0.25), flow('d', 'e', 0.75), flow('fix', 'd')],
      6,
    );
    const m = metricsOf(w);
    expect(m.steps.find((s) => s.stepId === 'd')?.visits).toBeCloseTo(4 / 3, 12);
    expect(m.touchMin).toBeCloseTo((4 / 3) * 2 + (1 / 3) * 6, 12);
    expect(m.waitMin).toBeCloseTo(10, 12);
    expect(m.clicks).toBeCloseTo(4, 12);
    expect(m.handoffs).toBe(0);
    // the back edge fix → d is dropped: the critical path is the longest loop-free way through
    expect(m.criticalPath.stepIds).toEqual(['s', 'd', 'e']);
  });

  it('counts a handoff as often as cases take the flow that changes lane', () => {
    const w = workflow(
      [
        { id: 'desk', name: 'Desk', staff: 1 },
        { id: 'ma', name: 'MA', staff: 1 },
      ],
      [
        start('s', 'desk'),
        step('d', 'desk', 1, { kind: 'decision' }),
        step('x', 'ma', 1),
        step('y', 'desk', 1),
        end('e', 'desk'),
      ],
      [flow('s', 'd'), flow('d', 'x', 0.3), flow('d', 'y', 0.7), flow('x', 'e'), flow('y', 'e')],
    );
    // desk → ma for 30 % of cases, and back again
    expect(metricsOf(w).handoffs).toBeCloseTo(0.6, 12);
  });

  it('the critical path takes the longer branch, not the more likely one', () => {
    const w = workflow(
      [{ id: 'l', name: 'L', staff: 0 }],
      [
        start('s', 'l'),
        step('d', 'l', 0, { kind: 'decision' }),
        step('quick', 'l', 1),
        step('slow', 'l', 1, { waitMin: 60 }),
        end('e', 'l'),
      ],
      [
        flow('s', 'd'),
        flow('d', 'quick', 0.9),
        flow('d', 'slow', 0.1),
        flow('quick', 'e'),
        flow('slow', 'e'),
      ],
    );
    const m = metricsOf(w);
    expect(m.criticalPath).toEqual({ stepIds: ['s', 'd', 'slow', 'e'], durationMin: 61 });
    expect(m.waitMin).toBeCloseTo(6, 12);
  });

  it('a loop entered from its middle keeps every step on some loop-free path', () => {
    // s → a → b → c → e, with c → a (rework) and the long step b inside the loop
    const w = workflow(
      [{ id: 'l', name: 'L', staff: 0 }],
      [start('s', 'l'), step('a', 'l', 1), step('b', 'l', 50), step('c', 'l', 1), end('e', 'l')],
      [flow('s', 'a'), flow('a', 'b'), flow('b', 'c'), flow('c', 'a', 0.5), flow('c', 'e', 0.5)],
    );
    const m = metricsOf(w);
    expect(m.criticalPath).toEqual({ stepIds: ['s', 'a', 'b', 'c', 'e'], durationMin: 52 });
    expect(m.touchMin).toBeCloseTo(2 * 52, 12);
  });

  it('ties on the critical path go to the smaller step id, whatever the file order', () => {
    const steps = [start('s', 'l'), step('y', 'l', 5), step('x', 'l', 5), end('e', 'l')];
    const flows = [flow('s', 'y'), flow('s', 'x'), flow('y', 'e'), flow('x', 'e')];
    const lanes = [{ id: 'l', name: 'L', staff: 0 }];
    expect(metricsOf(workflow(lanes, steps, flows)).criticalPath.stepIds).toEqual(['s', 'x', 'e']);
    expect(
      metricsOf(workflow(lanes, [...steps].reverse(), [...flows].reverse())).criticalPath.stepIds,
    ).toEqual(['s', 'x', 'e']);
  });

  it('a staff-0 lane (the patient) is not queued: its steps take their touch time', () => {
    const w = workflow(
      [
        { id: 'patient', name: 'Patient', staff: 0 },
        { id: 'desk', name: 'Desk', staff: 1 },
      ],
      [start('s', 'patient'), step('form', 'patient', 600), step('check', 'desk', 2), end('e', 'desk')],
      [flow('s', 'form'), flow('form', 'check'), flow('check', 'e')],
      10,
    );
    const m = metricsOf(w);
    expect(lane(m, 'patient')).toMatchObject({
      queued: false,
      utilisation: null,
      pWait: null,
      queueWaitMin: 0,
      stable: true,
    });
    expect(lane(m, 'patient')?.offeredLoad).toBeCloseTo(100, 12); // 100 patients busy at once: no queue
    expect(m.unstableLanes).toEqual([]);
    expect(Number.isFinite(m.cycleMin)).toBe(true);
  });

  it('an overloaded lane is reported unstable with infinite waits, never NaN', () => {
    const w = workflow(
      [{ id: 'doc', name: 'Physician', staff: 1 }],
      [start('s', 'doc'), step('visit', 'doc', 15), step('never', 'doc', 5), end('e', 'doc')],
      [flow('s', 'visit'), flow('visit', 'e')],
      6, // 6/h × 15 min = 1.5 Erlangs on 1 physician
    );
    const m = metricsOf(w);
    expect(m.unstableLanes).toEqual(['doc']);
    expect(lane(m, 'doc')).toMatchObject({ stable: false, queueWaitMin: Infinity, pWait: 1 });
    expect(lane(m, 'doc')?.utilisation).toBeCloseTo(1.5, 12);
    expect(m.queueWaitMin).toBe(Infinity);
    expect(m.cycleMin).toBe(Infinity);
    expect(m.criticalPath.durationMin).toBe(Infinity);
    expect(m.steps.find((s) => s.stepId === 'never')?.visits).toBe(0);
    expect(Object.values(m).some((v) => typeof v === 'number' && Number.isNaN(v))).toBe(false);
  });

  it('a loop with no way out is a problem that names its steps, not a number', () => {
    const w = workflow(
      [{ id: 'l', name: 'L', staff: 1 }],
      [start('s', 'l'), step('a', 'l', 1), step('b', 'l', 1), end('e', 'l')],
      [flow('s', 'a'), flow('a', 'b'), flow('b', 'a', 1), flow('b', 'e', 0)],
    );
    const result = computeMetrics(w);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.kind).toBe('trapped-loop');
      expect(result.problem.stepIds).toEqual(['a', 'b']);
    }
  });

  it('pools that keep starting each other by message are a problem, not infinite or NaN numbers', () => {
    const l = [{ id: 'l', name: 'L', staff: 1 }];
    const w: Workflow = {
      ...workflow(
        l,
        [start('s', 'l'), step('order', 'l', 1), end('e', 'l'), start('inB', 'l'), step('b', 'l', 1)],
        [flow('s', 'order'), flow('order', 'e'), flow('inB', 'b')],
      ),
      messageFlows: [
        { from: 'order', to: 'inB' },
        { from: 'b', to: 'inB' },
      ],
    };
    const result = computeMetrics(w);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.stepIds).toEqual(['b', 'inB']);
  });

  it('a scenario scales demand and divides touch time by productivity', () => {
    const w = workflow(
      [{ id: 'ma', name: 'MA', staff: 4 }],
      [start('s', 'ma'), step('room', 'ma', 8), end('e', 'ma')],
      [flow('s', 'room'), flow('room', 'e')],
      24,
    );
    const base = metricsOf(w);
    expect(lane(base, 'ma')?.utilisation).toBeCloseTo(0.8, 12);
    const result = computeMetrics(w, { demandFactor: 0.75, productivityFactor: 2 / 3 });
    expect(result.ok && lane(result.metrics, 'ma')?.utilisation).toBeCloseTo(0.9, 12);
    expect(result.ok && result.metrics.touchMin).toBeCloseTo(12, 12);
  });
});

describe('computeMetrics on the demo pairs (samples/workflows)', () => {
  const names = [
    'patient-intake.current',
    'patient-intake.future',
    'lab-results.current',
    'lab-results.future',
  ];
  const load = (name: string) => {
    const loaded = loadWorkflow(
      JSON.parse(readFileSync(new URL(`../../../samples/workflows/${name}.json`, import.meta.url), 'utf8')),
    );
    if (!loaded.ok) throw new Error(`sample ${name} does not load`);
    return loaded.value;
  };

  it.each(names)('%s has finite, sane metrics', (name) => {
    const w = load(name);
    const m = metricsOf(w);
    expect(m.unstableLanes).toEqual([]);
    expect(m.touchMin).toBeGreaterThan(0);
    expect(m.cycleMin).toBeGreaterThanOrEqual(m.touchMin + m.waitMin);
    expect(Number.isFinite(m.cycleMin)).toBe(true);
    expect(m.handoffs).toBeGreaterThan(0);
    for (const l of m.lanes) if (l.queued) expect(l.utilisation).toBeLessThan(1);
    const path = m.criticalPath.stepIds;
    expect(w.steps.find((s) => s.id === path[0])?.kind).toBe('start');
    expect(w.steps.find((s) => s.id === path[path.length - 1])?.kind).toBe('end');
    // the path follows flows, and its length is the sum of its steps' own times
    for (let i = 1; i < path.length; i++) {
      expect(w.flows.some((f) => f.from === path[i - 1] && f.to === path[i])).toBe(true);
    }
    const own = new Map(m.steps.map((s) => [s.stepId, s.durationMin]));
    expect(m.criticalPath.durationMin).toBeCloseTo(
      path.reduce((sum, id) => sum + (own.get(id) ?? 0), 0),
      9,
    );
  });

  it('patient intake: the hand-counted figures of the current workflow', () => {
    const m = metricsOf(load('patient-intake.current'));
    // touch: every step once except the self-pay approval (0.15) and the referral fax (0.2)
    const touchAll = [2, 8, 1.5, 1, 0.5, 3.5, 2.5, 0.25, 1.5, 3, 1.5, 2.5, 11, 1, 0.25, 2.5, 0.2, 3];
    expect(m.touchMin).toBeCloseTo(touchAll.reduce((a, b) => a + b, 0) + 0.15 * 3 + 0.2 * 5, 9);
    expect(m.waitMin).toBeCloseTo(5 + 0.15 * 25 + 180, 9);
    // front desk: check-in 2 + copy 1 + file 0.5 + re-key 3.5 + phone 2.5 + decision 0.25 + fax 0.2·5 + checkout 2.5 + carry 0.2
    expect(lane(m, 'front-desk')?.touchMinPerCase).toBeCloseTo(13.45, 9);
    expect(lane(m, 'front-desk')?.utilisation).toBeCloseTo((10 * 13.45) / 60 / 3, 9);
  });

  describe('parallel and inclusive gateways', () => {
    const lanes: Lane[] = [
      { id: 'desk', name: 'Desk', staff: 0 },
      { id: 'nurse', name: 'Nurse', staff: 0 },
    ];
    const gw = (id: string, kind: StepKind) => step(id, 'desk', 0, { kind });
    /** s > split > (a: 10 touch + 5 wait, b: 4 touch + 20 wait) > join > c (2) > e */
    const blockOf = (split: StepKind, join: StepKind, pa?: number, pb?: number) =>
      workflow(
        lanes,
        [
          start('s', 'desk'),
          gw('p', split),
          step('a', 'desk', 10, { waitMin: 5 }),
          step('b', 'nurse', 4, { waitMin: 20 }),
          gw('j', join),
          step('c', 'desk', 2),
          end('e', 'desk'),
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
      );
    it.each([
      {
        description: 'a parallel split: both branches run, the case waits for the longer one',
        workflow: blockOf('parallel-split', 'parallel-join'),
        // staff time adds over branches: 10 + 4 + 2; elapsed: max(15, 24) + 2; wait on the longer: 20
        expected: { touchMin: 16, waitMin: 20, cycleMin: 26, visits: { a: 1, b: 1, j: 1, c: 1 } },
      },
      {
        description: 'the same drawn as a decision: one branch per case (the even split)',
        workflow: blockOf('decision', 'task'),
        expected: { touchMin: 9, waitMin: 12.5, cycleMin: 21.5, visits: { a: 0.5, b: 0.5, j: 1, c: 1 } },
      },
      {
        description: 'an inclusive split: each branch by its own chance, the join passed once',
        workflow: blockOf('inclusive-split', 'inclusive-join', 1, 0.5),
        // a always (15 min), b half the time (12 min expected): the longer is a
        expected: { touchMin: 14, waitMin: 5, cycleMin: 17, visits: { a: 1, b: 0.5, j: 1, c: 1 } },
      },
      {
        description: 'probabilities on a parallel split are ignored: every branch is taken',
        workflow: blockOf('parallel-split', 'parallel-join', 0.3, 0.7),
        expected: { touchMin: 16, waitMin: 20, cycleMin: 26, visits: { a: 1, b: 1, j: 1, c: 1 } },
      },
    ])('$description', ({ workflow: w, expected }) => {
      const m = metricsOf(w);
      expect(m.touchMin).toBeCloseTo(expected.touchMin, 9);
      expect(m.waitMin).toBeCloseTo(expected.waitMin, 9);
      expect(m.cycleMin).toBeCloseTo(expected.cycleMin, 9);
      for (const [id, v] of Object.entries(expected.visits)) {
        expect(m.steps.find((s) => s.stepId === id)?.visits).toBeCloseTo(v, 9);
      }
    });

    it('nested blocks: the inner block is reduced to its longer branch before the outer one', () => {
      const w = workflow(
        lanes,
        [
          start('s', 'desk'),
          gw('p', 'parallel-split'),
          gw('q', 'parallel-split'),
          step('a', 'desk', 10),
          step('b', 'desk', 3),
          gw('k', 'parallel-join'),
          step('x', 'nurse', 8),
          gw('j', 'parallel-join'),
          end('e', 'desk'),
        ],
        [
          flow('s', 'p'),
          flow('p', 'q'),
          flow('p', 'x'),
          flow('q', 'a'),
          flow('q', 'b'),
          flow('a', 'k'),
          flow('b', 'k'),
          flow('k', 'j'),
          flow('x', 'j'),
          flow('j', 'e'),
        ],
      );
      const m = metricsOf(w);
      expect(m.touchMin).toBeCloseTo(21, 9);
      // inner: max(10, 3) = 10; outer: max(10, 8) = 10
      expect(m.cycleMin).toBeCloseTo(10, 9);
      expect(m.criticalPath.stepIds).toEqual(['s', 'p', 'q', 'a', 'k', 'j', 'e']);
    });
  });
});

describe('computeMetrics: an ad-hoc sub-process', () => {
  it('does both inner paths (staff time adds up) and times the case by the longer one', () => {
    const inside = (id: string, touch: number) => step(id, 'desk', touch, { within: 'sp' });
    const m = metricsOf(
      workflow(
        [{ id: 'desk', name: 'Desk', staff: 0 }],
        [
          start('s', 'desk'),
          step('sp', 'desk', 0),
          inside('a', 4),
          inside('b', 6),
          step('next', 'desk', 1),
          end('e', 'desk'),
        ],
        [
          flow('s', 'sp'),
          flow('sp', 'a'),
          flow('sp', 'b'),
          flow('a', 'next'),
          flow('b', 'next'),
          flow('next', 'e'),
        ],
      ),
    );
    expect(m.touchMin).toBeCloseTo(4 + 6 + 1, 12);
    expect(m.cycleMin).toBeCloseTo(6 + 1, 12);
  });
});
