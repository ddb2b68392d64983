/**
 * Drawing a sample by validation outcome: the seeded legacy patient CSV of the
 * validation benchmark (legacyPatients.ts; `BENCH_ROWS` rows, default 100,000 ≈ 26 MB) drawn by
 * - baseline: a one-stratum plan (each file a stratum): one sampling pass, the hash-rank sampler;
 * - validation strata, the plan alone (what the browser's sample worker runs: no ajv there);
 * - validation strata, plan + ajv (what `preflight sample --contract` runs);
 * through `drawPlanSample`, reading the file with a Node file handle as the CLI does. Printed: time,
 * MB/s, the ratio to the baseline measured in the same run, and peak RSS; the flagged stratum's size
 * is checked against what the generator planted (each planted defect row, both copies of each
 * duplicated MRN), so a fast but wrong stratification shows up here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openFilesForReading } from '../../src/cli/openFiles.ts';
import { compileColumnContract, compilePlan } from '../../src/core/contract/index.ts';
import { CENSUS, type DrawPlanOptions, drawPlanSample } from '../../src/core/signoff/sampling/index.ts';
import { SAMPLE_PLAN_FORMAT, type SamplePlan } from '../../src/formats/samplePlan.ts';
import { type BenchEntry, measure, megabytesPerSecond } from './bench.ts';
import { BENCH_CONTRACT, writeLegacyPatients } from './legacyPatients.ts';

const DEFAULT_ROWS = 100_000;
const RSS_SAMPLE_MS = 20;
const MB = 1_000_000;
/** The demo plan's clean-stratum size (2 % at 95 %, c = 0). */
const N = 149;

function plan(stratifyBy: string, strata: SamplePlan['population']['strata']): SamplePlan {
  return {
    format: SAMPLE_PLAN_FORMAT,
    id: 'bench',
    name: 'bench',
    population: { dataset: 'patients.csv', stratifyBy, strata },
    targetErrorRate: 0.02,
    confidence: 0.95,
    acceptanceNumber: 0,
    seed: '9f3c2a7e51d04b86',
    createdAt: '2024-07-08T09:00:00-04:00',
  };
}

async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  try {
    const value = await fn();
    return { value, peakMb: Math.max(peak, process.memoryUsage.rss()) / MB };
  } finally {
    clearInterval(timer);
  }
}

async function draw(file: string, p: SamplePlan, options: DrawPlanOptions) {
  const opened = await openFilesForReading([file], '/', (message) => new Error(message));
  try {
    return await drawPlanSample(p, opened.files, options);
  } finally {
    await opened.close();
  }
}

export const sampleStrataBench: BenchEntry = {
  id: 'sample-strata',
  title: 'Sampling by validation outcome (engine pass + sampling pass) vs sampling by file',
  async run() {
    const rows = Number(process.env.BENCH_ROWS ?? DEFAULT_ROWS);
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-strata-'));
    const file = path.join(dir, 'patients.csv');
    try {
      const truth = await writeLegacyPatients(file, rows);
      const compiled = compileColumnContract(BENCH_CONTRACT);
      if (!compiled.ok) throw new Error('the bench contract does not compile');
      const contractPlan = compilePlan(BENCH_CONTRACT);
      const byFile = plan('file', [{ id: 'patients.csv', label: 'all', size: rows }]);
      const byValidation = plan('validation', [
        { id: 'clean', label: 'clean', size: 0 },
        { id: 'flagged', label: 'flagged', size: 0, flagged: true, census: true },
      ]);
      const validationSizes = { clean: N, flagged: CENSUS } as const;
      const variants = [
        {
          name: 'baseline: by file (one pass)',
          fn: () => draw(file, byFile, { sizes: { 'patients.csv': N }, keyColumn: 'mrn' }),
        },
        {
          name: 'by validation, plan alone (browser worker)',
          fn: () =>
            draw(file, byValidation, {
              sizes: validationSizes,
              keyColumn: 'mrn',
              contract: { plan: contractPlan },
            }),
        },
        {
          name: 'by validation, plan + ajv (CLI)',
          fn: () =>
            draw(file, byValidation, {
              sizes: validationSizes,
              keyColumn: 'mrn',
              contract: { plan: contractPlan, fullValidator: compiled.validate },
            }),
        },
      ];
      const options = { warmups: rows > 300_000 ? 0 : 1, repeats: rows > 300_000 ? 1 : 3 };
      const table: Record<string, string | number>[] = [];
      const notes: string[] = [];
      let baseline = 0;
      for (const variant of variants) {
        const { value: timing, peakMb } = await peakRss(() => measure(variant.fn, options));
        if (baseline === 0) baseline = timing.medianMs;
        table.push({
          variant: variant.name,
          'median s': (timing.medianMs / 1000).toFixed(2),
          'MB/s': megabytesPerSecond(truth.bytes, timing.medianMs).toFixed(1),
          'time vs baseline': (timing.medianMs / baseline).toFixed(2),
          'peak RSS MB': peakMb.toFixed(0),
        });
        if (variant.name.startsWith('by validation')) {
          const result = await variant.fn();
          const flagged = result.sample.strata.find((s) => s.id === 'flagged');
          notes.push(
            `${variant.name}: flagged ${flagged?.population ?? 0} rows (planted: ${truth.invalidRows} defect rows, ${truth.duplicateMrnPairs} duplicated MRNs ⇒ ${truth.invalidRows + 2 * truth.duplicateMrnPairs} rows when no duplicated row is also defective)`,
          );
        }
      }
      return {
        params: { rows, bytes: truth.bytes, n: N },
        columns: ['variant', 'median s', 'MB/s', 'time vs baseline', 'peak RSS MB'],
        rows: table,
        notes,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
