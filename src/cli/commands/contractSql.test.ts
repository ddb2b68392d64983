/**
 * `preflight contract sql`: prints the SQL of a contract per dialect (the plan's SQL, which
 * tests/unit/postgresSql.test.ts runs on PostgreSQL); keywords it cannot express are named (exit 2).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
    ['snowflake', 'REGEXP_INSTR('],
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

  it('prints the header, checks, keys and orphans of a table named with --table', async () => {
    const contract = path.join(dir, 'c.json');
    await writeFile(
      contract,
      JSON.stringify({
        type: 'object',
        properties: { age: { type: 'integer', minimum: 0 }, id: { type: 'string' } },
        required: ['age'],
      }),
    );
    const { code, out } = await runCli(
      ['contract', 'sql', contract, '--table', 'visits', '--key', 'id', '--references', 'id=patients.id'],
      dir,
    );
    expect(code).toBe(0);
    const statements = out
      .split(';\n')
      .map((s) => s.replace(/^(--.*\n|\n)*/g, '').trim())
      .filter((s) => s !== '');
    // what these statements count on a real database: tests/unit/postgresSql.test.ts (the same plan)
    expect(statements).toHaveLength(5);
    for (const statement of statements) expect(statement).toContain('visits');
    expect(statements[4]).toContain('patients');
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
    expect(err).toContain('--dialect must be one of duckdb, postgres, snowflake, spark, trino');
  });
});
