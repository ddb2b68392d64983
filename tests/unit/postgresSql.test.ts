/**
 * The plan's SQL for PostgreSQL, run on a real PostgreSQL server: each check kind fails exactly
 * the records the JS engine's plan fails; the duplicate-key and orphan-reference queries find
 * what they should, and the repeated keys' records give duplicates and conflicting demographics;
 * one aggregate query per input gives its checks and profiles (the client receiving at most
 * checks × k rows and a summary row), and the failing records are read alone, whatever memory
 * the server gives a query. CI installs PostgreSQL (Debian's package); where it is missing
 * outside CI the tests are skipped and say so.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePlan, createPlanRunner, withNotChecked } from '../../src/core/contract/index.ts';
import {
  aggregatePlanSql,
  compilePlanSql,
  decodeAggregate,
  duplicateKeysSql,
  headerCheckSql,
  LISTED_DUPLICATE_KEYS,
  mergeAggregates,
  orphanReferencesSql,
  ROW_COLUMN,
} from '../../src/core/sql/index.ts';
import { column, csvText, jsCounts, SQL_CHECK_CASES } from '../../src/core/sql/testing/checkCases.ts';
import {
  createColumnProfiler,
  quoteName,
  sharedSqlTables,
  summarizeProfile,
} from '../../src/core/validation/index.ts';
import { postgresBinDir, type TestPostgres, testPostgres } from '../setup/postgres.ts';

const bin = postgresBinDir();
if (bin === undefined && process.env.CI)
  throw new Error(
    'PostgreSQL is not installed: .ci/run installs Debian’s postgresql package for these tests',
  );
if (bin === undefined)
  console.warn('PostgreSQL is not installed (Debian package postgresql): its SQL tests are skipped');

let dir: string;
let pg: TestPostgres;

beforeAll(async () => {
  if (bin === undefined) return;
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-pgsql-'));
  pg = await testPostgres(bin);
}, 120_000);

afterAll(async () => {
  if (bin === undefined) return;
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
});

async function load(table: string, header: string[], rows: string[][]): Promise<void> {
  const file = path.join(dir, `${table}.csv`);
  await writeFile(file, csvText(header, rows));
  await pg.loadCsv(table, file, header, ROW_COLUMN);
}

/**
 * The shared SQL tables over the test server: each query's rows read at once (a single batch),
 * every statement kept in `statements`, and each file of failing records kept as its lines.
 */
function tablesOn(columns: readonly string[]) {
  const statements: string[] = [];
  const written = new Map<string, string[]>();
  // the rows each statement sent to the client
  const received = new Map<string, number>();
  const tables = sharedSqlTables({
    dialect: 'postgres',
    async rows(sql) {
      statements.push(sql);
      const found = await pg.query(sql);
      received.set(sql, found.length);
      return found;
    },
    async stream(sql, consume) {
      statements.push(sql);
      // each row's values in the order of its columns (NULL as '', as the helper gives it)
      const found = (await pg.query(sql)).map((row) => Object.values(row));
      received.set(sql, found.length);
      return consume(
        (async function* () {
          yield found;
        })(),
      );
    },
    async writeFailing(target, header, lineEnding, lines) {
      const out = [header];
      const rows: number[] = [];
      for await (const batch of lines)
        for (const row of batch) {
          rows.push(Number(row.r));
          out.push(`${String(row.line)}${lineEnding}`);
        }
      written.set(target, out);
      return Uint32Array.from(rows);
    },
    columns: async () => [...columns],
  });
  return { tables, statements, written, received };
}

