/**
 * CSV event logs, streamed: bytes → strict UTF-8 text (`csv/utf8Stream.ts`) → records
 * (`csv/csvRecords.ts`, papaparse) → mapped rows → events (`readEvents.ts`). The same
 * pieces the migration engine uses, so a log decodes and splits exactly like an extract.
 *
 * Constraints: the file is read in chunks (any size works; memory holds the events, not the
 * text — and for a log grouped by case only the case in progress as events, the rest as paired
 * instances: `withCaseStreaming` in readEvents.ts); the delimiter is sniffed from the first bytes (`csv/sniffHeader.ts`); bytes that
 * are not UTF-8 stop the read with their offset. Header names are matched after trimming.
 */

import {
  type CsvRecordReader,
  CsvRecordTooLongError,
  createCsvRecordReader,
  createUtf8StreamDecoder,
  csvLimitInFile,
  sniffHeader,
} from '../../csv/index.ts';
import type { ReadChunk } from '../../hash/index.ts';
import { JobCancelledError, readInputChunk } from '../../jobs/errors.ts';
import { createAccount, type ReaderAccount } from '../../readerAccount/index.ts';
import { type EventLogBuilderOptions, LOG_PROBLEM_CODES } from './eventLog.ts';
import { accountLeftOutTransitions, mappedNames, unusedKeyEffect } from './logAccount.ts';
import {
  createRowSink,
  type MappedRow,
  MissingLogColumnError,
  mappedColumns,
  type ReadLogOptions,
  type ReadLogResult,
  withCaseStreaming,
  withCaseStreamingAsync,
} from './readEvents.ts';

/** One input file, read through `read` (a Node file handle in the CLI, a `Blob` in the browser). */
export interface LogInput {
  name: string;
  size: number;
  read: ReadChunk;
}

/** Bytes per read: small enough that one chunk's text stays small. */
const DEFAULT_LOG_CHUNK_BYTES = 1024 * 1024;

/** Bytes sniffed for the delimiter (the header line is far shorter). */
const SNIFF_BYTES = 64 * 1024;

/** A text-level CSV log reader: push decoded text, then finish. */
interface CsvLogReader {
  push(text: string): void;
  finish(): ReadLogResult;
}

type Index = Record<keyof Omit<MappedRow, 'row' | 'extra'>, number> & { extra: number[] };

/** Creates a reader over decoded CSV text (the delimiter is given, or ","; `build`: see `createRowSink`). */
function createCsvLogReader(
  options: ReadLogOptions,
  source: string,
  delimiter = ',',
  build: EventLogBuilderOptions = {},
): CsvLogReader {
  const sink = createRowSink(options, build);
  let index: Index | undefined;
  // each record goes to the sink as papaparse completes it, while its cells are young garbage
  // (no array of records per chunk, no object per row)
  const onRecord = (row: number, fields: string[]) => {
    if (!index) {
      if (!records.header) return;
      index = columnIndex(records.header);
    }
    const ix = index;
    sink.addCells(
      row,
      ix.caseId < 0 ? undefined : fields[ix.caseId],
      ix.activity < 0 ? undefined : fields[ix.activity],
      ix.timestamp < 0 ? undefined : fields[ix.timestamp],
      ix.start < 0 ? undefined : fields[ix.start],
      ix.complete < 0 ? undefined : fields[ix.complete],
      ix.lifecycle < 0 ? undefined : fields[ix.lifecycle],
      ix.resource < 0 ? undefined : fields[ix.resource],
      ix.role < 0 ? undefined : fields[ix.role],
      ix.system < 0 ? undefined : fields[ix.system],
      ix.extra.length === 0 ? undefined : ix.extra.map((at) => fields[at]),
    );
  };
  const records: CsvRecordReader = createCsvRecordReader({ delimiter, onRecord });

  const columnIndex = (header: readonly string[]): Index => {
    const trimmed = header.map((h) => h.trim());
    const find = (column: string | undefined, role: string) => {
      if (column === undefined) return -1;
      const at = trimmed.indexOf(column.trim());
      if (at < 0) throw new MissingLogColumnError(column, role, source);
      return at;
    };
    const { mapping } = options;
    for (const [role, column] of mappedColumns(mapping)) find(column, role);
    return {
      caseId: find(mapping.case, 'case id'),
      activity: find(mapping.activity, 'activity'),
      timestamp: find(mapping.timestamp, 'timestamp'),
      start: find(mapping.start, 'start'),
      complete: find(mapping.complete, 'complete'),
      lifecycle: find(mapping.lifecycle, 'lifecycle'),
      resource: find(mapping.resource, 'resource'),
      role: find(mapping.role, 'role'),
      system: find(mapping.system, 'system'),
      extra: (mapping.keep ?? []).map((column) => find(column, 'kept')),
    };
  };

  return {
    push(text) {
      records.push(text);
    },
    finish() {
      records.finish();
      if (!index && records.header) index = columnIndex(records.header);
      const read = sink.finish();
      const result = { ...read, account: csvAccount(records.header ?? [], options, source, read) };
      for (const p of records.problems) {
        result.problems.add(
          LOG_PROBLEM_CODES.malformedCsv,
          'warning',
          'a quote (") in this row is not closed or not doubled; the row was read as papaparse guessed it',
          p.row,
        );
      }
      return result;
    },
  };
}

