/**
 * Validation-outcome strata (docs/product.md#sign-off): records that validation flagged form their
 * own stratum (census or a larger sample), never a weight. A plan with `population.stratifyBy:
 * "validation"` has exactly one stratum marked `flagged: true` (records with at least one
 * validation error) and one other stratum (every other record: "clean").
 *
 * How a record's stratum is known while the sampler streams:
 * 1. The migration engine validates each file first (`validateCsv`, its public entry, with the
 *    column contract's declarative plan and, where the caller can compile one, ajv's full
 *    validator; the record key as a key column). A record is flagged when the engine counted at
 *    least one error on its row (the engine's failing rows: structure, quotes, blank rows, the
 *    contract) or its key occurs more than once in its file (the engine's duplicate-key error).
 * 2. The sampling pass (sampleCsv.ts) then asks {@link ValidationOutcomes.classifier} for each row
 *    in file order: failing rows are a sorted `Uint32Array` walked with a cursor (O(1) per row), the
 *    duplicated keys a set of their texts.
 *
 * Memory: 4 bytes per failing row and the texts of the duplicated keys (at most the engine's
 * (`MAX_DUPLICATE_GROUPS` in keySet.ts)); the engine's own key set (typed arrays, a few bytes per distinct
 * key) lives only during step 1. Never the file, never a cell other than duplicated keys.
 *
 * More duplicated keys than the engine lists by text ((`MAX_DUPLICATE_GROUPS` in keySet.ts)): one more pass
 * over the key column finds every repeated key by its 64-bit hash (keyRepeats.ts), kept in typed
 * arrays; the classifier then asks that set instead.
 */

import type { SamplePlan, Stratum } from '../../../formats/samplePlan.ts';
import type { ValidationPlan } from '../../contract/index.ts';
import type { CsvLayout } from '../../csv/index.ts';
import {
  type CsvSource,
  type FullRowValidator,
  type ValidateCsvOptions,
  validateCsv,
} from '../../validation/index.ts';
import { isRepeatedKey, type KeyHashCounter, repeatedKeys } from './keyRepeats.ts';

/** The stratum a record falls in under validation strata. */
type ValidationOutcome = 'flagged' | 'clean';

/** What the engine found in one file, compactly. */
export interface FileOutcomes {
  file: string;
  /** data rows the engine read */
  rows: number;
  /** rows with at least one error, ascending (1 = first data row) */
  failingRows: Uint32Array;
  /** the texts of keys that occur more than once in the file */
  duplicatedKeys: string[];
  /** when the engine listed only some duplicated keys: every repeated key, by hash (then `duplicatedKeys` is empty) */
  repeated?: KeyHashCounter;
}

/** The validation outcome of every record of the plan's files (made and used in one worker or process). */
export interface ValidationOutcomes {
  files: FileOutcomes[];
}

/** A plan stratified by validation outcome whose strata are not one flagged and one clean stratum. */
export class ValidationStrataError extends Error {
  override name = 'ValidationStrataError';
}

/** The validation and the sampling pass read a different number of rows (a layout they disagree on). */
export class OutcomeRowsMismatchError extends Error {
  override name = 'OutcomeRowsMismatchError';
  constructor(
    readonly source: string,
    readonly validated: number,
    readonly sampled: number,
  ) {
    super(
      `${source}: validation read ${validated.toLocaleString('en-US')} rows but the sample read ${sampled.toLocaleString('en-US')}, so the strata cannot be matched to rows. Check that the file is UTF-8 CSV with one kind of line ending.`,
    );
  }
}

/** The flagged and the clean stratum of a validation-stratified plan. */
export interface ValidationStrataIds {
  flagged: string;
  clean: string;
}

/**
 * The ids of the plan's flagged and clean strata.
 *
 * @throws {ValidationStrataError} unless exactly one stratum is `flagged` and exactly one is not.
 */
