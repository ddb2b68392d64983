/**
 * Drawing a plan's sample from CSV files, whatever its stratification: by file or column (one
 * sampling pass, sampleCsv.ts), or by validation outcome (validationStrata.ts: the migration
 * engine validates every file first, then the sampling pass assigns each row its stratum). The CLI's
 * `preflight sample` and the browser's sample worker both call {@link drawPlanSample}, so both draw
 * the identical list.
 */
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import type { ValidationPlan } from '../../contract/index.ts';
import { LAYOUT_SNIFF_BYTES } from '../../csv/index.ts';
import { detectLayout, type FullRowValidator } from '../../validation/index.ts';
import {
  type CsvInput,
  type SampleCsvResult,
  STRATIFY_BY_VALIDATION,
  type Stratification,
  sampleCsvFiles,
  stratificationOf,
  UnsupportedStratificationError,
} from './sampleCsv.ts';
import type { SampleSize } from './sampling.ts';
import { validationOutcomes, validationStrataIds } from './validationStrata.ts';

/** The column contract records are validated against (validation strata only). */
export interface StrataContract {
  /** the contract's declarative plan (`compilePlan`): runs anywhere, generates no code */
  plan: ValidationPlan;
  /** ajv's full validator, where code may be compiled (Node); without it the plan decides alone */
  fullValidator?: FullRowValidator;
}

/** Options of {@link drawPlanSample}. */
export interface DrawPlanOptions {
  sizes: Readonly<Record<string, SampleSize>>;
  keyColumn: string;
  /** required when the plan is stratified by validation outcome */
  contract?: StrataContract;
  /** a column overriding a column-stratified plan's `stratifyBy` (the CLI's --stratum-column) */
  stratumColumn?: string;
  chunkBytes?: number;
  signal?: AbortSignal;
}

/**
 * The bytes {@link drawPlanSample} reads from files of these sizes (progress totals): once for
 * file or column strata; for validation strata the layout sniff (up to {@link LAYOUT_SNIFF_BYTES}),
 * the validation pass and the sampling pass.
 */
export function drawBytesToRead(plan: Pick<SamplePlan, 'population'>, sizes: readonly number[]): number {
  const once = sizes.reduce((sum, n) => sum + n, 0);
  if (plan.population.stratifyBy !== STRATIFY_BY_VALIDATION) return once;
  return 2 * once + sizes.reduce((sum, n) => sum + Math.min(LAYOUT_SNIFF_BYTES, n), 0);
}

/**
 * Draws `plan`'s sample from `files`.
 *
 * @throws {UnsupportedStratificationError} a validation-stratified plan without `contract`, or a
 *   resource-type plan; {@link ValidationStrataError};
 *   {@link OutcomeRowsMismatchError}; and whatever the engine or the sampling pass throw.
 */
export async function drawPlanSample(
  plan: SamplePlan,
  files: readonly CsvInput[],
  options: DrawPlanOptions,
): Promise<SampleCsvResult> {
  let stratification: Stratification;
  if (plan.population.stratifyBy === STRATIFY_BY_VALIDATION) {
    if (!options.contract) throw new UnsupportedStratificationError(STRATIFY_BY_VALIDATION);
    const strata = validationStrataIds(plan);
    const inputs = [];
    for (const file of files) {
      const source = { name: file.name, size: file.size, read: file.read };
      // the sampling pass reads UTF-8 only: validation reads the same text the same way
      inputs.push({ source, layout: await detectLayout(source, { encoding: 'utf-8' }) });
    }
    const outcomes = await validationOutcomes(inputs, {
      plan: options.contract.plan,
      ...(options.contract.fullValidator ? { fullValidator: options.contract.fullValidator } : {}),
      keyColumn: options.keyColumn,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
    });
    stratification = { kind: 'validation', outcomes, strata };
  } else {
    stratification = stratificationOf(plan);
    if (options.stratumColumn !== undefined && stratification.kind === 'column')
      stratification = { kind: 'column', column: options.stratumColumn };
  }
  return sampleCsvFiles(files, {
    seed: plan.seed,
    sizes: options.sizes,
    keyColumn: options.keyColumn,
    stratification,
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
