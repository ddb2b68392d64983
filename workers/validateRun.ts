/**
 * A validation run over several files, on the page: the core's `validateInputs` (referenced files
 * first, so references are looked up in their key sets) with a parallel runner (core
 * `createParallelRunner`): a file of 4 MiB or more is split at record boundaries into one byte
 * range per validator worker (hardwareConcurrency − 1), each range is validated in its worker
 * (`validatePart`), and the results are merged by the core. Then `buildReport` and the compact
 * index of failing rows.
 *
 * Constraints:
 * - Only the split's pre-scan (8 MiB reads with native `indexOf`, run while the parts already run
 *   from guessed boundaries), the merges and the report run on the page; rows are parsed and
 *   checked in the workers only.
 * - Progress is the bytes of all files (each range reports its own; they are summed), with the
 *   rows read so far and the file being read.
 * - A part's problem (bytes not valid in the encoding, a contract that does not compile…) ends the
 *   run with that problem; cancelling cancels every part.
 * - Memory: runs of {@link KEY_SPILL_MIN_BYTES} or more write their key sets to OPFS files (workers
 *   write, the page's merge reads; workers/opfsKeySpill.ts) beyond the first
 *   {@link KEY_SPILL_MEMORY_BYTES} of key records, instead of holding them all; if OPFS is
 *   missing or fails (storage full), the run is done again in memory — never a lost result.
 * - No DOM: `runPart` is injected, so vitest runs the whole run against the worker API directly.
 */
import { createProgressThrottle, type ProgressStep } from '../src/core/jobs/progress.ts';
import { buildReport } from '../src/core/migration/buildReport.ts';
import type { CsvLayout } from '../src/core/migration/csvLayout.ts';
import type { IssueRowsState } from '../src/core/migration/issueRows.ts';
import { compilePlan } from '../src/core/migration/plan/compilePlan.ts';
import { createParallelRunner } from '../src/core/migration/splitMerge.ts';
import type { FailingRows, FullRowValidator } from '../src/core/migration/validateCsv.ts';
import { type InputJob, validateInputs } from '../src/core/migration/validateInputs.ts';
import { type ListedRepeatsRunner, readRepeatsInWorkers } from './listedRepeatsTask.ts';
import {
  KEY_SPILL_MEMORY_BYTES,
  KEY_SPILL_MIN_BYTES,
  KeySpillFailed,
  type RunKeySpill,
} from './opfsKeySpill.ts';
import {
  blobSource,
  type FailingRowIndex,
  type InputProblem,
  type PartOutcome,
  type PartTask,
  problemOf,
  type ValidateOutcome,
  type ValidateRequest,
  type ValidationProgress,
} from './validateApi.ts';

/**
 * Validates one part in a worker; `onProgress` gets the part's bytes and rows so far; `signal`
 * (the run's, or an attempt's that is given up) cancels it.
 */
export type PartRunner = (
  part: PartTask,
  onProgress: (progress: { bytes: number; rows: number }) => void,
  signal?: AbortSignal,
) => Promise<PartOutcome>;

/** Options of {@link runValidation}. */
export interface RunValidationOptions {
  /** validates one part (in a worker of the pool) */
  runPart: PartRunner;
  /** parts per file of 4 MiB or more (the pool's size) */
  parts: number;
  signal?: AbortSignal;
  onProgress?: (progress: ValidationProgress) => void;
  /** files smaller than this are one part (default: the core's 4 MiB) */
  minSplitBytes?: number;
  /**
   * Key sets spill to OPFS files (workers/opfsKeySpill.ts) when the files of the run are
   * `minBytes` or more together (default {@link KEY_SPILL_MIN_BYTES}): `start` makes the run's
   * folder. Absent, or OPFS unusable: key sets stay in memory.
   */
  keySpill?: {
    start: () => Promise<RunKeySpill>;
    minBytes?: number;
    /**
     * bytes of key records the run's workers keep in memory before writing to the files,
     * divided among the parts (default {@link KEY_SPILL_MEMORY_BYTES})
     */
    memoryBytes?: number;
  };
  /**
   * Reads a range again, in a worker of the pool, for the keys the key merge lists short
   * (workers/listedRepeatsTask.ts). Absent: read on this thread (tests of the run without a pool).
   */
  readRepeats?: ListedRepeatsRunner;
}

