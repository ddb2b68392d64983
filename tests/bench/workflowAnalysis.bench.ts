/**
 * "workflow analysis" and "workflow simulation": the targets are analysis < 50 ms for a
 * 1,000-step workflow and < 1 s for a simulated week of 10,000 cases over 6 lanes, on this machine.
 * Each is printed against a baseline measured in the same run, so machines compare as ratios:
 * - analysis vs one plain pass over the steps (summing touch times): the floor of any analysis;
 * - simulation vs drawing as many mulberry32 uniforms (with a logarithm each, as an exponential
 *   draw) as the run processed events — about one draw per arrival, touch time and branch choice.
 * The workflows are generated (tests/bench/workflowFixtures.ts): seeded, with rejoining branches
 * and rework loops, lanes staffed to at most ρ 0.8.
 */
import {
  buildGraph,
  computeMetrics,
  expectedVisits,
  goLiveMetrics,
  mulberry32,
  scheduleCutForGoLive,
  simulate,
} from '../../src/core/workflow/index.ts';
import { type BenchEntry, type BenchResult, measure, type Timing } from './bench.ts';
import { generatedWorkflow } from './workflowFixtures.ts';

const ANALYSIS_STEPS = 1000;
const LANES = 6;
/** Peak arrivals of the 1,000-step workflow (its staff are sized from them). */
const ANALYSIS_ARRIVALS_PER_HOUR = 10;
const ANALYSIS_TARGET_MS = 50;
/** A week: 5 days × 8 open hours × 250 cases/h ≈ 10,000 cases. */
const WEEK_DAYS = 5;
const DAY_HOURS = 8;
const SIM_ARRIVALS_PER_HOUR = 250;
const SIM_STEPS = 14;
const SIM_TARGET_MS = 1000;
const SEED = 20261122;

/** Times `fn` run `loops` times per sample, reported per run. */
async function perRun(fn: () => unknown, loops: number, repeats: number): Promise<Timing> {
  const timing = await measure(
    async () => {
      for (let i = 0; i < loops; i++) fn();
    },
    { warmups: 1, repeats },
  );
  return {
    samplesMs: timing.samplesMs.map((ms) => ms / loops),
    bestMs: timing.bestMs / loops,
    medianMs: timing.medianMs / loops,
  };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The analysis benchmark entry. */
export const workflowAnalysisBench: BenchEntry = {
  id: 'workflow-analysis',
  title: 'workflow analysis of a 1,000-step workflow',
  async run(): Promise<BenchResult> {
    const workflow = generatedWorkflow(ANALYSIS_STEPS, LANES, ANALYSIS_ARRIVALS_PER_HOUR);
    let sink = 0;
    const plain = await perRun(
      () => {
        for (const step of workflow.steps) sink += step.touchMin;
      },
      1000,
      5,
    );
    const graph = buildGraph(workflow);
    const variants: Array<[string, () => unknown]> = [
      ['buildGraph', () => buildGraph(workflow)],
      ['expectedVisits (loops solved exactly)', () => expectedVisits(graph)],
      ['computeMetrics (all metrics, critical path)', () => computeMetrics(workflow)],
      [
        'goLiveMetrics + scheduleCutForGoLive',
        () => [goLiveMetrics(workflow), scheduleCutForGoLive(workflow)],
      ],
    ];
    const rows: BenchResult['rows'] = [
      {
        variant: 'plain pass over the steps (Σ touch)',
        bestMs: round(plain.bestMs, 4),
        medianMs: round(plain.medianMs, 4),
        vsPlain: 1,
      },
    ];
    for (const [variant, fn] of variants) {
      const timing = await perRun(fn, 5, 5);
      rows.push({
        variant,
        bestMs: round(timing.bestMs),
        medianMs: round(timing.medianMs),
        vsPlain: Math.round(timing.bestMs / plain.bestMs),
      });
    }
    const metrics = computeMetrics(workflow);
    const analysisRow = rows.find((r) => String(r.variant).startsWith('computeMetrics'));
    return {
      params: {
        steps: ANALYSIS_STEPS,
        lanes: LANES,
        flows: workflow.flows.length,
        loops: 'rework every 50 steps',
        repeats: 5,
      },
      columns: ['variant', 'bestMs', 'medianMs', 'vsPlain'],
      rows,
      notes: [
        `target: computeMetrics < ${ANALYSIS_TARGET_MS} ms — median ${analysisRow?.medianMs} ms`,
        `sanity: ${metrics.ok ? `cycle ${round(metrics.metrics.cycleMin, 0)} min/case, critical path ${metrics.metrics.criticalPath.stepIds.length} steps` : 'trapped'} (${sink > 0 ? 'baseline ran' : ''})`,
        'vsPlain = variant best time / plain pass best time',
      ],
    };
  },
};

/** The simulation benchmark entry. */
export const workflowSimulationBench: BenchEntry = {
  id: 'workflow-simulation',
  title: 'simulated week of about 10,000 cases over 6 lanes',
  async run(): Promise<BenchResult> {
    const workflow = generatedWorkflow(SIM_STEPS, LANES, SIM_ARRIVALS_PER_HOUR);
    const run = () => simulate(workflow, { seed: SEED, days: WEEK_DAYS, hours: DAY_HOURS });
    const outcome = run();
    if (!outcome.ok) throw new Error('The generated workflow traps cases in a loop.');
    const { result } = outcome;
    const draws = result.events;
    let sink = 0;
    const baseline = await measure(
      async () => {
        const random = mulberry32(SEED);
        for (let i = 0; i < draws; i++) sink += Math.log(1 - random());
      },
      { warmups: 1, repeats: 5 },
    );
    const simulation = await measure(async () => run(), { warmups: 1, repeats: 5 });
    const lognormal = await measure(
      async () =>
        simulate(workflow, {
          seed: SEED,
          days: WEEK_DAYS,
          hours: DAY_HOURS,
          touchTime: { kind: 'lognormal', cv: 0.5 },
        }),
      { warmups: 1, repeats: 5 },
    );
    const row = (variant: string, timing: Timing) => ({
      variant,
      bestMs: round(timing.bestMs, 1),
      medianMs: round(timing.medianMs, 1),
      vsRandom: round(timing.bestMs / baseline.bestMs, 1),
    });
    const busiest = Math.max(...result.lanes.map((l) => l.utilisation ?? 0));
    return {
      params: {
        cases: result.casesArrived,
        events: result.events,
        lanes: LANES,
        steps: SIM_STEPS,
        days: WEEK_DAYS,
        hours: DAY_HOURS,
        seed: SEED,
      },
      columns: ['variant', 'bestMs', 'medianMs', 'vsRandom'],
      rows: [
        row(`${draws} mulberry32 draws + log (baseline)`, baseline),
        row('simulate, exponential touch times', simulation),
        row('simulate, lognormal touch times (cv 0.5)', lognormal),
      ],
      notes: [
        `target: < ${SIM_TARGET_MS} ms — median ${round(simulation.medianMs, 1)} ms`,
        `sanity: ${result.casesCompleted}/${result.casesArrived} cases completed, busiest lane ρ ${round(busiest)}, truncated ${result.truncated} (${Number.isFinite(sink) ? 'baseline ran' : ''})`,
        'vsRandom = variant best time / baseline best time',
      ],
    };
  },
};
