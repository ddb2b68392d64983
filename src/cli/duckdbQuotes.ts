/**
 * A CSV file with a quote problem, read as the default engine reads it, for DuckDB. Where a quote
 * is neither doubled nor the end of its cell, where the cells end is a guess, and DuckDB's reader
 * guesses otherwise than the default engine's (it rejects the line and reads on at the next line
 * break; the default engine's reader reads on to the next quote, or to the end of the file). So such
 * a file is read once by the core's reader and written out well formed (every record the default
 * engine read, its cells quoted where needed), and DuckDB reads that copy: records, rows, missing
 * and extra cells are then the default engine's, and the quote problems are the core reader's, by
 * row. The same copy serves a file DuckDB fails to read for a long rejected line (see
 * ./duckdbRun.ts).
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import {
  type CsvLayout,
  type CsvRecord,
  type CsvRecordReader,
  createCsvRecordReader,
  createTextStreamDecoder,
} from '../core/csv/index.ts';
import type { SqlReject } from '../core/validation/index.ts';

/** DuckDB's error types of a quote problem (any other rejected line is a count of cells). */
export function isQuoteReject(reject: SqlReject): boolean {
  return reject.kind !== 'TOO MANY COLUMNS' && reject.kind !== 'MISSING COLUMNS';
}

/** One cell as written in a well-formed copy: quoted (its quotes doubled) only where it must be. */
function cellText(cell: string, delimiter: string, quote: string): string {
  return cell.includes(delimiter) || cell.includes(quote) || cell.includes('\n') || cell.includes('\r')
    ? `${quote}${cell.split(quote).join(quote + quote)}${quote}`
    : cell;
}

/**
 * Reads `file` (in `layout`) with the default engine's reader (`options` are its own) and writes
 * to `target` (if any) what `take` makes of each run of records it completes; `take` is given the
 * reader (its header, its problems) and each record's own text as the file has it (with `offsets`).
 */
async function readRecordsOf(
  file: string,
  layout: CsvLayout,
  options: { target?: string; offsets?: boolean },
  take: (records: CsvRecord[], reader: CsvRecordReader, textOf: (record: CsvRecord) => string) => string,
): Promise<void> {
  const reader = createCsvRecordReader({
    delimiter: layout.delimiter,
    quoteChar: layout.quote,
    newline: layout.lineEnding,
    offsets: options.offsets === true,
  });
  const decoder = createTextStreamDecoder(layout.encoding, file);
  const out = options.target === undefined ? undefined : createWriteStream(options.target);
  // the text not yet taken by a whole record, from character `base` of the file's text
  let pending = '';
  let base = 0;
  const textOf = ({ start = 0, end = 0 }: CsvRecord) => pending.slice(start - base, end - base);
  const push = async (text: string, records: CsvRecord[]) => {
    if (options.offsets) pending += text;
    const lines = take(records, reader, textOf);
    const last = records.at(-1);
    if (last?.end !== undefined) {
      pending = pending.slice(last.end - base);
      base = last.end;
    }
    if (out !== undefined && lines !== '' && !out.write(lines)) await once(out, 'drain');
  };
  try {
    for await (const chunk of createReadStream(file)) {
      const text = decoder.decode(chunk as Uint8Array).text;
      await push(text, reader.push(text));
    }
    const rest = decoder.end().text;
    await push(rest, reader.push(rest));
    await push('', reader.finish());
  } finally {
    if (out !== undefined) {
      out.end();
      await once(out, 'close');
    }
  }
}

/**
 * Reads `file` (in `layout`) with the default engine's reader and writes its header and records to
 * `target` (UTF-8, the same delimiter, quote and line ending), each well formed but those with a
 * quote problem or cells too few or too many: such a record is written as a short stand-in line
 * that DuckDB rejects for its quotes, so it is a rejected record as on the first reading (not
 * checked, not profiled; its text for the failing records is taken from the file). Returns the
 * structure problems of those records as the default engine reports them, as rejects of DuckDB's
 * kinds without a byte: the quote problem (one per row: the last found) and the cells too few or
 * too many.
 */