/**
 * Bytes a validator worker reads from the `File` at once (the request's `chunkBytes` overrides
 * it). Each read is a `Blob.slice` and `arrayBuffer()`: a round trip through the browser process,
 * whose cost is per read as much as per byte. Measured in Chromium on a 221 MB file (a dedicated
 * worker, 3 rounds): 1 MiB reads ≈ 1.0 CPU-s of the browser in all, 4 MiB ≈ 0.65 s, 16 MiB
 * ≈ 0.45 s. 4 MiB keeps a part's memory small (this chunk, the one read ahead and the engine's
 * copy). Cancel is checked per 128 KiB decode slice and progress said per MiB inside a chunk
 * (core validateCsv.ts): a 4 MiB chunk of the mapped FHIR check is 3 s or more of work.
 */
export const BROWSER_CHUNK_BYTES = 4 * 1024 * 1024;

/** Carries a part's problem out of the core's runner. */
class PartProblem extends Error {
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}

/** A contract's `$id`, else its name. */
function contractId(contract: NonNullable<ValidateRequest['inputs'][number]['contract']>): string {
  return typeof contract.schema.$id === 'string' ? contract.schema.$id : contract.name;
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
 * cancelled. Large runs spill their key sets to OPFS; if that fails at any point (storage full,
 * OPFS turned off), the run is done again with them in memory: slower, never a lost result.
 */
export async function runValidation(
  request: ValidateRequest,
  options: RunValidationOptions,
): Promise<ValidateOutcome> {
  const total = request.inputs.reduce((n, i) => n + i.file.size, 0);
  const spillOptions = options.keySpill;
  const runSpill =
    spillOptions && total >= (spillOptions.minBytes ?? KEY_SPILL_MIN_BYTES)
      ? await spillOptions.start().catch(() => undefined)
      : undefined;
  if (!runSpill) return runOnce(request, options, undefined);
  // parts of the spilling attempt still running when it fails are stopped, so the retry's parts
  // are not queued behind them
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  try {
    return await runOnce(request, { ...options, signal }, runSpill, () => stop.abort());
  } catch (error) {
    // the user's cancel, or a problem of the file: as it is; a spill failure (or the parts it
    // stopped): done again in memory
    if (options.signal?.aborted || !(error instanceof KeySpillFailed || stop.signal.aborted)) throw error;
  } finally {
    await runSpill.remove();
  }
  return runOnce(request, options, undefined);
}

/**
 * One attempt at {@link runValidation}, with the key sets spilled to `runSpill` or in memory;
 * `giveUp` is called as soon as a part's key files fail (the other parts need not finish).
 */
async function runOnce(
  request: ValidateRequest,
  options: RunValidationOptions,
  runSpill: RunKeySpill | undefined,
  giveUp?: () => void,
): Promise<ValidateOutcome> {
  const started = new Date();
  const t0 = performance.now();
  const total = request.inputs.reduce((n, i) => n + i.file.size, 0);
  // bytes and rows of each running or finished part, by file and range start
  const partProgress = new Map<string, { bytes: number; rows: number }>();
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
  // once every byte of a file is read, its parts finish and the page merges them (key checks,
  // references): seconds on a large file in which the count cannot move. Said as its own step
  // (core/jobs/progress.ts), not left at "99 % · about 0 s left"
  const fileBytes = new Map<string, number>();
  const fileRows = new Map<string, number>();
  const readThrough = new Set<string>();
  // what each file has added to the run's count: the count never goes back (the throttle refuses a
  // negative advance), so a file read again from its start adds only what passes this
  const counted = new Map<string, { bytes: number; rows: number }>();
  // the bytes of a file each of its parts reads, by part key (to find the parts a new one replaces)
  const partRanges = new Map<string, { name: string; start: number; end: number }>();
  // a part over bytes that earlier parts of its file read: a range the split's guess got wrong,
  // validated again over its right bytes, or the whole file read again after its ranges (a quote
  // kept as text in an unquoted cell misled the split, core/migration/splitMerge.ts). The earlier
  // parts' results are dropped, so are their bytes: "read to the end" is said at the real end
  const readAgain = (key: string, range: { name: string; start: number; end: number }) => {
    const { name } = range;
    const forget = [...partRanges].filter(
      ([k, r]) => r.name === name && (k === key || (r.start < range.end && range.start < r.end)),
    );
    partRanges.set(key, range);
    if (forget.length === 0) return;
    for (const [k] of forget) {
      const p = partProgress.get(k) ?? { bytes: 0, rows: 0 };
      fileBytes.set(name, (fileBytes.get(name) ?? 0) - p.bytes);
      fileRows.set(name, (fileRows.get(name) ?? 0) - p.rows);
      partProgress.delete(k);
      if (k !== key) partRanges.delete(k);
    }
    if (!readThrough.delete(name)) return;
    // the step said after the first read is over: the file is being read again
    options.onProgress?.({
      done: doneBytes,
      total,
      unit: 'bytes',
      ratePerSecond: lastRate,
      etaSeconds: null,
      rows: doneRows,
      input: name,
    });
  };
  const stepAfterReading = (name: string): ProgressStep => {
    const input = request.inputs.find((i) => i.name === name);
    const keyed =
      (input?.keys?.length ?? 0) > 0 || request.links.some((l) => l.input === name || l.target === name);
    return keyed ? 'checking-keys' : 'combining';
  };

  // the contract each placeholder validator stands for (the real one is compiled in each worker)
  const contracts = new Map<FullRowValidator, { name: string; schema: Record<string, unknown> }>();
  const jobs: InputJob[] = request.inputs.map((input) => {
    const job: InputJob = {
      source: blobSource(input.file, input.name),
      layout: input.layout,
      keys: input.keys,
    };
    if (input.contract) {
      const placeholder: FullRowValidator = () => {
        throw new Error('full validation runs in the validator worker');
      };
      contracts.set(placeholder, { name: input.contract.name, schema: input.contract.schema });
      job.plan = compilePlan(input.contract.schema);
      job.fullValidator = placeholder;
    }
    return job;
  });
  const files = new Map(request.inputs.map((i) => [i.name, i.file]));
  const mappings = new Map(request.inputs.flatMap((i) => (i.mapping ? [[i.name, i.mapping] as const] : [])));

  const runner = createParallelRunner(
    options.parts,
    async (source, rangeOptions, _lane, quotesTo) => {
      const contract = rangeOptions.fullValidator ? contracts.get(rangeOptions.fullValidator) : undefined;
      const part: PartTask = {
        file: files.get(source.name) as Blob,
        name: source.name,
        layout: rangeOptions.layout,
        keys: [...(rangeOptions.keys ?? [])],
        references: (rangeOptions.references ?? []).map((r) => ({
          column: r.column,
          target: r.target,
          targetColumn: r.targetColumn,
          // no lookup: a reference into the same file, checked by the part itself once its keys are complete
          ...(r.lookup?.state ? { state: r.lookup.state() } : {}),
        })),
      };
      if (contract) part.contract = contract;
      const mapping = mappings.get(source.name);
      if (mapping) part.mapping = mapping;
      if (rangeOptions.range) part.range = rangeOptions.range;
      if (quotesTo !== undefined) part.quotesTo = quotesTo;
      part.chunkBytes = request.chunkBytes ?? BROWSER_CHUNK_BYTES;
      if (runSpill && rangeOptions.keySpill) {
        part.keySpillRun = runSpill.run;
        // the run's share of memory, each part's at once (the pool runs a part per worker)
        const memory = Math.floor((options.keySpill?.memoryBytes ?? KEY_SPILL_MEMORY_BYTES) / options.parts);
        if (memory > 0) part.keySpillMemoryBytes = memory;
      }
      const key = `${source.name}@${rangeOptions.range?.start ?? 0}`;
      readAgain(key, {
        name: source.name,
        start: rangeOptions.range?.start ?? 0,
        end: rangeOptions.range?.end ?? source.size,
      });
      const outcome = await options.runPart(
        part,
        (p) => {
          const before = partProgress.get(key) ?? { bytes: 0, rows: 0 };
          partProgress.set(key, p);
          current = source.name;
          const read = (fileBytes.get(source.name) ?? 0) + p.bytes - before.bytes;
          fileBytes.set(source.name, read);
          const rows = (fileRows.get(source.name) ?? 0) + p.rows - before.rows;
          fileRows.set(source.name, rows);
          const was = counted.get(source.name) ?? { bytes: 0, rows: 0 };
          const now = { bytes: Math.max(was.bytes, read), rows: Math.max(was.rows, rows) };
          counted.set(source.name, now);
          doneRows += now.rows - was.rows;
          const delta = now.bytes - was.bytes;
          doneBytes += delta;
          throttle.advance(delta);
          if (read >= source.size && !readThrough.has(source.name)) {
            readThrough.add(source.name);
            options.onProgress?.({
              done: doneBytes,
              total,
              unit: 'bytes',
              ratePerSecond: lastRate,
              etaSeconds: null,
              rows: doneRows,
              input: source.name,
              step: stepAfterReading(source.name),
            });
          }
        },
        options.signal,
      );
      if (!outcome.ok && 'keySpillFailed' in outcome) {
        giveUp?.();
        throw new KeySpillFailed(outcome.keySpillFailed);
      }
      if (!outcome.ok) throw new PartProblem(outcome.problem);
      return outcome.result;
    },
    options.minSplitBytes,
    // each part reads the file in its worker and counts the quote bytes it reads up to its guessed
    // end: the counts confirm the split. The page pre-scanned the whole file again instead (8 MiB
    // reads, ≈ 0.3 s of the page's CPU at 1M rows and as much of the browser process's, on cores
    // the workers need); it still does where the counts do not confirm it (a malformed file)
    {
      readsWhileRunning: true,
      countsQuotes: true,
      // the listing's read of a range again parses rows: in a worker too
      ...(options.readRepeats
        ? {
            readListedRepeats: readRepeatsInWorkers({
              files,
              run: options.readRepeats,
              problem: (problem) => new PartProblem(problem),
              chunkBytes: request.chunkBytes ?? BROWSER_CHUNK_BYTES,
            }),
          }
        : {}),
    },
  );

  let results: Awaited<ReturnType<typeof validateInputs>>;
  try {
    results = await validateInputs(jobs, request.links, {
      run: runner,
      ...(runSpill ? { keySpill: runSpill.spill } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof PartProblem) return { ok: false, problem: error.problem };
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

  const inputExtras: Record<string, { schema?: string }> = {};
  for (const input of request.inputs)
    if (input.contract) inputExtras[input.name] = { schema: contractId(input.contract) };
  const schemas = new Set(Object.values(inputExtras).map((e) => e.schema));
  const mapped = request.inputs.map((i) => i.mapping?.mapping);
  const types = new Set(mapped.map((m) => (m?.target.type === 'fhir' ? m.target.resourceType : undefined)));
  const mappingIds = new Set(mapped.map((m) => (m ? `${m.id}\u0000${m.version}` : undefined)));
  const onlyType = types.size === 1 ? [...types][0] : undefined;
  // every file mapped to the same target schema: the report's target is that schema
  const schemaTargets = new Set(
    mapped.map((m) => (m?.target.type === 'schema' ? m.target.schema : undefined)),
  );
  const onlySchema = schemaTargets.size === 1 ? [...schemaTargets][0] : undefined;
  const onlyMapping = mappingIds.size === 1 ? mapped[0] : undefined;
  const report = buildReport(results, {
    generatedAt: new Date().toISOString(),
    startedAt: started.toISOString(),
    totalMs: Math.round(performance.now() - t0),
    toolVersion: request.toolVersion,
    inputExtras,
    ...(schemas.size === 1 && Object.keys(inputExtras).length === request.inputs.length
      ? { target: { type: 'schema' as const, schema: [...schemas][0] as string } }
      : {}),
    ...(onlyType ? { target: { type: 'fhir' as const, resourceType: onlyType } } : {}),
    ...(onlySchema ? { target: { type: 'schema' as const, schema: onlySchema } } : {}),
    ...(onlyMapping ? { mapping: { id: onlyMapping.id, version: onlyMapping.version } } : {}),
  });
  return {
    ok: true,
    report,
    failing: results.map((r) => failingIndex(r.input, r.layout, r.header, r.failingRows, r.issueRows)),
  };
}
