/**
 * A records source (csvSource.ts: a Parquet file's rows handed over as cells with the positions
 * they are read back at) gives the pass's result on its text: the same issues, rows, offsets,
 * profiles and keys, without the pass reading the text (nor, when it reads records back itself,
 * any record but those read back); what a CSV reader would read otherwise is read as text.
 */
import { describe, expect, it } from 'vitest';
import { memorySource, sampleBytes, sampleContract } from '../../../tests/migration/sources.ts';
import {
  type CsvLayout,
  createCsvRecordReader,
  createTextStreamDecoder,
  TextDecodeError,
} from '../csv/index.ts';
import type { CsvSource, SplitRecords } from './csvSource.ts';
import { readRecordAt, validateCsv } from './validateCsv.ts';
import { detectLayout } from './validateInputs.ts';

const LAYOUT: CsvLayout = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\r\n' };

/** One CSV line as the Parquet reader writes it (RFC 4180 quoting, CRLF). */
const line = (cells: readonly string[]) =>
  `${cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')}\r\n`;

/**
 * `header` and `rows` as UTF-8 CSV text, read as text (`text`) and as a records source
 * (`records`) that hands over `piece` rows at a time, with each record's byte offset in the text.
 * With `readsBack`, the source reads records back itself at those positions (`recordAt`), as the
 * CLI's Parquet input does by row number, else from its text "written" as they are handed over.
 * `textReads` counts the bytes read of the records source's text, `readBack` the records read
 * back by `recordAt`. With `columnar`, each piece holds its cells column by column, as the Parquet
 * reader hands them over.
 */
function sources(
  header: string[],
  rows: string[][],
  { piece = 700, readsBack = false, columnar = false } = {},
) {
  const encoder = new TextEncoder();
  const lines = [header, ...rows].map((cells) => encoder.encode(line(cells)));
  const text = new Uint8Array(lines.reduce((n, l) => n + l.length, 0));
  const offsets: number[] = [];
  lines.reduce((at, l) => {
    offsets.push(at);
    text.set(l, at);
    return at + l.length;
  }, 0);
  const read = async (offset: number, length: number) => text.slice(offset, offset + length);
  let written = (lines[0] as Uint8Array).length;
  let handedOver = false;
  const counted = { textReads: 0, readBack: 0 };
  async function* pieces(): AsyncGenerator<SplitRecords> {
    yield {
      header,
      records: [],
      positions: [],
      bytes: written,
      longest: 0,
      plain: !header.join().includes('\0'),
      done: 0,
    };
    for (let from = 0; from < rows.length; from += piece) {
      const to = Math.min(rows.length, from + piece);
      written = to + 1 < offsets.length ? (offsets[to + 1] as number) : text.length;
      const records = rows.slice(from, to);
      yield {
        ...(columnar
          ? { columns: header.map((_, c) => records.map((cells) => cells[c] as string)) }
          : { records }),
        positions: offsets.slice(from + 1, to + 1),
        bytes: written,
        longest: Math.max(0, ...records.map((cells) => cells.reduce((n, c) => n + c.length, 0))),
        plain: !records.some((cells) => cells.some((c) => c.includes('\0'))),
        done: to / rows.length,
      };
    }
  }
  const records: CsvSource = {
    name: 'visits.parquet',
    // an estimate until the text is whole
    get size() {
      return written === text.length ? text.length : text.length + 1000;
    },
    read: async (offset, length) => {
      counted.textReads += length;
      return read(offset, length);
    },
    layout: { encoding: 'utf-8', delimiter: ',', header: true },
    records: async () => {
      if (!handedOver) {
        handedOver = true;
        return pieces();
      }
      written = text.length;
      delete records.recordAt;
      return undefined;
    },
  };
  if (readsBack)
    records.recordAt = async (position) => {
      counted.readBack++;
      const at = offsets.indexOf(position);
      return at < 0 ? undefined : [...([header, ...rows][at] as string[])];
    };
  return { text: { name: 'visits.parquet', size: text.length, read } satisfies CsvSource, records, counted };
}

/**
 * A pass's result as text to compare: typed arrays as their bytes, maps as their entries in order
 * (vitest's deep equality takes each element of a key set's typed arrays through its matcher).
 */
const comparable = (result: unknown) =>
  JSON.stringify(result, (_, value: unknown) =>
    ArrayBuffer.isView(value)
      ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
      : value instanceof Map
        ? [...value]
        : value,
  );

