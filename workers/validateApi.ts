/**
 * The API the validator worker exposes: an adapter from `File`s to src/core/validation's engine
 * (`validateCsv` on one whole file, `detectLayout`, `readRecordAt`), kept apart from
 * `validate.worker.ts` so vitest can drive it without a real Worker. The run over several files
 * (order, report) is workers/validateRun.ts, on the page.
 *
 * Constraints:
 * - A file's pass reads it front to back through one byte stream (workers/streamedBlobSource.ts),
 *   its other reads (and every read where streams have no BYOB reader) are `Blob.slice` ranges;
 *   the core's strict streaming decoder decodes them, no parser ever sees a `File` (a character
 *   split across two chunks would be corrupted).
 * - Column contracts are compiled here by the core (`compileContract`: ajv, which generates code):
 *   this worker's script is served with its own CSP allowing `'unsafe-eval'` and `connect-src
 *   'none'` (src/core/http/securityHeaders.ts `validatorWorkerContentSecurityPolicy`). The
 *   page's policy stays without eval. ajv validates the contract itself (meta-schema, unknown
 *   keywords and formats: a contract that does not compile is reported with its JSON Pointers)
 *   and checks the rows the declarative plan flags or cannot decide; every other row is decided
 *   by the plan alone.
 * - Input problems the user can fix (bytes not valid in the chosen encoding, an unclosed quote, an
 *   empty file, a contract that does not compile) come back as a `problem` outcome, not a thrown
 *   error: the pool turns unknown errors into a generic crash message, and these need their own
 *   file, byte offset, row and advice. Messages never hold a cell value.
 * - A file's SHA-256, when the page asks (`FileTask.sha256`), is hashed here from the chunks the
 *   pass reads, so the `File` is read once, not again by the hash worker. hash-wasm compiles here
 *   under this worker's `'unsafe-eval'` (which allows WebAssembly too; nothing is added to the
 *   policy), fast-sha256 where it is refused; same digest either way.
 * - Only a file's result leaves the worker: counts, capped examples, profiles, key sets and the
 *   failing rows' byte offsets (12 bytes per row), its arrays transferred, not copied (core
 *   resultBuffers.ts).
 */
import * as Comlink from 'comlink';
import { regexCheckerFor } from '../src/core/contract/index.ts';
import { type CsvLayout, type SniffedLayout, TextDecodeError } from '../src/core/csv/index.ts';
import { type ReadChunk, type Sha256AlongReads, sha256AlongReads } from '../src/core/hash/index.ts';
import { InputReadError, serializeJobError } from '../src/core/jobs/errors.ts';
import {
  type ChosenInput,
  type CompiledContract,
  type ContractProblemPlace,
  type CsvSource,
  type CsvValidationResult,
  compileContract,
  contractCompileProblem,
  createPreparedCache,
  type DecimalMark,
  detectLayout,
  type FailingRowIndex,
  type HeaderMismatch,
  inputProblemOf,
  type KeySpec,
  mappingCompileProblem,
  notFhirTargetProblem,
  notTextProblem,
  PAGE_CONTROLS,
  type PreparedCache,
  type ReferenceLink,
  type RowCheckFactory,
  type RowSetWatch,
  type RunProgress,
  readHead,
  readRecordAt,
  receivedReferences,
  refusedInputResult,
  resultBuffers,
  type SentReference,
  type ValidateCsvOptions,
  validateCsv,
  withMappingKey,
} from '../src/core/validation/index.ts';
import type { Project } from '../src/formats/project.ts';
import type { FhirReportTarget, Report } from '../src/formats/report.ts';
import {
  type FailingRowsExportOutcome,
  type FailingRowsExportTask,
  runFailingRowsExport,
} from './failingRowsExportTask.ts';
import type { FhirPackageSpec } from './fhirPackages.ts';
import { type FindRowsOutcome, type FindRowsTask, runFindRows } from './findRowsTask.ts';
import { createJobRunner, type RunningJob } from './jobRunner.ts';
import { mappedSchemaCheck, targetSchemaProblemOf } from './mappedSchemaCheck.ts';
import { type FileKeySpill, KeySpillFailed, openFileKeySpill, type SpillDirectory } from './opfsKeySpill.ts';
import { createSha256Hashers, type Sha256Hashers } from './sha256Hasher.ts';
import { type StreamedBlobSource, streamedBlobSource } from './streamedBlobSource.ts';
import type { InputProblem, MappedFhirSpec } from './validateTypes.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

