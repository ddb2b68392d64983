/**
 * A pooled range worker of `preflight validate --workers N` (node:worker_threads): for each task
 * it is sent, opens the file, validates its byte range with the core's `validateCsv`, and posts
 * the result with its typed arrays transferred (before it, when asked, the range's progress every
 * few MB: validateProgress.ts `throttledRangeProgress`). The contract's validator is compiled once per
 * contract text, and a mapped file's row check (mapping + FHIR layers) prepared once per mapping,
 * and kept for the worker's later tasks. A tiny adapter: all logic is in src/core.
 *
 * Three entries start it: validateWorkerPlainMain.ts (no mappings), validateWorkerMain.ts (adds
 * mappings to a target JSON Schema) and validateWorkerMappedMain.ts (adds the FHIR layers) — kept
 * apart so a run's workers carry only the code it needs (a worker's start is on the path of the
 * range that ends last).
 */
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { compileColumnContract } from '../core/migration/columnContract.ts';
import { keySetFromState } from '../core/migration/keySet.ts';
import { checkClaimedPieces } from '../core/migration/keySpill.ts';
import { resultBuffers } from '../core/migration/resultBuffers.ts';
import type { RowCheckFactory } from '../core/migration/rowCheck.ts';
import { countRangeQuotes, splitRanges } from '../core/migration/splitMerge.ts';
import { TextDecodeError } from '../core/migration/textDecoding.ts';
import {
  type FullRowValidator,
  type ValidateCsvOptions,
  validateCsv,
} from '../core/migration/validateCsv.ts';
import { createFileKeySpill } from './keySpillFiles.ts';
import { markTimeline } from './runTimeline.ts';
import { throttledRangeProgress } from './validateProgress.ts';
import type {
  PreScanAnswer,
  PreScanTask,
  RangeAnswer,
  RangeMessage,
  RangeProgressMessage,
  RangeTask,
  SpilledCheckAnswer,
  SpilledCheckTask,
  WorkerFailure,
} from './validateWorkers.ts';

/** Contracts compiled so far, by their JSON text (a run uses one or a few). */
const validators = new Map<string, FullRowValidator | undefined>();
/** A run names few contracts; a bound keeps a long-lived worker from collecting them. */
const MAX_CACHED_CONTRACTS = 16;

function validatorOf(contract: string): FullRowValidator | undefined {
  if (!validators.has(contract)) {
    if (validators.size >= MAX_CACHED_CONTRACTS) validators.clear();
    // only a contract this process's main thread compiled without problems is sent
    // (validateWorkers.ts `registerContract`): not checked against its meta-schema again
    const compiled = compileColumnContract(JSON.parse(contract) as Record<string, unknown>, {
      checked: true,
    });
    validators.set(contract, compiled.ok ? compiled.validate : undefined);
  }
  return validators.get(contract);
}

/** Prepares a row check from its spec (a mapping and FHIR options as JSON text). */
export type RowCheckPreparer = (spec: string) => Promise<RowCheckFactory>;

/** Row checks prepared so far, by their spec text (a run uses one per mapping). */
const rowChecks = new Map<string, Promise<RowCheckFactory>>();

function rowCheckOf(spec: string, prepare: RowCheckPreparer | undefined): Promise<RowCheckFactory> {
  // a programming error: the pool sends mapped tasks only to workers started with a preparer
  if (!prepare) return Promise.reject(new Error('this validation worker cannot run mappings'));
  let check = rowChecks.get(spec);
  if (!check) {
    if (rowChecks.size >= MAX_CACHED_CONTRACTS) rowChecks.clear();
    check = prepare(spec);
    rowChecks.set(spec, check);
  }
  return check;
}

/** The answer to a task that failed ({@link WorkerFailure}): what the error is, never record content. */
function failure(error: unknown, fallback: string): WorkerFailure {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : fallback;
  return error instanceof TextDecodeError
    ? { ok: false, name, message, byteOffset: error.byteOffset, encoding: error.encoding }
    : { ok: false, name, message };
}

/**
 * Runs `use` with a reader of `file` (one buffer reused for every read, as the CLI's own reader
 * does) and closes the file after it; an error is answered as a {@link WorkerFailure}.
 */
async function withFile<T>(
  file: string,
  fallback: string,
  use: (read: (offset: number, length: number) => Promise<Uint8Array>) => Promise<T>,
): Promise<T | WorkerFailure> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const opened = handle;
    let buffer = new Uint8Array(0);
    return await use(async (offset, length) => {
      if (buffer.length < length) buffer = new Uint8Array(length);
      const { bytesRead } = await opened.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    });
  } catch (error) {
    return failure(error, fallback);
  } finally {
    await handle?.close();
  }
}

