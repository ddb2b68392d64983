/**
 * `validate --engine postgres` against the default engine on the same files: each case runs the
 * default engine on CSV files, then loads the same files into new tables of a throwaway
 * PostgreSQL server (`--load`) and checks them there; both reports must say the same (inputs,
 * summary, issues by rule and place, profiles, cross-file findings). CI installs PostgreSQL
 * (Debian's package); where it is missing outside CI the tests are skipped and say so.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_CONTRACT, writeLegacyPatients } from '../../../tests/bench/legacyPatients.ts';
import { postgresBinDir, type TestPostgres, testPostgres } from '../../../tests/setup/postgres.ts';
import { compilePlan, withNotChecked } from '../../core/contract/index.ts';
import { csvField } from '../../core/csv/index.ts';
import { failingGroupsSql, failingLinesSql } from '../../core/sql/index.ts';
import { csvText, SQL_CHECK_CASES } from '../../core/sql/testing/checkCases.ts';
import type { Report } from '../../formats/report.ts';
import { createWaiversFile } from '../../formats/waivers.ts';
import { runCli } from '../cliTestKit.ts';
import {
  birthDateWaiver,
  demoFirstRows,
  loadDemoProject,
  PATIENTS_CONTRACT,
  withSavedKeys,
  writeProjectFile,
} from '../testing/fixtures.ts';
import {
  CONTRACT,
  findings,
  HEADER_CASES,
  headerCaseCsv,
  parityFolder,
  QUOTE_CASES,
  ROOT,
} from '../testing/sqlParity.ts';

const bin = postgresBinDir();
if (bin === undefined && process.env.CI)
  throw new Error(
    'PostgreSQL is not installed: .ci/run installs Debian’s postgresql package for these tests',
  );
if (bin === undefined)
  console.warn('PostgreSQL is not installed (Debian package postgresql): its engine tests are skipped');

let dir: string;
let pg: TestPostgres;
const parity = parityFolder();
let tables = 0;

beforeAll(async () => {
  if (bin === undefined) return;
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-pg-engine-'));
  pg = await testPostgres(bin);
  await writeLegacyPatients(path.join(dir, 'bench.csv'), 3000);
  await writeFile(path.join(dir, 'bench.contract.json'), JSON.stringify(BENCH_CONTRACT));
  // a header with a quoted line break, then a row its contract fails: found, never 0 records
  await writeFile(path.join(dir, 'break.csv'), 'mrn,"e\nf",g\nA1,2,\n5,6,7\n');
  await writeFile(
    path.join(dir, 'break.contract.json'),
    JSON.stringify({
      type: 'object',
      required: ['mrn', 'g'],
      properties: {
        mrn: { type: 'string', pattern: '^[0-9]+$' },
        'e\nf': { type: 'string' },
        g: { type: 'string' },
      },
    }),
  );
  await writeFile(path.join(dir, 'people.csv'), 'id,last\nP1,Smith\nP2,Lee\nP1, smith \nP3,\n');
  await writeFile(path.join(dir, 'visits.csv'), 'visit,person\nV1,P1\nV2,P9\nV3,\nV4,p2\n');
  // more keys repeated than a report lists (1,000), the first key's repeat the last record: the
  // keys listed are those whose first repeat comes first, in the order of their first records
  const keys = Array.from({ length: 1001 }, (_, i) => `k${i + 1}`);
  await writeFile(path.join(dir, 'keys.csv'), `id\n${[...keys, ...keys.slice(1), 'k1'].join('\n')}\n`);
  // 40 empty birth dates (twice the examples a report keeps), for waivers limited to rows
  const many = Array.from({ length: 40 }, (_, i) => `${i + 1},,F`);
  await writeFile(path.join(dir, 'many.csv'), `id,birth_date,sex\n${many.join('\n')}\n`);
  await writeFile(path.join(dir, 'patients.contract.json'), JSON.stringify(PATIENTS_CONTRACT));
  await writeFile(
    path.join(dir, 'w.json'),
    JSON.stringify(createWaiversFile([birthDateWaiver({ rows: [{ from: 1, to: 25 }] })])),
  );
  // a rehearsal drop under a name nobody saved, and the demo project with its keys saved
  await writeFile(path.join(dir, 'pts-2026-11.csv'), await demoFirstRows('patients.csv', 300));
  await writeProjectFile(dir, 'saved.preflight.json', withSavedKeys(await loadDemoProject()));
}, 120_000);

afterAll(async () => {
  if (bin === undefined) return;
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
});

const contract = (name: string) => path.join(ROOT, 'samples/contracts', name);

/** The default engine on `files`, then PostgreSQL with each file loaded into a new table. */
async function both(files: string[], extra: string[]) {
  const js = await runCli(['validate', ...files, ...extra, '--json'], dir);
  const loads = files.flatMap((f) => ['--table', `t${++tables}`, '--load', f]);
  const pgRun = await runCli(
    ['validate', '--engine', 'postgres', '--database', pg.url(), ...loads, ...extra, '--json'],
    dir,
  );
  expect(pgRun.err).toBe(js.err);
  expect(pgRun.code).toBe(js.code);
  return { js: JSON.parse(js.out) as Report, pg: JSON.parse(pgRun.out) as Report };
}