export type { FailingRowIndex } from '../src/core/validation/index.ts';
export type { InputProblem, MappedFhirSpec } from './validateTypes.ts';

/**
 * One file of a validation run: the core's input of the page's run (`chosenRun`: its name, layout,
 * header, contract, keys, check set and the rows of waivers limited to rows) with its bytes and
 * the mapping its records are checked with.
 */
export interface ValidateInputSpec extends ChosenInput {
  file: Blob;
  /**
   * a mapping: each row is mapped and the record validated — by the FHIR layers (loaded in the
   * worker only, on first use) for an R4 resource type, against `targetSchema` (compiled in the
   * worker) for a JSON Schema target; its key column is checked for duplicates
   */
  mapping?: MappedFhirSpec;
}

/** What the page asks the worker to validate. */
export interface ValidateRequest {
  inputs: ValidateInputSpec[];
  /** reference columns between the inputs (by input name) */
  links: ReferenceLink[];
  /** the project whose check sets the inputs are checked as (the report names them) */
  project?: Project;
  /** the header differences found before any row (`chosenRun`): issues of the report too */
  headers?: HeaderMismatch[];
  /** the app's version, for the report */
  toolVersion: string;
  /** bytes per read of a file (default: workers/validateRun.ts `BROWSER_CHUNK_BYTES`, 4 MiB) */
  chunkBytes?: number;
  /**
   * what the report's FHIR target says of the implementation guide packages the mapped records
   * were checked against (each mapping's `packages`), when every file maps to the same FHIR type
   */
  fhirPackages?: Pick<FhirReportTarget, 'packages' | 'missingPackages' | 'profiles'>;
}

/** One file for one worker (what {@link createValidateApi}'s `validateFile` is sent). */
export interface FileTask {
  file: Blob;
  name: string;
  layout: CsvLayout;
  contract?: { name: string; schema: Record<string, unknown> };
  keys: KeySpec[];
  /** reference columns, with the referenced input's key set as plain typed arrays */
  references: SentReference[];
  chunkBytes?: number;
  mapping?: MappedFhirSpec;
  /**
   * the run's key spill folder (workers/opfsKeySpill.ts): the file's key sets are written to OPFS
   * files there and checked from them; absent: in memory
   */
  keySpillRun?: string;
  /** key-record bytes the file's pass holds in memory before it writes the key files (the core's default) */
  keySpillMemoryBytes?: number;
  /** the row sets of waivers limited to rows, to count occurrences in */
  rowSets?: RowSetWatch[];
  /** hash the file's bytes as they are read: the outcome carries its SHA-256 */
  sha256?: boolean;
  /** the decimal mark of the file's numbers; absent: detected */
  decimalMark?: DecimalMark;
}

/**
 * What a worker answers for a file: its result, a problem the user can fix, or (`keySpillFailed`,
 * the DOMException's name) its key files could not be used — the page validates it again in memory.
 */
export type FileOutcome =
  | { ok: true; result: CsvValidationResult; sha256?: string }
  | { ok: false; problem: InputProblem }
  | { ok: false; keySpillFailed: string };

/** Where a validator worker's key files go (tests pass a fake OPFS). */
interface ValidateApiOptions {
  /** the OPFS root (default: `navigator.storage.getDirectory()`) */
  keySpillRoot?: () => Promise<SpillDirectory>;
  /** a fresh file-name-safe id (default: `crypto.randomUUID()`) */
  newId?: () => string;
  /** bytes a file's pass gathers before writing its key files (default: opfsKeySpill.ts's) */
  keySpillWriteBufferBytes?: number;
  /** the SHA-256 engine of files hashed as they are read (default: hash-wasm, else fast-sha256) */
  hashers?: Sha256Hashers;
}

