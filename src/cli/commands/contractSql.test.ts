/**
 * `preflight contract sql`: prints the SQL of a contract per dialect; the DuckDB SQL it prints runs
 * and counts what `validate --engine duckdb` counts; keywords it cannot express are named (exit 2).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cliTestKit.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-contract-sql-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preflight contract sql', () => {
  it.each([
    ['duckdb', 'regexp_matches('],
    ['postgres', ' ~ '],
    ['spark', ' RLIKE '],
    ['trino', 'regexp_like('],
  ])('prints %s SQL for the demo contract', async (dialect, marker) => {
    const { code, out, err } = await runCli(
      ['contract', 'sql', 'samples/contracts/patients.contract.json', '--dialect', dialect],
      ROOT,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`as ${dialect} SQL`);
    expect(out).toContain(marker);
    expect(out).toContain('0: contract.required on column patient_id');
  });

  it('prints SQL that DuckDB runs on a table named with --table: header, checks, keys, orphans', async () => {
    const contract = path.join(dir, 'c.json');
    await writeFile(
      contract,
      JSON.stringify({
        type: 'object',
        properties: {
          age: { type: 'integer', minimum: 0 },
          id: { type: 'string' },
          ward: { type: 'string' },
        },
        required: ['age'],
        additionalProperties: false,
      }),
    );
    const { code, out } = await runCli(
      ['contract', 'sql', contract, '--table', 'visits', '--key', 'id', '--references', 'id=patients.id'],
      dir,
    );
    expect(code).toBe(0);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const run = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjects();
    try {
      await connection.run(
        "CREATE TABLE visits AS SELECT * FROM (VALUES (1, '4', 'a', 'n'), (2, '-1', 'b', 'n'), (3, '', 'a', 'n'), (4, 'x', 'c', 'n')) AS t(preflight_row, age, id, note)",
      );
      await connection.run(
        "CREATE TABLE patients AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(preflight_row, id)",
      );
      const statements = out
        .split(';\n')
        .map((s) => s.replace(/^(--.*\n|\n)*/g, '').trim())
        .filter((s) => s !== '');
      expect(statements).toHaveLength(5);
      const header = await run(statements[0] as string);
      // ward is optional and absent (a warning); note is not in a contract that refuses others (an error)
      expect(header.map((r) => [r.rule, r.severity, r.column_name])).toEqual([
        ['extra-label', 'error', 'note'],
        ['missing-label', 'warning', 'ward'],
      ]);
      // the checks name every contract column: with the header fixed, they run
      await connection.run('ALTER TABLE visits ADD COLUMN ward VARCHAR');
      const [summary, failures, keys, orphans] = await Promise.all(statements.slice(1).map(run));
      expect(summary?.map((r) => [Number(r.records), Number(r.invalid)])).toEqual([[4, 3]]);
      expect(failures?.map((r) => [Number(r.check_id), Number(r.failing), Number(r.example_row)])).toEqual([
        [0, 1, 3],
        [1, 1, 4],
        [2, 1, 2],
      ]);
      expect(keys?.map((r) => [r.key_value, Number(r.count), Number(r.example_row)])).toEqual([
        ['a', 2, 1],
        ['a', 2, 3],
      ]);
      expect(orphans?.map((r) => [Number(r.orphans), Number(r.example_row), r.value])).toEqual([[1, 4, 'c']]);
      // a table that fits the contract gives no header row
      await connection.run('ALTER TABLE visits DROP COLUMN note');
      expect(await run(statements[0] as string)).toEqual([]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('says Spark SQL does not check the header, and refuses a malformed reference', async () => {
    const spark = await runCli(
      ['contract', 'sql', 'samples/contracts/patients.contract.json', '--dialect', 'spark'],
      ROOT,
    );
    expect(spark.code).toBe(0);
    expect(spark.out).toContain('-- Header: not checked by this script');
    const bad = await runCli(
      ['contract', 'sql', 'samples/contracts/patients.contract.json', '--references', 'patient_id=patients'],
      ROOT,
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not column=table.column');
  });

  it('names the keyword the SQL cannot express, with its column', async () => {
    const contract = path.join(dir, 'uri.json');
    await writeFile(
      contract,
      JSON.stringify({ type: 'object', properties: { site: { type: 'string', format: 'uri' } } }),
    );
    const { code, err } = await runCli(['contract', 'sql', contract, '--dialect', 'trino'], dir);
    expect(code).toBe(2);
    expect(err).toContain('format "uri" in column site cannot run as SQL: use the default engine');
  });

  it('refuses an unknown dialect', async () => {
    const { code, err } = await runCli(
      ['contract', 'sql', 'samples/contracts/patients.contract.json', '--dialect', 'oracle'],
      ROOT,
    );
    expect(code).toBe(2);
    expect(err).toContain('--dialect must be one of duckdb, postgres, spark, trino');
  });
});
