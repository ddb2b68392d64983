/**
 * The first rows of a file and its header, for a preview (the mapping editor's): read 64 KiB at a
 * time, stopping as soon as the rows are there, at most 4 MiB. Errors are the engine's (bytes not
 * valid in the encoding, a record over the reader's bounds), for the caller to word.
 */
import { type CsvLayout, createCsvRecordReader, createTextStreamDecoder } from '../csv/index.ts';

const HEAD_CHUNK_BYTES = 64 * 1024;
const HEAD_MAX_BYTES = 4 * 1024 * 1024;

/** What {@link readHead} reads: a file's name (for errors), its size and its bytes by range. */
interface HeadSource {
  name: string;
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** The header (its column names, or "column N" without one) and the first `rows` data rows of `source`. */
export async function readHead(
  source: HeadSource,
  layout: CsvLayout,
  rows: number,
): Promise<{ header: string[]; rows: string[][] }> {
  const decoder = createTextStreamDecoder(layout.encoding, source.name);
  const reader = createCsvRecordReader({
    delimiter: layout.delimiter,
    quoteChar: layout.quote,
    newline: layout.lineEnding,
    noHeader: true,
  });
  const wanted = rows + (layout.header ? 1 : 0);
  const records: string[][] = [];
  let at = 0;
  while (at < source.size && at < HEAD_MAX_BYTES && records.length < wanted) {
    const length = Math.min(HEAD_CHUNK_BYTES, source.size - at);
    const bytes = (await source.read(at, length)).subarray(0, length);
    at += bytes.length;
    for (const r of reader.push(decoder.decode(bytes).text)) records.push(r.fields);
    if (bytes.length === 0) break;
  }
  if (records.length < wanted && (at >= source.size || at >= HEAD_MAX_BYTES)) {
    for (const r of [...reader.push(decoder.end().text), ...reader.finish()]) records.push(r.fields);
  }
  const header = layout.header ? (records[0] ?? []) : (records[0] ?? []).map((_, i) => `column ${i + 1}`);
  return { header, rows: records.slice(layout.header ? 1 : 0, wanted) };
}
