/**
 * The API the FHIR validator worker exposes: an adapter from `File`s to src/core/fhir
 * (`createFhirSession`, `createFhirRun`), kept apart from `fhirValidate.worker.ts` so vitest can
 * drive it without a real Worker. One worker holds the run: references across the NDJSON files
 * of one export are resolved in one run's state.
 *
 * Constraints:
 * - Files are read with `Blob.slice` ranges and decoded by ONE strict streaming UTF-8 decoder per
 *   file (`createTextStreamDecoder`); no parser ever sees a `File`. A file that is not UTF-8, or
 *   holds a zero byte (not text at all: a PDF dropped with the export), is one fatal problem on
 *   that file at the byte's line and offset, and the run goes on with the other files. NDJSON (`.ndjson`, `.jsonl`)
 *   is streamed line by line: a line that fails does not stop the rest. Other files (a resource
 *   or a Bundle) are read whole, up to {@link MAX_JSON_BYTES}.
 * - Memory is flat in file size: per file only the report's aggregates (grouped issues, capped
 *   examples) and a sparse line index (one byte offset per {@link CHECKPOINT_BYTES} or
 *   {@link CHECKPOINT_LINES}, whichever comes first) leave the worker. "Open at location"
 *   re-reads one record from its nearest checkpoint.
 * - Cancel: the run checks its AbortSignal before each chunk read, after a yield to the event
 *   loop so the cancel message gets in: it stops within one chunk.
 * - The generated structure modules, the digest and FHIRPath.js are imported here only
 *   (src/core/fhir/generatedModules.ts): none of it reaches the page's bundle.
 * - Problems the user can fix (a JSON file too large, a file that cannot be read) come back as a `problem` outcome with file, byte offset and advice; malformed JSON is
 *   an issue of the report, with line and column. Messages never hold a value (it may be patient data).
 */
import * as Comlink from 'comlink';
import { byteSizeWords } from '../src/core/byteSize/index.ts';
import {
  createTextStreamDecoder,
  createUtf8StreamDecoder,
  lineOfByte,
  TextDecodeError,
  textDecodeWords,
  Utf8DecodeError,
} from '../src/core/csv/index.ts';
import {
  createFhirRun,
  createFhirSession,
  createOutcomesWriter,
  FHIR_LAYERS,
  type FhirLayer,
  type FhirModuleLoader,
  type FhirRunOptions,
  type FhirSession,
  generatedModules,
  nestsDeeperThan,
  OUTCOME_SOURCE_RELATION,
  type OutcomesFormat,
  parseFhirJson,
  preloadSharedStructure,
  type RecordOutcome,
  type ResourceView,
  type UnknownExtensionSeverity,
  viewAtLocation,
} from '../src/core/fhir/index.ts';
import {
  loadProfileRegistry,
  type ProfileRegistry,
  validatorProfiles,
  withProfilePackages,
} from '../src/core/fhirProfiles/index.ts';
import {
  describeLocation,
  InputReadError,
  JobCancelledError,
  serializeJobError,
} from '../src/core/jobs/errors.ts';
import type { Report } from '../src/formats/report.ts';
import type { Waiver } from '../src/formats/waivers.ts';
import {
  createPackageCache,
  type FhirPackageSpec,
  type FhirPackagesOutcome,
  PackageProblem,
} from './fhirPackages.ts';
import { createJobRunner, type RunningJob } from './jobRunner.ts';
import type { InputProblem } from './validateApi.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

/** Bytes per read of a running validation. */
export const CHUNK_BYTES = 1024 * 1024;
/** The first read of a file is small, so the first resource is validated (and shown) at once. */
const FIRST_CHUNK_BYTES = 64 * 1024;
/** Largest JSON file (one resource or Bundle) read whole; NDJSON has no limit. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** A line index entry at least every this many bytes… */
export const CHECKPOINT_BYTES = 256 * 1024;
/** …or every this many lines, whichever comes first (bounds the re-read of one record). */
export const CHECKPOINT_LINES = 1000;
/** Longest NDJSON line "open at location" re-reads. */
const MAX_LINE_BYTES = MAX_JSON_BYTES;
/** Characters of a line that is not JSON shown around the syntax error. */
const RAW_EXCERPT_CHARS = 2000;
/** Lines of a JSON file that is not JSON shown around the syntax error. */
const RAW_EXCERPT_LINES = 40;

/** One file of a FHIR validation run. */
export interface FhirInputSpec {
  file: Blob;
  /** the name shown in the report (the file's name; `.ndjson` / `.jsonl` are streamed line by line) */
  name: string;
}

