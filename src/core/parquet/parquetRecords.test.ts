/**
 * The Parquet reader: typed values become the cell text the contract check reads (the rule in
 * parquetRecords.ts), and a file that cannot be read is an error that says where, never a value.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { createCsvRecordReader } from '../csv/index.ts';
import {
  ParquetReadError,
  type ParquetRecordsPiece,
  type ParquetSource,
  parquetCsvBytes,
  parquetCsvText,
  parquetRecords,
  parquetRowReader,
} from './index.ts';

/** A Parquet file in memory as a source, read by byte range as the CLI's file handle is. */
function source(bytes: Uint8Array, name = 'visits.parquet'): ParquetSource {
  return { name, size: bytes.length, read: async (offset, length) => bytes.slice(offset, offset + length) };
}

/** A piece's rows, each its cells (a piece holds them column by column). */
function rowsOf(piece: ParquetRecordsPiece): string[][] {
  return Array.from(piece.rows, (_, r) => piece.columns.map((column) => column[r] as string));
}

async function text(bytes: Uint8Array, options?: { maxTextBytes?: number }): Promise<string> {
  let out = '';
  for await (const piece of parquetCsvText(source(bytes), options)) out += piece;
  return out;
}

const visits = () =>
  new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'visit_id', data: ['V1', 'V2', 'V,3'], type: 'STRING' },
        { name: 'weight', data: [70.5, null, 3], type: 'DOUBLE' },
        { name: 'count', data: [1n, 2n, -3n], type: 'INT64' },
        { name: 'seen', data: [true, false, null], type: 'BOOLEAN' },
        {
          name: 'at',
          data: [new Date('2026-11-26T08:30:00Z'), new Date('1999-12-31T23:59:59.123Z'), null],
          type: 'TIMESTAMP',
        },
        { name: 'note', data: ['said "hi"', 'two\nlines', null], type: 'STRING' },
      ],
      rowGroupSize: 2,
    }),
  );

describe('parquetCsvText', () => {
  it('writes each typed value as its cell text, null as an empty cell, across row groups', async () => {
    expect(await text(visits())).toBe(
      [
        'visit_id,weight,count,seen,at,note',
        'V1,70.5,1,true,2026-11-26T08:30:00Z,"said ""hi"""',
        'V2,,2,false,1999-12-31T23:59:59.123Z,"two\nlines"',
        '"V,3",3.0,-3,,,',
        '',
      ].join('\r\n'),
    );
  });

  it('keeps a one-column row whose value is null as a row, not an empty line', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [{ name: 'mrn', data: ['A1', null, 'A3'], type: 'STRING' }],
    });
    expect(await text(new Uint8Array(bytes))).toBe(['mrn', 'A1', '""', 'A3', ''].join('\r\n'));
  });

  it('refuses a byte array that is not UTF-8, naming its row and column, not replacing it', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: ['A', 'B'], type: 'STRING' },
        {
          name: 'city',
          data: [new TextEncoder().encode('Paris'), Uint8Array.of(0x4d, 0xe9, 0x78)],
          type: 'BYTE_ARRAY',
        },
      ],
    });
    await expect(text(new Uint8Array(bytes))).rejects.toThrow(
      new ParquetReadError('"visits.parquet", row 2, column city: the bytes are not valid UTF-8 text.'),
    );
  });

  it.each([
    ['not Parquet', () => new TextEncoder().encode('id,name\n1,Ann\n'), 'is not a Parquet file'],
    ['cut short', () => visits().slice(0, visits().length - 100), 'has no Parquet footer at its end'],
    [
      'a damaged row group',
      () => {
        const bytes = visits();
        bytes.fill(0xff, 4, 60);
        return bytes;
      },
      'row group 1 (rows 1 to 2) cannot be read',
    ],
  ])('says where a file %s fails, with its name', async (_, bytes, said) => {
    const read = text(bytes());
    await expect(read).rejects.toBeInstanceOf(ParquetReadError);
    await expect(read).rejects.toThrow(said);
    await expect(read).rejects.toThrow('"visits.parquet"');
  });

  it("counts a sparse table's cells against the text limit, not its separators", async () => {
    const rows = 2000;
    const sparse = new Uint8Array(
      parquetWriteBuffer({
        columnData: Array.from({ length: 100 }, (_, c) => ({
          name: `c${c}`,
          data: Array.from({ length: rows }, (_, r) => (r % 100 === c ? 'v' : null)),
          type: 'STRING' as const,
        })),
      }),
    );
    const read = await text(sparse, { maxTextBytes: 20_000 });
    // 100 columns: 99 commas and a line end a row, one value in each of the 2,000 rows
    expect(read.length).toBe(read.indexOf('\r\n') + 2 + rows * 102);
  });

  it('refuses a file that unpacks to more text than the limit, before reading its rows', async () => {
    await expect(text(visits(), { maxTextBytes: 10 })).rejects.toThrow('unpacks to more than');
  });
});