export function validationStrataIds(plan: Pick<SamplePlan, 'population'>): ValidationStrataIds {
  const strata: readonly Stratum[] = plan.population.strata;
  const flagged = strata.filter((s) => s.flagged === true);
  const clean = strata.filter((s) => s.flagged !== true);
  if (flagged.length !== 1 || clean.length !== 1) {
    throw new ValidationStrataError(
      `a plan whose strata come from validation needs exactly two strata: one marked "flagged" (records validation flagged) and one not (every other record); this plan has ${flagged.length} flagged and ${clean.length} other`,
    );
  }
  return { flagged: (flagged[0] as Stratum).id, clean: (clean[0] as Stratum).id };
}

/** One file to validate: its source and layout. */
interface OutcomeInput {
  source: CsvSource;
  layout: CsvLayout;
}

/** Options of {@link validationOutcomes}. */
interface ValidationOutcomeOptions {
  /** the column contract's declarative plan (`compilePlan`) */
  plan: ValidationPlan;
  /** ajv's validator of the contract, where the caller may compile code (the CLI); else the plan decides alone */
  fullValidator?: FullRowValidator;
  /** the record key column: duplicated keys are validation errors */
  keyColumn: string;
  signal?: AbortSignal;
  onProgress?: (file: string, progress: { bytes: number; rows: number }) => void;
  chunkBytes?: number;
}

/**
 * Validates each file with the migration engine and keeps, compactly, which rows it flagged.
 *
 * @throws whatever `validateCsv` throws (unreadable bytes, a missing key column, a contract that
 *   needs full validation without `fullValidator`, …).
 */
export async function validationOutcomes(
  inputs: readonly OutcomeInput[],
  options: ValidationOutcomeOptions,
): Promise<ValidationOutcomes> {
  const files: FileOutcomes[] = [];
  for (const input of inputs) {
    const validateOptions: ValidateCsvOptions = {
      layout: input.layout,
      plan: options.plan,
      keys: [{ column: options.keyColumn }],
      // profiles are the report's; the strata need only errors
      profile: false,
    };
    if (options.fullValidator) validateOptions.fullValidator = options.fullValidator;
    if (options.signal) validateOptions.signal = options.signal;
    if (options.chunkBytes) validateOptions.chunkBytes = options.chunkBytes;
    const onProgress = options.onProgress;
    if (onProgress) validateOptions.onProgress = (p) => onProgress(input.source.name, p);
    const result = await validateCsv(input.source, validateOptions);
    const keyState = result.keys[0]?.state;
    const failing = result.failingRows.rows.slice(0, result.failingRows.count);
    failing.sort();
    const outcome: FileOutcomes = {
      file: input.source.name,
      rows: result.records,
      failingRows: failing,
      duplicatedKeys: [],
    };
    if (keyState && keyState.duplicates.length < keyState.duplicateKeys) {
      // the engine listed only the first duplicated keys by text: find every one by hash
      outcome.repeated = await repeatedKeys(input.source, input.layout, options.keyColumn, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
      });
    } else if (keyState) {
      for (const group of keyState.duplicates) outcome.duplicatedKeys.push(group.key);
    }
    files.push(outcome);
  }
  return { files };
}

/**
 * A classifier of one file's rows, for a pass that meets rows in ascending order (a cursor; a row
 * that goes backwards is found by binary search, so any order gives the same answer).
 */
export function outcomeClassifier(
  outcomes: FileOutcomes,
): (row: number, key: string | undefined) => ValidationOutcome {
  const failing = outcomes.failingRows;
  const duplicated = new Set(outcomes.duplicatedKeys);
  let cursor = 0;
  return (row, key) => {
    if (cursor > 0 && (failing[cursor - 1] as number) > row) cursor = lowerBound(failing, row);
    while (cursor < failing.length && (failing[cursor] as number) < row) cursor++;
    if (cursor < failing.length && failing[cursor] === row) return 'flagged';
    if (outcomes.repeated) return isRepeatedKey(outcomes.repeated, key) ? 'flagged' : 'clean';
    return key !== undefined && duplicated.has(key) ? 'flagged' : 'clean';
  };
}

function lowerBound(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
