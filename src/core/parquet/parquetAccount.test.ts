/**
 * The Parquet reader's account over apache/parquet-testing's files (tests/fixtures/external/
 * parquet-testing): every top-level column and every physical, converted and logical type a
 * footer holds is read or in the account. The footer is walked here on its own, through
 * hyparquet's metadata reader, not through the reader's schema walk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { unaccounted } from '../readerAccount/index.ts';
import { parquetRecords } from './index.ts';

const DATA = externalFixture('parquet-testing', 'data');
const FILES = readdirSync(DATA).filter((name) => name.endsWith('.parquet'));

/** What a footer holds, walked independently: top-level column names and every type name. */
function seenIn(bytes: Uint8Array): string[] {
  const metadata = parquetMetadata(bytes.slice().buffer);
  const seen: string[] = [];
  // the root's children are the top-level columns: walk the flat list, counting subtrees
  const stack: number[] = [metadata.schema[0]?.num_children ?? 0];
  for (const element of metadata.schema.slice(1)) {
    if (stack.length === 1) seen.push(element.name);
    for (const type of [element.type, element.converted_type, element.logical_type?.type])
      if (type !== undefined) seen.push(type);
    stack[stack.length - 1] = (stack[stack.length - 1] as number) - 1;
    if ((element.num_children ?? 0) > 0) stack.push(element.num_children as number);
    while (stack.length > 1 && stack[stack.length - 1] === 0) stack.pop();
  }
  return seen;
}

describe('the Parquet reader account over parquet-testing', () => {
  it('holds a spread of the types real writers use', () => {
    const all = new Set(FILES.flatMap((file) => seenIn(new Uint8Array(readFileSync(`${DATA}/${file}`)))));
    for (const type of ['INT96', 'FIXED_LEN_BYTE_ARRAY', 'DECIMAL', 'FLOAT16', 'LIST', 'MAP', 'GEOMETRY'])
      expect(all, type).toContain(type);
  });

  it.each(FILES)('%s: every column and type is read or accounted for', async (file) => {
    const bytes = new Uint8Array(readFileSync(`${DATA}/${file}`));
    const records = await parquetRecords({
      name: file,
      size: bytes.length,
      read: async (offset, length) => bytes.slice(offset, offset + length),
    });
    let rows = 0;
    for await (const piece of records.pieces) rows += piece.rows.length;
    expect(rows).toBe(records.rows);
    expect(unaccounted(seenIn(bytes), records.account)).toEqual([]);
    for (const line of records.account.lines) expect(line.effect).not.toBe('');
  });
});
