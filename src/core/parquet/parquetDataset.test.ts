/**
 * A partitioned folder as one dataset: Hive-style `key=value` folders become columns (escapes
 * undone, the writer's null an empty cell), files are read in path order with rows numbered
 * within the dataset and read back by that number from their own file, and the folder's other
 * files are in the account; folders that are not one table are refused by name.
 */
import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import {
  type DatasetFile,
  datasetLayout,
  ParquetReadError,
  parquetDatasetCsvBytes,
  parquetDatasetRecords,
  parquetDatasetRowReader,
} from './index.ts';

function file(path: string, ids: string[]): DatasetFile {
  const bytes = new Uint8Array(
    parquetWriteBuffer({ columnData: [{ name: 'id', data: ids, type: 'STRING' }] }),
  );
  return { path, source: { name: path, size: bytes.length, read: async (o, l) => bytes.slice(o, o + l) } };
}
const empty = (path: string): DatasetFile => ({
  path,
  source: { name: path, size: 0, read: async () => new Uint8Array(0) },
});

const FOLDER = [
  file('region=North%2FEast/day=2/part-1.parquet', ['c']),
  file('region=North%2FEast/day=1/part-0.parquet', ['a', 'b']),
  file('region=__HIVE_DEFAULT_PARTITION__/day=1/part-0.parquet', ['d']),
  empty('_SUCCESS'),
  empty('region=North%2FEast/day=1/.part-0.parquet.crc'),
  empty('_committed_123'),
  empty('README.md'),
];

describe('a partitioned folder', () => {
  it('reads its files in path order with the partition values as columns', async () => {
    const layout = datasetLayout('visits', FOLDER);
    expect(layout.keys).toEqual(['region', 'day']);
    expect(layout.parts.map((p) => [p.path, p.values])).toEqual([
      ['region=North%2FEast/day=1/part-0.parquet', ['North/East', '1']],
      ['region=North%2FEast/day=2/part-1.parquet', ['North/East', '2']],
      ['region=__HIVE_DEFAULT_PARTITION__/day=1/part-0.parquet', ['', '1']],
    ]);
    const records = await parquetDatasetRecords('visits', layout);
    expect(records.header).toEqual(['id', 'region', 'day']);
    expect(new TextDecoder().decode(records.headerText)).toBe('id,region,day\n');
    expect(records.rows).toBe(4);
    const rows: string[][] = [];
    const numbers: number[] = [];
    for await (const piece of records.pieces)
      for (let r = 0; r < piece.rows.length; r++) {
        rows.push(piece.columns.map((c) => c[r] as string));
        numbers.push(piece.rows[r] as number);
      }
    expect(rows).toEqual([
      ['a', 'North/East', '1'],
      ['b', 'North/East', '1'],
      ['c', 'North/East', '2'],
      ['d', '', '1'],
    ]);
    expect(numbers).toEqual([1, 2, 3, 4]);
    expect(records.placeOf(3)).toEqual({ path: 'region=North%2FEast/day=2/part-1.parquet', row: 1 });
    const reader = parquetDatasetRowReader(layout, records);
    expect(await reader.row(4)).toEqual(['d', '', '1']);
    expect(await reader.row(2)).toEqual(['b', 'North/East', '1']);
    expect(await reader.row(3, 2)).toEqual(['', '', '2']);
    expect(await reader.row(5)).toBeUndefined();
    let text = '';
    for await (const piece of parquetDatasetCsvBytes('visits', layout))
      text += new TextDecoder().decode(piece);
    expect(text).toBe('id,region,day\na,North/East,1\nb,North/East,1\nc,North/East,2\nd,,1\n');
  });

  it("accounts for the writer's markers, checksums and other files, never reading them", () => {
    const { account } = datasetLayout('visits', FOLDER);
    expect(account.reader).toBe('parquet-folder');
    expect(account.lines.map((l) => [l.name, l.effect.split(':')[0]])).toEqual([
      ['README.md', 'not a Parquet file'],
      ['_SUCCESS', "the writer's marker that the table was written"],
      ['_committed_123', "the writer's marker that the table was written"],
      ['region=North%2FEast/day=1/.part-0.parquet.crc', "the writer's checksum of a file"],
    ]);
  });

  it.each([
    {
      description: 'files partitioned by other keys',
      files: [file('year=1/a.parquet', ['a']), file('month=1/b.parquet', ['b'])],
      error: '"visits/year=1/a.parquet" is partitioned by year, the folder\'s other files by month',
    },
    {
      description: 'no Parquet file',
      files: [empty('_SUCCESS')],
      error: '"visits" holds no Parquet file (*.parquet)',
    },
  ])('refuses a folder of $description, by name', ({ files, error }) => {
    expect(() => datasetLayout('visits', files)).toThrow(ParquetReadError);
    expect(() => datasetLayout('visits', files)).toThrow(error);
  });
});

describe('any partitioned table', () => {
  it('reads the rows of its files in path order, each found again by its dataset row', async () => {
    const part = fc.record({
      year: fc.integer({ min: 2020, max: 2029 }),
      site: fc.constantFrom('North', 'a b', 'x=y', '50%'),
      ids: fc.array(fc.stringMatching(/^[A-Z][0-9]{0,3}$/), { minLength: 1, maxLength: 30 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(part, { selector: (p) => `${p.year}/${p.site}`, minLength: 1, maxLength: 6 }),
        async (parts) => {
          const files = parts.map((p) =>
            file(`year=${p.year}/site=${encodeURIComponent(p.site)}/part-0.parquet`, p.ids),
          );
          const layout = datasetLayout('t', files);
          const records = await parquetDatasetRecords('t', layout);
          const expected = [...parts]
            .sort((a, b) => {
              const pa = `year=${a.year}/site=${encodeURIComponent(a.site)}`;
              const pb = `year=${b.year}/site=${encodeURIComponent(b.site)}`;
              return pa < pb ? -1 : pa > pb ? 1 : 0;
            })
            .flatMap((p) => p.ids.map((id) => [id, p.site, String(p.year)]));
          const rows: string[][] = [];
          for await (const piece of records.pieces)
            for (let r = 0; r < piece.rows.length; r++)
              rows.push([piece.columns[0]?.[r], piece.columns[2]?.[r], piece.columns[1]?.[r]] as string[]);
          expect(rows).toEqual(expected);
          expect(records.rows).toBe(expected.length);
          const reader = parquetDatasetRowReader(layout, records);
          for (const row of [1, expected.length, Math.ceil(expected.length / 2)]) {
            const cells = await reader.row(row);
            expect([cells?.[0], cells?.[2], cells?.[1]]).toEqual(expected[row - 1]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
