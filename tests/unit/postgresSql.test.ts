/**
 * The plan's SQL for PostgreSQL, run on a real PostgreSQL server: each check kind fails exactly
 * the records the JS engine's plan fails; the
 * duplicate-key and orphan-reference queries find what they should; the failing records are read
 * back in one scan whatever memory the server gives a query. CI installs PostgreSQL
 * (Debian's package); where it is missing outside CI the tests are skipped and say so.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePlan } from '../../src/core/contract/index.ts';
import {
  compilePlanSql,
  conflictingDemographicsSql,
  duplicateKeysSql,
  headerCheckSql,
  orphanReferencesSql,
  ROW_COLUMN,
} from '../../src/core/sql/index.ts';
import { column, csvText, jsCounts, SQL_CHECK_CASES } from '../../src/core/sql/testing/checkCases.ts';
import { failingRecordsSql, quoteName, sharedSqlTables } from '../../src/core/validation/index.ts';
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
    const found = await pg.query(
      conflictingDemographicsSql('postgres', 'people', 'id', ['last', 'first'], ['NA']),
    );
    // p1: the last name differs at row 4 (white space inside is kept); p4: the first name at row
    // 9, and "NA" means no value, which differs from "Ng" at row 10
    expect(
      found.map((r) => [r.key_value, Number(r.first_row), r.differs_0 || null, r.differs_1 || null]),
    ).toEqual([
      ['p1', 1, '4', null],
      ['p4', 8, '10', '9'],
    ]);
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

describe.skipIf(bin === undefined)('the failing records read back on PostgreSQL', () => {
  /** Every node of an `EXPLAIN (FORMAT JSON)` plan, depth first. */
  function nodes(plan: Record<string, unknown>): Record<string, unknown>[] {
    const children = (plan.Plans ?? []) as Record<string, unknown>[];
    return [plan, ...children.flatMap(nodes)];
  }

  it('reads them in one scan with no per-record subquery, in row order, whatever work_mem is', async () => {
    // every third record fails the integer check, one record is blank
    const rows = Array.from({ length: 5000 }, (_, i) =>
      i === 10 ? ['', ''] : [`p${i + 1}`, i % 3 === 0 ? 'x' : String(i)],
    );
    await load('readback', ['id', 'v'], rows);
    const columns = ['id', 'v'];
    const all = quoteName('readback#all');
    await pg.query(
      `CREATE TEMP VIEW ${all} AS SELECT CAST(${ROW_COLUMN} AS bigint) AS ${ROW_COLUMN}, id, v FROM readback`,
    );
    const blank = `COALESCE(id, '') = '' AND COALESCE(v, '') = ''`;
    const plan = compilePlan({ type: 'object', properties: { v: { type: 'integer' } } });
    const layout = { delimiter: ',', quote: '"', lineEnding: '\n' };
    const sql = failingRecordsSql('postgres', 'readback', columns, blank, { plan, header: columns }, layout);
    // the smallest work_mem PostgreSQL takes: a row-number IN (subquery) beside an OR no longer
    // fits a hash there, and was re-read for every record (hours at a million records)
    await pg.query(`SET work_mem = '64kB'`);
    try {
      const [explained] = await pg.query(`EXPLAIN (FORMAT JSON) ${sql}`);
      const [top] = JSON.parse(explained?.['QUERY PLAN'] ?? '[]') as { Plan: Record<string, unknown> }[];
      const planned = nodes(top?.Plan ?? {});
      expect(planned.filter((n) => n['Parent Relationship'] === 'SubPlan')).toEqual([]);
      expect(planned.filter((n) => n['Relation Name'] === 'readback')).toHaveLength(1);
      const found = await pg.query(sql);
      const failing = rows.flatMap((r, i) => (r[1] === 'x' || i === 10 ? [i + 1] : []));
      expect(found.map((r) => Number(r.r))).toEqual(failing);
      expect(found[1]).toEqual({ r: '4', line: '"p4","x"' });
      expect(found.find((r) => r.r === '11')?.line).toBe('"",""');
    } finally {
      await pg.query('RESET work_mem');
    }
  });

  it('evaluates the checks once: counts, examples and cells from the stage the failing records join', async () => {
    // every fourth record fails the integer check, one record is blank
    const rows = Array.from({ length: 3000 }, (_, i) =>
      i === 6 ? ['', ''] : [`p${i + 1}`, i % 4 === 1 ? `x${i}` : String(i)],
    );
    await load('staged', ['id', 'v'], rows);
    const columns = ['id', 'v'];
    const blank = `COALESCE(id, '') = '' AND COALESCE(v, '') = ''`;
    const all = quoteName('staged#all');
    await pg.query(
      `CREATE TEMP VIEW ${all} AS SELECT CAST(${ROW_COLUMN} AS bigint) AS ${ROW_COLUMN}, id, v FROM staged`,
    );
    await pg.query(`CREATE TEMP VIEW ${quoteName('staged#in')} AS SELECT * FROM ${all} WHERE NOT (${blank})`);
    const tables = sharedSqlTables({
      dialect: 'postgres',
      run: async (sql) => {
        await pg.query(sql);
      },
      rows: (sql) => pg.query(sql),
      each: async (sql, batch) => batch(await pg.query(sql)),
      blankTest: () => blank,
      columns: async () => columns,
    });
    const plan = compilePlan({ type: 'object', properties: { v: { type: 'integer' } } });
    const checked = await tables.checkPlan('staged#in', plan, columns);
    const failing = rows.flatMap((r, i) => (r[1]?.startsWith('x') ? [i + 1] : []));
    expect(checked.invalid).toBe(failing.length);
    expect(checked.checks[0]?.failing).toBe(failing.length);
    expect(checked.checks[0]?.rows).toEqual(failing.slice(0, 20));
    expect(checked.checks[0]?.cells?.get(2)).toBe('x1');
    const stage = tables.stagedFailing('staged#in', plan, columns);
    expect(stage).toBeDefined();
    // another plan is not the staged one
    expect(tables.stagedFailing('staged#in', compilePlan({ type: 'object' }), columns)).toBeUndefined();
    const layout = { delimiter: ',', quote: '"', lineEnding: '\n' };
    const sql = failingRecordsSql(
      'postgres',
      'staged',
      columns,
      blank,
      { plan, header: columns },
      layout,
      stage,
    );
    await pg.query(`SET work_mem = '64kB'`);
    try {
      const [explained] = await pg.query(`EXPLAIN (FORMAT JSON) ${sql}`);
      const [top] = JSON.parse(explained?.['QUERY PLAN'] ?? '[]') as { Plan: Record<string, unknown> }[];
      const planned = nodes(top?.Plan ?? {});
      expect(planned.filter((n) => n['Parent Relationship'] === 'SubPlan')).toEqual([]);
      expect(planned.filter((n) => n['Relation Name'] === 'staged')).toHaveLength(1);
      const found = await pg.query(sql);
      expect(found.map((r) => Number(r.r))).toEqual([...failing, 7].sort((a, b) => a - b));
      expect(found[0]).toEqual({ r: '2', line: '"p2","x1"' });
    } finally {
      await pg.query('RESET work_mem');
    }
  });
});
