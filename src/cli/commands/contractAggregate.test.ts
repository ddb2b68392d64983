/**
 * `preflight contract sql --aggregate`: the one aggregate query per table that a run sends where
 * the data lives, printed for each warehouse, held byte for byte by golden files
 * (testing/warehouse/<dialect>.sql). When a change to the SQL is meant,
 * `npx vitest run src/cli/commands/contractAggregate.test.ts -u` writes the new files (their diff
 * shows what moved). What a dialect cannot express is refused by name (exit 2), never approximated.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cliTestKit.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-contract-aggregate-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A contract of one text column `code` with the given schema. */
async function contractFile(name: string, code: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, `${name}.contract.json`);
  await writeFile(
    file,
    JSON.stringify({ type: 'object', properties: { code }, required: ['code'], additionalProperties: false }),
  );
  return file;
}

describe('preflight contract sql --aggregate', () => {
  it.each(['trino', 'spark', 'snowflake'])(
    'prints the aggregate for %s as its golden file holds it',
    async (dialect) => {
      const { code, out, err } = await runCli(
        [
          'contract',
          'sql',
          'samples/contracts/patients.contract.json',
          '--dialect',
          dialect,
          '--table',
          'patients',
          '--aggregate',
        ],
        ROOT,
      );
      expect(err).toBe('');
      expect(code).toBe(0);
      await expect(out).toMatchFileSnapshot(`./testing/warehouse/${dialect}.sql`);
    },
  );

  it.each(['trino', 'spark', 'snowflake'])(
    'casts a date part to a number only safely on %s: an AND may test both sides',
    async (dialect) => {
      const { code, out } = await runCli(
        [
          'contract',
          'sql',
          'samples/contracts/patients.contract.json',
          '--dialect',
          dialect,
          '--table',
          'patients',
          '--aggregate',
        ],
        ROOT,
      );
      expect(code).toBe(0);
      // a plain cast of 'a' (from 'a/b/cccc') fails the whole aggregate on Snowflake or Spark ANSI;
      // the statistics read each distinct value as `v`
      expect(out.match(/(?<!TRY_)CAST\((?:split_part\(v,[^)]*\)|substr\(v,[^)]*\)|v) AS INT/g) ?? []).toEqual(
        [],
      );
      expect(out).toContain('TRY_CAST(split_part(v,');
    },
  );

  it.each([
    {
      dialect: 'snowflake',
      pattern: '^\\p{Lu}+$',
      named: 'pattern (a Unicode property class) in column code',
    },
    { dialect: 'snowflake', pattern: '^a+?b$', named: 'pattern (a lazy quantifier) in column code' },
    { dialect: 'snowflake', pattern: '\\bMRN', named: 'pattern (a word boundary) in column code' },
    { dialect: 'trino', pattern: '(?<=a)b', named: 'pattern (a look-ahead or look-behind) in column code' },
    { dialect: 'spark', pattern: '(a)\\1', named: 'pattern (a back-reference) in column code' },
  ])('refuses on $dialect what it cannot express: $named', async ({ dialect, pattern, named }) => {
    const file = await contractFile(`refused-${dialect}`, { type: 'string', pattern });
    const { code, out, err } = await runCli(
      ['contract', 'sql', file, '--dialect', dialect, '--aggregate'],
      ROOT,
    );
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(named);
  });

  it('writes on Snowflake a group and \\w as the same match, and escapes backslashes in its literals', async () => {
    const file = await contractFile('grouped', { type: 'string', pattern: '^(?:\\w+)-\\d$' });
    const { code, out } = await runCli(
      ['contract', 'sql', file, '--dialect', 'snowflake', '--aggregate'],
      ROOT,
    );
    expect(code).toBe(0);
    expect(out).toContain('REGEXP_INSTR("code", \'^([A-Za-z0-9_]+)-[0-9]$\') > 0');
    expect(out).not.toContain('(?:');
  });

  it('refuses DuckDB, and --key with --aggregate, as usage', async () => {
    const duck = await runCli(
      ['contract', 'sql', 'samples/contracts/patients.contract.json', '--dialect', 'duckdb', '--aggregate'],
      ROOT,
    );
    expect(duck.code).toBe(2);
    expect(duck.err).toContain('--aggregate is written for postgres, snowflake, spark and trino');
    const keyed = await runCli(
      [
        'contract',
        'sql',
        'samples/contracts/patients.contract.json',
        '--dialect',
        'trino',
        '--aggregate',
        '--key',
        'mrn',
      ],
      ROOT,
    );
    expect(keyed.code).toBe(2);
    expect(keyed.err).toContain('leave out --key and --references');
  });
});