/**
 * The account of a CSV log: each header column used by the mapping, or said with what leaving it
 * out does to the figures (counted in data rows), and the lifecycle values left out.
 */
function csvAccount(
  header: readonly string[],
  options: ReadLogOptions,
  source: string,
  read: Omit<ReadLogResult, 'account'>,
): ReaderAccount {
  const account = createAccount('csv-log');
  const { mapping } = options;
  const used = new Set([mapping.case, ...mappedNames(mapping)].map((c) => c.trim()));
  header.forEach((raw, i) => {
    const column = raw.trim();
    if (used.has(column)) account.use(column);
    else {
      const effect = column === '' ? 'a column without a name, not used' : unusedKeyEffect(column, 'event');
      account.notUsed('column', column, effect, { file: source, column: i + 1 }, read.rows);
    }
  });
  const leftOut = read.problems.list().find((p) => p.code === LOG_PROBLEM_CODES.ignoredLifecycle);
  if (mapping.lifecycle !== undefined) {
    accountLeftOutTransitions(account, 'column', mapping.lifecycle.trim(), leftOut?.detail?.byTransition);
  }
  return account.finish();
}

/** Reads a whole CSV text (tests, small logs). */
export function readCsvLogText(text: string, options: ReadLogOptions, source = 'log.csv'): ReadLogResult {
  const firstLine = text.slice(0, SNIFF_BYTES);
  const delimiter = sniffHeader(new TextEncoder().encode(firstLine)).delimiter;
  return withCaseStreaming((build) => {
    const reader = createCsvLogReader(options, source, delimiter, build);
    reader.push(text);
    return reader.finish();
  });
}

/** Options of {@link readCsvLog}. */
interface ReadCsvLogStreamOptions {
  chunkBytes?: number;
  signal?: AbortSignal;
  /** called after each chunk with the bytes read so far */
  onProgress?: (bytesRead: number) => void;
}

/**
 * Streams a CSV event log file into an {@link EventLog} (see the file header).
 *
 * @throws {InputReadError}; `Utf8DecodeError` (with the byte offset); `CsvRecordTooLongError`;
 * {@link MissingLogColumnError}; `BadMappingError`; {@link JobCancelledError}.
 */
export function readCsvLog(
  input: LogInput,
  options: ReadLogOptions,
  stream: ReadCsvLogStreamOptions = {},
): Promise<ReadLogResult> {
  return withCaseStreamingAsync((build) => readCsvLogOnce(input, options, stream, build));
}

async function readCsvLogOnce(
  input: LogInput,
  options: ReadLogOptions,
  stream: ReadCsvLogStreamOptions,
  build: EventLogBuilderOptions,
): Promise<ReadLogResult> {
  try {
    return await readCsvLogPass(input, options, stream, build);
  } catch (error) {
    // the reader knows neither the file nor its bytes: say which file, and the byte the row starts at
    if (error instanceof CsvRecordTooLongError) throw await csvLimitInFile(error, input.name, input);
    throw error;
  }
}

async function readCsvLogPass(
  input: LogInput,
  options: ReadLogOptions,
  stream: ReadCsvLogStreamOptions,
  build: EventLogBuilderOptions,
): Promise<ReadLogResult> {
  const chunkBytes = Math.max(stream.chunkBytes ?? DEFAULT_LOG_CHUNK_BYTES, 1);
  const decoder = createUtf8StreamDecoder(input.name);
  let reader: CsvLogReader | undefined;
  let prefix = new Uint8Array(0);
  let prefixText = '';
  let offset = 0;
  while (offset < input.size) {
    if (stream.signal?.aborted) throw new JobCancelledError();
    const length = Math.min(chunkBytes, input.size - offset);
    const chunk = await readInputChunk(input, offset, length);
    const text = decoder.decode(chunk);
    offset += chunk.byteLength;
    if (reader) reader.push(text);
    else {
      const joined = new Uint8Array(prefix.length + chunk.length);
      joined.set(prefix);
      joined.set(chunk, prefix.length);
      prefix = joined;
      prefixText += text;
      if (prefix.length >= SNIFF_BYTES || chunk.includes(0x0a) || chunk.includes(0x0d)) {
        reader = createCsvLogReader(options, input.name, delimiterOf(prefix), build);
        reader.push(prefixText);
      }
    }
    stream.onProgress?.(offset);
  }
  const last = decoder.end();
  if (!reader) {
    reader = createCsvLogReader(options, input.name, delimiterOf(prefix), build);
    reader.push(prefixText);
  }
  reader.push(last);
  return reader.finish();
}

function delimiterOf(prefix: Uint8Array): string {
  try {
    return sniffHeader(prefix).delimiter;
  } catch {
    return ','; // an empty file: the reader reports the missing header
  }
}