/**
 * Check cases left out of the run through the CLI, by name, with the reason: the SQL tests run them
 * on the plan (tests/unit/postgresSql.test.ts).
 */
const CLI_SKIPPED = new Map([
  [
    'required column missing from the header fails every record',
    'its contract requires a column it does not define, which the default engine refuses as a contract (strictRequired) and the PostgreSQL engine runs',
  ],
]);

describe.skipIf(bin === undefined)('the PostgreSQL engine against the default engine', () => {
  const table: { description: string; files: string[]; extra: () => string[] }[] = [
    {
      description: 'the demo patients with their contract and key',
      files: [path.join(ROOT, 'samples/legacy/patients.csv')],
      extra: () => ['--schema', contract('patients.contract.json'), '--key', 'mrn'],
    },
    {
      description: "the benchmark generator's planted defects (3,000 rows), demographics compared",
      files: ['bench.csv'],
      extra: () => ['--schema', 'bench.contract.json', '--key', 'mrn', '--demographics', 'last_name,sex'],
    },
    {
      description: 'a header with a quoted line break, then a row its contract fails',
      files: ['break.csv'],
      extra: () => ['--schema', 'break.contract.json'],
    },
    {
      description: 'a reference from one file into another: orphans, keys and a blank cell',
      files: ['people.csv', 'visits.csv'],
      extra: () => ['--key', 'people.id', '--references', 'visits.person=people.id'],
    },
    {
      description: 'more repeated keys than a report lists: those repeated first, by first row',
      files: ['keys.csv'],
      extra: () => ['--key', 'id'],
    },
    {
      description: 'a waiver limited to rows: counted in its rows, the rows after it still failing',
      files: ['many.csv'],
      extra: () => ['--schema', 'patients.contract.json', '--waivers', 'w.json'],
    },
  ];
  it.each(table)('$description', async ({ files, extra }) => {
    const { js, pg: onPostgres } = await both(files, extra());
    expect(onPostgres.engine).toBe('postgres');
    expect(findings(onPostgres)).toEqual(findings(js));
  });

  it('every check case of the SQL engines: the same report as the default engine, in one run of them all', async () => {
    // each case a file with its contract; the issues of several files told apart by their input
    const cases = SQL_CHECK_CASES.filter((c) => !CLI_SKIPPED.has(c.name));
    const files = cases.map((_, i) => `case${i}.csv`);
    const schemas: string[] = [];
    for (const [i, c] of cases.entries()) {
      // a second column keeps a case's records from being blank where its cell is empty
      const header = c.header.length === 1 ? [...c.header, 'n'] : c.header;
      const rows = c.header.length === 1 ? c.rows.map((r, k) => [...r, String(k + 1)]) : c.rows;
      await writeFile(path.join(dir, `case${i}.csv`), csvText(header, rows));
      await writeFile(path.join(dir, `case${i}.contract.json`), JSON.stringify(c.contract));
      schemas.push('--schema', `case${i}.csv=case${i}.contract.json`);
    }
    const { js, pg: onPostgres } = await both(files, ['--continue-on-header-mismatch', ...schemas]);
    const byPlace = (report: Report) => ({
      ...findings(report),
      issues: Object.fromEntries(
        report.issues.map((i) => [`${i.examples[0]?.input} ${i.rule} ${i.location}`, i]),
      ),
    });
    expect(js.issues.length).toBeGreaterThan(cases.length);
    expect(byPlace(onPostgres)).toEqual(byPlace(js));
  });

  /** `--failing-rows file` by the default engine, then by PostgreSQL on the same files loaded: both files' text. */
  async function exports(files: string[], extra: string[], file: string) {
    const js = await runCli(['validate', ...files, ...extra, '--failing-rows', `js-${file}`], dir);
    expect(js.code, js.err).toBeLessThan(2);
    const loads = files.flatMap((f) => ['--table', `t${++tables}`, '--load', f]);
    const onPg = await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        pg.url(),
        ...loads,
        ...extra,
        '--failing-rows',
        `pg-${file}`,
      ],
      dir,
    );
    expect(onPg.err).not.toMatch(/refused|stopped/);
    return {
      js: await readFile(path.join(dir, `js-${file}`), 'utf8'),
      pg: await readFile(path.join(dir, `pg-${file}`), 'utf8'),
    };
  }

  it('writes the failing rows of every check case as the default engine does, byte for byte', async () => {
    const cases = SQL_CHECK_CASES.filter((c) => !CLI_SKIPPED.has(c.name));
    const schemas: string[] = [];
    for (const [i, c] of cases.entries()) {
      await writeFile(path.join(dir, `export${i}.csv`), csvText(c.header, c.rows));
      await writeFile(path.join(dir, `export${i}.contract.json`), JSON.stringify(c.contract));
      schemas.push('--schema', `export${i}.csv=export${i}.contract.json`);
    }
    const files = cases.map((_, i) => `export${i}.csv`);
    const { js, pg: onPg } = await exports(files, ['--continue-on-header-mismatch', ...schemas], 'cases.csv');
    expect(js.split('\r\n').length).toBeGreaterThan(cases.length);
    expect(onPg).toBe(js);
  });

  it('writes cells a spreadsheet would read as formulas as the default engine does (CSV, NDJSON, --redact)', async () => {
    // cells starting =, +, -, @, tab, CR or an apostrophe; quotes, commas, line breaks, control
    // characters and characters past U+FFFF; a blank record and one of "no value" texts only
    const cells = [
      '=1+1',
      '+41',
      '-2',
      '@SUM(A1)',
      '\tTAB',
      '\rCR',
      "'quoted",
      'a,b',
      'say "hi"',
      'two\nlines',
      'bell\u0007',
      'é😀',
      ' "x"',
      'N/A',
    ];
    const rows = cells.map((cell, i) => [i % 3 === 0 ? '' : `M${i}`, cell, cell]);
    // a record whose only problem is a cell with spaces before a quote, and one of "no value"
    // texts only (blank for the default engine) in a file that requires no column
    rows.push(['M20', ' "x', 'abc']);
    await writeFile(
      path.join(dir, 'none.csv'),
      csvText(
        ['a', 'b'],
        [
          ['x', 'y'],
          ['N/A', 'N/A'],
          ['z', 'w'],
        ],
      ),
    );
    await writeFile(
      path.join(dir, 'none.contract.json'),
      JSON.stringify(
        withNotChecked(
          { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } },
          { notChecked: [], missingValues: ['N/A'] },
        ),
      ),
    );
    await writeFile(
      path.join(dir, 'hostile.csv'),
      csvText(['mrn', 'note', 'code'], [...rows, ['', '', ''], ['N/A', 'N/A', '']]),
    );
    await writeFile(
      path.join(dir, 'hostile.contract.json'),
      JSON.stringify(
        withNotChecked(
          {
            type: 'object',
            required: ['mrn', 'note'],
            properties: {
              mrn: { type: 'string', pattern: '^M[0-9]+$' },
              note: { type: 'string', maxLength: 3 },
              code: { type: 'string', pattern: '^[a-z]+$' },
            },
          },
          { notChecked: [], missingValues: ['N/A'] },
        ),
      ),
    );
    const args = ['--schema', 'hostile.csv=hostile.contract.json', '--schema', 'none.csv=none.contract.json'];
    for (const [file, extra] of [
      ['hostile.csv', []],
      ['hostile.ndjson', []],
      ['hostile-redacted.csv', ['--redact']],
      ['hostile-redacted.ndjson', ['--redact']],
    ] as const) {
      const { js, pg: onPg } = await exports(['hostile.csv', 'none.csv'], [...args, ...extra], file);
      expect(js.split('\n').length).toBeGreaterThan(cells.length);
      expect(onPg).toBe(js);
    }
  });

  it('writes any cell as the export writes it: a CSV cell or a JSON string (random cells)', async () => {
    const table = `cells${++tables}`;
    await pg.query(`CREATE TABLE ${table} (preflight_row bigint, c text)`);
    // every filled cell fails the check, so each record is one line: "row:cell" then "|"
    const plan = compilePlan({ type: 'object', properties: { c: { type: 'string', maxLength: 0 } } });
    const found = failingGroupsSql({ relation: table, header: ['c'], plan });
    const group = found.groups.findIndex((g) => g.rule === 'contract.maxLength');
    const piece = fc.oneof(
      fc.constantFrom(
        '=',
        '+',
        '-',
        '@',
        '\t',
        '\r',
        '\n',
        '"',
        ',',
        "'",
        '\\',
        '\u0001',
        '\u007f',
        'é',
        '😀',
        ' ',
      ),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    const cell = fc
      .array(piece, { minLength: 1, maxLength: 6 })
      .map((parts) => parts.join('').replaceAll('\u0000', ''))
      .filter((text) => text !== '');
    await fc.assert(
      fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 20 }), async (cells) => {
        const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
        await pg.query(
          `TRUNCATE ${table}; INSERT INTO ${table} VALUES ${cells.map((c, i) => `(${i + 1}, ${literal(c)})`).join(', ')}`,
        );
        for (const [value, written] of [
          ['csv', csvField],
          ['json', (text: string) => JSON.stringify(text)],
        ] as const) {
          const text = { beforeRow: '', beforeValue: ':', index: 0, value, after: [{ text: '|' }] };
          const sql = failingLinesSql(found, table, ['c'], [{ group, text }]);
          const lines = (await pg.query(sql)).map((r) => r.line).join('');
          expect(lines).toBe(cells.map((c, i) => `${i + 1}:${written(c)}|`).join(''));
        }
      }),
      { numRuns: 40 },
    );
  });

  it("--explain prints each table's estimate from PostgreSQL's plan and checks nothing", async () => {
    const table = `t${++tables}`;
    const connect = ['validate', '--engine', 'postgres', '--database', pg.url(), '--table', table];
    // loaded by hand (docs/scale.md's recipe): a run would check it
    const header = (await readFile(path.join(dir, 'bench.csv'), 'utf8')).split('\n')[0]?.split(',') ?? [];
    await pg.loadCsv(table, path.join(dir, 'bench.csv'), header, 'preflight_row');
    await pg.query(`ANALYZE ${table}`);
    const explained = await runCli(
      [...connect, '--schema', 'bench.contract.json', '--explain', '--report', 'explained.json'],
      dir,
    );
    expect(explained.code, explained.err).toBe(0);
    const line = explained.out.trim();
    expect(line).toMatch(
      new RegExp(`^${table}: about 3,000 records to read; the checks read the table \\d+ times`),
    );
    // nothing ran: no report written
    await expect(readFile(path.join(dir, 'explained.json'))).rejects.toThrow();
    const withLoad = await runCli([...connect, '--load', 'bench.csv', '--explain'], dir);
    expect(withLoad.code).toBe(2);
  });

  it('--examples k: the database sends k failing rows per check, and the report lists them', async () => {
    const table = `t${++tables}`;
    const run = await runCli(
      [
        ...['validate', '--engine', 'postgres', '--database', pg.url(), '--table', table],
        ...['--load', 'bench.csv', '--schema', 'bench.contract.json', '--examples', '3', '--json'],
      ],
      dir,
    );
    const report = JSON.parse(run.out) as Report;
    const counted = report.issues.filter((i) => i.rule.startsWith('contract.') && i.count > 3);
    expect(counted.length).toBeGreaterThan(0);
    for (const issue of counted) expect(issue.examples).toHaveLength(3);
    const refused = await runCli(
      ['validate', '--engine', 'postgres', '--database', pg.url(), '--table', table, '--examples', '21'],
      dir,
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--examples takes a whole number from 0 to 20/);
  });

  // the table's columns against the contract's header: the same cases as the default engine's (sqlParity.ts)
  it.each(HEADER_CASES)('the header: $description', async ({ description, header, extra = [] }) => {
    const csv = `header-${HEADER_CASES.findIndex((t) => t.description === description)}.csv`;
    await writeFile(path.join(dir, csv), headerCaseCsv(parity, header(parity.demoHeader)));
    const { js, pg: onPostgres } = await both([csv], ['--schema', CONTRACT, ...extra]);
    expect(js.summary.records).toBeGreaterThan(0);
    expect(findings(onPostgres)).toEqual(findings(js));
  });

  it('exports the same failing rows as the default engine, byte for byte (--failing-rows)', async () => {
    const args = ['--schema', 'bench.contract.json', '--key', 'mrn', '--waivers', 'w.json'];
    // on the least memory PostgreSQL gives a query: what it reads back must not depend on it
    const tinyWorkMem = `${pg.url()}&options=${encodeURIComponent('-c work_mem=64kB')}`;
    const js = await runCli(['validate', 'bench.csv', ...args, '--failing-rows', 'js.csv'], dir);
    const loads = ['--table', `t${++tables}`, '--load', 'bench.csv'];
    const onPg = await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        tinyWorkMem,
        ...loads,
        ...args,
        '--failing-rows',
        'pg.csv',
      ],
      dir,
    );
    expect(onPg.code, onPg.err).toBe(js.code);
    const exported = await readFile(path.join(dir, 'pg.csv'), 'utf8');
    expect(exported.split('\n').length).toBeGreaterThan(10);
    expect(exported).toBe(await readFile(path.join(dir, 'js.csv'), 'utf8'));
  });

  it('binds a file by its header, and a table already on the server by its columns (--project)', async () => {
    const project = ['--project', 'saved.preflight.json'];
    const js = JSON.parse(
      (await runCli(['validate', 'pts-2026-11.csv', ...project, '--json'], dir)).out,
    ) as Report;
    expect(js.inputs[0]?.dataset).toBeDefined();
    const table = `t${++tables}`;
    const load = ['validate', '--engine', 'postgres', '--database', pg.url(), '--table', table];
    // the file loaded and bound by its header, then the table it made bound by its columns
    const loaded = await runCli([...load, '--load', 'pts-2026-11.csv', ...project, '--json'], dir);
    expect(findings(JSON.parse(loaded.out) as Report)).toEqual(findings(js));
    const run = await runCli([...load, ...project, '--json'], dir);
    const onPg = JSON.parse(run.out) as Report;
    expect(onPg.inputs[0]?.dataset).toBe(js.inputs[0]?.dataset);
    expect(onPg.summary).toEqual(js.summary);
    // by rule and place: the order of issues with equal counts is the order each engine met them
    expect(findings(onPg).issues).toEqual(findings(js).issues);
  });

  it("compares with the default engine's previous report of the same file (--compare)", async () => {
    const args = ['--schema', 'bench.contract.json', '--key', 'mrn'];
    const previous = await runCli(['validate', 'bench.csv', ...args, '--report', 'previous.json'], dir);
    expect(previous.code).toBe(1);
    const run = await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        pg.url(),
        '--table',
        `t${++tables}`,
        '--load',
        'bench.csv',
        ...args,
        '--compare',
        'previous.json',
        '--json',
      ],
      dir,
    );
    expect(run.code, run.err).toBe(1);
    const { comparison } = JSON.parse(run.out) as Report;
    // the same file on another engine: every problem still failing, none new, fixed or worse
    expect(comparison?.counts).toEqual({
      fixed: 0,
      new: 0,
      stillFailing: comparison?.entries.length,
      worse: 0,
    });
    expect(comparison?.entries.length).toBeGreaterThan(0);
  });

  it('checks a table already on the server, naming the table', async () => {
    await runCli(
      ['validate', '--engine', 'postgres', '--database', pg.url(), '--table', 'kept', '--load', 'break.csv'],
      dir,
    );
    const run = await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        pg.url(),
        '--table',
        'kept',
        '--schema',
        'break.contract.json',
        '--json',
      ],
      dir,
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as Report;
    expect(report.inputs.map((i) => [i.name, i.records, i.invalid])).toEqual([['kept', 2, 1]]);
  });

  it('refuses a table without preflight_row, and a file the loader cannot load, by name', async () => {
    await pg.query('CREATE TABLE unnumbered (mrn text)');
    const unnumbered = await runCli(
      ['validate', '--engine', 'postgres', '--database', pg.url(), '--table', 'unnumbered'],
      dir,
    );
    expect(unnumbered.code).toBe(2);
    expect(unnumbered.err).toContain('has no preflight_row column');
    await writeFile(path.join(dir, 'short.csv'), 'a,b\n1,2\n3\n');
    const short = await runCli(
      ['validate', '--engine', 'postgres', '--database', pg.url(), '--table', 'short', '--load', 'short.csv'],
      dir,
    );
    expect(short.code).toBe(2);
    expect(short.err).toContain('row 2 of');
    expect(short.err).toContain('check it with the default engine');
    // a quote problem: refused at the row where the default engine's reader finds it
    for (const [i, { csv, quoteRow }] of QUOTE_CASES.entries()) {
      await writeFile(path.join(dir, `quote-${i}.csv`), csv);
      const quoted = await runCli(
        [
          'validate',
          '--engine',
          'postgres',
          '--database',
          pg.url(),
          '--table',
          `quote_${i}`,
          '--load',
          `quote-${i}.csv`,
        ],
        dir,
      );
      expect([quoted.code, quoted.err]).toEqual([
        2,
        expect.stringContaining(
          `row ${quoteRow} of "${path.join(dir, `quote-${i}.csv`)}" has a quote problem`,
        ),
      ]);
    }
    const mapped = await runCli(
      ['validate', '--engine', 'postgres', '--database', pg.url(), '--table', 'kept', '--mapping', 'm.json'],
      dir,
    );
    expect(mapped.code).toBe(2);
    expect(mapped.err).toContain('--mapping does not run on --engine postgres');
    // nothing was left behind: the load is one transaction
    expect(await pg.query("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'short'")).toEqual([
      { n: '0' },
    ]);
  });
});