/**
 * The OPFS root of `storage` when asked, or a KeySpillFailed where there is none (old browsers,
 * Node). The worker takes `storage` before it withholds browser storage from its scope.
 */
export function opfsRootOf(storage: StorageManager | undefined): () => Promise<SpillDirectory> {
  const getDirectory = storage?.getDirectory?.bind(storage);
  return async () => {
    if (!getDirectory) throw new KeySpillFailed('no origin private file system');
    try {
      return (await getDirectory()) as unknown as SpillDirectory;
    } catch (error) {
      // private browsing, storage turned off for the site
      throw new KeySpillFailed((error as Error | undefined)?.name ?? 'Error');
    }
  };
}

/** The OPFS root of this origin (see {@link opfsRootOf}). */
const opfsRoot = (): Promise<SpillDirectory> => opfsRootOf(globalThis.navigator?.storage)();

/** The outcome of a validation run. */
export type ValidateOutcome =
  | { ok: true; report: Report; failing: FailingRowIndex[] }
  | { ok: false; problem: InputProblem };

/** Validation progress: bytes (with rate and ETA) plus rows read so far and the file being read. */
export type ValidationProgress = RunProgress;

/** The first rows of a file (mapping preview), or a problem. */
export type HeadOutcome =
  | { ok: true; header: string[]; rows: string[][] }
  | { ok: false; problem: InputProblem };

/** What the page learns about a file before validating it. */
export type SniffOutcome =
  | { ok: true; layout: SniffedLayout; header: string[] }
  | { ok: false; problem: InputProblem };

/** A `Blob` as the engine's source: each read is one `Blob.slice` range, after a yield so cancel messages get in. */
export function blobSource(file: Blob, name: string): CsvSource {
  const read: ReadChunk = async (offset, length) => {
    await yieldToEventLoop();
    try {
      return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
    } catch (error) {
      throw new InputReadError({ source: name, byteOffset: offset }, (error as Error)?.name ?? 'Error');
    }
  };
  // each read is its own slice: reads may overlap (the listed keys' texts are read 16 at a time)
  return { name, size: file.size, read, concurrentReads: true };
}

/** Thrown while validating a file whose contract does not compile (becomes a `problem` outcome). */
class ContractProblem extends Error {
  constructor(
    readonly contractName: string,
    readonly problems: ContractProblemPlace[],
  ) {
    super('contract does not compile');
  }
}

/** The user-facing problem for an error the engine threw, or undefined for anything else (a bug). */
export function problemOf(error: unknown, inputs: readonly { name: string }[]): InputProblem | undefined {
  if (error instanceof ContractProblem) {
    // in the words `preflight validate` uses for the same contract
    const { message, advice, paths } = contractCompileProblem(error.contractName, error.problems);
    return { file: error.contractName, message, advice, schemaPaths: paths ?? [] };
  }
  return inputProblemOf(error, inputs, PAGE_CONTROLS);
}

/**
 * The problem of a mapping to FHIR that cannot run, in the core's words (the CLI's too). By name:
 * the classes live in the FHIR modules, which are imported only when a file has a mapping.
 */
function mappingProblemOf(error: unknown, file: string): InputProblem | undefined {
  // a package the records are checked against that cannot be read: its own problem, named
  const packageProblem = (error as { problem?: unknown } | undefined)?.problem;
  if ((error as Error | undefined)?.name === 'PackageProblem' && packageProblem)
    return packageProblem as InputProblem;
  const name = (error as Error | undefined)?.name;
  const {
    mappingId = '',
    target = '',
    problems = [],
  } = (error ?? {}) as {
    mappingId?: string;
    target?: string;
    problems?: readonly { path: string; message: string }[];
  };
  if (name === 'NotFhirTargetError') return notFhirTargetProblem(`mapping "${mappingId}"`, target, file);
  if (name === 'MappingCompileError')
    return mappingCompileProblem(`mapping "${mappingId}"`, file, problems, PAGE_CONTROLS);
  return undefined;
}

