/**
 * A validation run over several files, on the page: the core's `validateInputs` (referenced files
 * first, so references are looked up in their key sets), each file validated whole in one pass by
 * one validator worker (`runFile`), up to one file per worker at once. Then `buildReport` and the
 * compact index of failing rows.
 *
 * Constraints:
 * - Rows are parsed and checked in the workers only; the page orders the files and builds the report.
 * - Progress is the bytes of all files (each file reports its own; they are summed), with the rows
 *   read so far and the file being read; once a file is read to the end, the step after reading
 *   (its key checks) is said, so a pause there does not read as a hang.
 * - A file's problem (bytes not valid in the encoding, a contract that does not compile…) ends the
 *   run with that problem; cancelling cancels every file.
 * - Memory: a file of {@link KEY_SPILL_MIN_BYTES} or more writes its key sets to OPFS files in its
 *   worker (workers/opfsKeySpill.ts) and checks them from there; if OPFS is missing or fails
 *   (storage full), that file is validated again with its key sets in memory — never a lost result.
 * - No DOM: `runFile` is injected, so vitest runs the whole run against the worker API directly.
 */

import { contractPatternPlaces } from '../src/core/contract/index.ts';
import type { CsvLayout } from '../src/core/csv/index.ts';
import { WorkerCrashedError } from '../src/core/jobs/errors.ts';
import { createProgressThrottle, type ProgressStep } from '../src/core/jobs/progress.ts';
import {
  type FailingRows,
  type InputJob,
  type IssueRowsState,
  KEY_SPILL_MIN_BYTES,
  mappedTarget,
  planChosen,
  runReport,
  validateInputs,
} from '../src/core/validation/index.ts';
import { KeySpillFailed, type RunKeySpill } from './opfsKeySpill.ts';
import {
  blobSource,
  type FailingRowIndex,
  type FileOutcome,
  type FileTask,
  type InputProblem,
  problemOf,
  type ValidateOutcome,
  type ValidateRequest,
  type ValidationProgress,
} from './validateApi.ts';

/**
 * Validates one file in a worker; `onProgress` gets its bytes and rows so far; `signal` (the
 * run's) cancels it.
 */
export type FileRunner = (
  task: FileTask,
  onProgress: (progress: { bytes: number; rows: number }) => void,
  signal?: AbortSignal,
) => Promise<FileOutcome>;

/** Options of {@link runValidation}. */
export interface RunValidationOptions {
  /** validates one file (in a worker of the pool) */
  runFile: FileRunner;
  /** files validated at once (the pool's size) */
  filesAtOnce: number;
  signal?: AbortSignal;
  onProgress?: (progress: ValidationProgress) => void;
  /**
   * Key sets of a file of `minBytes` or more (default {@link KEY_SPILL_MIN_BYTES}) spill to OPFS
   * files (workers/opfsKeySpill.ts): `start` makes the run's folder. Absent, or OPFS unusable:
   * key sets stay in memory.
   */
  keySpill?: {
    start: () => Promise<RunKeySpill>;
    minBytes?: number;
  };
  /**
   * The SHA-256 (lowercase hex) of a file, streamed (the app's fingerprint: the hash worker
   * pool), computed while the files are validated; the report cites it. Absent: no fingerprint.
   */
  digest?: (file: Blob, signal?: AbortSignal) => Promise<string>;
}

/**
 * Bytes a validator worker reads from the `File` at once (the request's `chunkBytes` overrides
 * it). Each read is a `Blob.slice` and `arrayBuffer()`: a round trip through the browser process,
 * whose cost is per read as much as per byte (tests/bench/RESULTS.md). 4 MiB keeps a file's
 * memory small (this chunk, the one read ahead and the engine's copy). Cancel is checked per
 * 128 KiB decode slice and progress said per MiB inside a chunk (core validateCsv.ts).
 */
export const BROWSER_CHUNK_BYTES = 4 * 1024 * 1024;

/** Carries a file's problem out of the core's run. */
class FileProblem extends Error {
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}

