/**
 * "workflow compare": compare, and analysis + compare, of a generated 1,000-step current/future
 * pair (tests/bench/workflowFixtures.ts `generatedPair`: other ids on every step and lane,
 * many-to-one and one-to-many `replaces`, label suggestions, retired and untraced steps). The
 * target is < 50 ms. Printed against the baseline the analysis benchmark uses, one plain
 * pass over the steps (summing touch times), measured in the same run, so machines compare as
 * ratios.
 */
import { analyzeWorkflow, compareWorkflows, computeMetrics } from '../../src/core/workflow/index.ts';
import { type BenchEntry, type BenchResult, measure, type Timing } from './bench.ts';
import { generatedPair } from './workflowFixtures.ts';

const STEPS = 1000;
const LANES = 6;
const ARRIVALS_PER_HOUR = 10;
const TARGET_MS = 50;

/**
 * Times `fn` run `loops` times per sample, reported per run; `cpuMs` is this process's CPU time
 * per run over all samples, which other processes on a shared machine inflate far less than
 * wall time.
 */
async function perRun(
  fn: () => unknown,
  loops: number,
  repeats: number,
): Promise<Timing & { cpuMs: number }> {
  const before = process.cpuUsage();
  const timing = await measure(
    async () => {
      for (let i = 0; i < loops; i++) fn();
    },
    { warmups: 1, repeats },
  );
  const cpu = process.cpuUsage(before);
  return {
    samplesMs: timing.samplesMs.map((ms) => ms / loops),
    bestMs: timing.bestMs / loops,
    medianMs: timing.medianMs / loops,
    cpuMs: (cpu.user + cpu.system) / 1000 / (loops * (repeats + 1)),
  };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The compare benchmark entry. */
export const workflowCompareBench: BenchEntry = {
  id: 'workflow-compare',
  title: 'compare and analysis + compare of a 1,000-step current/future pair',
  async run(): Promise<BenchResult> {
    const { current, future } = generatedPair(STEPS, LANES, ARRIVALS_PER_HOUR);
    let sink = 0;
    const plain = await perRun(
      () => {
        for (const step of future.steps) sink += step.touchMin;
      },
      1000,
      5,
    );
    const currentMetrics = computeMetrics(current);
    const futureMetrics = computeMetrics(future);
    const analysisPair = () => {
      const before = analyzeWorkflow(current);
      // as the CLI and the app do: the baseline's metrics come from its own analysis
      const after = analyzeWorkflow(future, { baseline: current, baselineMetrics: before.metrics });
      return { before, after };
    };
    const { before, after } = analysisPair();
    const variants: Array<[string, () => unknown]> = [
      [
        'compareWorkflows (metrics given)',
        () => compareWorkflows(current, future, { currentMetrics, futureMetrics }),
      ],
      ['compareWorkflows (computes both metrics)', () => compareWorkflows(current, future)],
      [
        'compareWorkflows (metrics and findings given)',
        () =>
          compareWorkflows(current, future, {
            currentMetrics: before.metrics,
            futureMetrics: after.metrics,
            currentFindings: before.findings,
            futureFindings: after.findings,
          }),
      ],
      ['analyzeWorkflow (future, with baseline)', () => analyzeWorkflow(future, { baseline: current })],
      [
        'analysis + compare (both analysed, then compared: the CLI path)',
        () => {
          const pair = analysisPair();
          return compareWorkflows(current, future, {
            currentMetrics: pair.before.metrics,
            futureMetrics: pair.after.metrics,
            currentFindings: pair.before.findings,
            futureFindings: pair.after.findings,
          });
        },
      ],
    ];
    const rows: BenchResult['rows'] = [
      {
        variant: 'plain pass over the steps (Σ touch)',
        bestMs: round(plain.bestMs, 4),
        medianMs: round(plain.medianMs, 4),
        cpuMs: round(plain.cpuMs, 4),
        vsPlain: 1,
      },
    ];
    for (const [variant, fn] of variants) {
      const timing = await perRun(fn, 3, 5);
      rows.push({
        variant,
        bestMs: round(timing.bestMs),
        medianMs: round(timing.medianMs),
        cpuMs: round(timing.cpuMs),
        vsPlain: Math.round(timing.bestMs / plain.bestMs),
      });
    }
    const result = compareWorkflows(current, future, {
      currentFindings: before.findings,
      futureFindings: after.findings,
    });
    const row = (prefix: string) => rows.find((r) => String(r.variant).startsWith(prefix));
    const times = (prefix: string) => {
      const r = row(prefix);
      return `best ${r?.bestMs} ms, median ${r?.medianMs} ms, CPU ${r?.cpuMs} ms`;
    };
    return {
      params: {
        steps: STEPS,
        lanes: LANES,
        flows: future.flows.length,
        findings: `${before.findings.length} current, ${after.findings.length} future`,
        repeats: 5,
      },
      columns: ['variant', 'bestMs', 'medianMs', 'cpuMs', 'vsPlain'],
      rows,
      notes: [
        `target: compare < ${TARGET_MS} ms — ${times('compareWorkflows (metrics given)')}; analysis + compare: ${times('analysis + compare')}`,
        `sanity: ${result.matches.filter((m) => m.by === 'replaces').length} confirmed and ${result.matches.filter((m) => m.by === 'suggested-label').length} suggested matches, ${result.added.length} added, ${result.removed.retired.length} retired, ${result.removed.untraced.length} untraced, ${result.roles.length} roles; findings ${result.findings?.resolved.length} resolved, ${result.findings?.introduced.length} introduced, ${result.findings?.persisting.length} persisting (${sink > 0 ? 'baseline ran' : ''})`,
        'vsPlain = variant best time / plain pass best time; cpuMs = CPU time per run (warm-up included)',
      ],
    };
  },
};
