/**
 * Hostile Parquet files are refused in words that name what is wrong, never as the engine's own
 * RangeError: a footer claiming 2^40 rows, a schema 8,000 levels deep, and a dictionary page that
 * unpacks far beyond its stored size (a bomb).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FileMetaData, parquetMetadata } from 'hyparquet';
import { ByteWriter, parquetWriteBuffer } from 'hyparquet-writer';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { describe, expect, it } from 'vitest';
import { duckdb } from '../../../tests/parquet/duckdbWriter.ts';
import { ParquetReadError, parquetCsvText } from './index.ts';

async function text(bytes: Uint8Array, options?: { maxPageBytes?: number }): Promise<string> {
  let out = '';
  const source = {
    name: 'x.parquet',
    size: bytes.length,
    read: async (o: number, l: number) => bytes.slice(o, o + l),
  };
  for await (const piece of parquetCsvText(source, options)) out += piece;
  return out;
}

/** `bytes` with its footer replaced by `footer` (the pages kept as they are). */
function withFooter(bytes: Uint8Array, footer: Uint8Array): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
  const start = bytes.length - 8 - length;
  const out = new Uint8Array(start + footer.length + 8);
  out.set(bytes.subarray(0, start));
  out.set(footer, start);
  new DataView(out.buffer).setUint32(start + footer.length, footer.length, true);
  out.set(new TextEncoder().encode('PAR1'), start + footer.length + 4);
  return out;
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  out.push(n);
  return out;
}
const zigzag = (n: number) => varint(n * 2);

/**
 * A footer (Thrift compact) whose schema nests `depth` groups over one INT32 column, with no row
 * groups: written by hand, as a writer's own recursion would overflow on it too.
 */
function deepFooter(depth: number): Uint8Array {
  const element = (name: string, children?: number) => {
    const name8 = [...new TextEncoder().encode(name)];
    return [
      // 1: type INT32 for the leaf; 3: repetition (the field delta from 1, or from 0 for a group)
      ...(children === undefined ? [0x15, ...zigzag(1), 0x25] : [0x35]),
      ...zigzag(1), // OPTIONAL
      0x18, // 4: name (binary)
      ...varint(name8.length),
      ...name8,
      ...(children === undefined ? [] : [0x15, ...zigzag(children)]), // 5: num_children
      0x00,
    ];
  };
  const elements = [[0x48, 0x04, 0x72, 0x6f, 0x6f, 0x74, 0x15, ...zigzag(1), 0x00]]; // root: 4 name, 5 children
  for (let i = 0; i < depth; i++) elements.push(element(`n${i}`, 1));
  elements.push(element('leaf'));
  const count = elements.length;
  return Uint8Array.from([
    0x15,
    ...zigzag(1), // 1: version
    0x19,
    0xfc,
    ...varint(count),
    ...elements.flat(), // 2: schema, a list of structs
    0x16,
    ...zigzag(0), // 3: num_rows
    0x19,
    0x0c, // 4: row_groups, an empty list of structs
    0x00,
  ]);
}

describe('hostile Parquet files', () => {
  it('refuses a footer claiming 2^40 rows, naming the row group and the bound', async () => {
    const bytes = new Uint8Array(
      parquetWriteBuffer({ columnData: [{ name: 'mrn', data: ['A1', 'A2'], type: 'STRING' }] }),
    );
    const metadata = parquetMetadata(bytes.slice().buffer) as FileMetaData;
    metadata.num_rows = 2n ** 40n;
    (metadata.row_groups[0] as { num_rows: bigint }).num_rows = 2n ** 40n;
    const writer = new ByteWriter();
    // the writer bundles its own hyparquet's types: the same footer, typed as it reads it
    writeMetadata(writer, metadata as unknown as Parameters<typeof writeMetadata>[1]);
    const hostile = withFooter(bytes, new Uint8Array(writer.getBuffer()));
    const read = text(hostile);
    await expect(read).rejects.toBeInstanceOf(ParquetReadError);
    await expect(text(hostile)).rejects.toThrow(
      '"x.parquet": row group 1 claims 1,099,511,627,776 rows, more than the 50,000,000 a row group may hold here: the file is damaged, or export it again with smaller row groups.',
    );
  });

  it('refuses a small footer declaring more cells than its size allows (nulls unpack to separators)', async () => {
    const bytes = new Uint8Array(
      parquetWriteBuffer({
        columnData: Array.from({ length: 40 }, (_, c) => ({
          name: `c${c}`,
          data: [null, null],
          type: 'STRING',
        })),
      }),
    );
    const metadata = parquetMetadata(bytes.slice().buffer) as FileMetaData;
    metadata.num_rows = 40_000_000n;
    (metadata.row_groups[0] as { num_rows: bigint }).num_rows = 40_000_000n;
    const writer = new ByteWriter();
    writeMetadata(writer, metadata as unknown as Parameters<typeof writeMetadata>[1]);
    await expect(text(withFooter(bytes, new Uint8Array(writer.getBuffer())))).rejects.toThrow(
      '"x.parquet": it declares 40,000,000 rows of 40 columns, more cells than the 1,073,741,824 a file of its size is read with here: the file is damaged or built to fill the disk, or split the table into smaller files.',
    );
  });

  it('refuses a schema 8,000 levels deep, saying so', async () => {
    const bytes = new Uint8Array(
      parquetWriteBuffer({ columnData: [{ name: 'mrn', data: ['A1'], type: 'STRING' }] }),
    );
    const error = await text(withFooter(bytes, deepFooter(8000))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParquetReadError);
    expect((error as Error).message).toMatch(
      /^"x\.parquet": its schema nests columns more than 64 levels deep, more than Preflight reads/,
    );
    // a schema a few levels deep is read
    await expect(text(withFooter(bytes, deepFooter(3)))).resolves.toBe('n0\r\n');
  });

  it('refuses a dictionary page that unpacks past the page bound, with the bound', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-dictionary-bomb-'));
    const db = await duckdb();
    try {
      const file = path.join(dir, 'bomb.parquet');
      // 100 distinct notes of 20,000 characters: a dictionary page of 2 MB that gzip packs small
      await db.parquet(`SELECT repeat('x', 20000) || (i % 100) AS note FROM range(1000) t(i)`, file, {
        codec: 'gzip',
      });
      const bytes = new Uint8Array(await readFile(file));
      expect(bytes.length).toBeLessThan(200_000);
      expect(
        parquetMetadata(bytes.slice().buffer).row_groups[0]?.columns[0]?.meta_data?.dictionary_page_offset,
      ).toBeDefined();
      await expect(text(bytes, { maxPageBytes: 1024 * 1024 })).rejects.toThrow(
        /^"x\.parquet": row group 1 \(rows 1 to 1000\) cannot be read: a page claims 2 MB unpacked, over the 1 MB a page may unpack to: the file is damaged or built to fill the memory\.$/,
      );
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
