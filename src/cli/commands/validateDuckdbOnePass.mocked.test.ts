/**
 * `preflight validate --engine duckdb`: the failing records DuckDB writes out are read by the
 * default engine's pass ONCE per file, with the file's contract compiled once, whether that pass
 * counts the rows of waivers limited to rows, lists the failing rows for `--failing-rows`, or both.
 * The calls of `validateCsv` and of the contract's compilation are counted through spies that run
 * the real functions, so the outputs are the real ones and are held equal to the default engine's.
 * Every file opened for reading is closed by the end of the run, also when a pass fails.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileContract, validateCsv } from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';
import { createWaiversFile, type Waiver } from '../../formats/waivers.ts';
import { runCli } from '../cliTestKit.ts';
import { birthDateWaiver } from '../testing/fixtures.ts';

// the pass, spied in its own module, where the core's failing-records pass and the CLI both reach
// it; and the run's contract compilation (validateOptions.ts `compileContract` calls the core's)
vi.mock('../../core/validation/validateCsv.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../core/validation/validateCsv.ts')>();
  return { ...real, validateCsv: vi.fn(real.validateCsv) };
});
vi.mock('../../core/validation/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../core/validation/index.ts')>();
  return { ...real, compileContract: vi.fn(real.compileContract) };
});

// the files opened for reading and the closes of what was opened: equal once a run has ended
const opens = vi.hoisted(() => ({ opened: 0, closed: 0 }));
vi.mock('../openFiles.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../openFiles.ts')>();
  return {
    ...real,
    openFilesForReading: vi.fn(async (...args: Parameters<typeof real.openFilesForReading>) => {
      const opened = await real.openFilesForReading(...args);
      opens.opened++;
      return {
        ...opened,
        close: async () => {
          opens.closed++;
          await opened.close();
        },
      };
    }),
  };
});

let dir: string;
const CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:test:patients',
  type: 'object',
  required: ['id', 'birth_date'],
  properties: { id: { type: 'string' }, birth_date: { type: 'string' }, sex: { enum: ['F', 'M'] } },
};
const contractOf = (file: string) => `${path.basename(file, '.csv')}.contract.json`;
// every birth date empty (a.csv: 40, twice the examples a report keeps); row 7's sex is refused too
const rowsOf = (length: number) =>
  `id,birth_date,sex\n${Array.from({ length }, (_, i) => `${i + 1},,${i === 6 ? 'X' : 'F'}`).join('\n')}\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-duckdb-one-pass-'));
  // a contract file of each input's own, told apart by its $id where it is compiled
  for (const file of ['a.csv', 'b.csv'])
    await writeFile(
      path.join(dir, contractOf(file)),
      JSON.stringify({ ...CONTRACT, $id: `urn:test:${contractOf(file)}` }),
    );
  await writeFile(path.join(dir, 'a.csv'), rowsOf(40));
  await writeFile(path.join(dir, 'b.csv'), rowsOf(30));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `validate` on `files`; the calls made while it ran, by file, and what it wrote. */
async function run(
  files: string[],
  options: { waivers?: Waiver[]; failingRows?: boolean },
  engine: string[],
): Promise<{
  code: number;
  out: string;
  report: string;
  exported?: string;
  passes: Record<string, number>;
  withRowSets: Record<string, number>;
  compiled: Record<string, number>;
  opened: number;
  closed: number;
}> {
  const argv = ['validate', ...files, '--report', 'r.json', ...engine];
  for (const file of files) argv.push('--schema', `${file}=${contractOf(file)}`);
  if (options.waivers) {
    await writeFile(path.join(dir, 'w.json'), JSON.stringify(createWaiversFile(options.waivers)));
    argv.push('--waivers', 'w.json');
  }
  if (options.failingRows) argv.push('--failing-rows', 'f.csv');
  vi.mocked(validateCsv).mockClear();
  vi.mocked(compileContract).mockClear();
  opens.opened = 0;
  opens.closed = 0;
  const { code, out } = await runCli(argv, dir);
  const tally = (names: string[]) => {
    const by: Record<string, number> = {};
    for (const name of names) by[name] = (by[name] ?? 0) + 1;
    return by;
  };
  const calls = vi.mocked(validateCsv).mock.calls;
  return {
    code,
    out,
    report: await readFile(path.join(dir, 'r.json'), 'utf8'),
    ...(options.failingRows ? { exported: await readFile(path.join(dir, 'f.csv'), 'utf8') } : {}),
    passes: tally(calls.map(([source]) => source.name)),
    withRowSets: tally(calls.flatMap(([source, o]) => ((o.rowSets?.length ?? 0) > 0 ? [source.name] : []))),
    compiled: tally(
      vi
        .mocked(compileContract)
        .mock.calls.map(([contract]) => String(contract.$id).replace('urn:test:', '')),
    ),
    ...opens,
  };
}

