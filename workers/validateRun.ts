/**
 * A validation run over several files, on the page: the run planned (`planChosen`), executed and
 * reported by the core (`executeRun`, as `preflight validate` runs it), each file validated whole
 * in one pass by one validator worker (`runFile`), up to one file per worker at once. This file
 * only turns a file into a worker's task and its outcome back.
 *
 * Constraints:
 * - Rows are parsed and checked in the workers only; the page orders the files and builds the report.
 * - Progress is the core's `createRunProgress`: the bytes of all files, the rows read so far and the
 *   file being read, then the step after reading.
 * - A file's problem (bytes not valid in the encoding, a contract that does not compile…) ends the
 *   run with that problem; cancelling cancels every file.
 * - Memory: a file of {@link KEY_SPILL_MIN_BYTES} or more writes its key sets to OPFS files in its
 *   worker (workers/opfsKeySpill.ts) and checks them from there; if OPFS is missing or fails
 *   (storage full), that file is validated again with its key sets in memory — never a lost result.
 * - No DOM: `runFile` is injected, so vitest runs the whole run against the worker API directly.
 */

import { contractPatternPlaces } from '../src/core/contract/index.ts';
import { WorkerCrashedError } from '../src/core/jobs/errors.ts';
import {
  type CsvSource,
  createRunProgress,
  failingRowIndex,
  KEY_SPILL_MIN_BYTES,
  type MappedInput,
  mappedTarget,
  planChosen,
  sendableReferences,
  type ValidateCsvOptions,
  validationRun,
} from '../src/core/validation/index.ts';
import { KeySpillFailed, type RunKeySpill } from './opfsKeySpill.ts';
import {
  blobSource,
  type FileOutcome,
  type FileTask,
  type InputProblem,
  type MappedFhirSpec,
  problemOf,
  type ValidateInputSpec,
  type ValidateOutcome,
  type ValidateRequest,
  type ValidationProgress,
} from './validateApi.ts';

/**
 * Validates one file in a worker; `onProgress` gets its bytes and rows so far; `signal` (the
 * run's) cancels it.
 */
type FileRunner = (
  task: FileTask,
  onProgress: (progress: { bytes: number; rows: number }) => void,
  signal?: AbortSignal,
) => Promise<FileOutcome>;

/** Options of {@link runValidation}. */
interface RunValidationOptions {
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
    /** key-record bytes a file's pass holds in memory before it writes its key files (the core's default) */
    memoryBytes?: number;
  };
  /**
   * The SHA-256 (lowercase hex) of a file, streamed (the app's fingerprint: the hash worker
   * pool); the report cites it. Absent: no fingerprint. Each file's validator worker is asked to
   * hash the bytes it reads (one read of the file); this is called after the pass only for a file
   * whose worker gave no digest.
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

/**
 * Validates every file of `request`; see the file header. Rejects with JobCancelledError when
 * cancelled.
 */
export async function runValidation(
  request: ValidateRequest,
  options: RunValidationOptions,
): Promise<ValidateOutcome> {
  const minBytes = options.keySpill?.minBytes ?? KEY_SPILL_MIN_BYTES;
  const spills = request.inputs.some((i) => i.file.size >= minBytes);
  const runSpill = spills ? await options.keySpill?.start().catch(() => undefined) : undefined;
  try {
    return await runOnce(request, options, runSpill, minBytes);
  } finally {
    await runSpill?.remove();
  }
}

