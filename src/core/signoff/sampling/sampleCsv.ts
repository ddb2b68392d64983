/**
 * Drawing a plan's sample from CSV extracts: bytes → SHA-256 fingerprint, strict UTF-8 decoding,
 * CSV records → the hash-rank sampler (sampling.ts), in one pass over each file. The CLI's
 * `preflight sample` and (later) the browser's worker call this same function with their own
 * `read`, so both draw the identical sample and write the identical `preflight.sample/v1` JSON.
 *
 * Constraints:
 * - Memory: one chunk of bytes, the unfinished CSV record, and n records per stratum — never a file.
 * - Errors and problems name files, rows, columns and stratum ids, never cell values. Record KEYS do
 *   appear in the result: they are what the clinician needs to find each drawn record.
 */
import { Hash } from 'fast-sha256';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import {
  type CsvProblem,
  CsvRecordTooLongError,
  createCsvRecordReader,
  createUtf8StreamDecoder,
  csvLimitInFile,
  sniffHeader,
  Utf8DecodeError,
} from '../../csv/index.ts';
import type { ReadChunk } from '../../hash/index.ts';
import { canonicalSha256Hex, toHex } from '../../hash/index.ts';
import { JobCancelledError, readInputChunk } from '../../jobs/errors.ts';
import {
  CENSUS,
  createSampler,
  type RecordLocation,
  type SampleResult,
  type SampleSize,
  type SamplingProblem,
} from './sampling.ts';
import {
  OutcomeRowsMismatchError,
  outcomeClassifier,
  type ValidationOutcomes,
  type ValidationStrataIds,
} from './validationStrata.ts';

/** Format tag of a drawn sample (the `--json` output of `preflight sample`). */
export const SAMPLE_FORMAT = 'preflight.sample/v1';

/** How records are assigned to the plan's strata. */
export type Stratification =
  | { kind: 'column'; column: string }
  | { kind: 'file' }
  | {
      /** by validation outcome (validationStrata.ts): the engine's verdict per row, made before this pass */
      kind: 'validation';
      outcomes: ValidationOutcomes;
      strata: ValidationStrataIds;
    };

/** `population.stratifyBy` values that are not column names. */
export const STRATIFY_BY_FILE = 'file';
export const STRATIFY_BY_VALIDATION = 'validation';
export const STRATIFY_BY_RESOURCE_TYPE = 'resourceType';

/** A plan whose strata cannot be formed from CSV files alone yet; `reason` says what it needs. */
export class UnsupportedStratificationError extends Error {
  override name = 'UnsupportedStratificationError';
  constructor(readonly stratifyBy: string) {
    super(
      stratifyBy === STRATIFY_BY_VALIDATION
        ? 'this plan forms its strata from the validation outcome ("stratifyBy": "validation"), so drawing it needs the column contract of the data: Preflight validates every record with it first'
        : 'this plan forms its strata by FHIR resource type ("stratifyBy": "resourceType"), which needs FHIR input; CSV files can be stratified by "file" or by a column',
    );
  }
}

/**
 * The stratification of a plan: "file" (each file is a stratum named by its base name), or any
 * other value as a column name whose cell is the stratum id.
 *
 * @throws {UnsupportedStratificationError} for "validation" and "resourceType".
 */
export function stratificationOf(plan: SamplePlan): Stratification {
  const by = plan.population.stratifyBy;
  if (by === STRATIFY_BY_VALIDATION || by === STRATIFY_BY_RESOURCE_TYPE)
    throw new UnsupportedStratificationError(by);
  return by === STRATIFY_BY_FILE ? { kind: 'file' } : { kind: 'column', column: by };
}

/** The stratum id of a file under "file" stratification: its base name (after the last / or \). */
export function fileStratumId(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}

/** A column the command needs is not in a file's header. */
export class MissingColumnError extends Error {
  override name = 'MissingColumnError';
  constructor(
    readonly source: string,
    readonly column: string,
    readonly role: 'key' | 'stratum',
  ) {
    super(`${source} has no column "${column}" (the ${role} column) in its header`);
  }
}

/** A file that is not UTF-8 text we can read, or has no header. */
export class UnreadableCsvError extends Error {
  override name = 'UnreadableCsvError';
}

/** One input file, read through `read` (a Node file handle in the CLI, a `Blob` in the browser). */
export interface CsvInput {
  /** the name shown in results and errors (as the user gave it) */
  name: string;
  size: number;
  read: ReadChunk;
}