/** A report's problems: rule, column, count and the waiver accepting them (the parts of a split). */
const problems = (text: string) =>
  (JSON.parse(text) as Report).issues.map((i) => [i.rule, i.location, i.count, i.acceptedBy]);

describe('the DuckDB engine reads its failing records once per file', () => {
  const table: {
    name: string;
    files: string[];
    waivers?: Waiver[];
    failingRows?: boolean;
    passes: Record<string, number>;
    withRowSets: Record<string, number>;
  }[] = [
    {
      name: 'a waiver limited to rows, no export: one pass, with its rows',
      files: ['a.csv'],
      waivers: [birthDateWaiver({ rows: [{ from: 1, to: 25 }] })],
      passes: { 'a.csv': 1 },
      withRowSets: { 'a.csv': 1 },
    },
    {
      name: 'an export, no waiver: one pass',
      files: ['a.csv'],
      failingRows: true,
      passes: { 'a.csv': 1 },
      withRowSets: {},
    },
    {
      name: 'a waiver limited to rows and an export: the same one pass for both',
      files: ['a.csv'],
      waivers: [birthDateWaiver({ rows: [{ from: 1, to: 25 }] })],
      failingRows: true,
      passes: { 'a.csv': 1 },
      withRowSets: { 'a.csv': 1 },
    },
    {
      name: 'two files, a waiver limited to rows of one, and an export: one pass each',
      files: ['a.csv', 'b.csv'],
      waivers: [birthDateWaiver({ input: 'b.csv', rows: [{ from: 3, to: 12 }] })],
      failingRows: true,
      passes: { 'a.csv': 1, 'b.csv': 1 },
      withRowSets: { 'b.csv': 1 },
    },
    {
      name: 'a waiver of the whole column, no export: no pass',
      files: ['a.csv'],
      waivers: [birthDateWaiver({})],
      passes: {},
      withRowSets: {},
    },
  ];
  it.each(table)('$name', async ({ files, waivers, failingRows, passes, withRowSets }) => {
    const options = { ...(waivers ? { waivers } : {}), ...(failingRows ? { failingRows } : {}) };
    const plain = await run(files, options, []);
    const duck = await run(files, options, ['--engine', 'duckdb']);
    expect(duck.passes).toEqual(passes);
    expect(duck.withRowSets).toEqual(withRowSets);
    // each file's contract compiled once per file read, never once per use
    expect(duck.compiled).toEqual(Object.fromEntries(Object.keys(passes).map((f) => [contractOf(f), 1])));
    // every file opened (inputs, failing records read by a pass) closed by the end of the run
    expect(duck.opened).toBeGreaterThan(0);
    expect(duck.closed).toBe(duck.opened);
    // the same outcome as the default engine's (the differential tests hold the rest)
    expect(duck.code, duck.out).toBe(plain.code);
    expect(duck.exported).toBe(plain.exported);
    expect(problems(duck.report)).toEqual(problems(plain.report));
  });
});

describe('the DuckDB engine closes the files of its passes', () => {
  it('when a pass fails while another is kept for the export', async () => {
    // b.csv's pass counts its waiver first and is kept for the export, its file open; a.csv's,
    // made by the export, fails
    vi.mocked(validateCsv).mockImplementationOnce(
      vi.mocked(validateCsv).getMockImplementation() as typeof validateCsv,
    );
    vi.mocked(validateCsv).mockImplementationOnce(async () => {
      throw new Error('a pass that fails');
    });
    const duck = await run(
      ['a.csv', 'b.csv'],
      { waivers: [birthDateWaiver({ input: 'b.csv', rows: [{ from: 3, to: 12 }] })], failingRows: true },
      ['--engine', 'duckdb'],
    );
    expect(duck.code).not.toBe(0);
    expect(duck.code).not.toBe(1);
    expect(duck.passes).toEqual({ 'a.csv': 1, 'b.csv': 1 });
    expect(duck.opened).toBeGreaterThan(0);
    expect(duck.closed).toBe(duck.opened);
  });
});
