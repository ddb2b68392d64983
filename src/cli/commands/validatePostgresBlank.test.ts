/**
 * `validate --engine postgres` against the default engine on random small CSV files: blank lines,
 * blank records, records of the contract's "no value" texts only, quoted cells, cells of every
 * kind a contract reads (numbers, booleans, dates, text, spaces before a quote, quoted line
 * breaks), LF or CRLF line endings, with and without a contract. Each file is
 * checked by the default engine, then loaded (`--load`) into a new table of one PostgreSQL server
 * kept for the whole property, and both reports must say the same. Skipped, saying so, where
 * PostgreSQL is not installed outside CI.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, type TestPostgres, testPostgres } from '../../../tests/setup/postgres.ts';
import { withNotChecked } from '../../core/contract/index.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import { findings } from '../testing/sqlParity.ts';

const bin = postgresBinDir();
if (bin === undefined && process.env.CI)
  throw new Error(
    'PostgreSQL is not installed: .ci/run installs Debian’s postgresql package for these tests',
  );
if (bin === undefined)
  console.warn('PostgreSQL is not installed (Debian package postgresql): its engine tests are skipped');

let dir: string;
let pg: TestPostgres;

const NO_VALUE = ['N/A', 'NULL'];
const HEADER = ['id', 'amount', 'visit', 'note'];

beforeAll(async () => {
  if (bin === undefined) return;
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-pg-blank-'));
  pg = await testPostgres(bin);
  await writeFile(
    path.join(dir, 'random.contract.json'),
    JSON.stringify(
      withNotChecked(
        {
          type: 'object',
          required: ['id', 'visit'],
          properties: {
            id: { type: 'string', pattern: '^[A-Z][0-9]+$' },
            amount: { type: 'number', minimum: 0 },
            visit: { type: 'string', format: 'date' },
            note: { type: 'string', maxLength: 4 },
          },
        },
        { notChecked: [], missingValues: NO_VALUE },
      ),
    ),
  );
}, 120_000);

afterAll(async () => {
  if (bin === undefined) return;
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * A cell as a CSV file holds it: plain, or quoted (its quotes doubled). A cell with a quote or a
 * line break is always quoted, and none follows spaces: the loader takes only well-formed files.
 */
const cellText = fc
  .tuple(
    fc.constantFrom(
      '',
      ...NO_VALUE,
      'n/a',
      'A1',
      'b2',
      '0',
      '-1.5',
      '1e3',
      'true',
      '2026-02-29',
      '2024-02-29',
      'x',
      'a long note',
      'é😀',
      ' ',
      '  padded  ',
      '=1+1',
      'say "hi"',
      'two\nlines',
      'TRUE',
      '-0',
    ),
    fc.constantFrom('plain', 'quoted', 'quoted with a comma', 'spaces before a quote'),
  )
  .map(([cell, how]) => {
    const special = /["\n]/.test(cell);
    if (how === 'plain' && !special) return cell;
    if (how === 'spaces before a quote' && special) return `"${cell.split('"').join('""')}"`;
    const quoted = `"${(how === 'quoted with a comma' ? `${cell},` : cell).split('"').join('""')}"`;
    return how === 'spaces before a quote' ? ` ${quoted}` : quoted;
  });

/** A line of the file: a record of the header's cells, a blank record, or a blank line. */
const line = fc.oneof(
  { weight: 6, arbitrary: fc.array(cellText, { minLength: HEADER.length, maxLength: HEADER.length }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(['', '', '', ''], NO_VALUE.concat(NO_VALUE), ['N/A', '', 'NULL', '']),
  },
  { weight: 1, arbitrary: fc.constant([] as string[]) },
);

let files = 0;

describe.skipIf(bin === undefined)('the PostgreSQL engine against the default engine, random files', () => {
  it('reports blank lines, blank records and "no value" records as the default engine does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 12 }),
        fc.boolean(),
        fc.constantFrom('\n', '\r\n'),
        async (lines, contract, ending) => {
          const file = `random${++files}.csv`;
          const text = [HEADER.join(','), ...lines.map((cells) => cells.join(','))].join(ending);
          await writeFile(path.join(dir, file), `${text}${ending}`);
          const extra = contract ? ['--schema', 'random.contract.json', '--key', 'id'] : ['--key', 'id'];
          const js = await runCli(['validate', file, ...extra, '--json'], dir);
          const onPg = await runCli(
            [
              'validate',
              '--engine',
              'postgres',
              '--database',
              pg.url(),
              '--table',
              `t${files}`,
              '--load',
              file,
              ...extra,
              '--json',
            ],
            dir,
          );
          expect(onPg.err).toBe(js.err);
          expect(onPg.code).toBe(js.code);
          expect(findings(JSON.parse(onPg.out) as Report)).toEqual(findings(JSON.parse(js.out) as Report));
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