async function runOnce(
  request: ValidateRequest,
  options: RunValidationOptions,
  runSpill: RunKeySpill | undefined,
  minBytes: number,
): Promise<ValidateOutcome> {
  const started = { at: new Date(), t0: performance.now() };
  const { digest, signal } = options;
  const progress = createRunProgress(
    request.inputs.map((i) => ({ name: i.name, size: i.file.size, keyed: (i.keys?.length ?? 0) > 0 })),
    request.links,
    (p) => options.onProgress?.(p),
  );
  const inputs = new Map(request.inputs.map((i) => [i.name, i]));
  // each file's SHA-256 as its validator worker hashed it from the bytes of its pass
  const hashedInWorker = new Map<string, string>();
  // one file in a worker of the pool: its contract compiled there (the page's policy allows no
  // code generation), its key sets in the run's OPFS folder when it is large
  const runFile = async (source: CsvSource, fileOptions: ValidateCsvOptions) => {
    const input = inputs.get(source.name) as ValidateInputSpec;
    const { contract, mapping } = input;
    const task: FileTask = {
      file: input.file,
      name: source.name,
      layout: fileOptions.layout,
      keys: [...(fileOptions.keys ?? [])],
      references: sendableReferences(fileOptions.references),
      chunkBytes: request.chunkBytes ?? BROWSER_CHUNK_BYTES,
      ...(digest ? { sha256: true } : {}),
      ...(fileOptions.rowSets ? { rowSets: [...fileOptions.rowSets] } : {}),
      ...(fileOptions.decimalMark ? { decimalMark: fileOptions.decimalMark } : {}),
      ...(contract ? { contract: { name: contract.name, schema: contract.schema } } : {}),
      ...(mapping ? { mapping } : {}),
    };
    const patterns = contract
      ? { contract: contract.name, places: contractPatternPlaces(contract.schema) }
      : undefined;
    // a worker stalled on a contract with patterns may be stuck in one: say so beside memory
    const inWorker = (t: FileTask) =>
      options.runFile(t, progress.file(source.name), fileOptions.signal).catch((error: unknown) => {
        throw patterns && error instanceof WorkerCrashedError ? error.withPatterns(patterns) : error;
      });
    let outcome: FileOutcome | undefined;
    if (runSpill && source.size >= minBytes) {
      const memoryBytes = options.keySpill?.memoryBytes;
      outcome = await inWorker({
        ...task,
        keySpillRun: runSpill.run,
        ...(memoryBytes === undefined ? {} : { keySpillMemoryBytes: memoryBytes }),
      });
      // its key files could not be used: the file again, its key sets in memory
      if (!outcome.ok && 'keySpillFailed' in outcome) outcome = undefined;
    }
    outcome ??= await inWorker(task);
    if (!outcome.ok && 'keySpillFailed' in outcome) throw new KeySpillFailed(outcome.keySpillFailed);
    if (!outcome.ok) throw new FileProblem(outcome.problem);
    if (outcome.sha256) hashedInWorker.set(source.name, outcome.sha256);
    return outcome.result;
  };
  try {
    const { results, report } = await validationRun({
      // the run's plan, as the CLI's: each file's contract (by its id), what of it is not checked
      // and the check set it is checked as
      prepare: async () => ({
        plan: planChosen(request.inputs, request.links, request.project),
        jobs: request.inputs.map((input) => ({
          source: blobSource(input.file, input.name),
          layout: input.layout,
          keys: input.keys,
          ...(input.rowSets && input.rowSets.length > 0 ? { rowSets: input.rowSets } : {}),
        })),
      }),
      // each file's mark as chosen in its settings; absent: detected by its pass
      decimalMark: (name) => inputs.get(name)?.decimalMark,
      // compared on the page, where the person decided to check a file that does not fit anyway
      headers: { decided: request.headers ?? [] },
      // each file's mapping is compiled in its worker; every file mapped to the same target (or
      // by the same mapping): the report names it, with the packages its FHIR records were checked against
      mappings: async () => ({
        mapped: mappedTarget(
          request.inputs.map(({ mapping }) => (mapping ? mappedInput(mapping) : undefined)),
        ),
        ...(request.fhirPackages ? { fhirPackages: request.fhirPackages } : {}),
      }),
      engine: async () => ({ parallel: options.filesAtOnce, run: runFile, ...(signal ? { signal } : {}) }),
      // fingerprints from the validator workers; a file without one is hashed after the pass (the
      // hash worker pool); a failure is the run's
      ...(digest
        ? {
            fingerprints: {
              when: 'after' as const,
              all: async () =>
                new Map(
                  await Promise.all(
                    request.inputs.map(
                      async (i) =>
                        [i.name, hashedInWorker.get(i.name) ?? (await digest(i.file, signal))] as const,
                    ),
                  ),
                ),
            },
          }
        : {}),
      started,
      afterEngine: progress.done,
      report: { toolVersion: request.toolVersion },
      // with a project, each failing issue names what uses its data, as `validate --project` does
      ...(request.project ? { project: request.project } : {}),
    });
    return { ok: true, report, failing: results.map(failingRowIndex) };
  } catch (error) {
    if (error instanceof FileProblem) return { ok: false, problem: error.problem };
    const problem = signal?.aborted ? undefined : problemOf(error, request.inputs);
    if (problem) return { ok: false, problem };
    throw error;
  }
}

/** What the report names of a file's mapping: its target and the mapping itself. */
function mappedInput(spec: MappedFhirSpec): MappedInput {
  const { id, version, target } = spec.mapping;
  return {
    target:
      target.type === 'fhir'
        ? { type: 'fhir' as const, resourceType: target.resourceType }
        : { type: 'schema' as const, schema: target.schema },
    mapping: { id, version },
    key: `${id}\u0000${version}`,
  };
}