/** A failing-row index trimmed to its count (the engine's arrays grow by doubling). */
function failingIndex(
  input: string,
  layout: CsvLayout,
  header: string[],
  failing: FailingRows,
  issueRows: IssueRowsState,
): FailingRowIndex {
  return {
    issues: issueRows.groups,
    input,
    layout,
    header,
    count: failing.count,
    rows: failing.rows.slice(0, failing.count),
    offsets: failing.offsets.slice(0, failing.count),
  };
}

/**
 * Validates every file of `request`; see the file header. Rejects with JobCancelledError when
 * cancelled.
 */
export async function runValidation(
  request: ValidateRequest,
  options: RunValidationOptions,
): Promise<ValidateOutcome> {
  const total = request.inputs.reduce((n, i) => n + i.file.size, 0);
  const minBytes = options.keySpill?.minBytes ?? KEY_SPILL_MIN_BYTES;
  const spills = request.inputs.some((i) => i.file.size >= minBytes);
  const runSpill = spills ? await options.keySpill?.start().catch(() => undefined) : undefined;
  try {
    return await runOnce(request, options, total, runSpill, minBytes);
  } finally {
    await runSpill?.remove();
  }
}

async function runOnce(
  request: ValidateRequest,
  options: RunValidationOptions,
  total: number,
  runSpill: RunKeySpill | undefined,
  minBytes: number,
): Promise<ValidateOutcome> {
  const started = new Date();
  const t0 = performance.now();
  // fingerprints run beside the validation (another worker pool); a failure is the run's
  const digests = options.digest
    ? Promise.all(
        request.inputs.map(async (i) => [i.name, await options.digest?.(i.file, options.signal)] as const),
      )
    : Promise.resolve([]);
  // settled before anything else awaits it: a run that fails first does not leave it unhandled
  digests.catch(() => undefined);
  let current = '';
  let doneBytes = 0;
  let doneRows = 0;
  let lastRate = 0;
  const throttle = createProgressThrottle({
    total,
    unit: 'bytes',
    emit: (progress) => {
      lastRate = progress.ratePerSecond;
      options.onProgress?.({ ...progress, rows: doneRows, input: current });
    },
  });
  // what each file has added to the run's count: the count never goes back (the throttle refuses
  // a negative advance), so a file read again (its key files failed) adds only what passes this
  const counted = new Map<string, { bytes: number; rows: number }>();
  const readThrough = new Set<string>();
  const stepAfterReading = (name: string): ProgressStep => {
    const input = request.inputs.find((i) => i.name === name);
    const keyed =
      (input?.keys?.length ?? 0) > 0 || request.links.some((l) => l.input === name || l.target === name);
    return keyed ? 'checking-keys' : 'combining';
  };
  const onFileProgress = (name: string, size: number) => (p: { bytes: number; rows: number }) => {
    current = name;
    const was = counted.get(name) ?? { bytes: 0, rows: 0 };
    const now = { bytes: Math.max(was.bytes, p.bytes), rows: Math.max(was.rows, p.rows) };
    counted.set(name, now);
    doneRows += now.rows - was.rows;
    const delta = now.bytes - was.bytes;
    doneBytes += delta;
    throttle.advance(delta);
    if (p.bytes >= size && !readThrough.has(name)) {
      readThrough.add(name);
      options.onProgress?.({
        done: doneBytes,
        total,
        unit: 'bytes',
        ratePerSecond: lastRate,
        etaSeconds: null,
        rows: doneRows,
        input: name,
        step: stepAfterReading(name),
      });
    }
  };

  // the run's plan, as the CLI's: each file's contract (by its id), what of it is not checked and
  // the check set it is checked as
  const plan = planChosen(request.inputs, request.links, request.project);
  const jobs: InputJob[] = request.inputs.map((input) => {
    const job: InputJob = {
      source: blobSource(input.file, input.name),
      layout: input.layout,
      keys: input.keys,
    };
    if (input.rowSets && input.rowSets.length > 0) job.rowSets = input.rowSets;
    return job;
  });
  const contracts = new Map(
    request.inputs.flatMap((i) =>
      i.contract ? [[i.name, { name: i.contract.name, schema: i.contract.schema }] as const] : [],
    ),
  );
  const files = new Map(request.inputs.map((i) => [i.name, i.file]));
  const mappings = new Map(request.inputs.flatMap((i) => (i.mapping ? [[i.name, i.mapping] as const] : [])));

  let results: Awaited<ReturnType<typeof validateInputs>>;
  try {
    results = await validateInputs(jobs, request.links, {
      parallel: options.filesAtOnce,
      ...(options.signal ? { signal: options.signal } : {}),
      run: async (source, fileOptions) => {
        // compiled in the worker (the page's policy allows no code generation)
        const contract = contracts.get(source.name);
        const task: FileTask = {
          file: files.get(source.name) as Blob,
          name: source.name,
          layout: fileOptions.layout,
          keys: [...(fileOptions.keys ?? [])],
          references: (fileOptions.references ?? []).map((r) => ({
            column: r.column,
            target: r.target,
            targetColumn: r.targetColumn,
            // no lookup: a reference into the same file, checked by its own pass once its keys are complete
            ...(r.lookup?.state ? { state: r.lookup.state() } : {}),
          })),
          chunkBytes: request.chunkBytes ?? BROWSER_CHUNK_BYTES,
        };
        if (fileOptions.rowSets) task.rowSets = [...fileOptions.rowSets];
        if (contract) task.contract = contract;
        const patterns = contract
          ? { contract: contract.name, places: contractPatternPlaces(contract.schema) }
          : undefined;
        // a worker stalled on a contract with patterns may be stuck in one: say so beside memory
        const runFile: FileRunner = (t, p, s) =>
          options.runFile(t, p, s).catch((error: unknown) => {
            throw patterns && error instanceof WorkerCrashedError ? error.withPatterns(patterns) : error;
          });
        const mapping = mappings.get(source.name);
        if (mapping) task.mapping = mapping;
        const progress = onFileProgress(source.name, source.size);
        let outcome: FileOutcome | undefined;
        if (runSpill && source.size >= minBytes) {
          outcome = await runFile({ ...task, keySpillRun: runSpill.run }, progress, fileOptions.signal);
          // its key files could not be used: the file again, its key sets in memory
          if (!outcome.ok && 'keySpillFailed' in outcome) outcome = undefined;
        }
        outcome ??= await runFile(task, progress, fileOptions.signal);
        if (!outcome.ok && 'keySpillFailed' in outcome) throw new KeySpillFailed(outcome.keySpillFailed);
        if (!outcome.ok) throw new FileProblem(outcome.problem);
        return outcome.result;
      },
    });
  } catch (error) {
    if (error instanceof FileProblem) return { ok: false, problem: error.problem };
    const problem = options.signal?.aborted ? undefined : problemOf(error, request.inputs);
    if (problem) return { ok: false, problem };
    throw error;
  }
  throttle.advance(Math.max(0, total - doneBytes));
  throttle.finish();
  // the finished count, then what the run still does (the same tick: a screen shows the step)
  options.onProgress?.({
    done: total,
    total,
    unit: 'bytes',
    ratePerSecond: lastRate,
    etaSeconds: null,
    rows: doneRows,
    input: current,
    step: 'writing-report',
  });

  const sha256 = new Map(await digests);
  const report = runReport(results, plan, {
    generatedAt: new Date().toISOString(),
    startedAt: started.toISOString(),
    totalMs: Math.round(performance.now() - t0),
    toolVersion: request.toolVersion,
    sha256: (name) => sha256.get(name),
    // every file mapped to the same target (or by the same mapping): the report names it
    mapped: mappedTarget(
      request.inputs.map(({ mapping: spec }) => {
        if (!spec) return undefined;
        const { id, version, target } = spec.mapping;
        return {
          target:
            target.type === 'fhir'
              ? { type: 'fhir' as const, resourceType: target.resourceType }
              : { type: 'schema' as const, schema: target.schema },
          mapping: { id, version },
          key: `${id}\u0000${version}`,
        };
      }),
    ),
    // the packages the mapped records were checked against, when they are FHIR
    ...(request.fhirPackages ? { fhirPackages: request.fhirPackages } : {}),
    ...(request.headers ? { headers: request.headers } : {}),
    checkSets: plan.checkSetIds,
  });
  return {
    ok: true,
    report,
    failing: results.map((r) => failingIndex(r.input, r.layout, r.header, r.failingRows, r.issueRows)),
  };
}
