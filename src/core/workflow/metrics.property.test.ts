/**
 * Property tests of the metrics, go-live and simulation over random valid workflows (fast-check
 * prints the seed and path of a failure; pin a failing seed as a regression case).
 *
 * The generator builds a spine start → t1 → … → tn → end plus random extra flows (forward,
 * backward — loops — and self-loops). Every step keeps its spine flow with a positive share, so
 * every loop has an exit; the `arbitrary flows` property drops that guarantee.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Flow, Lane, Step, StepKind, Workflow } from '../../formats/workflow.ts';
import { scheduleCutForGoLive } from './goLive.ts';
import { computeMetrics, type WorkflowMetrics } from './metrics.ts';
import { mmc, SATURATION_TOLERANCE } from './queueing.ts';
import { mulberry32, simulate } from './simulate.ts';

const ITEMS = ['vitals', 'allergies', 'insurance.member_id', 'dob', 'order'];

interface Shape {
  lanes: Lane[];
  steps: Step[];
  flows: Flow[];
  arrivalsPerHour: number;
}

const laneArb = fc.integer({ min: 0, max: 4 });
const taskArb = fc.record({
  lane: fc.nat(),
  touchMin: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 30 }),
    fc.double({ min: 0, max: 20, noNaN: true }),
  ),
  waitMin: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 240 })),
  clicks: fc.integer({ min: 0, max: 60 }),
  enters: fc.subarray(ITEMS),
  kind: fc.constantFrom<StepKind>('task', 'decision', 'approval', 'wait'),
});

interface Task {
  lane: number;
  touchMin: number;
  waitMin: number;
  clicks: number;
  enters: string[];
  kind: StepKind;
}

function buildShape(
  staff: number[],
  tasks: Task[],
  extra: Array<[number, number]>,
  weights: number[] | null,
  arrivalsPerHour: number,
): Shape {
  const lanes: Lane[] = staff.map((s, i) => ({ id: `lane-${i}`, name: `Lane ${i}`, staff: s }));
  const laneId = (n: number) => `lane-${n % lanes.length}`;
  const plain = { medium: 'digital' as const, system: 'EHR', clicks: 0, enters: [] };
  const steps: Step[] = [
    { ...plain, id: 'start', label: 'Start', lane: laneId(0), kind: 'start', touchMin: 0, waitMin: 0 },
    ...tasks.map((t, i) => ({ ...plain, ...t, id: `t${i}`, label: `Task ${i}`, lane: laneId(t.lane) })),
    { ...plain, id: 'end', label: 'End', lane: laneId(1), kind: 'end', touchMin: 0, waitMin: 0 },
  ];
  const n = steps.length;
  const pairs = new Set<string>();
  const out: Array<Array<[number, number]>> = steps.map(() => []);
  for (let i = 0; i < n - 1; i++) {
    pairs.add(`${i}>${i + 1}`);
    out[i]?.push([i, i + 1]);
  }
  for (const [a, b] of extra) {
    const from = a % (n - 1); // never from the end
    const to = 1 + (b % (n - 1)); // never into the start
    if (pairs.has(`${from}>${to}`)) continue;
    pairs.add(`${from}>${to}`);
    out[from]?.push([from, to]);
  }
  let w = 0;
  const flows: Flow[] = [];
  for (const list of out) {
    if (weights === null || list.length < 2) {
      for (const [from, to] of list)
        flows.push({ from: steps[from]?.id ?? '', to: steps[to]?.id ?? '', transfer: 'none' });
      continue;
    }
    // explicit probabilities summing to 1, the spine flow (first) kept ≥ 0.05 so loops have exits
    const raw = list.map(() => 0.05 + (weights[w++ % weights.length] ?? 0.5));
    const total = raw.reduce((s, x) => s + x, 0);
    list.forEach(([from, to], k) => {
      flows.push({
        from: steps[from]?.id ?? '',
        to: steps[to]?.id ?? '',
        probability: (raw[k] ?? 0) / total,
        transfer: 'electronic',
      });
    });
  }
  return { lanes, steps, flows, arrivalsPerHour };
}

const shapeArb = fc
  .record({
    staff: fc.array(laneArb, { minLength: 1, maxLength: 4 }),
    tasks: fc.array(taskArb, { minLength: 0, maxLength: 10 }),
    extra: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
    weights: fc.option(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 })),
    arrivalsPerHour: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 30, noNaN: true })),
  })
  .map(({ staff, tasks, extra, weights, arrivalsPerHour }) =>
    buildShape(staff, tasks, extra, weights, arrivalsPerHour),
  );

function toWorkflow(shape: Shape): Workflow {
  return { format: 'preflight.workflow/v1', id: 'p', name: 'p', state: 'current', ...shape };
}

function metricsOf(w: Workflow): WorkflowMetrics {
  const result = computeMetrics(w);
  if (!result.ok) throw new Error(`expected metrics, got ${result.problem.kind}`);
  return result.metrics;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Equal up to rounding; Infinity only equals Infinity. */
