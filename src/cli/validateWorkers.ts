/**
 * `preflight validate` with several files: each file is validated in one pass by one thread, and
 * up to N files at once (core `validateInputs`' `parallel`, which starts a file only once the files
 * it refers to are done). The first file at a time runs on this thread; each other one in a pooled
 * `node:worker_threads` worker (validateWorkerMain.ts, a tiny adapter around the core's
 * `validateCsv`), whose result comes back with its typed arrays transferred.
 *
 * Constraints:
 * - Workers start only when a second file must run while this thread is busy, and are reused for
 *   later files; idle workers keep nothing alive (`unref`), so a run ends when its work ends.
 *   {@link closeValidateWorkers} stops them at once (tests, benchmarks).
 * - A compiled ajv function or a prepared row check cannot be sent between threads: a worker
 *   compiles the contract itself ({@link registerContract}) and prepares a mapped file's row check
 *   from the mapping and the FHIR options ({@link registerRowCheck}), once per text.
 * - A worker that dies fails its file with a {@link ValidateWorkerError}, and is replaced for the
 *   next file. Cancel (the run's signal: another file failed) is a message; the worker's pass stops
 *   at its next decode slice.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TextDecodeError } from '../core/csv/index.ts';
import type { FhirLayer, FhirValidatorOptions } from '../core/fhir/index.ts';
import {
  type CsvSource,
  type CsvValidationResult,
  type FullRowValidator,
  type InputRunner,
  type RowCheckFactory,
  type SentReference,
  sendableReferences,
  type ValidateCsvOptions,
  validateCsv,
} from '../core/validation/index.ts';
import type { Mapping } from '../formats/mapping.ts';
import type { FileKeySpill } from './keySpillFiles.ts';

/** What a worker is sent: one whole file to validate. */
export interface FileTask {
  file: string;
  name: string;
  size: number;
  options: Omit<
    ValidateCsvOptions,
    'fullValidator' | 'rowCheck' | 'references' | 'signal' | 'onProgress' | 'keySpill'
  > & {
    references: SentReference[];
  };
  /** the contract as JSON text: the worker's cache key for its compiled validator */
  contract?: string;
  /** a mapped file's {@link MappedCheckSpec} as JSON text: the worker's cache key for its row check */
  rowCheck?: string;
  /** the run's key spill folder (keySpillFiles.ts): the worker's key sets spill there */
  keySpillFolder?: string;
  /** key-record bytes the worker's pass holds in memory before it writes key files (the core's default) */
  keySpillMemoryBytes?: number;
  /** post the file's progress as it reads (validateProgress.ts `throttledProgress`) */
  progress?: true;
}

/** What a mapped file's row check is prepared from: a mapping to FHIR, or to a target JSON Schema. */
export type MappedCheckSpec = MappedFhirCheckSpec | MappedSchemaCheckSpec;

/** A mapping to an R4 resource type (core `prepareMappedFhirCheck`). */
export interface MappedFhirCheckSpec {
  mapping: Mapping;
  /** the folder of the generated FHIR modules, as a file URL ending in "/" ({@link GENERATED_FHIR_MODULES}) */
  modules: string;
  options: { layers?: FhirLayer[]; unknownExtensions?: FhirValidatorOptions['unknownExtensions'] };
  /**
   * implementation guide packages whose profiles the records are checked against: the `.tgz`
   * files (absolute paths) each worker reads, and the profiles applied to every record of their type
   */
  packages?: { files: string[]; profiles: string[] };
}

/** A mapping to a target JSON Schema, compiled by each worker (core `prepareMappedSchemaCheck`). */
export interface MappedSchemaCheckSpec {
  mapping: Mapping;
  /** the schema (a Table Schema already converted) and how errors name it */
  targetSchema: { name: string; schema: Record<string, unknown> };
}

/**
 * How a worker answers a task that failed: the error's name and message (no record content), and
 * where a text decoding error's bad byte is, to rebuild it here ({@link TextDecodeError}).
 */
