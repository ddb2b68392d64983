/**
 * The SQL of each plan check kind, run on DuckDB, fails exactly the cells the JS engine's plan
 * fails (createPlanRunner), and the counts are the ones written here.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compilePlan } from '../core/contract/index.ts';
import { column, csvText, jsCounts, one, SQL_CHECK_CASES } from '../core/sql/testing/checkCases.ts';
import { SqlRunError } from '../core/validation/index.ts';
import { DUCKDB_THREADS_ENV, type DuckdbSession, openDuckdb } from './duckdbEngine.ts';

let dir: string;
let duck: DuckdbSession;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-duckdb-'));
  duck = await openDuckdb({ threads: 1 });
});

afterAll(async () => {
  duck.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the plan’s SQL on DuckDB, per check kind', () => {
  SQL_CHECK_CASES.forEach((c, index) => {
    it(c.name, async () => {
      // a one-column record with an empty cell would be a blank row: a filled second column keeps it a record
      const header = c.header.length === 1 ? [...c.header, 'n'] : c.header;
      const rows = c.header.length === 1 ? c.rows.map((r, i) => [...r, String(i + 1)]) : c.rows;
      const file = path.join(dir, `case${index}.csv`);
      await writeFile(file, csvText(header, rows));
      const table = `case${index}`;
      expect(await duck.load(table, file, { delimiter: ',' })).toEqual(header);
      const sql = await duck.checkPlan(table, compilePlan(c.contract), header);
      const counts: Record<string, number> = {};
      for (const check of sql.checks) {
        if (check.failing > 0) counts[`${check.rule}|${check.column}`] = check.failing;
      }
      const js = jsCounts(c.contract, header, rows);
      expect(counts).toEqual(c.expected);
      expect(js.counts).toEqual(c.expected);
      expect(sql.records).toBe(c.rows.length);
      expect(sql.invalid).toBe(js.invalid);
    });
  });

  it('lists the first failing rows of a check, in row order', async () => {
    const file = path.join(dir, 'rows.csv');
    await writeFile(file, csvText(['c'], column(['1', 'x', '2', 'y', 'z'])));
    const header = await duck.load('rows', file, { delimiter: ',' });
    const sql = await duck.checkPlan('rows', compilePlan(one({ type: 'integer' })), header);
    expect(sql.checks).toEqual([
      {
        id: 0,
        rule: 'contract.type',
        column: 'c',
        failing: 3,
        rows: [2, 4, 5],
        // read in the same scan as the counts
        cells: new Map([
          [2, 'x'],
          [4, 'y'],
          [5, 'z'],
        ]),
      },
    ]);
  });
});

describe('a file DuckDB would unpack', () => {
  it('is read as the bytes it holds, as the default engine reads it, never unpacked', async () => {
    // DuckDB unpacks a file named .gz or .zst by default, without a bound: a small archive can hold
    // terabytes of rows. Read as it is, a packed file is binary and its rows are never made.
    const file = path.join(dir, 'packed.csv.gz');
    await writeFile(file, gzipSync('mrn,name\n1,a\n2,b\n'));
    expect(await duck.load('packed', file, { delimiter: ',' })).not.toEqual(['mrn', 'name']);
  });
});

describe('a Parquet file that unpacks to far more than its size', () => {
  it('is refused before a table is made of it, with the bound in words', async () => {
    // 100 cells of 100,000 characters through one dictionary entry: a few kB on disk, 10 MB as text
    const file = path.join(dir, 'bomb.parquet');
    await duck.connection.run(
      `COPY (SELECT repeat('a', 100000) AS note, range AS n FROM range(100)) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`,
    );
    const small = await openDuckdb({ threads: 1, parquetTextBytes: 4 * 1024 * 1024 });
    try {
      const refused = await small.load('bomb', file).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(SqlRunError);
      expect((refused as Error).message).toMatch(
        /^bomb\.parquet: this Parquet file unpacks to more than 4 MB of text/,
      );
      // nothing was built of it
      await expect(small.connection.run('DESCRIBE "bomb#raw"')).rejects.toThrow();
    } finally {
      small.close();
    }
    // within the default bound (64 times its size, 256 MB at least) the same file is read
    expect(await duck.load('bombOk', file)).toEqual(['note', 'n']);
    expect(await duck.records('bombOk')).toBe(100);
  });
});

describe('duplicate keys and orphan references on DuckDB', () => {
  it('finds keys held by several records, and references with no record', async () => {
    const parent = path.join(dir, 'parent.csv');
    const child = path.join(dir, 'child.csv');
    await writeFile(parent, csvText(['id'], column(['p1', 'p2', 'p1', '', 'p3', 'p2', 'p1'])));
    await writeFile(
      child,
      csvText(
        ['id', 'parent'],
        [
          ['c1', 'p1'],
          ['c2', 'p9'],
          ['c3', ''],
          ['c4', 'P1'],
        ],
      ),
    );
    await duck.load('parent', parent, { delimiter: ',' });
    await duck.load('child', child, { delimiter: ',' });
    expect(await duck.duplicates('parent', 'id')).toEqual([
      { key: 'p1', count: 3, rows: [1, 3, 7] },
      { key: 'p2', count: 2, rows: [2, 6] },
    ]);
    expect(
      await duck.orphans({ table: 'child', column: 'parent' }, { table: 'parent', column: 'id' }),
    ).toEqual({
      count: 2,
      examples: [
        { row: 2, value: 'p9' },
        { row: 4, value: 'P1' },
      ],
    });
  });
});

describe('row numbers around lines DuckDB rejects', () => {
  it('numbers each accepted record as its data row, rejected records counted', async () => {
    const file = path.join(dir, 'rejects.csv');
    await writeFile(file, 'a,b\nx,1\ny,2,extra\nz,3\nw\nv,4\n');
    expect(await duck.load('rejects', file, { delimiter: ',', columns: ['a', 'b'] })).toEqual(['a', 'b']);
    expect((await duck.rejects('rejects')).map((r) => [r.line, r.kind, r.value ?? r.column])).toEqual([
      [3, 'TOO MANY COLUMNS', 'extra'],
      [5, 'MISSING COLUMNS', 'b'],
    ]);
    const plan = compilePlan({ type: 'object', properties: { a: { const: 'none' } } });
    const sql = await duck.checkPlan('rejects', plan, ['a', 'b']);
    expect(sql.checks[0]?.rows).toEqual([1, 3, 5]);
    expect(await duck.records('rejects')).toBe(3);
  });
});

describe(`DuckDB's threads (${DUCKDB_THREADS_ENV})`, () => {
  it('uses the number set, and refuses one that is not a whole number, saying what to do', async () => {
    vi.stubEnv(DUCKDB_THREADS_ENV, '3');
    const three = await openDuckdb();
    try {
      const [row] = (
        await three.connection.runAndReadAll("SELECT current_setting('threads') AS t")
      ).getRowObjects();
      expect(Number(row?.t)).toBe(3);
    } finally {
      three.close();
    }
    for (const bad of ['two', '0', '1.5']) {
      vi.stubEnv(DUCKDB_THREADS_ENV, bad);
      await expect(openDuckdb()).rejects.toThrow(
        `${DUCKDB_THREADS_ENV} takes a whole number from 1 to 1024, not "${bad}"`,
      );
    }
    vi.unstubAllEnvs();
  });
});
