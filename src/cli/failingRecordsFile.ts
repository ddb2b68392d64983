/**
 * Writes the failing records an SQL engine reads back (core `failingRecordsSql`: each record's
 * data row and its CSV line) to a file of their own, header first, for the default engine's pass
 * over them (core sqlFailingRows.ts). Both SQL engines write it here, a batch at a time, waiting
 * for the disk when it is behind.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type CsvSource, type SqlRow, sqlCount } from '../core/validation/index.ts';
import { Unusable } from './commands/validateOptions.ts';
import { openFilesForReading } from './openFiles.ts';

/** Opens a file of failing records an SQL engine wrote, for the default engine's pass. */
export const openFailingRecords =
  (cwd: string) =>
  async (target: string): Promise<{ source: CsvSource; close: () => Promise<void> }> => {
    const opened = await openFilesForReading([target], cwd, (m) => new Unusable(m));
    return { source: opened.files[0] as CsvSource, close: opened.close };
  };

/** Writes `header` then each row's `line` to `target`; returns each record's data row (`r`), in order. */
export async function writeFailingRecordsFile(
  target: string,
  header: string,
  lineEnding: string,
  batches: AsyncIterable<readonly SqlRow[]>,
): Promise<Uint32Array> {
  const out = createWriteStream(target);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  let rows = new Uint32Array(1024);
  let n = 0;
  out.write(header);
  for await (const batch of batches) {
    let lines = '';
    for (const record of batch) {
      if (n === rows.length) {
        const grown = new Uint32Array(rows.length * 2);
        grown.set(rows);
        rows = grown;
      }
      rows[n++] = sqlCount(record.r);
      lines += `${String(record.line)}${lineEnding}`;
    }
    if (!out.write(lines)) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'close'), failed]);
  return rows.slice(0, n);
}