describe('parquetRecords', () => {
  /** Values that take each way from a plain page's bytes to a string (ASCII, UTF-8, quoted, long). */
  const cells = (r: number) =>
    r % 7 === 0
      ? null
      : r % 5 === 0
        ? `Zoë "${r}", two\nlines`
        : r === 3 || r === 4200
          ? `${'x'.repeat(70_000)}${r}`
          : `A-${r}`;

  /** A file of `rows` rows in row groups of 4,500, pages of each kind of string, and nulls. */
  const file = (rows: number, pageSize?: number) =>
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          {
            name: 'id',
            data: Array.from({ length: rows }, (_, r) => `P${r}`),
            type: 'STRING',
            encoding: 'PLAIN',
          },
          {
            name: 'note',
            data: Array.from({ length: rows }, (_, r) => cells(r)),
            type: 'STRING',
            encoding: 'PLAIN',
          },
          {
            name: 'n',
            data: Array.from({ length: rows }, (_, r) => (r % 4 === 0 ? null : r)),
            type: 'INT32',
          },
        ],
        rowGroupSize: 4500,
        ...(pageSize === undefined ? {} : { pageSize }),
      }),
    );

  it("gives each record's cells and row number as a CSV reader reads its text", async () => {
    const rows = 5000;
    const bytes = file(rows);
    const opened = await parquetRecords(source(bytes));
    expect(opened).toMatchObject({ header: ['id', 'note', 'n'], rows, plain: true });
    const records: string[][] = [];
    const numbers: number[] = [];
    let longest = 0;
    for await (const piece of opened.pieces) {
      expect(piece.plain).toBe(true);
      const here = rowsOf(piece);
      records.push(...here);
      numbers.push(...piece.rows);
      // a bound on a row's characters: each column's longest cell in the piece, added up
      expect(piece.longest).toBe(
        piece.columns.reduce((n, column) => n + Math.max(...column.map((cell) => cell.length)), 0),
      );
      expect(piece.longest).toBeGreaterThanOrEqual(Math.max(...here.map((cells) => cells.join('').length)));
      longest = Math.max(longest, piece.longest);
    }
    expect(numbers).toEqual(Array.from({ length: rows }, (_, r) => r + 1));
    // row 3's note (70,001 characters), the first slice's longest id and number
    expect(longest).toBe(70_001 + 'P4095'.length + '4095'.length);
    // the cells are those a CSV reader reads from parquetCsvBytes' text
    const whole: Uint8Array[] = [];
    for await (const piece of parquetCsvBytes(source(bytes))) whole.push(piece);
    const reader = createCsvRecordReader({ delimiter: ',', quoteChar: '"', newline: '\r\n' });
    const read = [...reader.push(new TextDecoder().decode(Buffer.concat(whole))), ...reader.finish()];
    expect(records).toEqual(read.map((r) => r.fields));
    // the strings made from the pages' bytes (ASCII slices, UTF-8 decoded, across windows)
    expect(records.map((cells) => cells[1])).toEqual(Array.from({ length: rows }, (_, r) => cells(r) ?? ''));
    expect(records[5]?.[1]).toBe('Zoë "5", two\nlines');
  });

  it('reads rows back by number, in any order, across row groups and pages', async () => {
    const rows = 5000;
    // small pages: rows before the one asked for are passed over page by page
    const bytes = file(rows, 4096);
    const opened = await parquetRecords(source(bytes));
    const records: string[][] = [];
    for await (const piece of opened.pieces) records.push(...rowsOf(piece));
    const reader = await parquetRowReader(source(bytes));
    expect(await reader.row(0)).toEqual(['id', 'note', 'n']);
    const wanted = [1, 2, 4, 6, 8, 4096, 4097, 4500, 4501, rows, 3, 4199, 4199, 1, 4999, 2000, 2001];
    // asked for at once, as duplicate keys' texts are: each answers with its own row
    const got = await Promise.all(wanted.map((row) => reader.row(row)));
    expect(got).toEqual(wanted.map((row) => records[row - 1]));
    // one column read alone (a key's), then the whole row after it: each column goes on from its own
    expect(await reader.row(4600, 1)).toEqual(['', records[4599]?.[1], '']);
    expect(await reader.row(4700)).toEqual(records[4699]);
    expect(await reader.row(4650, 0)).toEqual([records[4649]?.[0], '', '']);
    expect(await reader.row(rows + 1)).toBeUndefined();
    expect(await reader.row(-1)).toBeUndefined();
  });

  it('counts a one-column row with no value as a row with an empty cell', async () => {
    const bytes = new Uint8Array(
      parquetWriteBuffer({ columnData: [{ name: 'mrn', data: ['A1', null, '', 'A4'], type: 'STRING' }] }),
    );
    const opened = await parquetRecords(source(bytes));
    const records: string[][] = [];
    for await (const piece of opened.pieces) records.push(...rowsOf(piece));
    expect(records).toEqual([['A1'], [''], [''], ['A4']]);
    expect(await (await parquetRowReader(source(bytes))).row(2)).toEqual(['']);
  });

  it.each(['PLAIN', 'RLE_DICTIONARY'] as const)(
    'says a piece whose text holds a zero byte is not plain (a CSV reader refuses it): %s',
    async (encoding) => {
      const bytes = new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'id', data: ['A', 'B'], type: 'STRING' },
            { name: 'note', data: ['fine', 'nul\u0000here'], type: 'STRING', encoding },
          ],
        }),
      );
      const opened = await parquetRecords(source(bytes));
      const pieces = [];
      for await (const piece of opened.pieces) pieces.push(piece);
      expect(pieces.map((p) => p.plain)).toEqual([false]);
      expect(pieces[0] && rowsOf(pieces[0])).toEqual([
        ['A', 'fine'],
        ['B', 'nul\u0000here'],
      ]);
    },
  );
});