/** The demo extract's records (patients with planted defects), as cells. */
async function demoRecords(): Promise<{ header: string[]; rows: string[][] }> {
  const bytes = sampleBytes('patients.csv');
  const layout = await detectLayout(memorySource('patients.csv', bytes));
  const decoder = createTextStreamDecoder(layout.encoding, 'patients.csv');
  const reader = createCsvRecordReader({
    delimiter: layout.delimiter,
    quoteChar: layout.quote,
    newline: layout.lineEnding,
  });
  const rows = [...reader.push(decoder.decode(bytes).text + decoder.end().text), ...reader.finish()].map(
    (r) => r.fields,
  );
  // its first 2,000 rows: planted defects and duplicate keys among them
  return { header: [...(reader.header ?? [])], rows: rows.slice(0, 2000) };
}

describe('a records source', () => {
  it.each([
    ['its text written', false],
    ['its records read back by position, handed over column by column', true],
  ])("gives the pass's result on its text, reading none of it (%s)", async (_, readsBack) => {
    const { header, rows } = await demoRecords();
    // cells a CSV reader must unquote, and a duplicate key
    rows[3] = rows[3]?.map((c, i) => (i === 1 ? `O"Brien, "Pat"\r\nJr` : c)) ?? [];
    rows[9] = [...(rows[2] ?? [])];
    const { text, records, counted } = sources(header, rows, { readsBack, columnar: readsBack });
    const contract = sampleContract('patients.contract.json');
    const options = {
      layout: LAYOUT,
      plan: contract.plan,
      fullValidator: contract.validate,
      keys: [{ column: 'mrn', demographics: ['last_name', 'first_name'] }],
    };
    const progress: number[] = [];
    const fromText = await validateCsv(text, options);
    const fromRecords = await validateCsv(records, { ...options, onProgress: (p) => progress.push(p.bytes) });
    expect(counted).toEqual({ textReads: 0, readBack: 0 });
    expect(comparable(fromRecords)).toBe(comparable(fromText));
    expect(fromText.invalid).toBeGreaterThan(0);
    expect(fromText.keys[0]?.state.duplicates.length).toBeGreaterThan(0);
    // progress against the size expected at the start, to its end
    expect(progress.at(-1)).toBe(text.size + 1000);
    // a failing row read again by its offset from the text written
    const at = fromRecords.failingRows.offsets[0] as number;
    const row = fromRecords.failingRows.rows[0] as number;
    expect(await readRecordAt(records, LAYOUT, at)).toEqual(rows[row - 1]);
    expect(counted.textReads === 0).toBe(readsBack);
  });

  it('counts a one-column row with an empty cell as a row, where its text has a blank line', async () => {
    const { text, records } = sources(['mrn'], [['A1'], [''], ['A3']], { readsBack: true });
    const options = { layout: LAYOUT, keys: [{ column: 'mrn' }] };
    const fromText = await validateCsv(text, options);
    const fromRecords = await validateCsv(records, options);
    // a CSV reader skips the text's blank line (""), with a warning
    expect(fromText.records).toBe(2);
    expect(fromText.issues.map((i) => i.rule)).toEqual(['csv.blank-line']);
    expect(fromRecords).toMatchObject({ records: 3, valid: 2, invalid: 1 });
    expect(fromRecords.issues.map((i) => [i.rule, i.examples])).toEqual([['csv.blank-row', [{ row: 2 }]]]);
  });

  it.each([
    [
      'a zero byte in a cell (not text)',
      ['mrn', 'note'],
      [
        ['A1', 'ok'],
        ['A2', 'nul\0here'],
      ],
    ],
    ['a BOM before the first name', ['\ufeffmrn', 'note'], [['A1', 'ok']]],
    ['a cell longer than a CSV reader reads', ['mrn', 'note'], [['A1', 'x'.repeat(4 * 1024 * 1024 + 1)]]],
  ])('reads the text where a CSV reader would read the records otherwise: %s', async (_, header, rows) => {
    const { text, records, counted } = sources(header, rows);
    const options = { layout: LAYOUT, keys: [{ column: 'mrn' }] };
    const fromText = await validateCsv(text, options).catch((error: unknown) => error);
    const fromRecords = await validateCsv(records, options).catch((error: unknown) => error);
    expect(counted.textReads).toBeGreaterThan(0);
    expect(comparable(fromRecords)).toBe(comparable(fromText));
    expect(String(fromRecords)).toBe(String(fromText));
    if (header[1] === 'note' && rows[1]?.[1]?.includes('\0'))
      expect(fromText).toBeInstanceOf(TextDecodeError);
  });
});
