import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../formats/workflow.ts';
import { mmc } from './queueing.ts';
import {
  confidenceInterval,
  DEFAULT_REPLICATIONS,
  type Interval,
  isWideInterval,
  replicate,
  replicationSeed,
  type SimulationIntervals,
  tQuantile975,
} from './replications.ts';
import { simulate } from './simulate.ts';
import { singleLane } from './testing/builders.ts';

function intervals(w: Workflow, options: Parameters<typeof replicate>[1]): SimulationIntervals {
  const outcome = replicate(w, options);
  if (!outcome.ok) throw new Error(`expected replications, got ${outcome.problem.kind}`);
  return outcome.intervals;
}

const contains = (interval: Interval, value: number) => interval.low <= value && value <= interval.high;

describe('Student t quantiles', () => {
  it.each([
    { df: 1, t: 12.706 },
    { df: 4, t: 2.776 },
    { df: 19, t: 2.093 },
    { df: 30, t: 2.042 },
    { df: 40, t: 2.021 },
    { df: 60, t: 2.0 },
    { df: 120, t: 1.98 },
    { df: 100_000, t: 1.96 },
  ])('t(0.975, $df) = $t', ({ df, t }) => {
    expect(tQuantile975(df)).toBeCloseTo(t, 3);
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses %s degrees of freedom', (df) => {
    expect(() => tQuantile975(df)).toThrow(RangeError);
  });
});

describe('confidence intervals over replication means', () => {
  it.each([
    { values: [1, 2, 3], mean: 2, halfWidth: (4.303 * 1) / Math.sqrt(3) },
    { values: [5, 5, 5, 5], mean: 5, halfWidth: 0 },
    { values: [10, 12], mean: 11, halfWidth: (12.706 * Math.SQRT2) / Math.SQRT2 },
    { values: [7], mean: 7, halfWidth: 0 },
  ])('$values → mean $mean ± $halfWidth', ({ values, mean, halfWidth }) => {
    const ci = confidenceInterval(values);
    expect(ci.mean).toBeCloseTo(mean, 9);
    expect(ci.halfWidth).toBeCloseTo(halfWidth, 3);
    expect(ci.low).toBeCloseTo(mean - halfWidth, 3);
    expect(ci.high).toBeCloseTo(mean + halfWidth, 3);
    expect(ci.n).toBe(values.length);
  });

  it.each([[[]], [[1, Number.NaN]], [[1, Number.POSITIVE_INFINITY]]])('refuses %j', (values) => {
    expect(() => confidenceInterval(values)).toThrow(RangeError);
  });

  it.each([
    { mean: 10, halfWidth: 3, floor: 1, wide: true },
    { mean: 10, halfWidth: 2, floor: 1, wide: false },
    { mean: 1, halfWidth: 0.5, floor: 1, wide: false },
    { mean: 0, halfWidth: 0, floor: 0, wide: false },
  ])(
    'an interval of $mean ± $halfWidth (floor $floor) is wide: $wide',
    ({ mean, halfWidth, floor, wide }) => {
      const interval = { mean, low: mean - halfWidth, high: mean + halfWidth, halfWidth, n: 20 };
      expect(isWideInterval(interval, floor)).toBe(wide);
    },
  );
});

describe('replication seeds', () => {
  it('keeps the seed for replication 0 and gives every (seed, replication) pair its own stream', () => {
    expect(replicationSeed(20_240_701, 0)).toBe(20_240_701);
    const seen = new Set<number>();
    for (let seed = 0; seed < 60; seed++)
      for (let r = 0; r < 60; r++) {
        const s = replicationSeed(seed * 1_000, r);
        expect(Number.isInteger(s) && s >= 0 && s <= 0xffffffff).toBe(true);
        seen.add(s);
      }
    expect(seen.size).toBe(3_600);
    // neighbouring seeds (go-live week w uses seed + w) do not share replications
    const week1 = new Set(Array.from({ length: 50 }, (_, r) => replicationSeed(101, r)));
    expect(Array.from({ length: 50 }, (_, r) => replicationSeed(100, r)).some((s) => week1.has(s))).toBe(
      false,
    );
  });
});