export interface WorkerFailure {
  ok: false;
  name: string;
  message: string;
  byteOffset?: number;
  encoding?: string;
  /** the bad byte's line */
  line?: number;
  /** the bad byte is a zero byte: not a text file */
  binary?: boolean;
  /** data records read before the bad byte */
  records?: number;
}

/** What a worker answers. */
export type FileAnswer = { ok: true; result: CsvValidationResult } | WorkerFailure;

/** What the pool posts to a worker: a file to validate, or the cancel of the one it runs. */
export type WorkerMessage = { id: number; task: FileTask } | { id: number; cancel: true };

/** What a worker posts: its file's progress, then its answer (same id). */
export type WorkerReply =
  | { id: number; progress: { bytes: number; rows: number } }
  | { id: number; answer: FileAnswer };

const contracts = new WeakMap<FullRowValidator, string>();

/**
 * Remembers the contract a validator was compiled from: a worker compiles its own. `validate` is
 * proof that the contract compiled here without problems, so workers skip its meta-schema check
 * (core `compileColumnContract`'s `checked`).
 */
export function registerContract(validate: FullRowValidator, contract: Record<string, unknown>): void {
  contracts.set(validate, JSON.stringify(contract));
}

/** Where `npm run fhir` writes the generated FHIR modules (core `fhir/generatedModules.ts` loads them). */
export const GENERATED_FHIR_MODULES = new URL('../core/fhir/generated/', import.meta.url).href;

const rowCheckSpecs = new WeakMap<RowCheckFactory, string>();

/**
 * Remembers the mapping and FHIR options a row check was prepared from, so a worker can prepare
 * the same check; a file with a row check not registered here is validated on this thread.
 */
export function registerRowCheck(rowCheck: RowCheckFactory, spec: MappedCheckSpec): void {
  rowCheckSpecs.set(rowCheck, JSON.stringify(spec));
}

/** An error a worker reported, rebuilt by name where the CLI needs the class. */
export class ValidateWorkerError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The worker's entry (plain JavaScript: it loads the built adapter, or the TypeScript one through tsx). */
const WORKER_ENTRY = new URL('./validateWorker.mjs', import.meta.url);

/**
 * A worker's young generation, in MB. A row's cells die young, so a smaller nursery is collected
 * more often at no measurable CPU cost, and each worker's RSS stays smaller.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

interface Running {
  id: number;
  task: FileTask;
  progress: ((progress: { bytes: number; rows: number }) => void) | undefined;
  resolve: (result: CsvValidationResult) => void;
  reject: (error: unknown) => void;
}

/** A long-lived worker and the file it validates, if any. */
interface PooledWorker {
  worker: Worker;
  running: Running | undefined;
}

/** Workers started so far and files they validated (tests check reuse). */
const stats = { started: 0, files: 0 };

const idle: PooledWorker[] = [];
const busy = new Set<PooledWorker>();
let nextId = 1;