/** What the page asks the FHIR worker to validate. */
export interface FhirValidateRequest {
  inputs: FhirInputSpec[];
  /** the layers to run (`json` always runs) */
  layers: FhirLayer[];
  /** severity of extensions the specification does not define (default `error`, as the CLI's `--unknown-extensions`) */
  unknownExtensions?: UnknownExtensionSeverity;
  /**
   * modifier extensions at example addresses (example.org) pass unjudged (default: they are errors,
   * as the CLI's `--allow-example-urls`); the report records it
   */
  allowExampleUrls?: boolean;
  /** the app's version, for the report */
  toolVersion: string;
  /** bytes per read (default {@link CHUNK_BYTES}) */
  chunkBytes?: number;
  /**
   * implementation guide packages whose profiles apply (the CLI's `--ig`): each resource against
   * the profiles its meta.profile names
   */
  packages?: FhirPackageSpec[];
  /** with `packages`: profiles (canonical URLs) applied to every resource of their type (the CLI's `--profile`) */
  profiles?: string[];
  /**
   * the project's waivers in force limited to rows (`fhirRowSetWaivers`): the run counts the
   * occurrences inside their rows, as the CLI's does
   */
  rowSets?: Waiver[];
}

/** The sparse line index of one NDJSON file: line numbers and the byte offsets where they start. */
export interface FhirLineIndex {
  input: string;
  lines: Float64Array;
  offsets: Float64Array;
}

/** The outcome of a FHIR validation run. */
export type FhirValidateOutcome =
  | { ok: true; report: Report; index: FhirLineIndex[] }
  | { ok: false; problem: InputProblem };

/** Raw progress of a run, as the worker sends it (the page throttles and adds rate and ETA). */
export interface FhirRawProgress {
  /** bytes read and validated, over all files */
  bytes: number;
  /** resources (records) validated so far */
  resources: number;
  /** the file being read */
  input: string;
}

/** One resource re-read for "open at location". */
export type FhirRecordView =
  | { ok: true; view: ResourceView; json: boolean }
  | { ok: false; problem: InputProblem };

/** What the OperationOutcome export writes. */
export type FhirOutcomesFormat = OutcomesFormat;

/** Whether a file is streamed line by line, by its name (as the CLI decides). */
function isNdjsonName(name: string): boolean {
  return /\.(ndjson|jsonl)$/i.test(name);
}

/** Reads `length` bytes at `offset` of `file` as one `Blob.slice` range. */
async function readRange(file: Blob, name: string, offset: number, length: number): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
  } catch (error) {
    throw new InputReadError({ source: name, byteOffset: offset }, (error as Error)?.name ?? 'Error');
  }
}

/** Thrown for a JSON file above {@link MAX_JSON_BYTES}. */
class TooLargeError extends Error {
  constructor(readonly source: string) {
    super('too large to read whole');
  }
}

/** The user-facing problem for an error of a run, or undefined for anything else (a bug). */
function fhirProblemOf(error: unknown): InputProblem | undefined {
  if (error instanceof Utf8DecodeError) {
    return {
      file: error.source,
      byteOffset: error.byteOffset,
      message: `${textDecodeWords({ byteOffset: error.byteOffset, encoding: 'utf-8', source: error.source, ...(error.line === undefined ? {} : { line: error.line }) }).message}.`,
      advice: 'FHIR JSON is always UTF-8. Export the file again, or save it as UTF-8, and choose it again.',
    };
  }
  if (error instanceof TooLargeError) {
    return {
      file: error.source,
      message: `${error.source} is larger than ${byteSizeWords(MAX_JSON_BYTES)}, too large to read as one JSON document.`,
      advice:
        'Export it as NDJSON (one resource per line, as a bulk $export writes it, file name ending in .ndjson): NDJSON of any size is checked line by line.',
    };
  }
  if (error instanceof InputReadError) {
    return {
      file: error.location.source,
      ...(error.location.byteOffset === undefined ? {} : { byteOffset: error.location.byteOffset }),
      message: `Preflight could not read ${describeLocation(error.location)}.`,
      advice: 'The file may have been moved, changed or deleted since you chose it. Choose it again.',
    };
  }
  return undefined;
}

/** Reads a whole (non-NDJSON) file as text: ranges, one streaming decoder, a cancel check per chunk. */
async function readWhole(
  file: Blob,
  name: string,
  signal: AbortSignal | undefined,
  chunkBytes: number,
): Promise<string> {
  const parts: string[] = [];
  for await (const text of wholeChunks(file, name, signal, chunkBytes)) parts.push(text);
  return parts.join('');
}

