/**
 * Differential test of the Parquet reader against a writer nobody here chose: DuckDB writes one
 * table as Parquet with every codec, several row-group sizes, with and without dictionary pages,
 * in every logical type a clinic's export holds, and as CSV; `preflight validate` must find the
 * same on each Parquet file as on the CSV (issues, column profiles with their top values, minimum
 * and maximum, duplicate keys), so a typed value is the text a user sees in the CSV.
 *
 * DuckDB's CSV is its own text for every column but the two the rule writes otherwise
 * (src/core/parquet/cellText.ts): timestamps in ISO form (`T`, and `Z` for a UTC instant, where
 * DuckDB writes a space and `+00`), and lists and structs as JSON (DuckDB's `to_json`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUCK_CODECS, duckdb, type ParquetSettings } from '../../../tests/parquet/duckdbWriter.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

/** Rows: enough for several row groups and dictionary pages, few enough to stay a second. */
const ROWS = 600;

/** The table, in every logical type, with values a contract finds fault with in some rows. */
const TABLE = `
  CREATE TABLE visits AS SELECT
    'V' || (i % 590) AS visit_id,
    (i * 1.25)::DECIMAL(10, 2) AS fee,
    (i * 123456789.000001 + 0.5)::DECIMAL(38, 6) AS balance,
    (-(i % 7) * 0.1)::DECIMAL(4, 1) AS adjustment,
    DATE '2026-01-01' + (i % 400)::INTEGER AS seen_on,
    TIME '08:00:00' + INTERVAL (i * 997) MILLISECOND AS seen_at,
    TIMESTAMP '2026-11-26 08:30:00' + INTERVAL (i * 1500) MILLISECOND AS admitted,
    (TIMESTAMPTZ '2026-11-26 08:30:00+00' + INTERVAL (i * 61) SECOND) AS discharged,
    (TIMESTAMP '2026-11-26 08:30:00' + INTERVAL (i) MICROSECOND)::TIMESTAMP_NS AS logged,
    (TIMESTAMP '1999-12-31 23:59:59')::TIMESTAMP_MS + INTERVAL (i) MILLISECOND AS legacy,
    (i % 10 * 0.1)::FLOAT AS weight,
    (i / 3)::DOUBLE AS ratio,
    (i * 1000003)::BIGINT AS count,
    (i % 100 - 50)::TINYINT AS small,
    (i * 7)::UINTEGER AS unsigned,
    i % 3 = 0 AS seen,
    CASE WHEN i % 11 = 0 THEN NULL ELSE ['a', 'b', 'c'][i % 3 + 1] || i END AS note,
    [i % 3, i % 5] AS codes,
    {'ward': i % 4, 'bed': 'B' || (i % 9)} AS place
  FROM range(${ROWS}) t(i)`;

/** DuckDB's CSV of the table: its own text, timestamps in ISO form, nested values as JSON. */
const CSV_QUERY = `SELECT * REPLACE (
    replace(admitted::VARCHAR, ' ', 'T') AS admitted,
    replace(replace(discharged::VARCHAR, ' ', 'T'), '+00', 'Z') AS discharged,
    replace(logged::VARCHAR, ' ', 'T') AS logged,
    replace(legacy::VARCHAR, ' ', 'T') AS legacy,
    to_json(codes) AS codes,
    to_json(place) AS place
  ) FROM visits`;

/** A contract whose checks read the text of each type (scale, form, length). */
const CONTRACT = {
  type: 'object',
  required: ['visit_id', 'note'],
  properties: {
    visit_id: { type: 'string', pattern: '^V[0-9]+$' },
    fee: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$', maxLength: 5 },
    balance: { type: 'string', pattern: '^[0-9]+\\.[0-9]{6}$', maxLength: 16 },
    adjustment: { type: 'string', pattern: '^0\\.0$|^-' },
    seen_on: { type: 'string', format: 'date' },
    seen_at: { type: 'string', pattern: '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' },
    admitted: { type: 'string', format: 'date-time' },
    discharged: { type: 'string', format: 'date-time' },
    logged: { type: 'string', maxLength: 22 },
    legacy: { type: 'string', maxLength: 19 },
    weight: { type: 'string', maxLength: 3 },
    ratio: { type: 'string', maxLength: 4 },
    count: { type: 'string', maxLength: 8 },
    small: { type: 'string', pattern: '^[0-9]' },
    unsigned: { type: 'string', maxLength: 3 },
    seen: { enum: ['true'] },
    note: { type: 'string', pattern: '^[ab]' },
    codes: { type: 'string', pattern: '^\\[0,' },
    place: { type: 'string', maxLength: 20 },
  },
};

/** The writer settings: every codec, row groups of several sizes, dictionary pages or none. */
const SETTINGS: readonly ParquetSettings[] = DUCK_CODECS.map((codec, k) => ({
  codec,
  rowGroupSize: [ROWS, 128, 250, 100_000][k % 4],
  dictionary: k % 2 === 0,
}));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-parquet-differential-'));
  await writeFile(path.join(dir, 'c.json'), JSON.stringify(CONTRACT));
  const db = await duckdb();
  try {
    await db.run(TABLE);
    await db.csv(CSV_QUERY, path.join(dir, 'visits.csv'));
    for (const [k, settings] of SETTINGS.entries())
      await db.parquet('SELECT * FROM visits', path.join(dir, `visits-${k}.parquet`), settings);
  } finally {
    db.close();
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What a run found, its file's name aside. */
async function findings(file: string) {
  const run = await runCli(['validate', file, '--schema', 'c.json', '--key', 'visit_id', '--json'], dir);
  if (run.out === '') throw new Error(`${file}: exit ${run.code}: ${run.err}`);
  const report = JSON.parse(run.out) as Report;
  const found = JSON.stringify({
    code: run.code,
    summary: report.summary,
    issues: report.issues,
    profiles: report.profiles,
    crossFile: report.crossFile,
  });
  return { report, found: found.replaceAll(file, 'FILE') };
}

describe('a Parquet file finds what its CSV finds (DuckDB as the writer)', () => {
  it('on every codec, row-group size and page kind, in every logical type', {
    timeout: 120_000,
  }, async () => {
    const csv = await findings('visits.csv');
    // the contract does find fault, in most columns, so equal findings say something
    expect(csv.report.summary.invalid).toBeGreaterThan(ROWS / 2);
    expect(new Set(csv.report.issues.map((i) => i.location)).size).toBeGreaterThanOrEqual(12);
    for (const [k, settings] of SETTINGS.entries()) {
      const parquet = await findings(`visits-${k}.parquet`);
      expect(JSON.parse(parquet.found), JSON.stringify(settings)).toEqual(JSON.parse(csv.found));
    }
  });
});