describe.skipIf(bin === undefined)('the plan’s SQL on PostgreSQL, per check kind', () => {
  SQL_CHECK_CASES.forEach((c, index) => {
    it(c.name, async () => {
      const header = c.header.length === 1 ? [...c.header, 'n'] : c.header;
      const rows = c.header.length === 1 ? c.rows.map((r, i) => [...r, String(i + 1)]) : c.rows;
      const table = `case${index}`;
      await load(table, header, rows);
      const plan = compilePlan(c.contract);
      const sql = compilePlanSql(plan, { dialect: 'postgres', table, header });
      const [summary] = await pg.query(sql.summary);
      const counts: Record<string, number> = {};
      for (const row of await pg.query(sql.failures)) {
        const check = sql.checks[Number(row.check_id)];
        if (check) counts[`${check.rule}|${check.column}`] = Number(row.failing);
      }
      const js = jsCounts(c.contract, header, rows);
      expect(counts).toEqual(c.expected);
      expect(js.counts).toEqual(c.expected);
      expect(Number(summary?.records)).toBe(c.rows.length);
      expect(Number(summary?.invalid)).toBe(js.invalid);
    });
  });

  it('lists the first failing rows of a check, in row order', async () => {
    await load('rows', ['c'], column(['1', 'x', '2', 'y', 'z']));
    const sql = compilePlanSql(compilePlan({ type: 'object', properties: { c: { type: 'integer' } } }), {
      dialect: 'postgres',
      table: 'rows',
      header: ['c'],
    });
    const failures = await pg.query(sql.failures);
    expect(failures.map((r) => [Number(r.check_id), Number(r.failing), Number(r.example_row)])).toEqual([
      [0, 3, 2],
      [0, 3, 4],
      [0, 3, 5],
    ]);
  });
});

describe.skipIf(bin === undefined)('duplicate keys and orphan references on PostgreSQL', () => {
  it('finds keys held by several records, and references with no record', async () => {
    await load('parent', ['id'], column(['p1', 'p2', 'p1', '', 'p3', 'p2', 'p1']));
    await load(
      'child',
      ['id', 'parent'],
      [
        ['c1', 'p1'],
        ['c2', 'p9'],
        ['c3', ''],
        ['c4', 'P1'],
      ],
    );
    const duplicates = await pg.query(duplicateKeysSql('postgres', 'parent', 'id'));
    expect(duplicates.map((r) => [r.key_value, Number(r.count), Number(r.example_row)])).toEqual([
      ['p1', 3, 1],
      ['p1', 3, 3],
      ['p1', 3, 7],
      ['p2', 2, 2],
      ['p2', 2, 6],
    ]);
    const orphans = await pg.query(
      orphanReferencesSql(
        'postgres',
        { table: 'child', column: 'parent' },
        { table: 'parent', column: 'id' },
      ),
    );
    expect(orphans.map((r) => [Number(r.orphans), Number(r.example_row), r.value])).toEqual([
      [2, 2, 'p9'],
      [2, 4, 'P1'],
    ]);
  });
});

