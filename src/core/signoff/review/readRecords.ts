/**
 * Reads the cells of given data rows of a CSV file, for the review screen: the record content a
 * clinician is shown is read from the user's own file on demand and never stored (source files are
 * never copied into storage).
 * The same decoding and CSV reading as the sampling pass (sampleCsv.ts), so row numbers agree.
 *
 * Constraint: memory is one chunk, the unfinished record and the wanted rows — never the file.
 */

import { createCsvRecordReader, createUtf8StreamDecoder, sniffHeader } from '../../csv/index.ts';
import type { ReadChunk } from '../../hash/index.ts';
import { InputReadError, JobCancelledError, UNEXPECTED_END } from '../../jobs/errors.ts';
import { DEFAULT_SAMPLE_CHUNK_BYTES, HEADER_SNIFF_BYTES } from '../sampling/sampleCsv.ts';

const LF = 0x0a;
const CR = 0x0d;

/** The delimiter sniffed from the held start of the file (commas when it cannot be sniffed). */
function delimiterOf(held: readonly Uint8Array[]): string {
  const bytes = new Uint8Array(held.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of held) {
    bytes.set(c, at);
    at += c.length;
  }
  try {
    return sniffHeader(bytes.subarray(0, HEADER_SNIFF_BYTES)).delimiter;
  } catch {
    return ','; // the sampling pass refused such a file already
  }
}

/** The header and the wanted rows' cells. */
interface ReadRecordsResult {
  header: string[];
  /** by data row number; a row the file does not have is absent */
  rows: Map<number, string[]>;
}

/**
 * Streams `name` once and returns the header and the cells of `rows` (1-based data rows, as the
 * sampler numbers them). Stops reading after the last wanted row.
 *
 * @throws {InputReadError}, {@link Utf8DecodeError}, {@link JobCancelledError} as the sampling pass.
 */
export async function readCsvRows(
  input: { name: string; size: number; read: ReadChunk },
  rows: readonly number[],
  options: { signal?: AbortSignal; chunkBytes?: number } = {},
): Promise<ReadRecordsResult> {
  const wanted = new Set(rows);
  const last = Math.max(0, ...rows);
  const chunkBytes = options.chunkBytes ?? DEFAULT_SAMPLE_CHUNK_BYTES;
  const decoder = createUtf8StreamDecoder(input.name);
  const found = new Map<number, string[]>();
  let reader: ReturnType<typeof createCsvRecordReader> | undefined;
  const held: Uint8Array[] = [];
  let heldText = '';
  const take = (records: { row: number; fields: string[] }[]) => {
    for (const r of records) if (wanted.has(r.row)) found.set(r.row, r.fields);
  };
  let offset = 0;
  while (offset < input.size && (found.size < wanted.size || !reader?.header)) {
    if (options.signal?.aborted) throw new JobCancelledError();
    const length = Math.min(chunkBytes, input.size - offset);
    const bytes = await input.read(offset, length);
    if (bytes.byteLength === 0)
      throw new InputReadError({ source: input.name, byteOffset: offset }, UNEXPECTED_END);
    const chunk = bytes.byteLength > length ? bytes.subarray(0, length) : bytes;
    const text = decoder.decode(chunk);
    offset += chunk.byteLength;
    if (!reader) {
      // hold the start until it holds the header line, then sniff the delimiter from all of it
      held.push(chunk.slice());
      heldText += text;
      const heldBytes = held.reduce((n, c) => n + c.length, 0);
      if (heldBytes < HEADER_SNIFF_BYTES && !chunk.includes(LF) && !chunk.includes(CR) && offset < input.size)
        continue;
      reader = createCsvRecordReader({ delimiter: delimiterOf(held) });
      take(reader.push(heldText));
    } else take(reader.push(text));
    if (reader.rows >= last && found.size === wanted.size) break;
  }
  if (!reader) {
    reader = createCsvRecordReader({ delimiter: delimiterOf(held) });
    take(reader.push(heldText));
  }
  // the whole file was read (a stop after the last wanted row may be mid-character: no end() then)
  if (found.size < wanted.size) take([...reader.push(decoder.end()), ...reader.finish()]);
  return { header: [...(reader.header ?? [])], rows: found };
}
