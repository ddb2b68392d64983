import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkflow, type Workflow } from '../../formats/workflow.ts';
import {
  type CapacityStudy,
  type CapacityStudyProgress,
  capacityStudySteps,
  DEFAULT_CAPACITY_SEED,
  DEFAULT_PEAK_DAYS,
  resolveCapacityOptions,
  runCapacityStudy,
} from './capacity.ts';
import { scheduleCutForGoLive } from './goLive.ts';
import { computeMetrics } from './metrics.ts';
import { DEFAULT_REPLICATIONS, DEFAULT_WARMUP_MIN, replicate, replicationSeed } from './replications.ts';
import { simulate } from './simulate.ts';

function sample(name: string): Workflow {
  const text = readFileSync(new URL(`../../../samples/workflows/${name}.json`, import.meta.url), 'utf8');
  const loaded = loadWorkflow(JSON.parse(text));
  if (!loaded.ok) throw new Error(`sample ${name} did not load`);
  return loaded.value;
}

function study(workflow: Workflow, options: Parameters<typeof runCapacityStudy>[1] = {}): CapacityStudy {
  const outcome = runCapacityStudy(workflow, options);
  if (!outcome.ok) throw new Error(`expected a study, got ${outcome.problem.kind}`);
  return outcome.study;
}

const intake = sample('patient-intake.future');

describe('capacity study', () => {
  it('is reproducible: the same seed gives the identical study, another seed another one', () => {
    const a = study(intake, { seed: 7, weeks: 2, replications: 4 });
    expect(study(intake, { seed: 7, weeks: 2, replications: 4 })).toEqual(a);
    expect(study(intake, { seed: 8, weeks: 2, replications: 4 }).peak).not.toEqual(a.peak);
  });

  it('runs the peak days with the seed and go-live week w with seed + w, productivity recovering linearly', () => {
    const s = study(intake, {
      seed: 100,
      weeks: 3,
      recoveryWeeks: 4,
      productivityFactor: 0.6,
      capacityFactor: 0.5,
      replications: 3,
    });
    const peak = simulate(intake, { seed: 100, days: DEFAULT_PEAK_DAYS, hours: 8, warmupMin: 60 });
    expect(peak.ok && s.peak).toEqual(peak.ok && peak.result);
    expect(s.goLiveWeeks.map((w) => w.productivityFactor)).toEqual([0.6, 0.7, 0.8]);
    const week2 = simulate(intake, {
      seed: 102,
      days: 5,
      hours: 8,
      demandFactor: 0.5,
      productivityFactor: 0.7,
      warmupMin: 60,
    });
    expect(week2.ok && s.goLiveWeeks[1]?.result).toEqual(week2.ok && week2.result);
  });

  it('reports every simulated period as intervals over its replications, seeded from the period’s seed', () => {
    const s = study(intake, { seed: 100, weeks: 2, replications: 6, warmupMin: 30 });
    const peak = replicate(intake, {
      seed: 100,
      days: DEFAULT_PEAK_DAYS,
      hours: 8,
      warmupMin: 30,
      replications: 6,
    });
    expect(peak.ok && s.peakIntervals).toEqual(peak.ok && peak.intervals);
    expect(s.peakIntervals).toMatchObject({ replications: 6, warmupMin: 30 });
    const week2 = s.goLiveWeeks[1];
    expect(week2?.intervals.seeds).toEqual(Array.from({ length: 6 }, (_, r) => replicationSeed(102, r)));
    expect(week2?.intervals.seeds[0]).toBe(week2?.result.seed);
    const queued = s.peakIntervals.lanes.filter((l) => l.utilisation);
    expect(queued.length).toBeGreaterThan(0);
    for (const lane of queued) {
      expect(lane.utilisation?.high).toBeGreaterThan(lane.utilisation?.low ?? Infinity);
      expect(lane.meanWaitMin.low).toBeLessThanOrEqual(lane.meanWaitMin.high);
    }
  });

  it('reports Erlang C per lane at peak and the schedule cut at week-one productivity', () => {
    const s = study(intake, { productivityFactor: 0.5, capacityFactor: 1 });
    const metrics = computeMetrics(intake);
    expect(metrics.ok && s.erlang).toEqual(metrics.ok && metrics.metrics.lanes);
    const cut = scheduleCutForGoLive(intake, 0.85, { capacityFactor: 1, productivityFactor: 0.5 });
    expect(cut.ok && s.scheduleCut).toEqual(cut.ok && cut.cut);
  });

  it('takes its go-live defaults from the workflow and says what it ran', () => {
    const s = study(intake);
    expect(s.options).toMatchObject({
      seed: DEFAULT_CAPACITY_SEED,
      peakDays: DEFAULT_PEAK_DAYS,
      capacityFactor: intake.goLive?.capacityFactor,
      productivityFactor: intake.goLive?.productivityFactor,
      weeks: 4,
      limit: 0.85,
      replications: DEFAULT_REPLICATIONS,
      warmupMin: DEFAULT_WARMUP_MIN,
    });
    expect(s.goLiveWeeks).toHaveLength(4);
    expect(s.peakIntervals.replications).toBe(20);
    expect(resolveCapacityOptions(intake, { hours: 1 }).warmupMin).toBe(30);
  });

  it('yields progress in clinic days after each replication of the peak and of each week, ending at the total', () => {
    const steps = capacityStudySteps(intake, { peakDays: 2, weeks: 3, daysPerWeek: 4, replications: 2 });
    const seen: CapacityStudyProgress[] = [];
    for (let next = steps.next(); !next.done; next = steps.next()) seen.push(next.value);
    expect(seen.map((p) => p.daysDone)).toEqual([2, 4, 8, 12, 16, 20, 24, 28]);
    expect(new Set(seen.map((p) => p.daysTotal))).toEqual(new Set([28]));
  });

  it('returns the trapped-loop problem instead of numbers for a loop no case can leave', () => {
    const trapped: Workflow = {
      ...intake,
      flows: [
        ...intake.flows.filter((f) => f.from !== 'checkout'),
        { from: 'checkout', to: 'check-in-desk', transfer: 'none' },
      ],
    };
    const outcome = runCapacityStudy(trapped, { weeks: 1 });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.problem.kind).toBe('trapped-loop');
  });

  const bad: {
    description: string;
    options: Parameters<typeof resolveCapacityOptions>[1];
    expected: RegExp;
  }[] = [
    { description: 'zero weeks', options: { weeks: 0 }, expected: /weeks must be a whole number/ },
    { description: 'fractional days per week', options: { daysPerWeek: 2.5 }, expected: /daysPerWeek/ },
    { description: 'no opening hours', options: { hours: 0 }, expected: /hours/ },
    { description: 'bookings above normal', options: { capacityFactor: 1.2 }, expected: /capacityFactor/ },
    { description: 'zero productivity', options: { productivityFactor: 0 }, expected: /productivityFactor/ },
    { description: 'a limit of 1', options: { limit: 1 }, expected: /limit/ },
    { description: 'one replication', options: { replications: 1 }, expected: /replications/ },
    { description: 'fractional replications', options: { replications: 4.5 }, expected: /replications/ },
    { description: 'a negative warm-up', options: { warmupMin: -1 }, expected: /warmupMin/ },
    { description: 'a warm-up as long as the day', options: { warmupMin: 480 }, expected: /warmupMin/ },
  ];
  it.each(bad)('refuses $description with a RangeError naming the option', ({ options, expected }) => {
    expect(() => resolveCapacityOptions(intake, options)).toThrow(expected);
  });
});