function close(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function numbersOf(m: WorkflowMetrics): Record<string, number> {
  const flat: Record<string, number> = {
    touch: m.touchMin,
    wait: m.waitMin,
    queue: m.queueWaitMin,
    cycle: m.cycleMin,
    handoffs: m.handoffs,
    clicks: m.clicks,
    entries: m.dataEntries,
    critical: m.criticalPath.durationMin,
  };
  for (const lane of m.lanes) {
    flat[`${lane.laneId}.rho`] = lane.utilisation ?? -1;
    flat[`${lane.laneId}.wq`] = lane.queueWaitMin;
    flat[`${lane.laneId}.load`] = lane.offeredLoad;
    flat[`${lane.laneId}.pWait`] = lane.pWait ?? -1;
  }
  for (const step of m.steps) {
    flat[`${step.stepId}.visits`] = step.visits;
    flat[`${step.stepId}.duration`] = step.durationMin;
  }
  return flat;
}

describe('metrics properties', () => {
  it('never throw, never give NaN, and keep their invariants on workflows with loops that have exits', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const w = toWorkflow(shape);
        const m = metricsOf(w);
        for (const [key, value] of Object.entries(numbersOf(m))) {
          if (Number.isNaN(value)) throw new Error(`${key} is NaN`);
        }
        expect(m.cycleMin).toBeGreaterThanOrEqual(m.touchMin + m.waitMin - 1e-9);
        for (const lane of m.lanes) {
          if (!lane.queued) expect(lane.utilisation).toBeNull();
          else expect(lane.stable).toBe((lane.utilisation ?? 0) < 1 - SATURATION_TOLERANCE);
        }
        expect(m.unstableLanes.length > 0).toBe(m.queueWaitMin === Infinity);
        // the critical path runs from the start to the end along flows, without repeating a step
        const path = m.criticalPath.stepIds;
        expect(path[0]).toBe('start');
        expect(path[path.length - 1]).toBe('end');
        expect(new Set(path).size).toBe(path.length);
        for (let i = 1; i < path.length; i++) {
          expect(w.flows.some((f) => f.from === path[i - 1] && f.to === path[i])).toBe(true);
        }
        const own = new Map(m.steps.map((st) => [st.stepId, st.durationMin]));
        const length = path.reduce((sum, id) => sum + (own.get(id) ?? 0), 0);
        expect(close(m.criticalPath.durationMin, length)).toBe(true);
        const cut = scheduleCutForGoLive(w);
        expect(cut.ok && cut.cut.reduction >= 0 && cut.cut.reduction < 1).toBe(true);
      }),
    );
  });

  it('on an acyclic workflow the critical path is the longest of all paths (brute force)', () => {
    fc.assert(
      fc.property(
        fc.array(laneArb, { minLength: 1, maxLength: 3 }),
        fc.array(taskArb, { minLength: 0, maxLength: 9 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (staff, tasks, extra, arrivals) => {
          // forward extra flows only: from a lower to a higher position on the spine
          const forwardOnly = extra.map(([a, b]): [number, number] =>
            a % (tasks.length + 1) < (b % (tasks.length + 1)) + 1 ? [a, b] : [b, a],
          );
          const shape = buildShape(staff, tasks, forwardOnly, null, arrivals);
          const ids = shape.steps.map((st) => st.id);
          const acyclic = shape.flows.every((f) => ids.indexOf(f.from) < ids.indexOf(f.to));
          fc.pre(acyclic);
          const m = metricsOf(toWorkflow(shape));
          const own = new Map(m.steps.map((st) => [st.stepId, st.durationMin]));
          let best = Number.NEGATIVE_INFINITY;
          const walk = (id: string, sum: number): void => {
            const total = sum + (own.get(id) ?? 0);
            const next = shape.flows.filter((f) => f.from === id);
            if (next.length === 0) best = Math.max(best, total);
            for (const f of next) walk(f.to, total);
          };
          walk('start', 0);
          expect(close(m.criticalPath.durationMin, best)).toBe(true);
        },
      ),
    );
  });

  it('do not depend on the order of steps, lanes or flows in the file', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer(), (shape, seed) => {
        const random = mulberry32(seed);
        const original = metricsOf(toWorkflow(shape));
        const permuted = metricsOf(
          toWorkflow({
            ...shape,
            steps: shuffled(shape.steps, random),
            lanes: shuffled(shape.lanes, random),
            flows: shuffled(shape.flows, random),
          }),
        );
        const a = numbersOf(original);
        const b = numbersOf(permuted);
        expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
        for (const key of Object.keys(a)) {
          if (!close(a[key] ?? 0, b[key] ?? 0)) throw new Error(`${key} changed: ${a[key]} vs ${b[key]}`);
        }
        expect(permuted.criticalPath.stepIds).toEqual(original.criticalPath.stepIds);
        expect(permuted.unstableLanes).toEqual(original.unstableLanes);
      }),
    );
  });

  it('of a single path equal the plain sums', () => {
    fc.assert(
      fc.property(
        fc.array(laneArb, { minLength: 1, maxLength: 4 }),
        fc.array(taskArb, { minLength: 0, maxLength: 12 }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (staff, tasks, arrivals) => {
          const shape = buildShape(staff, tasks, [], null, arrivals);
          const m = metricsOf(toWorkflow(shape));
          const sum = (f: (s: Step) => number) => shape.steps.reduce((total, s) => total + f(s), 0);
          expect(
            close(
              m.touchMin,
              sum((s) => s.touchMin),
            ),
          ).toBe(true);
          expect(
            close(
              m.waitMin,
              sum((s) => s.waitMin),
            ),
          ).toBe(true);
          expect(m.clicks).toBe(sum((s) => s.clicks));
          expect(m.dataEntries).toBe(sum((s) => s.enters.length));
          const laneChanges = shape.steps.slice(1).filter((s, i) => s.lane !== shape.steps[i]?.lane).length;
          expect(m.handoffs).toBe(laneChanges);
          // each lane: an M/M/c queue of its steps with touch time, fed at λ × their count
          const laneWait = new Map<string, number>();
          for (const lane of shape.lanes) {
            const work = shape.steps.filter((s) => s.lane === lane.id && s.touchMin > 0);
            const touch = work.reduce((t, s) => t + s.touchMin, 0);
            const wait =
              lane.staff === 0 || work.length === 0
                ? 0
                : mmc((arrivals * work.length) / 60, touch / work.length, lane.staff).meanWait;
            laneWait.set(lane.id, wait);
          }
          const queue = sum((s) => (s.touchMin > 0 ? (laneWait.get(s.lane) ?? 0) : 0));
          expect(close(m.queueWaitMin, queue)).toBe(true);
          expect(close(m.cycleMin, m.touchMin + m.waitMin + queue)).toBe(true);
          expect(m.criticalPath.stepIds).toEqual(shape.steps.map((s) => s.id));
          expect(close(m.criticalPath.durationMin, m.cycleMin)).toBe(true);
        },
      ),
    );
  });

  it('never throw on arbitrary flows: trapped loops come back as a problem', () => {
    fc.assert(
      fc.property(
        shapeArb,
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.option(fc.double({ min: 0, max: 1, noNaN: true }))), {
          maxLength: 14,
        }),
        (shape, arbitrary) => {
          const ids = shape.steps.map((s) => s.id);
          const flows: Flow[] = arbitrary.map(([a, b, p]) => ({
            from: ids[a % ids.length] ?? '',
            to: ids[b % ids.length] ?? '',
            ...(p === null ? {} : { probability: p }),
            transfer: 'none',
          }));
          const result = computeMetrics(toWorkflow({ ...shape, flows }));
          if (!result.ok) {
            expect(result.problem.kind).toBe('trapped-loop');
            expect(result.problem.stepIds.length).toBeGreaterThan(0);
          } else {
            expect(Number.isNaN(result.metrics.cycleMin)).toBe(false);
          }
        },
      ),
    );
  });

  it('the simulation terminates on random workflows and completes every case it does not cut off', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer(), (shape, seed) => {
        const outcome = simulate(toWorkflow(shape), { seed, hours: 2, maxEvents: 50_000 });
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        const { result } = outcome;
        if (!result.truncated) expect(result.casesCompleted).toBe(result.casesArrived);
        for (const lane of result.lanes) expect(Number.isNaN(lane.meanWaitMin)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});