/**
 * The row check of a mapping to FHIR, prepared once per mapping and worker. The FHIR modules are
 * imported here, on first use, so neither the page nor the worker's first script carries them
 * (the generated modules load as their own chunks: fhir/generatedModules.ts).
 */
async function mappedFhirCheck(
  prepared: PreparedCache<RowCheckFactory>,
  spec: MappedFhirSpec,
): Promise<RowCheckFactory> {
  const { packages: packageSpecs, ...plain } = spec;
  // the packages' registry, by their bytes' SHA-256 (read again for each file: a file may have changed)
  const profiled = packageSpecs && packageSpecs.length > 0 ? await packageRegistry(packageSpecs) : undefined;
  // kept by the mapping's text and the packages' bytes
  const text = `${JSON.stringify(plain)}|${profiled?.registry.packages.map((p) => p.sha256).join(',') ?? ''}`;
  return prepared(text, async () => {
    const { generatedModules, prepareMappedFhirCheck } = await import('../src/core/fhir/index.ts');
    const check = await prepareMappedFhirCheck(spec.mapping, generatedModules, {
      ...(spec.layers ? { layers: spec.layers } : {}),
      ...(spec.unknownExtensions ? { unknownExtensions: spec.unknownExtensions } : {}),
      ...(profiled ? { profiles: profiled.validatorProfiles(profiled.registry, spec.profiles ?? []) } : {}),
    });
    return check.rowCheck;
  });
}

/** The worker's packages, read once per content (the profile modules load with the first one). */
let packageCache: Promise<{
  cache: ReturnType<typeof import('./fhirPackages.ts')['createPackageCache']>;
  validatorProfiles: typeof import('../src/core/fhirProfiles/index.ts')['validatorProfiles'];
}> | null = null;

/**
 * The registry of a mapping's packages. Throws the packages' own problem (a file that cannot be
 * read or is not a package), which the page shows with the file's name and what to do.
 */
async function packageRegistry(specs: readonly FhirPackageSpec[]) {
  packageCache ??= Promise.all([
    import('./fhirPackages.ts'),
    import('../src/core/fhirProfiles/index.ts'),
  ]).then(([packages, profiles]) => ({
    cache: packages.createPackageCache(),
    validatorProfiles: profiles.validatorProfiles,
  }));
  const { cache, validatorProfiles } = await packageCache;
  const { registry } = await cache.registryOf(specs);
  return { registry, validatorProfiles };
}