/** The decoded chunks of a JSON file read whole (its size checked first). */
async function* wholeChunks(
  file: Blob,
  name: string,
  signal: AbortSignal | undefined,
  chunkBytes: number,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<string> {
  if (file.size > MAX_JSON_BYTES) throw new TooLargeError(name);
  const decoder = createTextStreamDecoder('utf-8-bom', name);
  for (let at = 0; at < file.size; ) {
    await yieldToEventLoop();
    if (signal?.aborted) throw new JobCancelledError();
    const bytes = await readRange(file, name, at, Math.min(chunkBytes, file.size - at));
    if (bytes.length === 0) break;
    at += bytes.length;
    yield decoder.decode(bytes).text;
    onBytes?.(at);
  }
  const tail = decoder.end().text;
  if (tail) yield tail;
}

/**
 * The decoded chunks of an NDJSON file, recording the sparse line index as it goes (newlines are
 * counted in the bytes: 0x0A never occurs inside a multi-byte UTF-8 sequence, so offsets are exact).
 * `onBytes` is called once the consumer has taken a chunk's lines (validated them).
 */
async function* ndjsonChunks(
  file: Blob,
  name: string,
  options: {
    signal: AbortSignal | undefined;
    chunkBytes: number;
    index: { lines: number[]; offsets: number[] };
    onBytes: (bytes: number) => void;
  },
): AsyncGenerator<string> {
  const { signal, chunkBytes, index } = options;
  const decoder = createTextStreamDecoder('utf-8-bom', name);
  let line = 1;
  let lastLine = 1;
  let lastOffset = 0;
  index.lines.push(1);
  index.offsets.push(0);
  for (let at = 0; at < file.size; ) {
    await yieldToEventLoop();
    if (signal?.aborted) throw new JobCancelledError();
    const wanted = at === 0 ? Math.min(FIRST_CHUNK_BYTES, chunkBytes) : chunkBytes;
    const bytes = await readRange(file, name, at, Math.min(wanted, file.size - at));
    if (bytes.length === 0) break;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) {
      line++;
      const start = at + i + 1;
      if (start - lastOffset >= CHECKPOINT_BYTES || line - lastLine >= CHECKPOINT_LINES) {
        index.lines.push(line);
        index.offsets.push(start);
        lastLine = line;
        lastOffset = start;
      }
    }
    at += bytes.length;
    yield decoder.decode(bytes).text;
    options.onBytes(at);
  }
  const tail = decoder.end().text;
  if (tail) yield tail;
}

/** Options of {@link runFhirInputs}. */
interface RunInputsOptions {
  signal?: AbortSignal;
  onProgress?: (progress: FhirRawProgress) => void;
  onRecord?: (record: RecordOutcome) => void;
}

/** Runs every input of `request` through one run of `session`; the report and the line indexes. */
async function runFhirInputs(
  session: FhirSession,
  request: FhirValidateRequest,
  options: RunInputsOptions,
): Promise<{ report: Report; index: FhirLineIndex[] }> {
  const started = new Date();
  const t0 = performance.now();
  const chunkBytes = request.chunkBytes ?? CHUNK_BYTES;
  let resources = 0;
  let doneBefore = 0;
  let input = '';
  let bytes = 0;
  const report = (force = false) => {
    if (force || resources === 1) options.onProgress?.({ bytes: doneBefore + bytes, resources, input });
  };
  const runOptions: FhirRunOptions = {
    ...(request.rowSets ? { rowSets: request.rowSets } : {}),
    onRecord: (record) => {
      resources++;
      if (resources === 1) report(); // the first result at once: time to first validation
      options.onRecord?.(record);
    },
  };
  const run = createFhirRun(session, runOptions);
  const index: FhirLineIndex[] = [];
  for (const spec of request.inputs) {
    input = spec.name;
    bytes = 0;
    const ndjson = isNdjsonName(spec.name);
    try {
      if (ndjson) {
        const lines: number[] = [];
        const offsets: number[] = [];
        try {
          await run.addNdjson(
            spec.name,
            ndjsonChunks(spec.file, spec.name, {
              signal: options.signal,
              chunkBytes,
              index: { lines, offsets },
              onBytes: (at) => {
                bytes = at;
                report(true);
              },
            }),
            spec.file.size,
          );
        } finally {
          // the lines read before a bad byte keep their index: "open at location" reads them
          index.push({
            input: spec.name,
            lines: Float64Array.from(lines),
            offsets: Float64Array.from(offsets),
          });
        }
      } else {
        // streamed, so a text over its bound is refused before the rest of the file is read
        await run.addJsonChunks(
          spec.name,
          wholeChunks(spec.file, spec.name, options.signal, chunkBytes),
          spec.file.size,
        );
        bytes = spec.file.size;
        report(true);
      }
    } catch (error) {
      if (!(error instanceof TextDecodeError)) throw error;
      // not UTF-8, or not text at all: one fatal problem on this file, and on to the next
      const line = await lineOfByte(
        { size: spec.file.size, read: (at, length) => readRange(spec.file, spec.name, at, length) },
        'utf-8',
        error.byteOffset,
      );
      run.refuseText(
        spec.name,
        ndjson ? 'ndjson' : 'fhir-json',
        { byteOffset: error.byteOffset, line, binary: error.binary },
        spec.file.size,
      );
      bytes = spec.file.size;
      report(true);
    }
    doneBefore += spec.file.size;
  }
  return {
    report: run.report({
      startedAt: started.toISOString(),
      generatedAt: new Date().toISOString(),
      totalMs: Math.round(performance.now() - t0),
      version: request.toolVersion,
    }),
    index,
  };
}

