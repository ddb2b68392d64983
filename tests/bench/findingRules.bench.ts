/**
 * "finding rules": `analyzeWorkflow` (metrics at peak and go-live, the schedule cut, the
 * baseline's metrics and all 15 finding rules) on a generated 1,000-step future workflow with its
 * current baseline, against `computeMetrics` alone measured in the same run. The target is
 * analysis < 50 ms; the ratio says what the rules add on top of the metrics.
 *
 * The future workflow is the generated one with every step replacing its current twin, an order
 * every 97 steps, an acknowledgement every 89 and an approval every 37, so the order, approval and
 * traceability rules have work to do.
 */
import { analyzeWorkflow, computeMetrics } from '../../src/core/workflow/index.ts';
import type { Workflow } from '../../src/formats/workflow.ts';
import { type BenchEntry, type BenchResult, measure } from './bench.ts';
import { generatedWorkflow } from './workflowFixtures.ts';

const STEPS = 1000;
const LANES = 6;
const ARRIVALS_PER_HOUR = 10;
const TARGET_MS = 50;
const LOOPS = 5;
const ORDER_EVERY = 97;
const ACK_EVERY = 89;
const APPROVAL_EVERY = 37;

/** The generated workflow as a future state of itself (see the header). */
function futurePair(): { future: Workflow; current: Workflow } {
  const current = generatedWorkflow(STEPS, LANES, ARRIVALS_PER_HOUR);
  const future: Workflow = structuredClone(current);
  future.id = `${current.id}-future`;
  future.state = 'future';
  future.baseline = current.id;
  future.steps.forEach((step, i) => {
    step.replaces = [current.steps[i]?.id ?? step.id];
    if (i % ORDER_EVERY === 5) step.enters = [...step.enters, 'order.tests'];
    if (i % ACK_EVERY === 7) step.enters = ['result.acknowledged'];
    if (i % APPROVAL_EVERY === 3 && step.kind === 'task') step.kind = 'approval';
  });
  return { future, current };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The finding-rules benchmark entry. */
export const findingRulesBench: BenchEntry = {
  id: 'finding-rules',
  title: 'analyzeWorkflow (metrics + 15 finding rules) of a 1,000-step pair',
  async run(): Promise<BenchResult> {
    const { future, current } = futurePair();
    const time = (fn: () => unknown) =>
      measure(
        async () => {
          for (let i = 0; i < LOOPS; i++) fn();
        },
        { warmups: 1, repeats: 5 },
      );
    const metrics = await time(() => computeMetrics(future));
    const analysis = await time(() => analyzeWorkflow(future, { baseline: current }));
    // the CLI and the app pass the baseline's metrics from its own analysis
    const baselineMetrics = computeMetrics(current);
    const shared = await time(() => analyzeWorkflow(future, { baseline: current, baselineMetrics }));
    const findings = analyzeWorkflow(future, { baseline: current }).findings;
    const per = (ms: number) => round(ms / LOOPS);
    return {
      params: { steps: STEPS, lanes: LANES, loops: LOOPS, repeats: 5 },
      columns: ['variant', 'bestMs', 'medianMs', 'vsMetrics'],
      rows: [
        {
          variant: 'computeMetrics',
          bestMs: per(metrics.bestMs),
          medianMs: per(metrics.medianMs),
          vsMetrics: 1,
        },
        {
          variant: 'analyzeWorkflow with baseline',
          bestMs: per(analysis.bestMs),
          medianMs: per(analysis.medianMs),
          vsMetrics: round(analysis.bestMs / metrics.bestMs, 1),
        },
        {
          variant: 'analyzeWorkflow with baseline, its metrics given',
          bestMs: per(shared.bestMs),
          medianMs: per(shared.medianMs),
          vsMetrics: round(shared.bestMs / metrics.bestMs, 1),
        },
      ],
      notes: [
        `target: analysis < ${TARGET_MS} ms — median ${per(analysis.medianMs)} ms`,
        `sanity: ${findings.length} findings over ${new Set(findings.map((f) => f.rule)).size} rules`,
      ],
    };
  },
};