/** Creates the validator worker's API; one instance per worker. */
export function createValidateApi(apiOptions: ValidateApiOptions = {}) {
  const keySpillRoot = apiOptions.keySpillRoot ?? opfsRoot;
  const newId = apiOptions.newId ?? (() => crypto.randomUUID());
  let hashers = apiOptions.hashers;
  const mappedChecks = createPreparedCache<RowCheckFactory>();
  const schemaChecks = createPreparedCache<RowCheckFactory>();
  const jobs = createJobRunner();
  // compiled once per contract text: ajv's compile took as long as validating megabytes of rows,
  // on every file of every run
  const compiled = createPreparedCache<CompiledContract>();
  return {
    /** Detects a file's layout (encoding, delimiter, line endings) from its first 64 KiB, and reads its header. */
    async sniff(file: Blob, name: string, given: Partial<CsvLayout> = {}): Promise<SniffOutcome> {
      try {
        const source = blobSource(file, name);
        const notText = notTextProblem(name, await source.read(0, Math.min(4, file.size)), PAGE_CONTROLS);
        if (notText) return { ok: false, problem: notText };
        const layout = await detectLayout(source, given);
        const header = layout.header && file.size > 0 ? ((await readRecordAt(source, layout, 0)) ?? []) : [];
        return { ok: true, layout, header };
      } catch (error) {
        const problem = problemOf(error, [{ name }]);
        if (problem) return { ok: false, problem };
        throw serializeJobError(error);
      }
    },

    /**
     * Validates one whole file against its contract (compiled here, once per contract and worker),
     * with progress in bytes and rows. The result is returned only after the last progress report
     * was delivered (progress and result travel on different MessagePorts).
     */
    async validateFile(
      jobId: string,
      task: FileTask,
      onProgress: (progress: { bytes: number; rows: number }) => void,
    ): Promise<FileOutcome> {
      let along: Sha256AlongReads | undefined;
      const answer = async (error: unknown, signal: AbortSignal): Promise<FileOutcome | undefined> => {
        if (error instanceof KeySpillFailed) return { ok: false, keySpillFailed: error.reason };
        // not text, or not in its encoding: one problem on this file, and the run goes on
        if (error instanceof TextDecodeError) {
          // unread bytes that cannot be read now: no digest here, the page hashes the file itself
          const sha256 = await along?.finish(signal).then(
            (d) => d.sha256,
            () => undefined,
          );
          return {
            ok: true,
            result: refusedInputResult(task.name, task.file.size, task.layout, error, { keys: task.keys }),
            ...(sha256 ? { sha256 } : {}),
          };
        }
        const problem =
          problemOf(error, [task]) ??
          mappingProblemOf(error, task.name) ??
          targetSchemaProblemOf(error, task.name);
        return problem ? { ok: false, problem } : undefined;
      };
      return jobs.run(
        jobId,
        async ({ signal, report }: RunningJob<{ bytes: number; rows: number }>) => {
          let keySpill: FileKeySpill | undefined;
          let streamed: StreamedBlobSource | undefined;
          try {
            const options: ValidateCsvOptions = {
              layout: task.layout,
              keys: task.keys,
              references: receivedReferences(task.references),
              signal,
              onProgress: report,
            };
            if (task.chunkBytes) options.chunkBytes = task.chunkBytes;
            if (task.rowSets && task.rowSets.length > 0) options.rowSets = task.rowSets;
            if (task.decimalMark) options.decimalMark = task.decimalMark;
            if (task.contract) {
              const { name, schema } = task.contract;
              const entry = await compiled(JSON.stringify(schema), async () => {
                const result = await compileContract(schema);
                if (!result.ok) throw new ContractProblem(name, result.problems);
                return result;
              });
              options.plan = entry.plan;
              options.fullValidator = entry.validate;
            }
            if (task.mapping) {
              options.rowCheck =
                task.mapping.mapping.target.type === 'schema'
                  ? await mappedSchemaCheck(
                      schemaChecks,
                      task.mapping,
                      await regexCheckerFor(task.mapping.targetSchema?.schema),
                    )
                  : await mappedFhirCheck(mappedChecks, task.mapping);
              // the mapping's key is a record key (as `preflight validate --mapping`): its duplicates are
              // reported; added here, in the worker, so the page's bundle carries none of this
              options.keys = withMappingKey(task.keys, task.mapping.mapping.key);
            }
            if (task.keySpillRun !== undefined) {
              // key files are opened only if a key set goes past the pass's memory bound
              keySpill = await openFileKeySpill(keySpillRoot, {
                run: task.keySpillRun,
                count: options.keys?.length ?? 0,
                prefix: newId(),
                ...(apiOptions.keySpillWriteBufferBytes
                  ? { writeBufferBytes: apiOptions.keySpillWriteBufferBytes }
                  : {}),
                ...(task.keySpillMemoryBytes === undefined ? {} : { memoryBytes: task.keySpillMemoryBytes }),
              });
              options.keySpill = keySpill.spill;
            }
            streamed = streamedBlobSource(task.file, blobSource(task.file, task.name));
            let source = streamed.source;
            if (task.sha256) {
              hashers ??= createSha256Hashers();
              const { hasher } = await hashers.create();
              along = sha256AlongReads(source.read, { totalBytes: source.size, hasher, source: task.name });
              source = { ...source, read: along.read };
            }
            const result = await validateCsv(source, options);
            // what the pass did not read (it stopped early) is read now
            const sha256 = along ? (await along.finish(signal)).sha256 : undefined;
            // moved, not copied: failing rows, issue rows, key sets and profile sketches (a referenced
            // key set is megabytes per million rows)
            return Comlink.transfer(
              { ok: true, result, ...(sha256 ? { sha256 } : {}) } as FileOutcome,
              resultBuffers(result),
            );
          } finally {
            streamed?.close();
            await keySpill?.close();
          }
        },
        { onProgress, answer },
      );
    },

    /**
     * Re-reads the records starting at `offsets` (failing rows shown in the drill-down): only the rows
     * on screen are ever read. A row that cannot be read any more comes back as null.
     */
    async readRows(
      file: Blob,
      name: string,
      layout: CsvLayout,
      offsets: number[],
    ): Promise<(string[] | null)[]> {
      const source = blobSource(file, name);
      const rows: (string[] | null)[] = [];
      for (const offset of offsets) {
        try {
          rows.push((await readRecordAt(source, layout, offset)) ?? null);
        } catch {
          rows.push(null);
        }
      }
      return rows;
    },

    /**
     * The first `rows` data rows of `file` (and its header), for the mapping preview: reads 64 KiB
     * at a time and stops as soon as it has them (at most 4 MiB).
     */
    async readHead(file: Blob, name: string, layout: CsvLayout, rows: number): Promise<HeadOutcome> {
      try {
        return { ok: true, ...(await readHead(blobSource(file, name), layout, rows)) };
      } catch (error) {
        const problem = problemOf(error, [{ name }]);
        if (problem) return { ok: false, problem };
        throw serializeJobError(error);
      }
    },

    /**
     * Finds the rows a drill-down filter lists that the run did not keep (cross-file findings,
     * rows with warnings): workers/findRowsTask.ts, one pass per file, progress in bytes.
     */
    async findRows(
      jobId: string,
      task: FindRowsTask,
      onProgress: (progress: { bytes: number; rows: number }) => void,
    ): Promise<FindRowsOutcome> {
      const inputs = task.orphans ? [task, task.orphans.target] : [task];
      return jobs.run(
        jobId,
        async ({ signal, report }: RunningJob<{ bytes: number; rows: number }>) => {
          const found = await runFindRows(task, {
            source: blobSource,
            mappingCheck: (spec) => mappedFhirCheck(mappedChecks, spec),
            signal,
            onProgress: report,
          });
          return { ok: true as const, found };
        },
        {
          onProgress,
          answer: (error): FindRowsOutcome | undefined => {
            const problem = problemOf(error, inputs) ?? mappingProblemOf(error, task.name);
            return problem ? { ok: false, problem } : undefined;
          },
        },
      );
    },

    /**
     * Every failing row of the run, read again from the files, as one CSV or NDJSON `Blob`
     * (workers/failingRowsExportTask.ts), with progress in rows; a problem the user can fix
     * (a file changed or cannot be read) comes back as one.
     */
    async exportFailingRows(
      jobId: string,
      task: FailingRowsExportTask,
      onProgress: (progress: { rows: number; total: number }) => void,
    ): Promise<FailingRowsExportOutcome> {
      return jobs.run(
        jobId,
        async ({ signal, report }: RunningJob<{ rows: number; total: number }>) => {
          const blob = await runFailingRowsExport(task, { source: blobSource, signal, onProgress: report });
          return { ok: true as const, blob };
        },
        {
          onProgress,
          answer: (error): FailingRowsExportOutcome | undefined => {
            const problem = problemOf(error, task.inputs);
            return problem ? { ok: false, problem } : undefined;
          },
        },
      );
    },

    /** Soft cancel: job `jobId` stops before its next chunk. */
    cancel(jobId: string): void {
      jobs.cancel(jobId);
    },
  };
}

/** The validator worker's API as the main thread sees it through `Comlink.Remote`. */
export type ValidateWorkerApi = ReturnType<typeof createValidateApi>;
