/**
 * The column account over the CSV corpora nobody here wrote (tests/fixtures/external: csv-spectrum,
 * csvlint-rb, frictionless-py): every column of every header is used by the run or said as not
 * checked, by name and position. The header is read here on its own, by papaparse, not by the
 * engine's reader; a contract names the first column only, so the rest must be in the account.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_FIXTURES_DIR, externalFixture } from '../../../tests/fixtures/external.ts';
import { memorySource } from '../../../tests/migration/sources.ts';
import { sniffCsvLayout } from '../csv/index.ts';
import { unaccounted } from '../readerAccount/index.ts';
import { compileContract } from './contractCompile.ts';
import { validateCsv } from './validateCsv.ts';

/** Every `.csv` file under `dir`, as paths relative to tests/fixtures/external. */
function csvFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const at = path.join(dir, name);
    if (statSync(at).isDirectory()) return csvFiles(at);
    return name.endsWith('.csv') ? [at] : [];
  });
}

const FILES = ['csv-spectrum', 'csvlint-rb', 'frictionless-py'].flatMap((suite) =>
  csvFiles(externalFixture(suite)).map((file) => path.relative(EXTERNAL_FIXTURES_DIR, file)),
);

describe('the column account over the CSV corpora', () => {
  it('covers the three suites', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(FILES)('%s: every header column is used or accounted for', async (file) => {
    const bytes = new Uint8Array(readFileSync(externalFixture(file)));
    const layout = sniffCsvLayout(bytes.subarray(0, 65536));
    const text = new TextDecoder(layout.encoding === 'utf-8' ? 'utf-8' : layout.encoding).decode(bytes);
    const seen = (Papa.parse<string[]>(text.replace(/^\ufeff/, ''), {
      preview: 1,
      delimiter: layout.delimiter,
    }).data[0] ?? []) as string[];
    const first = seen[0];
    const compiled = await compileContract({ type: 'object', properties: first ? { [first]: {} } : {} });
    if (!compiled.ok) throw new Error('the contract compiles');
    let result: Awaited<ReturnType<typeof validateCsv>>;
    try {
      result = await validateCsv(memorySource(file, bytes), {
        layout,
        plan: compiled.plan,
        fullValidator: compiled.validate,
      });
    } catch {
      // a file the engine refuses whole (not text, not in its encoding) has no columns to account
      // for: its refusal is the report (csvlint-rb's invalid-byte-sequence.csv)
      expect(file).toMatch(/invalid-byte-sequence/);
      return;
    }
    const account = result.account;
    expect(account).toBeDefined();
    if (account === undefined) return;
    // the engine's header is the file's: what papaparse reads as the first record
    expect(unaccounted(result.header, account)).toEqual([]);
    if (result.header.length > 0) expect(unaccounted(seen, account)).toEqual([]);
    const notChecked = account.lines.filter((l) => l.kind === 'column' && l.handling === 'not-used');
    for (const line of notChecked) {
      expect(line.name).not.toBe(first);
      expect(result.header[(line.where?.column ?? 0) - 1]).toBe(line.name);
    }
  });
});
