/**
 * A validation run over several inputs with cross-file checks. Each input is validated in one
 * pass ({@link validateCsv}, or a runner that runs it in a worker); several inputs may run at once
 * (`parallel`), and an input starts only once every input it refers to is done (their key sets are
 * what references are looked up in). Used by the CLI (`preflight validate`) and by the Migration
 * workspace (workers/validateRun.ts).
 */

import type { ValidationPlan } from '../contract/index.ts';
import {
  type CsvLayout,
  LAYOUT_SNIFF_BYTES,
  type SniffedLayout,
  sniffCsvLayout,
  TextDecodeError,
} from '../csv/index.ts';
import { errorKind, InputReadError } from '../jobs/errors.ts';
import type { DecimalMark } from './decimalMark.ts';
import type { RowSetWatch } from './issueTally.ts';
import { keySetFromState } from './keySet.ts';
import type { KeySpill } from './keySpill.ts';
import { refusedInputResult } from './refusedInput.ts';
import type { RowCheckFactory } from './rowCheck.ts';
import {
  type CsvSource,
  type CsvValidationResult,
  type FullRowValidator,
  type KeySpec,
  type ValidateCsvOptions,
  validateCsv,
} from './validateCsv.ts';

/** One input of a run. */
export interface InputJob {
  source: CsvSource;
  layout: CsvLayout;
  plan?: ValidationPlan;
  fullValidator?: FullRowValidator;
  keys?: readonly KeySpec[];
  /** a further check of every row (e.g. a mapping to a FHIR resource: fhir/mappedRows.ts) */
  rowCheck?: RowCheckFactory;
  /** the row sets of the waivers limited to rows, to count occurrences in (validateCsv.ts) */
  rowSets?: readonly RowSetWatch[];
  /** the decimal mark of the file's numbers; undefined: detected (decimalMark.ts) */
  decimalMark?: DecimalMark;
}

/** `input.column` refers to `target.targetColumn` (e.g. encounters.patient_id → patients.patient_id). */
export interface ReferenceLink {
  input: string;
  column: string;
  target: string;
  targetColumn: string;
}

/** References that go round in a circle cannot be checked in one pass per input. */
export class ReferenceCycleError extends Error {
  override name = 'ReferenceCycleError';
  constructor(readonly inputs: string[]) {
    super(
      `the references between ${inputs.map((i) => `"${i}"`).join(', ')} form a cycle; check them in separate runs`,
    );
  }
}

/** A reference names an input that is not part of the run. */
export class UnknownInputError extends Error {
  override name = 'UnknownInputError';
  constructor(readonly input: string) {
    super(`"${input}" is not one of the inputs of this run`);
  }
}

/**
 * Inputs below this size keep their key sets in memory: a spilling key set's write buffers
 * (≈ 1.3–2.4 MB per key column) cost about what an in-memory set of ≈ 70,000 keys (≈ 16 MB of a
 * typical extract) costs, and small files gain nothing from the disk.
 */
export const KEY_SPILL_MIN_BYTES = 16 * 1024 * 1024;

/** Validates one input: {@link validateCsv}, or the same call in a worker. */
export type InputRunner = (source: CsvSource, options: ValidateCsvOptions) => Promise<CsvValidationResult>;

/** Options of {@link validateInputs}. */
export interface ValidateInputsOptions {
  signal?: AbortSignal;
  onProgress?: (input: string, progress: { bytes: number; rows: number }) => void;
  /** default {@link validateCsv} */
  run?: InputRunner;
  /** inputs validated at once, at most (default 1: one after another) */
  parallel?: number;
  chunkBytes?: number;
  /**
   * where the key sets of an input of {@link KEY_SPILL_MIN_BYTES} or more spill
   * (ValidateCsvOptions.keySpill): memory flat whatever the number of keys
   */
  keySpill?: KeySpill;
  /** inputs of at least this many bytes spill their key sets (default {@link KEY_SPILL_MIN_BYTES}) */
  keySpillMinBytes?: number;
}

/** Reads the first bytes of an input and detects its layout; `given` fields override. */
export async function detectLayout(
  source: CsvSource,
  given: Partial<CsvLayout> = {},
): Promise<SniffedLayout> {
  const length = Math.min(LAYOUT_SNIFF_BYTES, source.size);
  let prefix: Uint8Array = new Uint8Array(0);
  if (length > 0) {
    try {
      prefix = (await source.read(0, length)).slice(0, length);
    } catch (error) {
      if (error instanceof InputReadError) throw error;
      throw new InputReadError({ source: source.name, byteOffset: 0 }, errorKind(error));
    }
  }
  return sniffCsvLayout(prefix, { ...given, ...source.layout });
}