export async function writeAsDefaultEngineReads(
  file: string,
  layout: CsvLayout,
  target: string,
): Promise<SqlReject[]> {
  const { delimiter, quote, lineEnding } = layout;
  const line = (cells: readonly string[]) => cells.map((c) => cellText(c, delimiter, quote)).join(delimiter);
  const quoteOfRow = new Map<number, string>();
  const rejects: SqlReject[] = [];
  let header: readonly string[] | undefined;
  // an empty quoted cell then text: a quote problem to DuckDB, short (DuckDB cuts a long rejected
  // line at a byte count, and failed on a cut inside a character)
  const standIn = `${quote}${quote}${delimiter === 'x' ? 'y' : 'x'}`;
  await readRecordsOf(file, layout, { target }, (records, reader) => {
    let text = '';
    if (header === undefined && reader.header) {
      header = reader.header;
      text += line(header) + lineEnding;
    }
    for (const problem of reader.takeProblems())
      if (problem.row > 0)
        quoteOfRow.set(
          problem.row,
          problem.code === 'unterminated-quote' ? 'UNTERMINATED QUOTES' : 'UNQUOTED VALUE',
        );
    for (const { row, fields } of records) {
      const kind = quoteOfRow.get(row);
      const cells = cellRejects(row, fields, header ?? []);
      if (kind === undefined && cells.length === 0) {
        text += line(fields) + lineEnding;
        continue;
      }
      quoteOfRow.delete(row);
      text += standIn + lineEnding;
      rejects.push(...cells, ...(kind === undefined ? [] : [{ line: row + 1, kind }]));
    }
    return text;
  });
  return rejects;
}

/** The cells of a record too few (each missing column) or too many (each extra cell), as DuckDB's rejects. */
function cellRejects(row: number, fields: readonly string[], header: readonly string[]): SqlReject[] {
  const rejects: SqlReject[] = [];
  // a lone empty cell is a blank line, not missing cells (as the default engine reads it)
  if (fields.length < header.length && !(fields.length === 1 && fields[0] === ''))
    for (const column of header.slice(fields.length))
      rejects.push({ line: row + 1, kind: 'MISSING COLUMNS', column });
  for (const value of fields.slice(header.length))
    rejects.push({ line: row + 1, kind: 'TOO MANY COLUMNS', value });
  return rejects;
}

/**
 * The cells too few or too many of the records `rows` (data rows) of `file` (in `layout`), read
 * with the default engine's reader, as DuckDB's rejects: for lines DuckDB rejected but kept cut
 * short, whose extra cells it would read from the cut text (or not at all).
 */
export async function cellRejectsAsRead(
  file: string,
  layout: CsvLayout,
  rows: ReadonlySet<number>,
): Promise<SqlReject[]> {
  const rejects: SqlReject[] = [];
  await readRecordsOf(file, layout, {}, (records, reader) => {
    reader.takeProblems();
    for (const { row, fields } of records)
      if (rows.has(row)) rejects.push(...cellRejects(row, fields, reader.header ?? []));
    return '';
  });
  return rejects;
}

/**
 * Writes the failing records `rows` (data rows, ascending) of `file` to `target` as the file has
 * them: `header` (the failing file's header line), then each record's own text, read with the
 * default engine's reader. A record with a quote problem in the well-formed copy DuckDB read is a
 * stand-in line, and a long rejected line is cut short in DuckDB's rejects table; from the file
 * itself it is the record the default engine read, so the passes
 * over the failing records (every problem of a failing row, waivers limited to rows) find what
 * the default engine finds.
 */
export async function writeFailingRecordsAsRead(
  file: string,
  layout: CsvLayout,
  rows: Uint32Array,
  header: string,
  target: string,
): Promise<void> {
  let head = header;
  let next = 0;
  await readRecordsOf(file, layout, { target, offsets: true }, (records, _, textOf) => {
    let lines = head;
    head = '';
    for (const record of records) {
      while (next < rows.length && (rows[next] as number) < record.row) next++;
      if (rows[next] !== record.row) continue;
      const own = textOf(record);
      lines += /[\r\n]$/.test(own) ? own : own + layout.lineEnding;
    }
    return lines;
  });
}
