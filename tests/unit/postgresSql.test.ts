/**
 * The plan's SQL for PostgreSQL, run on a real PostgreSQL server: each check kind fails exactly
 * the records the JS engine's plan fails; the duplicate-key and orphan-reference queries find
 * what they should, and the repeated keys' records give duplicates and conflicting demographics;
 * one read of an input gives its checks, profiles and failing records in one sorted scan whatever
 * memory the server gives a query. CI installs PostgreSQL (Debian's package); where it is missing
 * outside CI the tests are skipped and say so.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePlan, withNotChecked } from '../../src/core/contract/index.ts';
import {
  compilePlanSql,
  duplicateKeysSql,
  headerCheckSql,
  orphanReferencesSql,
  ROW_COLUMN,
} from '../../src/core/sql/index.ts';
import { column, csvText, jsCounts, SQL_CHECK_CASES } from '../../src/core/sql/testing/checkCases.ts';
import { quoteName, sharedSqlTables } from '../../src/core/validation/index.ts';
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
  const tables = sharedSqlTables({
    dialect: 'postgres',
    rows: (sql) => pg.query(sql),
    async stream(sql, consume) {
      statements.push(sql);
      // each row's values in the order of its columns (NULL as '', as the helper gives it)
      const found = (await pg.query(sql)).map((row) => Object.values(row));
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
  return { tables, statements, written };
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
  /** Every node of an `EXPLAIN (FORMAT JSON)` plan, depth first. */
  function nodes(plan: Record<string, unknown>): Record<string, unknown>[] {
    const children = (plan.Plans ?? []) as Record<string, unknown>[];
    return [plan, ...children.flatMap(nodes)];
  }

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

  it('checks, profiles and writes the failing records in one sorted scan, whatever work_mem is', async () => {
    // every fourth record fails the integer check, one record is blank, one holds a quote
    const rows = Array.from({ length: 3000 }, (_, i) =>
      i === 6 ? ['', ''] : [i === 9 ? 'p"10' : `p${i + 1}`, i % 4 === 1 ? `x${i}` : String(i)],
    );
    await load('scanned', ['id', 'v'], rows);
    const columns = ['id', 'v'];
    await pg.query(
      `CREATE TEMP VIEW ${quoteName('scanned#all')} AS SELECT CAST(${ROW_COLUMN} AS bigint) AS ${ROW_COLUMN}, id, v FROM scanned`,
    );
    const { tables, statements, written } = tablesOn(columns);
    const plan = compilePlan({ type: 'object', properties: { v: { type: 'integer' } } });
    const layout = { delimiter: ';', quote: '"', lineEnding: '\r\n' };
    const scanned = await tables.scan('scanned', {
      columns,
      check: { plan, header: columns },
      missing: [],
      failing: { target: 'failing.csv', layout },
    });
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
    // one statement, on the least memory PostgreSQL gives a query: one scan of the table, one
    // sort, no subquery per record, and nothing evaluated on the server but the sort: it sends
    // the row and the cells (the checks run in the client)
    expect(statements).toHaveLength(1);
    await pg.query(`SET work_mem = '64kB'`);
    try {
      const [explained] = await pg.query(`EXPLAIN (FORMAT JSON, VERBOSE) ${statements[0]}`);
      const [top] = JSON.parse(explained?.['QUERY PLAN'] ?? '[]') as { Plan: Record<string, unknown> }[];
      const planned = nodes(top?.Plan ?? {});
      expect(planned.filter((n) => n['Parent Relationship'] === 'SubPlan')).toEqual([]);
      expect(planned.filter((n) => n['Relation Name'] === 'scanned')).toHaveLength(1);
      expect(planned.filter((n) => n['Node Type'] === 'Sort')).toHaveLength(1);
      expect(planned[0]?.['Node Type']).toBe('Sort');
      expect(planned[0]?.Output).toHaveLength(1 + columns.length);
    } finally {
      await pg.query('RESET work_mem');
    }
  });
});
