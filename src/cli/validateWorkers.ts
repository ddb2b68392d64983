/**
 * `preflight validate --workers N`: each input is split into N byte ranges at record boundaries
 * (core `createParallelRunner`), each range is validated by the same core function in its own
 * `node:worker_threads` worker, and the results are merged in core. The worker is a tiny adapter
 * (validateWorkerMain.ts); the ajv validator is compiled in each worker from the contract, since a
 * compiled function cannot be sent between threads. Progress is not reported from range workers
 * (the terminal shows none with --workers above 1).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KeySetState } from '../core/migration/keySet.ts';
import { createParallelRunner } from '../core/migration/splitMerge.ts';
import { TextDecodeError } from '../core/migration/textDecoding.ts';
import type {
  CsvValidationResult,
  FullRowValidator,
  ValidateCsvOptions,
} from '../core/migration/validateCsv.ts';
import type { InputRunner } from '../core/migration/validateInputs.ts';

/** What a range worker is sent. */
export interface RangeTask {
  file: string;
  name: string;
  size: number;
  options: Omit<ValidateCsvOptions, 'fullValidator' | 'references' | 'signal' | 'onProgress'> & {
    references: { column: string; target: string; targetColumn: string; state?: KeySetState }[];
  };
  contract?: Record<string, unknown>;
}

/** What a range worker answers. */
export type RangeAnswer =
  | { ok: true; result: CsvValidationResult }
  | { ok: false; name: string; message: string; byteOffset?: number; encoding?: string };

const contracts = new WeakMap<FullRowValidator, Record<string, unknown>>();

/** Remembers the contract a validator was compiled from (workers compile their own). */
export function registerContract(validate: FullRowValidator, contract: Record<string, unknown>): void {
  contracts.set(validate, contract);
}

/** An error a worker reported, rebuilt by name where the CLI needs the class. */
export class RangeWorkerError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function runInWorker(task: RangeTask): Promise<CsvValidationResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./validateWorker.mjs', import.meta.url), { workerData: task });
    worker.once('message', (answer: RangeAnswer) => {
      void worker.terminate();
      if (answer.ok) resolve(answer.result);
      else if (answer.name === 'TextDecodeError' && answer.byteOffset !== undefined)
        reject(new TextDecodeError(answer.byteOffset, answer.encoding as never, task.name));
      else reject(new RangeWorkerError(answer.name, answer.message));
    });
    worker.once('error', (error) => reject(error));
  });
}

/**
 * Files smaller than this are validated in one range: the user asked for workers, but below this
 * a worker's start (a Node isolate and the TypeScript loader) costs more than it saves.
 */
export const CLI_MIN_SPLIT_BYTES = 64 * 1024;

/** The input runner of `--workers N`. */
export function createWorkerRunner(workers: number, cwd: string): InputRunner {
  return createParallelRunner(
    workers,
    (source, options) => {
      const { fullValidator, references = [], signal: _signal, onProgress: _progress, ...rest } = options;
      const contract = fullValidator ? contracts.get(fullValidator) : undefined;
      const task: RangeTask = {
        file: path.resolve(cwd, source.name),
        name: source.name,
        size: source.size,
        options: {
          ...rest,
          references: references.map((r) => ({
            column: r.column,
            target: r.target,
            targetColumn: r.targetColumn,
            ...(r.lookup?.state ? { state: r.lookup.state() } : {}),
          })),
        },
      };
      if (contract) task.contract = contract;
      return runInWorker(task);
    },
    CLI_MIN_SPLIT_BYTES,
  );
}