describe.skipIf(bin === undefined)('conflicting demographics on PostgreSQL', () => {
  it('compares each later record of a key with its first, as the default engine normalises cells', async () => {
    await load(
      'people',
      ['id', 'last', 'first'],
      [
        ['p1', 'Smith', 'Ann'],
        ['p2', 'Lee', 'Kim'],
        ['p1', ' SMITH ', 'ann'],
        ['p1', 'Van\tSmith', 'Ann'],
        ['p2', 'Lee', 'Kim'],
        ['p3', 'Van Dyke', ''],
        ['p3', 'van\u00a0 dyke', ''],
        ['p4', 'Ng', ''],
        ['p4', 'Ng', 'Bo'],
        ['p4', 'NA', 'Bo'],
      ],
    );
    const { tables } = tablesOn(['id', 'last', 'first']);
    const held = await tables.keys('people', 'id', ['last', 'first'], ['NA']);
    expect(held.duplicates).toEqual([
      { key: 'p1', count: 3, rows: [1, 3, 4] },
      { key: 'p2', count: 2, rows: [2, 5] },
      { key: 'p3', count: 2, rows: [6, 7] },
      { key: 'p4', count: 3, rows: [8, 9, 10] },
    ]);
    // p1: the last name differs at row 4 (white space inside is kept); p4: the first name at row
    // 9, and "NA" means no value, which differs from "Ng" at row 10
    expect(held.conflicts).toEqual([
      { key: 'p1', firstRow: 1, differs: [4, undefined] },
      { key: 'p4', firstRow: 8, differs: [10, 9] },
    ]);
  });

  it('groups repeated keys on the server: the client gets the listed keys and the totals, not their records', async () => {
    // 1,500 keys held twice (the second copy's last name differs for every third key), 2,000 once
    const rows = [
      ...Array.from({ length: 3500 }, (_, i) => [`k${i}`, `Name${i}`]),
      ...Array.from({ length: 1500 }, (_, i) => [`k${i}`, i % 3 === 0 ? `Other${i}` : ` name${i} `]),
    ];
    await load('repeated', ['id', 'last'], rows);
    const { tables, received } = tablesOn(['id', 'last']);
    const held = await tables.keys('repeated', 'id', ['last']);
    expect(held.totals).toEqual({ keys: 1500, records: 1500, conflictingKeys: 500 });
    expect(held.duplicates).toHaveLength(LISTED_DUPLICATE_KEYS);
    expect(held.duplicates[0]).toEqual({ key: 'k0', count: 2, rows: [1, 3501] });
    expect(held.conflicts[0]).toEqual({ key: 'k0', firstRow: 1, differs: [3501] });
    expect(held.conflicts).toHaveLength(334);
    expect([...received.values()].reduce((n, r) => n + r, 0)).toBe(LISTED_DUPLICATE_KEYS);
  });
});

describe.skipIf(bin === undefined)('file rows and the header on PostgreSQL', () => {
  it('numbers every record by its data row when loaded as docs/scale.md says', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [String(i + 1), i % 7 === 0 ? 'x' : String(i)]);
    await load('numbered', ['n', 'v'], rows);
    const wrong = await pg.query(`SELECT count(*) AS c FROM numbered WHERE ${ROW_COLUMN}::text <> n`);
    expect(Number(wrong[0]?.c)).toBe(0);
  });

  it('lists the columns the table lacks and those the contract does not name', async () => {
    await load('headed', ['mrn', 'note'], [['1', 'a']]);
    const found = await pg.query(
      headerCheckSql('postgres', 'headed', {
        columns: ['mrn', 'birth_date', 'sex'],
        required: ['birth_date'],
        extraAllowed: true,
      }) as string,
    );
    expect(found.map((r) => [r.rule, r.severity, r.column_name])).toEqual([
      ['extra-label', 'warning', 'note'],
      ['missing-label', 'error', 'birth_date'],
      ['missing-label', 'warning', 'sex'],
    ]);
  });
});