describe('replicate', () => {
  const lane = singleLane(2, 9, 10); // a = 1.5 Erlang on 2 staff: ρ = 0.75

  it('reproduces from one seed, its first replication is the seed’s own run, and defaults to 20', () => {
    const options = { seed: 5, hours: 8, days: 2, warmupMin: 60 };
    const a = replicate(lane, options);
    expect(replicate(lane, options)).toEqual(a);
    const single = simulate(lane, options);
    expect(a.ok && a.first).toEqual(single.ok && single.result);
    expect(a.ok && a.intervals.replications).toBe(DEFAULT_REPLICATIONS);
    expect(a.ok && a.intervals.seeds[0]).toBe(5);
    expect(a.ok && new Set(a.intervals.seeds).size).toBe(DEFAULT_REPLICATIONS);
    expect(a.ok && a.intervals.warmupMin).toBe(60);
  });

  it('summarises each figure as the interval of the replications’ own values', () => {
    const options = { seed: 8, hours: 8, days: 1, warmupMin: 30 };
    const ci = intervals(lane, { ...options, replications: 4 });
    const runs = ci.seeds.map((seed) => {
      const outcome = simulate(lane, { ...options, seed });
      if (!outcome.ok) throw new Error('expected a run');
      return outcome.result;
    });
    const laneRuns = runs.map((r) => r.lanes[0]);
    expect(ci.lanes[0]).toEqual({
      laneId: 'l',
      queued: true,
      meanWaitMin: confidenceInterval(laneRuns.map((l) => l?.meanWaitMin ?? Number.NaN)),
      p90WaitMin: confidenceInterval(laneRuns.map((l) => l?.p90WaitMin ?? Number.NaN)),
      maxQueueLength: confidenceInterval(laneRuns.map((l) => l?.maxQueueLength ?? Number.NaN)),
      utilisation: confidenceInterval(laneRuns.map((l) => l?.utilisation ?? Number.NaN)),
      meanQueueLength: confidenceInterval(laneRuns.map((l) => l?.meanQueueLength ?? Number.NaN)),
    });
    expect(ci.meanCycleMin).toEqual(confidenceInterval(runs.map((r) => r.meanCycleMin)));
    expect(ci.throughputPerHour).toEqual(confidenceInterval(runs.map((r) => r.throughputPerHour)));
  });

  it.each([1, 0, 2.5, 501])('refuses %s replications', (replications) => {
    expect(() => replicate(lane, { seed: 1, replications })).toThrow(/replications/);
  });

  it('the interval shrinks as replications grow (pinned seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const few = intervals(lane, { seed, hours: 8, warmupMin: 60, replications: 8 });
      const many = intervals(lane, { seed, hours: 8, warmupMin: 60, replications: 64 });
      const waitFew = few.lanes[0]?.meanWaitMin.halfWidth ?? 0;
      const waitMany = many.lanes[0]?.meanWaitMin.halfWidth ?? 0;
      expect(waitMany).toBeLessThan(waitFew);
      // about 1/√8 as wide with 8 times the replications; t shrinks too
      expect(waitMany / waitFew).toBeLessThan(0.6);
      expect(many.lanes[0]?.utilisation?.halfWidth ?? 1).toBeLessThan(
        few.lanes[0]?.utilisation?.halfWidth ?? 0,
      );
    }
  });

  // Near saturation (ρ > 0.9) a day is too short to reach Erlang C's steady state, so the pinned
  // queues stay at ρ ≤ 0.8, where a two-hour warm-up removes the empty-start bias.
  it('contains the Erlang C wait, ρ, Lq = λ·Wq and the arrival rate of an M/M/c lane in most pinned seeds', () => {
    const queues = [
      { staff: 1, perHour: 4, touchMin: 10 }, // ρ ≈ 0.67
      { staff: 2, perHour: 9, touchMin: 10 }, // ρ = 0.75
      { staff: 3, perHour: 12, touchMin: 12 }, // ρ = 0.8
    ];
    for (const { staff, perHour, touchMin } of queues) {
      const analytic = mmc(perHour / 60, touchMin, staff);
      const lq = (perHour / 60) * analytic.meanWait;
      let waits = 0;
      let rhos = 0;
      let queueLengths = 0;
      let throughputs = 0;
      const seeds = [11, 22, 33, 44, 55, 66, 77, 88, 99, 110];
      for (const seed of seeds) {
        const ci = intervals(singleLane(staff, perHour, touchMin), {
          seed,
          hours: 24,
          days: 2,
          warmupMin: 120,
          replications: 20,
        });
        const l = ci.lanes[0];
        if (!l?.utilisation) throw new Error('expected a queued lane');
        // within 5 % of the analytic value: the day ends, so a steady state is only approached
        const near = (interval: Interval, value: number) =>
          contains({ ...interval, low: interval.low * 0.95, high: interval.high * 1.05 }, value);
        if (near(l.meanWaitMin, analytic.meanWait)) waits++;
        if (near(l.utilisation, analytic.utilisation)) rhos++;
        if (near(l.meanQueueLength, lq)) queueLengths++;
        if (near(ci.throughputPerHour, perHour)) throughputs++;
      }
      expect({ staff, waits, rhos, queueLengths, throughputs }).toEqual({
        staff,
        waits: expect.toSatisfy((n: number) => n >= 8),
        rhos: expect.toSatisfy((n: number) => n >= 8),
        queueLengths: expect.toSatisfy((n: number) => n >= 8),
        throughputs: expect.toSatisfy((n: number) => n >= 8),
      });
    }
  });

  it('gives a zero-width interval and no utilisation for a lane without staff (no queue)', () => {
    const outside = singleLane(0, 6, 10);
    const ci = intervals(outside, { seed: 3, replications: 5 });
    expect(ci.lanes[0]).toMatchObject({ queued: false, utilisation: null });
    expect(ci.lanes[0]?.meanWaitMin).toMatchObject({ mean: 0, halfWidth: 0 });
    expect(ci.lanes[0]?.meanQueueLength).toMatchObject({ mean: 0, halfWidth: 0 });
  });
});