/** Reads line `row` of an NDJSON file from the nearest checkpoint at or before it; undefined past the end. */
async function readLine(
  file: Blob,
  name: string,
  row: number,
  index: Pick<FhirLineIndex, 'lines' | 'offsets'> | undefined,
): Promise<string | undefined> {
  let line = 1;
  let offset = 0;
  if (index) {
    for (let i = 0; i < index.lines.length && (index.lines[i] as number) <= row; i++) {
      line = index.lines[i] as number;
      offset = index.offsets[i] as number;
    }
  }
  // checkpoints sit at line starts, so decoding from one starts at a character boundary
  const decoder = createUtf8StreamDecoder(name);
  let text = '';
  let taken = 0;
  for (let at = offset; at < file.size; ) {
    const bytes = await readRange(file, name, at, Math.min(CHECKPOINT_BYTES, file.size - at));
    if (bytes.length === 0) break;
    at += bytes.length;
    text += decoder.decode(bytes);
    // drop the lines before the wanted one as they come, so memory stays one line
    for (let nl = text.indexOf('\n'); line < row && nl >= 0; nl = text.indexOf('\n')) {
      text = text.slice(nl + 1);
      line++;
    }
    if (line === row) {
      const nl = text.indexOf('\n');
      if (nl >= 0) return stripLine(text.slice(0, nl), row);
      taken += bytes.length;
      if (taken > MAX_LINE_BYTES) throw new TooLargeError(name);
    }
  }
  text += decoder.end();
  return line === row ? stripLine(text, row) : undefined;
}

function stripLine(text: string, row: number): string {
  const noCr = text.endsWith('\r') ? text.slice(0, -1) : text;
  return row === 1 && noCr.startsWith('\uFEFF') ? noCr.slice(1) : noCr;
}

/** A view of text that is not JSON: lines around `line`, the line itself highlighted. */
function rawView(text: string, line: number, column: number, location: string): ResourceView {
  const all = text.split('\n');
  const index = Math.max(0, Math.min(all.length - 1, line - 1));
  const start = Math.max(0, index - RAW_EXCERPT_LINES / 2);
  const lines = all.slice(start, start + RAW_EXCERPT_LINES).map((l) => {
    if (l.length <= RAW_EXCERPT_CHARS) return l;
    const from = Math.max(0, column - RAW_EXCERPT_CHARS / 2);
    return `${from > 0 ? '…' : ''}${l.slice(from, from + RAW_EXCERPT_CHARS)}…`;
  });
  return {
    lines,
    highlight: { from: index - start, to: index - start },
    shownLocation: location,
    ...(start > 0 ? { firstLine: start + 1 } : {}),
  };
}

/** Options of {@link createFhirValidateApi}. */
interface FhirValidateApiOptions {
  /** bytes a package may unpack to (default: the core's bound for packages; tests lower it) */
  maxUnpackedBytes?: number;
}

