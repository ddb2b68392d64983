/**
 * Every codec writers use is read, and one that is not is refused before any row is read, naming
 * the codec, the column and the writer; a page that claims too much unpacked is refused before
 * its memory is taken.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FileMetaData } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUCK_CODECS, duckdb } from '../../../tests/parquet/duckdbWriter.ts';
import { COMPRESSORS, MAX_PAGE_BYTES, PageTooLarge, unreadableCodec } from './codecs.ts';
import { parquetCsvText } from './index.ts';

async function text(bytes: Uint8Array, name = 'visits.parquet'): Promise<string> {
  let out = '';
  const read = async (offset: number, length: number) => bytes.slice(offset, offset + length);
  for await (const piece of parquetCsvText({ name, size: bytes.length, read })) out += piece;
  return out;
}

let dir: string;
let db: Awaited<ReturnType<typeof duckdb>>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-codecs-'));
  db = await duckdb();
});
afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Parquet codecs', () => {
  it('reads every codec DuckDB writes, with and without dictionary pages', async () => {
    const query = `SELECT 'V' || i AS visit_id, i % 3 AS ward FROM range(1, 2001) t(i)`;
    const expected = [
      'visit_id,ward',
      ...Array.from({ length: 2000 }, (_, k) => `V${k + 1},${(k + 1) % 3}`),
      '',
    ].join('\r\n');
    for (const codec of DUCK_CODECS) {
      for (const dictionary of [true, false]) {
        const file = path.join(dir, `${codec}-${dictionary}.parquet`);
        await db.parquet(query, file, { codec, dictionary, rowGroupSize: 1500 });
        expect(await text(await readFile(file)), `${codec}, dictionary ${dictionary}`).toBe(expected);
      }
    }
  });

  it('refuses a codec it cannot read, naming the codec, the column and the writer', () => {
    const metadata = {
      created_by: 'parquet-mr version 1.8.0',
      row_groups: [
        {
          columns: [
            { meta_data: { codec: 'SNAPPY', path_in_schema: ['visit_id'] } },
            { meta_data: { codec: 'LZO', path_in_schema: ['address', 'city'] } },
          ],
        },
      ],
    } as unknown as FileMetaData;
    expect(unreadableCodec(metadata)).toBe(
      'column address.city is compressed with LZO, which Preflight does not read (written by "parquet-mr version 1.8.0"). Export it again with Snappy, GZIP, ZSTD, Brotli, LZ4 or no compression',
    );
    expect(unreadableCodec({ ...metadata, row_groups: [] })).toBeUndefined();
  });

  it('refuses a page that claims more than the page limit before taking its memory', () => {
    for (const [codec, decode] of Object.entries(COMPRESSORS)) {
      expect(() => decode?.(new Uint8Array(8), MAX_PAGE_BYTES + 1), codec).toThrow(PageTooLarge);
      expect(() => decode?.(new Uint8Array(8), MAX_PAGE_BYTES + 1), codec).toThrow(
        'a page claims 257 MB unpacked, over the 256 MB a page may unpack to',
      );
    }
  });
});
