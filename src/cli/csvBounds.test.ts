/**
 * The CSV bounds in the readers other than `validate`: `preflight sample` and the event-log CSV
 * reader of `workflow discover`. Each refused file is named with the row, the column and the byte
 * the row starts at (a byte-order mark and two-byte characters before it counted), and says what
 * to do, as `validate` says it; never the value.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_COLUMNS, DEFAULT_MAX_FIELD_CHARS, DEFAULT_MAX_NAME_CHARS } from '../core/csv/index.ts';
import { runCli } from './cliTestKit.ts';

const PLAN = path.resolve(import.meta.dirname, '../../samples/plans/patients.sampleplan.json');
const BOM = '\uFEFF';
/** a value that must never reach a message */
const SECRET = 'Zoë';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-csv-bounds-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The readers: each runs on `file` (a CSV whose first column is `id`, second `activity`). */
const READERS: { reader: string; run: (file: string) => Promise<{ code: number; err: string }> }[] = [
  {
    reader: 'preflight sample',
    run: async (file) => {
      const plan = JSON.parse(await readFile(PLAN, 'utf8'));
      plan.population = {
        dataset: file,
        stratifyBy: 'file',
        strata: [{ id: file, label: 'all', size: 2, census: true }],
      };
      await writeFile(path.join(dir, 'plan.json'), JSON.stringify(plan));
      return runCli(['sample', 'plan.json', file, '--key', 'id'], dir);
    },
  },
  {
    reader: 'preflight workflow discover',
    run: (file) =>
      runCli(
        ['workflow', 'discover', file, '--case', 'id', '--activity', 'activity', '--timestamp', 'time'],
        dir,
      ),
  },
];

/** Files over a bound: the text and the message expected after "<file>: ". */
const FILES: { name: string; text: () => string; says: string }[] = [
  {
    name: 'a cell over the bound, after a byte-order mark and two-byte characters',
    text: () => {
      const head = `${BOM}id,activity,time\nc1,${SECRET},2026-01-01T08:00:00Z\n`;
      return `${head}c1,${'x'.repeat(DEFAULT_MAX_FIELD_CHARS + 1)},2026-01-01T09:00:00Z\n`;
    },
    says: `the cell in column 2 of row 2 (from byte ${bytes(`${BOM}id,activity,time\nc1,${SECRET},2026-01-01T08:00:00Z\n`)}) is longer than 4,194,304 characters. No extract holds a cell that long. Export the extract again without that field, or check the delimiter.`,
  },
  {
    name: 'a quoted cell that never closes',
    text: () => `id,activity,time\nc1,A,2026-01-01T08:00:00Z\nc1,"${'x'.repeat(DEFAULT_MAX_FIELD_CHARS + 1)}`,
    says: `the cell in column 2 of row 2 (from byte ${bytes('id,activity,time\nc1,A,2026-01-01T08:00:00Z\n')}) is longer than 4,194,304 characters. Most likely a quote is opened and never closed. Check that cell in the file, or check the quote characters in the file.`,
  },
  {
    name: 'a column name over the bound',
    text: () => `id,${'n'.repeat(DEFAULT_MAX_NAME_CHARS + 1)},time\nc1,A,2026-01-01T08:00:00Z\n`,
    says: 'the name of column 2 in the header is longer than 4,096 characters. Most likely this is not a CSV file, or the first line is data. Export the extract again with short column names.',
  },
  {
    name: 'a row with more columns than a spreadsheet',
    text: () => `id,activity,time\nc1,${SECRET},2026-01-01T08:00:00Z\n${'c,'.repeat(DEFAULT_MAX_COLUMNS)}c\n`,
    says: `row 2 (from byte ${bytes(`id,activity,time\nc1,${SECRET},2026-01-01T08:00:00Z\n`)}) has more than 16,384 columns. Most likely this is not a CSV file, or the delimiter is wrong. Check the delimiter, or export the extract again as CSV.`,
  },
];

describe.each(READERS)('$reader refuses a CSV file over a bound at its place', ({ run }) => {
  it.each(FILES)('$name', async (c) => {
    await writeFile(path.join(dir, 'hostile.csv'), c.text());
    const { code, err } = await run('hostile.csv');
    expect(code).toBe(2);
    expect(err).toContain(`hostile.csv: ${c.says}`);
    expect(err).not.toContain(SECRET);
    expect(err).not.toContain('xxxx');
  });
});

/**
 * A first line that never ends (no line break in 40 MiB): every CLI reader of CSV names the same
 * place, the header at byte 0, and says what is wrong, whichever bound it crosses first.
 */
describe('a first line that never ends', () => {
  const LENGTH = 40 * 1024 * 1024;
  const COMMANDS: { command: string; run: (file: string) => Promise<{ code: number; err: string }> }[] = [
    { command: 'validate', run: (file) => runCli(['validate', file, '--schema', 'contract.json'], dir) },
    ...READERS.map(({ reader, run }) => ({ command: reader.replace(/^preflight /, ''), run })),
  ];

  it.each([
    {
      line: 'one run of characters',
      text: () => 'x'.repeat(LENGTH),
      says: 'the name of column 1 in the header is longer than 4,096 characters. Most likely this is not a CSV file, or the first line is data. Export the extract again with short column names.',
    },
    {
      line: 'a quote never closed',
      text: () => `"${'x'.repeat(LENGTH)}`,
      says: 'the name of column 1 in the header is longer than 4,096 characters. Most likely this is not a CSV file, or the first line is data. Export the extract again with short column names.',
    },
    {
      line: 'delimiters only',
      text: () => ','.repeat(LENGTH),
      says: 'the header (the first line) has more than 16,384 columns. Most likely this is not a CSV file, or the delimiter is wrong. Check the delimiter, or export the extract again as CSV.',
    },
  ])('$line: validate, workflow discover and sample name the same place', async ({ text, says }) => {
    await writeFile(path.join(dir, 'endless.csv'), text());
    await writeFile(
      path.join(dir, 'contract.json'),
      JSON.stringify({ type: 'object', properties: { id: { type: 'string' } } }),
    );
    const said: Record<string, string> = {};
    for (const { command, run } of COMMANDS) {
      const { code, err } = await run('endless.csv');
      expect(code, command).toBe(2);
      said[command] = err.replace(/^preflight [\w ]+?: /, '').trim();
    }
    // the same words; validate names its own option where the advice names the delimiter
    expect(said).toEqual({
      validate: `endless.csv: ${says.replace('Check the delimiter', 'Check --delimiter')}`,
      sample: `endless.csv: ${says}`,
      'workflow discover': `endless.csv: ${says}`,
    });
  });
});