describe.skipIf(bin === undefined)('one read of an input on PostgreSQL', () => {
  it('judges each record as the default engine does, where the SQL would not', async () => {
    // PostgreSQL reads 1.00000000000000000001 as numeric (not whole); JavaScript, and so the
    // default engine, reads it as the double 1 (an integer); a missing value is an empty cell
    const columns = ['id', 'v'];
    const rows = [
      ['a', '1.00000000000000000001'],
      ['b', '2.5'],
      ['c', 'n/a'],
      ['d', '3'],
      ['e', ''],
    ];
    await load('judged', columns, rows);
    await pg.query(
      `CREATE TEMP VIEW ${quoteName('judged#all')} AS SELECT CAST(${ROW_COLUMN} AS bigint) AS ${ROW_COLUMN}, id, v FROM judged`,
    );
    const contract = withNotChecked(
      { type: 'object', required: ['v'], properties: { v: { type: 'integer' } } },
      { notChecked: [], missingValues: ['n/a'] },
    );
    const plan = compilePlan(contract);
    const { tables } = tablesOn(columns);
    const scanned = await tables.scan('judged', {
      columns,
      check: { plan, header: columns },
      missing: ['n/a'],
    });
    const counts: Record<string, number> = {};
    for (const c of scanned.checked?.checks ?? [])
      if (c.failing > 0) counts[`${c.rule}|${c.column}`] = c.failing;
    const js = jsCounts(contract, columns, rows);
    expect(counts).toEqual(js.counts);
    expect(counts).toEqual({ 'contract.required|v': 2, 'contract.type|v': 1 });
    expect(scanned.checked?.invalid).toBe(js.invalid);
    const byRule = (rule: string) => scanned.checked?.checks.find((c) => c.rule === rule);
    expect(byRule('contract.type')?.rows).toEqual([2]);
    expect(byRule('contract.type')?.cells.get(2)).toBe('2.5');
    expect(byRule('contract.required')?.rows).toEqual([3, 5]);
  });

  it('checks, profiles and writes the failing records where the data lives, whatever work_mem is', async () => {
    // every fourth record fails the integer check, one record is blank, one holds a quote
    const rows = Array.from({ length: 3000 }, (_, i) =>
      i === 6 ? ['', ''] : [i === 9 ? 'p"10' : `p${i + 1}`, i % 4 === 1 ? `x${i}` : String(i)],
    );
    await load('scanned', ['id', 'v'], rows);
    const columns = ['id', 'v'];
    await pg.query(
      `CREATE TEMP VIEW ${quoteName('scanned#all')} AS SELECT CAST(${ROW_COLUMN} AS bigint) AS ${ROW_COLUMN}, id, v FROM scanned`,
    );
    // on the least memory PostgreSQL gives a query: what it sends must not depend on it
    await pg.query(`SET work_mem = '64kB'`);
    const { tables, statements, written, received } = tablesOn(columns);
    const plan = compilePlan({ type: 'object', properties: { v: { type: 'integer' } } });
    const layout = { delimiter: ';', quote: '"', lineEnding: '\r\n' };
    const scanned = await tables
      .scan('scanned', {
        columns,
        check: { plan, header: columns },
        missing: [],
        failing: { target: 'failing.csv', layout },
      })
      .finally(() => pg.query('RESET work_mem'));
    const failing = rows.flatMap((r, i) => (r[1]?.startsWith('x') ? [i + 1] : []));
    expect(scanned.records).toBe(rows.length);
    expect(scanned.blankRows).toEqual([7]);
    expect(scanned.checked?.invalid).toBe(failing.length);
    expect(scanned.checked?.checks[0]?.failing).toBe(failing.length);
    expect(scanned.checked?.checks[0]?.rows).toEqual(failing.slice(0, 20));
    expect(scanned.checked?.checks[0]?.cells.get(2)).toBe('x1');
    expect([...(scanned.failingRows ?? [])]).toEqual([...failing, 7].sort((a, b) => a - b));
    const lines = written.get('failing.csv') ?? [];
    expect(lines.slice(0, 3)).toEqual(['"id";"v"\r\n', '"p2";"x1"\r\n', '"p6";"x5"\r\n']);
    expect(lines).toContain('"";""\r\n');
    expect(lines).toContain('"p""10";"x9"\r\n');
    expect(scanned.profiles.map((p) => p.column)).toEqual(columns);
    // the aggregate (one summary row and the check's first 20 records) and the failing records
    // only: no read of a column's distinct values, though every id and most v are distinct
    expect(statements).toHaveLength(2);
    const [aggregate, failingRead] = statements;
    expect(received.get(aggregate as string)).toBeLessThanOrEqual(1 * 20 + 1);
    expect(failingRead).toContain('"#blank" OR');
    expect(received.get(failingRead as string)).toBe(failing.length + 1);
    // and both profiles past the 1,000 tracked values are the default profiler's, cell by cell
    const runner = createPlanRunner(plan, columns);
    const expected = columns.map((c, k) => {
      const profiler = createColumnProfiler(c, runner.columns[k]);
      for (const r of rows) profiler.add(r[k] ?? '');
      return summarizeProfile(profiler.state);
    });
    expect(expected.every((p) => !p.topExact)).toBe(true);
    expect(scanned.profiles.map(summarizeProfile)).toEqual(expected);
  });

  it('sends the client at most checks × k rows and a summary row, not a row per record', async () => {
    // 5,000 records, columns of few values (as most columns of an extract), 3 checks that fail often
    const rows = Array.from({ length: 5000 }, (_, i) => [
      `S${i % 7}`,
      i % 3 === 0 ? 'x' : String(i % 90),
      i % 5 === 0 ? '' : 'F',
    ]);
    const columns = ['site', 'age', 'sex'];
    await load('counted', columns, rows);
    await pg.query(
      `CREATE TEMP VIEW ${quoteName('counted#all')} AS SELECT CAST(${ROW_COLUMN} AS bigint) AS ${ROW_COLUMN}, site, age, sex FROM counted`,
    );
    const { tables, received } = tablesOn(columns);
    const contract = {
      type: 'object',
      required: ['sex'],
      properties: {
        site: { pattern: '^S[0-5]$' },
        age: { type: 'integer', maximum: 80 },
        sex: { enum: ['F', 'M'] },
      },
    };
    const plan = compilePlan(contract);
    const scanned = await tables.scan('counted', { columns, check: { plan, header: columns }, missing: [] });
    const checks = scanned.checked?.checks ?? [];
    const js = jsCounts(contract, columns, rows);
    const counts: Record<string, number> = {};
    for (const c of checks) if (c.failing > 0) counts[`${c.rule}|${c.column}`] = c.failing;
    expect(counts).toEqual(js.counts);
    expect(scanned.checked?.invalid).toBe(js.invalid);
    const sent = [...received.values()].reduce((n, r) => n + r, 0);
    expect(sent).toBeLessThanOrEqual(checks.length * 20 + 1);
  });
  it('profiles a column of every kind past the tracked values as the default profiler, sending ≤ 1,001 values', async () => {
    // 4,000 records of mixed kinds, most distinct: dates in each layout (equal dates written
    // differently), numbers, e-mails, booleans, white space, letters beyond one UTF-16 unit
    const kinds = (i: number): string => {
      const d = String((i % 28) + 1).padStart(2, '0');
      const m = String((i % 12) + 1).padStart(2, '0');
      const y = 1950 + (i % 60);
      const forms = [
        `${y}-${m}-${d}`,
        `${m}/${d}/${y}`,
        `${d}.${m}.${y}`,
        `${y}${m}${d}`,
        `${(i % 12) + 1}/${(i % 28) + 1}/${y}`,
        `${(i % 19) + 13}/${(i % 9) + 1}/${y}`,
        `${i * 7 - 9000}`,
        `${(i / 8).toFixed(i % 4)}`,
        `-.${i}e${i % 5}`,
        `p${i}@clinic${i % 3}.org`,
        `a b${i}@x.org`,
        i % 2 ? 'TRUE' : 'false',
        `${y}-${m}-${d}T10:${d}`,
        `Zoë ${i} \u{1F600}`,
        `\u{E000}${i}`,
        `${'9'.repeat(20)}${i}`,
        `.${i}`,
        `${i}.`,
        `${i}`.padStart(9, '0'),
      ];
      return forms[i % forms.length] as string;
    };
    const rows = Array.from({ length: 4000 }, (_, i) => [i % 23 === 0 ? '' : kinds(i), kinds(i % 1200)]);
    const columns = ['many', 'few'];
    await load('kinds', columns, rows);
    await pg.query(
      `CREATE TEMP VIEW ${quoteName('kinds#all')} AS SELECT CAST(${ROW_COLUMN} AS bigint) AS ${ROW_COLUMN}, many, few FROM kinds`,
    );
    const { tables, received } = tablesOn(columns);
    const scanned = await tables.scan('kinds', { columns, missing: [] });
    const expected = columns.map((c, k) => {
      const profiler = createColumnProfiler(c);
      for (const r of rows) profiler.add(r[k] ?? '');
      return summarizeProfile(profiler.state);
    });
    expect(expected.map((p) => p.topExact)).toEqual([false, false]);
    const found = scanned.profiles.map(summarizeProfile);
    // texts in code-point order (the server's), the default profiler's in UTF-16's: only a
    // letter beyond one UTF-16 unit against one from U+E000 could tell them apart, and none is least or greatest here
    expect(found).toEqual(expected);
    // one summary row: no distinct values are read, however many the columns hold
    expect([...received.values()].reduce((n, r) => n + r, 0)).toBe(1);
  });

  it('classifies any text as the default profiler does, past the tracked values (property)', async () => {
    // texts of the characters the kinds turn on (digits, separators, signs, "e", "@", white space
    // JS and PostgreSQL may read differently, letters of "true"/"false" and look-alikes)
    // (digits and separators weighted, so numbers, dates and decimals are drawn often)
    const alphabet = [
      ...'0123456789'.repeat(3),
      ...'/.-'.repeat(3),
      ...'+eE@: TtRrUuFfAaLlSs',
      '\u00a0',
      '\u2028',
      '\u017f',
      '\u{1F600}',
    ];
    const short = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 4 });
    const long = fc.array(fc.constantFrom(...alphabet), { minLength: 5, maxLength: 12 });
    const text = fc.oneof(short, long).map((chars) => chars.join(''));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 400, size: 'max' }), async (drawn) => {
        // past the 1,000 tracked values, so the server's classification makes the profile
        const values = [...drawn, ...Array.from({ length: 1001 }, (_, i) => `${i}`)];
        const rows = values.map((v) => [v]);
        const table = `prop${run++}`;
        await load(table, ['v'], rows);
        await pg.query(
          `CREATE TEMP VIEW ${quoteName(`${table}#all`)} AS SELECT CAST(${ROW_COLUMN} AS bigint) AS ${ROW_COLUMN}, v FROM ${table}`,
        );
        const { tables } = tablesOn(['v']);
        const scanned = await tables.scan(table, { columns: ['v'], missing: [] });
        const profiler = createColumnProfiler('v');
        for (const v of values) profiler.add(v);
        expect(scanned.profiles.map(summarizeProfile)).toEqual([summarizeProfile(profiler.state)]);
      }),
      { numRuns: 4 },
    );
  });

  it('gives the whole table’s counts, first rows and profile values when run per part and merged', async () => {
    // three parts of one table (as the partitions of a sharded one), records spread by row
    const columns = ['site', 'age'];
    const rows = Array.from({ length: 900 }, (_, i) => [
      i % 50 === 0 ? '' : `S${i % 11}`,
      i % 7 === 0 ? 'x' : String(i % 120),
    ]);
    await load('parted', columns, rows);
    const select = `SELECT CAST(${ROW_COLUMN} AS bigint) AS ${ROW_COLUMN}, site, age FROM parted`;
    await pg.query(`CREATE TEMP VIEW ${quoteName('parted#all')} AS ${select}`);
    for (const part of [0, 1, 2])
      await pg.query(
        `CREATE TEMP VIEW ${quoteName(`parted#${part}`)} AS ${select} WHERE ${ROW_COLUMN} % 3 = ${part}`,
      );
    const plan = compilePlan({
      type: 'object',
      required: ['site'],
      properties: { site: { pattern: '^S[0-5]$' }, age: { type: 'integer', maximum: 100 } },
    });
    const run = async (relation: string) => {
      const query = aggregatePlanSql({ dialect: 'postgres', relation, header: columns, plan });
      return decodeAggregate(query, await pg.query(query.sql));
    };
    const whole = await run('parted#all');
    const merged = mergeAggregates(await Promise.all([0, 1, 2].map((p) => run(`parted#${p}`))));
    expect(whole.checks.some((c) => c.failing > 20)).toBe(true);
    expect(merged).toEqual(whole);
  });
});