/** Options of {@link sampleCsvFiles}. */
interface SampleCsvOptions {
  seed: string;
  sizes: Readonly<Record<string, SampleSize>>;
  /** the column holding the record key */
  keyColumn: string;
  stratification: Stratification;
  /** bytes per read; default {@link DEFAULT_SAMPLE_CHUNK_BYTES} */
  chunkBytes?: number;
  signal?: AbortSignal;
}

/** What was read of one file. */
export interface SampledInput {
  file: string;
  /** lowercase hex SHA-256 of the file's bytes */
  sha256: string;
  bytes: number;
  /** data rows (header and blank lines not counted) */
  rows: number;
  /** quote problems (rows only) */
  csvProblems: CsvProblem[];
}

/** The outcome of {@link sampleCsvFiles}. */
export interface SampleCsvResult {
  inputs: SampledInput[];
  sample: SampleResult;
}

/** 1 MiB: small enough that the text of one chunk and the unfinished record stay small. */
export const DEFAULT_SAMPLE_CHUNK_BYTES = 1024 * 1024;

function columnIndex(
  header: readonly string[],
  column: string,
  source: string,
  role: 'key' | 'stratum',
): number {
  const index = header.findIndex((name) => name.trim() === column);
  if (index < 0) throw new MissingColumnError(source, column, role);
  return index;
}

/** Length of a UTF-16 byte-order mark. */
const BOM_BYTES = 2;

/** UTF-16 is not UTF-8 from its first byte: say so rather than "invalid byte at offset 0". */
function refuseUtf16(firstBytes: Uint8Array, source: string): void {
  const utf16 =
    (firstBytes[0] === 0xff && firstBytes[1] === 0xfe) || (firstBytes[0] === 0xfe && firstBytes[1] === 0xff);
  if (utf16) throw new UnreadableCsvError(`${source} is UTF-16 text; save it as UTF-8 CSV`);
}

function delimiterOf(firstBytes: Uint8Array, source: string): string {
  refuseUtf16(firstBytes, source);
  try {
    return sniffHeader(firstBytes).delimiter;
  } catch {
    return ','; // the decoder or the header check below says what is wrong, with a position
  }
}

/** Bytes read before the delimiter is sniffed: the header line is almost always far shorter. */
export const HEADER_SNIFF_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * The start of a file, held (copied: readers reuse their buffer) until it holds a line break or
 * {@link HEADER_SNIFF_BYTES}, so the delimiter is sniffed from the whole header line whatever
 * the chunk size.
 */