/** The order in which inputs are validated: every reference target before the inputs referring to it. */
function validationOrder(names: readonly string[], links: readonly ReferenceLink[]): string[] {
  for (const link of links) {
    if (!names.includes(link.input)) throw new UnknownInputError(link.input);
    if (!names.includes(link.target)) throw new UnknownInputError(link.target);
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      throw new ReferenceCycleError([...path.slice(path.indexOf(name)), name]);
    state.set(name, 'visiting');
    for (const link of links)
      if (link.input === name && link.target !== name) visit(link.target, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name, []);
  return order;
}

/**
 * Validates every input, targets of references first, up to `parallel` at once, and returns the
 * results in the inputs' order. A referenced column is collected as a key set (so its duplicates
 * are reported too). An input that is not text, or not in its encoding, gets a result of one
 * fatal problem (refusedInput.ts) and the others go on. When one input fails otherwise, the
 * others still running are cancelled (through the signal each run gets) and the first failure is
 * thrown once they have stopped.
 */
export async function validateInputs(
  jobs: readonly InputJob[],
  links: readonly ReferenceLink[],
  options: ValidateInputsOptions = {},
): Promise<CsvValidationResult[]> {
  const names = jobs.map((j) => j.source.name);
  const order = validationOrder(names, links);
  const run = options.run ?? validateCsv;
  const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
  const results = new Map<string, CsvValidationResult>();
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const waiting = [...order];
  const running = new Map<string, Promise<unknown>>();
  let failure: { error: unknown } | undefined;
  /** an input is ready once every other input it refers to has its result */
  const ready = (name: string) =>
    links.every((l) => l.input !== name || l.target === name || results.has(l.target));
  const start = (name: string) => {
    const job = jobs.find((j) => j.source.name === name) as InputJob;
    let fileOptions: ValidateCsvOptions | undefined;
    const task = Promise.resolve()
      .then(() => {
        fileOptions = inputOptions(job, links, results, options, signal);
        return run(job.source, fileOptions);
      })
      // a file that is not text (or not in its encoding) is one problem on it: the run goes on
      .catch((error: unknown) => {
        if (!(error instanceof TextDecodeError) || signal.aborted) throw error;
        return refusedInputResult(name, job.source.size, job.layout, error, fileOptions);
      })
      .then(
        (result) => {
          results.set(name, result);
        },
        (error: unknown) => {
          failure ??= { error };
          stop.abort();
        },
      );
    running.set(
      name,
      task.finally(() => running.delete(name)),
    );
  };
  while (waiting.length > 0 || running.size > 0) {
    if (failure === undefined) {
      for (let i = 0; i < waiting.length && running.size < parallel; ) {
        const name = waiting[i] as string;
        if (ready(name)) {
          waiting.splice(i, 1);
          start(name);
        } else i++;
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (failure !== undefined) throw failure.error;
  return names.map((n) => results.get(n) as CsvValidationResult);
}

/** The options of one input's pass: its keys (referenced ones kept in memory) and its references. */
function inputOptions(
  job: InputJob,
  links: readonly ReferenceLink[],
  results: ReadonlyMap<string, CsvValidationResult>,
  options: ValidateInputsOptions,
  signal: AbortSignal,
): ValidateCsvOptions {
  const name = job.source.name;
  // a key set that references look into stays in memory (see ValidateCsvOptions.keySpill)
  const referenced = (column: string) => links.some((l) => l.target === name && l.targetColumn === column);
  const keys: KeySpec[] = (job.keys ?? []).map((k) =>
    referenced(k.column) ? { ...k, referenced: true } : k,
  );
  for (const link of links) {
    if (link.target === name && !keys.some((k) => k.column === link.targetColumn))
      keys.push({ column: link.targetColumn, referenced: true });
  }
  const references = links
    // a target that is not text holds no keys: its references are not checked (it fails the run)
    .filter((l) => l.input === name && results.get(l.target)?.refused === undefined)
    .map((l) => {
      // a reference into the same input is checked by the engine once the input's keys are complete
      if (l.target === name) return { column: l.column, target: l.target, targetColumn: l.targetColumn };
      const target = results.get(l.target) as CsvValidationResult;
      const keySet = target.keys.find((k) => k.column === l.targetColumn);
      if (!keySet) throw new UnknownInputError(l.target);
      return {
        column: l.column,
        target: l.target,
        targetColumn: l.targetColumn,
        lookup: keySetFromState(keySet.state),
      };
    });
  const validateOptions: ValidateCsvOptions = { layout: job.layout, keys, references, signal };
  if (job.plan) validateOptions.plan = job.plan;
  if (job.fullValidator) validateOptions.fullValidator = job.fullValidator;
  if (job.rowCheck) validateOptions.rowCheck = job.rowCheck;
  if (job.rowSets && job.rowSets.length > 0) validateOptions.rowSets = job.rowSets;
  if (job.decimalMark) validateOptions.decimalMark = job.decimalMark;
  if (options.chunkBytes) validateOptions.chunkBytes = options.chunkBytes;
  if (options.keySpill && job.source.size >= (options.keySpillMinBytes ?? KEY_SPILL_MIN_BYTES))
    validateOptions.keySpill = options.keySpill;
  const onProgress = options.onProgress;
  if (onProgress) validateOptions.onProgress = (p) => onProgress(name, p);
  return validateOptions;
}