/** Creates the FHIR validator worker's API; one instance per worker. */
export function createFhirValidateApi(
  loader: FhirModuleLoader = generatedModules,
  options: FhirValidateApiOptions = {},
) {
  const jobs = createJobRunner();
  /**
   * sessions by their layers and severity options: the digest and the modules are imported once,
   * whatever the options
   */
  const sessions = new Map<string, Promise<FhirSession>>();
  const sessionFor = (
    layers: readonly FhirLayer[],
    unknownExtensions: UnknownExtensionSeverity = 'error',
    allowExampleUrls = false,
    profiled?: { registry: ProfileRegistry; profiles: readonly string[] },
  ): Promise<FhirSession> => {
    const wanted = FHIR_LAYERS.filter((l) => l === 'json' || layers.includes(l));
    const packageKey = profiled
      ? `|${profiled.registry.packages.map((p) => p.sha256).join(',')}|${profiled.profiles.join(' ')}`
      : '';
    const key = `${wanted.join(',')}|${unknownExtensions}|${allowExampleUrls}${packageKey}`;
    let session = sessions.get(key);
    if (!session) {
      // R4's vital-signs profiles apply by an Observation's code with or without a package
      session = (profiled ? Promise.resolve(profiled.registry) : loadProfileRegistry([])).then((registry) =>
        createFhirSession(loader, {
          layers: wanted,
          unknownExtensions,
          ...(allowExampleUrls ? { allowExampleUrls: true } : {}),
          profiles: validatorProfiles(registry, profiled?.profiles),
        }),
      );
      session.catch(() => sessions.delete(key));
      sessions.set(key, session);
    }
    return session;
  };

  const packages = createPackageCache(options.maxUnpackedBytes);
  /**
   * The packages and profiles of `request` as the session needs them, or undefined without packages.
   * Throws {@link PackageProblem} for a package that cannot be used or a profile no package defines.
   */
  const profilesOf = async (
    request: FhirValidateRequest,
  ): Promise<{ registry: ProfileRegistry; profiles: string[] } | undefined> => {
    const profiles = request.profiles ?? [];
    if (!request.packages?.length) {
      if (profiles.length > 0)
        throw new PackageProblem({
          file: '',
          message: 'A profile was chosen, but no implementation guide package is loaded.',
          advice: 'Add the package that defines the profile, or apply the profiles the resources declare.',
        });
      return undefined;
    }
    const { registry } = await packages.registryOf(request.packages);
    for (const url of profiles) {
      if (!registry.structureDefinition(url))
        throw new PackageProblem({
          file: '',
          message: `No loaded package defines the chosen profile ${url}.`,
          advice: 'Add the package that defines it, or choose another profile.',
        });
    }
    return { registry, profiles };
  };
  /** The session for `request`, with its packages' profiles; the report fields they add. */
  const prepare = async (request: FhirValidateRequest) => {
    const profiled = await profilesOf(request);
    const session = await sessionFor(
      request.layers,
      request.unknownExtensions,
      request.allowExampleUrls === true,
      profiled,
    );
    return {
      session,
      finish: (report: Report) =>
        profiled ? withProfilePackages(report, profiled.registry, profiled.profiles) : report,
    };
  };

  /** A problem the user can fix (a package, a file that cannot be read) as the job's answer. */
  const fixable = (error: unknown): { ok: false; problem: InputProblem } | undefined => {
    if (error instanceof PackageProblem) return { ok: false, problem: error.problem };
    const problem = fhirProblemOf(error);
    return problem ? { ok: false, problem } : undefined;
  };

  return {
    /**
     * Prepares the validator with every layer (the digest and the datatypes all resource types
     * share now, FHIRPath.js in the background; each resource type's own module still loads when
     * first met), so the first file dropped is validated at once. Resolves with the milliseconds
     * it took here.
     */
    async warm(): Promise<number> {
      const t0 = performance.now();
      await Promise.all([
        sessionFor(FHIR_LAYERS),
        loader === generatedModules ? preloadSharedStructure() : undefined,
      ]);
      return performance.now() - t0;
    },

    /**
     * Validates the files of `request` in one run (references across NDJSON files resolve), with
     * raw progress after the first resource and after every chunk. The result is returned after the
     * last progress report was delivered (they travel on different MessagePorts).
     */
    async validate(
      jobId: string,
      request: FhirValidateRequest,
      onProgress: (progress: FhirRawProgress) => void,
    ): Promise<FhirValidateOutcome> {
      return jobs.run(
        jobId,
        async ({ signal, report }: RunningJob<FhirRawProgress>) => {
          const { session, finish } = await prepare(request);
          const { report: base, index } = await runFhirInputs(session, request, {
            signal,
            onProgress: report,
          });
          return Comlink.transfer({ ok: true, report: finish(base), index } as FhirValidateOutcome, [
            ...index.flatMap((i) => [i.lines.buffer, i.offsets.buffer]),
          ]);
        },
        { onProgress, answer: fixable },
      );
    },

    /**
     * Validates `request` again and writes one OperationOutcome per resource with the core's
     * writer (`createOutcomesWriter`, as the CLI's `--outcomes`: the same files give the same
     * bytes), as NDJSON lines `{input, row, outcome}` or as a `collection` Bundle. The text is
     * gathered as Blob parts of about 1 MiB, never as one string.
     */
    async outcomes(
      jobId: string,
      request: FhirValidateRequest,
      format: FhirOutcomesFormat,
      onProgress: (progress: FhirRawProgress) => void,
    ): Promise<{ ok: true; blob: Blob } | { ok: false; problem: InputProblem }> {
      return jobs.run(
        jobId,
        async ({ signal, report }: RunningJob<FhirRawProgress>) => {
          const { session } = await prepare(request);
          const parts: Blob[] = [];
          let pending: string[] = [];
          let pendingChars = 0;
          const write = (text: string) => {
            pending.push(text);
            pendingChars += text.length;
            if (pendingChars >= CHUNK_BYTES) {
              parts.push(new Blob(pending));
              pending = [];
              pendingChars = 0;
            }
          };
          const writer = createOutcomesWriter(format);
          write(writer.start());
          await runFhirInputs(session, request, {
            signal,
            onProgress: report,
            onRecord: (record) => write(writer.record(record)),
          });
          write(writer.end());
          parts.push(new Blob(pending));
          const type = format === 'ndjson' ? 'application/x-ndjson' : 'application/fhir+json';
          return { ok: true as const, blob: new Blob(parts, { type }) };
        },
        { onProgress, answer: fixable },
      );
    },

    /**
     * Re-reads the resource of `row` (an NDJSON line, or 1 for a whole file) from `file` and formats
     * it with the element at `location` highlighted; a record that is not JSON is shown as its
     * text around `line`/`column` (the syntax error's position).
     */
    async readRecord(
      file: Blob,
      name: string,
      row: number,
      location: string,
      index?: Pick<FhirLineIndex, 'lines' | 'offsets'>,
      syntax?: { line: number; column: number },
    ): Promise<FhirRecordView> {
      try {
        const ndjson = isNdjsonName(name);
        const text = ndjson
          ? await readLine(file, name, row, index)
          : await readWhole(file, name, undefined, CHUNK_BYTES);
        if (text === undefined) {
          return {
            ok: false,
            problem: {
              file: name,
              row,
              message: `${name} has no line ${row.toLocaleString('en-US')} any more.`,
              advice: 'The file has changed since it was checked. Choose it again and validate.',
            },
          };
        }
        const parsed = parseFhirJson(text);
        if (!parsed.ok) {
          // an NDJSON line is its own text: its error is on its line 1
          const line = ndjson ? 1 : (syntax?.line ?? parsed.issue.line ?? 1);
          const column = syntax?.column ?? parsed.issue.column ?? 1;
          return {
            ok: true,
            json: false,
            view: rawView(text.replace(/^\uFEFF/, ''), line, column, location),
          };
        }
        if (nestsDeeperThan(parsed.value)) {
          // too deep to format (fhir-too-deep): the start of its text instead
          const root = location.split('.')[0] || 'resource';
          return { ok: true, json: true, view: { ...rawView(text, 1, 1, location), excerptOf: root } };
        }
        return { ok: true, json: true, view: viewAtLocation(parsed.value, location) };
      } catch (error) {
        const problem = fhirProblemOf(error);
        if (problem) return { ok: false, problem };
        throw serializeJobError(error);
      }
    },

    /**
     * Reads implementation guide packages (`.tgz` bytes): each one's name, version, SHA-256,
     * declared dependencies and profiles, and the dependencies the set misses — or the first
     * package that cannot be used, named, with what to do.
     */
    inspectPackages(specs: FhirPackageSpec[]): Promise<FhirPackagesOutcome> {
      return packages.inspect(specs);
    },

    /** Soft cancel: job `jobId` stops before its next chunk. */
    cancel(jobId: string): void {
      jobs.cancel(jobId);
    },
  };
}

/** The `Bundle.entry.link` relation naming the file and line an OperationOutcome is about. */
export { OUTCOME_SOURCE_RELATION };

/** The FHIR validator worker's API as the main thread sees it through `Comlink.Remote`. */
export type FhirValidateWorkerApi = ReturnType<typeof createFhirValidateApi>;