function headerPrefix() {
  const chunks: Uint8Array[] = [];
  let total = 0;
  return {
    text: '',
    /** Adds a chunk and its text; true when enough is held to sniff. */
    add(chunk: Uint8Array, text: string): boolean {
      chunks.push(chunk.slice());
      total += chunk.length;
      this.text += text;
      return total >= HEADER_SNIFF_BYTES || chunk.includes(LF) || chunk.includes(CR);
    },
    bytes(): Uint8Array {
      const out = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
  };
}

/**
 * Reads each file once — fingerprint, decode, parse — and draws the sample over all of them.
 *
 * @throws {InputReadError} a read failed or the file ended early; {@link Utf8DecodeError} (with the
 * byte offset); {@link CsvRecordTooLongError}; {@link MissingColumnError}; {@link UnreadableCsvError};
 * {@link JobCancelledError} when `signal` is aborted (checked between chunks).
 */
export async function sampleCsvFiles(
  files: readonly CsvInput[],
  options: SampleCsvOptions,
): Promise<SampleCsvResult> {
  const sampler = createSampler({ seed: options.seed, sizes: options.sizes });
  const chunkBytes = options.chunkBytes ?? DEFAULT_SAMPLE_CHUNK_BYTES;
  const inputs: SampledInput[] = [];
  for (const file of files) {
    try {
      inputs.push(await sampleOneFile(file, options, sampler, chunkBytes));
    } catch (error) {
      // the reader knows neither the file nor its bytes: say which file, and the byte the row starts at
      if (error instanceof CsvRecordTooLongError) throw await csvLimitInFile(error, file.name, file);
      throw error;
    }
  }
  return { inputs, sample: sampler.result() };
}

/** One file of {@link sampleCsvFiles}: its records go to `sampler`; returns what the output says of it. */
async function sampleOneFile(
  file: CsvInput,
  options: SampleCsvOptions,
  sampler: ReturnType<typeof createSampler>,
  chunkBytes: number,
): Promise<SampledInput> {
  const hash = new Hash();
  const decoder = createUtf8StreamDecoder(file.name);
  let reader: ReturnType<typeof createCsvRecordReader> | undefined;
  let keyIndex = -1;
  let stratumIndex = -1;
  const by = options.stratification;
  const fileStratum = by.kind === 'file' ? fileStratumId(file.name) : undefined;
  const fileOutcomes =
    by.kind === 'validation' ? by.outcomes.files.find((f) => f.file === file.name) : undefined;
  if (by.kind === 'validation' && !fileOutcomes)
    throw new UnreadableCsvError(`${file.name} was not validated before sampling: draw again`);
  const classify = fileOutcomes ? outcomeClassifier(fileOutcomes) : undefined;

  const take = (text: string, final: boolean) => {
    if (!reader) return;
    const records = [...reader.push(text), ...(final ? reader.finish() : [])];
    if (records.length === 0 && !final) return;
    if (keyIndex < 0) {
      const header = reader.header;
      if (!header) {
        if (final) throw new UnreadableCsvError(`${file.name} has no header row: it is empty`);
        return;
      }
      keyIndex = columnIndex(header, options.keyColumn, file.name, 'key');
      if (options.stratification.kind === 'column') {
        stratumIndex = columnIndex(header, options.stratification.column, file.name, 'stratum');
      }
    }
    for (const { row, fields } of records) {
      const key = fields[keyIndex];
      let stratum = fileStratum ?? fields[stratumIndex];
      if (classify && by.kind === 'validation') stratum = by.strata[classify(row, key)];
      sampler.add({ key, stratum, row, source: file.name });
    }
  };

  const prefix = headerPrefix();
  const first = new Uint8Array(BOM_BYTES);
  let offset = 0;
  while (offset < file.size) {
    if (options.signal?.aborted) throw new JobCancelledError();
    const length = Math.min(chunkBytes, file.size - offset);
    const chunk = await readInputChunk(file, offset, length, options.signal);
    hash.update(chunk);
    for (let i = 0; offset + i < BOM_BYTES && i < chunk.length; i++) first[offset + i] = chunk[i] as number;
    let text: string;
    try {
      text = decoder.decode(chunk);
    } catch (error) {
      if (error instanceof Utf8DecodeError && error.byteOffset < BOM_BYTES) refuseUtf16(first, file.name);
      throw error;
    }
    offset += chunk.byteLength;
    if (reader) take(text, false);
    else if (prefix.add(chunk, text)) {
      reader = createCsvRecordReader({ delimiter: delimiterOf(prefix.bytes(), file.name) });
      take(prefix.text, false);
    }
  }
  const last = decoder.end();
  if (!reader) {
    reader = createCsvRecordReader({ delimiter: delimiterOf(prefix.bytes(), file.name) });
    take(prefix.text + last, true);
  } else take(last, true);
  if (fileOutcomes && fileOutcomes.rows !== reader.rows)
    throw new OutcomeRowsMismatchError(file.name, fileOutcomes.rows, reader.rows);
  return {
    file: file.name,
    sha256: toHex(hash.digest()),
    bytes: offset,
    rows: reader.rows,
    csvProblems: [...reader.problems],
  };
}

// ---- the plan's view: sizes, checks and the output document --------------------------------

/** Problem codes of a drawn sample beyond the sampler's own: a public contract; add, never rename. */
const SAMPLE_PROBLEM_CODES = {
  /** the data holds a different number of records in a stratum than the plan states */
  stratumSizeMismatch: 'stratum-size-mismatch',
} as const;

/** One problem of a drawn sample, as the output document lists it. Counts and places, never values. */
export interface SampleProblem {
  code: string;
  message: string;
  stratum?: string;
  count?: number;
  /** where (file and data row), at most a few */
  locations?: { file?: string; row: number }[];
  expected?: number;
  found?: number;
}

/**
 * The per-stratum sizes the sampler takes, from the plan (census strata) and the sizes given for
 * the others.
 *
 * @returns the sizes, or the ids of strata with no size and of sizes naming no stratum
 */
export function planSizes(
  plan: SamplePlan,
  given: Readonly<Record<string, number>>,
):
  | { ok: true; sizes: Record<string, SampleSize> }
  | { ok: false; missing: string[]; unknown: string[]; census: string[] } {
  const sizes: Record<string, SampleSize> = {};
  const missing: string[] = [];
  const census: string[] = [];
  for (const stratum of plan.population.strata) {
    const n = given[stratum.id];
    if (stratum.census) {
      if (n !== undefined) census.push(stratum.id);
      sizes[stratum.id] = CENSUS;
    } else if (n === undefined) missing.push(stratum.id);
    else sizes[stratum.id] = n;
  }
  const unknown = Object.keys(given).filter((id) => !plan.population.strata.some((s) => s.id === id));
  return missing.length || unknown.length || census.length
    ? { ok: false, missing, unknown, census }
    : { ok: true, sizes };
}

const SAMPLING_MESSAGES: Record<SamplingProblem['code'], string> = {
  'missing-key': 'records without a usable key (missing, blank or not well-formed text): not sampled',
  'unknown-stratum': "records whose stratum is not one of the plan's strata: not sampled",
  'duplicate-key':
    'further copies of drawn keys: the sample is by key, so each was drawn once, at its first row',
};

function locations(list: readonly RecordLocation[]): { file?: string; row: number }[] {
  return list.map((l) => (l.source === undefined ? { row: l.row } : { file: l.source, row: l.row }));
}

/** Every problem of a drawn sample: CSV quotes, the sampler's, and plan sizes the data contradicts. */
function sampleProblems(plan: SamplePlan, result: SampleCsvResult): SampleProblem[] {
  const problems: SampleProblem[] = [];
  for (const input of result.inputs) {
    for (const code of ['malformed-quotes', 'unterminated-quote'] as const) {
      const rows = input.csvProblems.filter((p) => p.code === code);
      if (rows.length === 0) continue;
      problems.push({
        code,
        message:
          code === 'malformed-quotes'
            ? 'records with a malformed quote: their cells were read by guessing'
            : 'a quoted field is never closed: the last record runs to the end of the file',
        count: rows.length,
        locations: rows.slice(0, 10).map((p) => ({ file: input.file, row: p.row })),
      });
    }
  }
  for (const p of result.sample.problems) {
    problems.push({
      code: p.code,
      message: SAMPLING_MESSAGES[p.code],
      ...(p.stratum === undefined ? {} : { stratum: p.stratum }),
      count: p.count,
      locations: locations(p.locations),
    });
  }
  for (const stratum of plan.population.strata) {
    const found = result.sample.strata.find((s) => s.id === stratum.id)?.population ?? 0;
    if (found !== stratum.size) {
      problems.push({
        code: SAMPLE_PROBLEM_CODES.stratumSizeMismatch,
        message: `the plan states ${stratum.size} records in stratum "${stratum.id}" but the data holds ${found}: the plan was made for other data, or the data changed`,
        stratum: stratum.id,
        expected: stratum.size,
        found,
      });
    }
  }
  return problems;
}

/** The `preflight.sample/v1` document: what was drawn, from what, under which plan. */
export interface SampleDocument {
  format: typeof SAMPLE_FORMAT;
  /** the plan's id and the SHA-256 of its RFC 8785 canonical JSON */
  plan: { id: string; hash: string };
  seed: string;
  inputs: { file: string; sha256: string; bytes: number; rows: number }[];
  strata: {
    id: string;
    census: boolean;
    /** records in the data (with a usable key) */
    population: number;
    /** the size asked for: the population for a census stratum */
    n: number;
    /** in rank order; `file` and `row` say where, `key` which record */
    records: { file?: string; row: number; key: string }[];
  }[];
  problems: SampleProblem[];
}

/** Builds the output document of a drawn sample. */
export function sampleDocument(plan: SamplePlan, result: SampleCsvResult): SampleDocument {
  return {
    format: SAMPLE_FORMAT,
    plan: { id: plan.id, hash: canonicalSha256Hex(plan) },
    seed: plan.seed,
    inputs: result.inputs.map(({ file, sha256, bytes, rows }) => ({ file, sha256, bytes, rows })),
    strata: result.sample.strata.map((s) => ({
      id: s.id,
      census: s.size === CENSUS,
      population: s.population,
      n: s.size === CENSUS ? s.population : s.size,
      records: s.records.map((r) =>
        r.source === undefined ? { row: r.row, key: r.key } : { file: r.source, row: r.row, key: r.key },
      ),
    })),
    problems: sampleProblems(plan, result),
  };
}