async function runTask(
  id: number,
  task: RangeTask,
  prepare: RowCheckPreparer | undefined,
): Promise<{ answer: RangeAnswer; transfer: ArrayBuffer[] }> {
  const answer = await withFile(task.file, 'the range could not be validated', async (read) => {
    const options: ValidateCsvOptions = {
      ...task.options,
      references: task.options.references.map((r) => ({
        column: r.column,
        target: r.target,
        targetColumn: r.targetColumn,
        ...(r.state ? { lookup: keySetFromState(r.state) } : {}),
      })),
    };
    const validate = task.contract === undefined ? undefined : validatorOf(task.contract);
    if (validate) options.fullValidator = validate;
    if (task.rowCheck !== undefined) options.rowCheck = await rowCheckOf(task.rowCheck, prepare);
    if (task.keySpillFolder !== undefined) options.keySpill = createFileKeySpill(task.keySpillFolder);
    // the range's progress, for the terminal's line (throttled: a message per few MB, not per chunk)
    if (task.progress === true)
      options.onProgress = throttledRangeProgress((progress) =>
        parentPort?.postMessage({ id, progress } satisfies RangeProgressMessage),
      );
    const range = task.options.range;
    const counter =
      task.quotesTo !== undefined && range
        ? countRangeQuotes(read, range.start, task.quotesTo, task.options.layout)
        : undefined;
    markTimeline(`worker: range ${range?.start ?? 0} start`);
    const result = await validateCsv(
      { name: task.name, size: task.size, read: counter?.read ?? read },
      options,
    );
    markTimeline(`worker: range ${range?.start ?? 0} end`);
    return {
      ok: true,
      result: counter ? Object.assign(result, { rangeQuotes: counter.count() }) : result,
    } as const;
  });
  return { answer, transfer: answer.ok ? resultBuffers(answer.result) : [] };
}

/** Pre-scans an input for its ranges (core `splitRanges`), reading it through one reused buffer. */
function runPreScan(task: PreScanTask): Promise<PreScanAnswer> {
  return withFile(task.file, 'the input could not be pre-scanned', async (read) => ({
    ok: true as const,
    ranges: await splitRanges(read, task.size, task.parts, task.layout),
  }));
}

/**
 * Checks pieces of spilled key sets beside the main thread (the merge's share of an idle worker),
 * taking them from the shared claim table until none is left.
 */
async function runCheck(check: SpilledCheckTask): Promise<SpilledCheckAnswer> {
  try {
    const spill = createFileKeySpill(check.folder);
    const checked = await checkClaimedPieces(check.parts, spill, check.claims, (from, to) => {
      // a piece is claimed: a worker dying now leaves it marked as taken, for this thread to redo
      exitIfTestAsks('check');
      markTimeline(`worker: key check ${from}-${to} start`);
    });
    // this thread took every piece before the worker claimed one: it dies before answering
    exitIfTestAsks('check');
    return { ok: true, checked };
  } catch (error) {
    return failure(error, 'the key check failed');
  }
}

/**
 * Tests only (validateWorkers.test.ts): `PREFLIGHT_TEST_WORKER_EXIT=check` or `=preScan` makes the
 * worker exit as it is given that task (the key check: as it claims its first piece, or before it
 * answers when the main thread took every piece), as a worker
 * that ran out of memory would die — the pool
 * must replace it. Unset in any real run; read per task, from the environment the worker was
 * started with.
 */
function exitIfTestAsks(task: 'check' | 'preScan'): void {
  if (process.env.PREFLIGHT_TEST_WORKER_EXIT === task) process.exit(70);
}

/** Serves the tasks the pool posts; `prepare` makes mapped files' row checks (when given). */
export function serveRanges(prepare?: RowCheckPreparer): void {
  markTimeline('worker: serving');
  parentPort?.on('message', async (message: RangeMessage) => {
    // compiled ahead of the ranges that will need it (kept for them; no answer)
    if ('contract' in message) {
      try {
        if (validatorOf(message.contract)) markTimeline('worker: contract compiled');
      } catch {
        // not kept: a range that needs this contract compiles it again in runTask, where the
        // error is answered (typed) and fails that range, instead of killing an idle worker
      }
      return;
    }
    if ('preScan' in message) {
      exitIfTestAsks('preScan');
      markTimeline('worker: pre-scan start');
      const answer = await runPreScan(message.preScan);
      markTimeline('worker: pre-scan end');
      parentPort?.postMessage({ id: message.id, answer });
      return;
    }
    if ('check' in message) {
      const answer = await runCheck(message.check);
      markTimeline('worker: key check end');
      parentPort?.postMessage({ id: message.id, answer });
      return;
    }
    const { answer, transfer } = await runTask(message.id, message.task, prepare);
    parentPort?.postMessage({ id: message.id, answer }, transfer);
  });
}