function startWorker(): PooledWorker {
  const worker = new Worker(WORKER_ENTRY, {
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  stats.started++;
  const pooled: PooledWorker = { worker, running: undefined };
  worker.on('message', (reply: WorkerReply) => {
    const running = pooled.running;
    if (!running || running.id !== reply.id) return;
    if ('progress' in reply) {
      // progress never fails a run: a throw here would be uncaught (a worker's message handler)
      try {
        running.progress?.(reply.progress);
      } catch {
        // the line is shown again at the next report
      }
      return;
    }
    pooled.running = undefined;
    busy.delete(pooled);
    idle.push(pooled);
    worker.unref();
    settle(running, reply.answer);
  });
  const fail = (error: unknown) => {
    busy.delete(pooled);
    const at = idle.indexOf(pooled);
    if (at >= 0) idle.splice(at, 1);
    const running = pooled.running;
    pooled.running = undefined;
    running?.reject(error);
  };
  worker.on('error', fail);
  worker.on('exit', (code) =>
    fail(new ValidateWorkerError('Error', `a validation worker stopped (exit code ${code})`)),
  );
  return pooled;
}

function settle(running: Running, answer: FileAnswer): void {
  if (answer.ok) running.resolve(answer.result);
  else if (answer.name === 'TextDecodeError' && answer.byteOffset !== undefined)
    running.reject(
      new TextDecodeError(answer.byteOffset, answer.encoding as never, running.task.name, {
        ...(answer.line === undefined ? {} : { line: answer.line }),
        ...(answer.records === undefined ? {} : { records: answer.records }),
        binary: answer.binary === true,
      }),
    );
  else running.reject(new ValidateWorkerError(answer.name, answer.message));
}

/** Validates `task` in a pooled worker (started now when none is idle). */
function runInWorker(
  task: FileTask,
  signal: AbortSignal | undefined,
  progress: ((progress: { bytes: number; rows: number }) => void) | undefined,
): Promise<CsvValidationResult> {
  // a run cancelled before this file's turn reads none of it: posting the task and then the
  // cancel would let a worker that is quicker than the message finish the file
  if (signal?.aborted) return Promise.reject(signal.reason);
  const pooled = idle.pop() ?? startWorker();
  busy.add(pooled);
  stats.files++;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const cancel = () => {
      if (pooled.running?.id === id) pooled.worker.postMessage({ id, cancel: true } satisfies WorkerMessage);
    };
    // one run's signal is shared by all its files: each file's listener goes when the file ends
    const done = () => signal?.removeEventListener('abort', cancel);
    pooled.running = {
      id,
      task,
      progress,
      resolve: (result) => {
        done();
        resolve(result);
      },
      reject: (error) => {
        done();
        reject(error);
      },
    };
    pooled.worker.ref();
    pooled.worker.postMessage({ id, task } satisfies WorkerMessage);
    signal?.addEventListener('abort', cancel, { once: true });
  });
}

/** Stops the pooled workers (the next run starts new ones); files they validate fail. */
export async function closeValidateWorkers(): Promise<void> {
  const all = [...idle.splice(0), ...busy];
  busy.clear();
  await Promise.all(all.map((pooled) => pooled.worker.terminate()));
}

/** Workers started and files validated in workers since the process started. */
export function validateWorkerStats(): { started: number; files: number } {
  return { ...stats };
}

/**
 * The input runner of a run with several files at once: the first file at a time on this thread,
 * each other one in a pooled worker (see the file header). `cwd` resolves the files' names;
 * `readFrom`: where a worker reads a file that is not at its name (a Parquet file's CSV text).
 */
export function createFileRunner(
  cwd: string,
  readFrom: ReadonlyMap<string, string> = new Map(),
): InputRunner {
  /** files validated on this thread now */
  let here = 0;
  return async (source: CsvSource, options: ValidateCsvOptions) => {
    const { fullValidator, rowCheck, references = [], signal, onProgress, keySpill, ...rest } = options;
    const contract = fullValidator ? contracts.get(fullValidator) : undefined;
    const rowCheckSpec = rowCheck ? rowCheckSpecs.get(rowCheck) : undefined;
    const sendable =
      (fullValidator === undefined || contract !== undefined) &&
      (rowCheck === undefined || rowCheckSpec !== undefined) &&
      (keySpill === undefined || 'folder' in keySpill);
    // a records source (a Parquet file's rows) hands its cells over on this thread
    if (here === 0 || !sendable || source.records !== undefined) {
      here++;
      try {
        return await validateCsv(source, options);
      } finally {
        here--;
      }
    }
    const task: FileTask = {
      file: readFrom.get(source.name) ?? path.resolve(cwd, source.name),
      name: source.name,
      size: source.size,
      options: {
        ...rest,
        references: sendableReferences(references),
      },
    };
    if (contract !== undefined) task.contract = contract;
    if (rowCheckSpec !== undefined) task.rowCheck = rowCheckSpec;
    if (keySpill) {
      task.keySpillFolder = (keySpill as FileKeySpill).folder;
      if (keySpill.memoryBytes !== undefined) task.keySpillMemoryBytes = keySpill.memoryBytes;
    }
    if (onProgress) task.progress = true;
    const result = await runInWorker(task, signal, onProgress);
    // the file's last step, which the worker's throttle may not have sent
    onProgress?.({ bytes: result.bytes, rows: result.records });
    return result;
  };
}
