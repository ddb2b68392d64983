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

  it('prints SQL that DuckDB runs on a table named with --table', async () => {
    const contract = path.join(dir, 'c.json');
    await writeFile(
      contract,
      JSON.stringify({
        type: 'object',
        properties: { age: { type: 'integer', minimum: 0 } },
        required: ['age'],
      }),
    );
    const { code, out } = await runCli(['contract', 'sql', contract, '--table', 'visits'], dir);
    expect(code).toBe(0);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(
        "CREATE TABLE visits AS SELECT * FROM (VALUES (1, '4'), (2, '-1'), (3, ''), (4, 'x')) AS t(preflight_row, age)",
      );
      const statements = out
        .split(';\n')
        .map((s) => s.replace(/^(--.*\n|\n)*/g, '').trim())
        .filter((s) => s !== '');
      expect(statements).toHaveLength(2);
      const summary = (await connection.runAndReadAll(statements[0] as string)).getRowObjects();
      expect(summary.map((r) => [Number(r.records), Number(r.invalid)])).toEqual([[4, 3]]);
      const failures = (await connection.runAndReadAll(statements[1] as string)).getRowObjects();
      expect(failures.map((r) => [Number(r.check_id), Number(r.failing), Number(r.example_row)])).toEqual([
        [0, 1, 3],
        [1, 1, 4],
        [2, 1, 2],
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
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
