/**
 * `preflight validate visits/` on a partitioned Parquet folder as DuckDB writes one (Hive-style
 * `year=2025/month=1/data_0.parquet`, the layout Spark and Databricks write too): the folder is
 * one input, its partition values are columns the contract types, and its findings are those of
 * the same table exported by DuckDB as one CSV — the same issues, counted and numbered within the
 * dataset, each example naming the file and its row there. A writer's `_SUCCESS` and `.crc` files are in the input's account, not errors; a folder
 * whose files are not one table stops the run (exit 2), naming the file.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdb } from '../../../tests/parquet/duckdbWriter.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

/** Visits over two years and three months, with bad ids, bad codes and years the contract refuses. */
const TABLE = `
  CREATE TABLE visits AS SELECT
    'V' || r AS visit_id,
    CASE WHEN r % 17 = 0 THEN 'X' || r ELSE 'P' || (r % 50) END AS patient_id,
    CASE WHEN r % 23 = 0 THEN 'Q' ELSE 'F' END AS sex,
    2025 + (r % 2) AS year,
    1 + (r % 3) AS month
  FROM range(1, 301) t(r)`;
const ORDERED = 'SELECT * FROM visits ORDER BY year, month, visit_id';
const CONTRACT = {
  type: 'object',
  required: ['visit_id', 'patient_id', 'year', 'month'],
  properties: {
    visit_id: { type: 'string' },
    patient_id: { type: 'string', pattern: '^P[0-9]+$' },
    sex: { enum: ['F', 'M'] },
    year: { type: 'integer', minimum: 2026 },
    month: { type: 'integer', maximum: 2 },
  },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-parquet-folder-'));
  const db = await duckdb();
  try {
    await db.run(TABLE);
    await db.run(
      `COPY (${ORDERED}) TO '${path.join(dir, 'visits')}' (FORMAT parquet, PARTITION_BY (year, month))`,
    );
    await db.csv(ORDERED, path.join(dir, 'visits.csv'));
    await db.run(`COPY (SELECT 1 AS other) TO '${path.join(dir, 'other.parquet')}' (FORMAT parquet)`);
  } finally {
    db.close();
  }
  // what Spark leaves beside the data
  await writeFile(path.join(dir, 'visits', '_SUCCESS'), '');
  await writeFile(path.join(dir, 'visits', 'year=2025', 'month=1', '.data_0.parquet.crc'), 'crc');
  await writeFile(path.join(dir, 'c.json'), JSON.stringify(CONTRACT));
  // a folder whose files are not one table
  await mkdir(path.join(dir, 'mixed', 'year=2026'), { recursive: true });
  await copyFile(
    path.join(dir, 'visits', 'year=2026', 'month=1', 'data_0.parquet'),
    path.join(dir, 'mixed', 'year=2026', 'a.parquet'),
  );
  await copyFile(path.join(dir, 'other.parquet'), path.join(dir, 'mixed', 'year=2026', 'b.parquet'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function json(args: string[]) {
  const result = await runCli(
    ['validate', ...args, '--schema', 'c.json', '--key', 'visit_id', '--json'],
    dir,
  );
  return { ...result, report: JSON.parse(result.out) as Report };
}

describe('preflight validate on a partitioned Parquet folder', () => {
  it('finds what the same table as one CSV finds, in one input with its partition columns', async () => {
    const folder = await json(['visits']);
    const csv = await json(['visits.csv']);
    expect(folder.code).toBe(1);
    expect(folder.code).toBe(csv.code);
    expect(folder.report.inputs.map((i) => [i.name, i.records])).toEqual([['visits', 300]]);
    // the folder's examples also say which file each row is in: the rest is the CSV's
    const withoutParts = folder.report.issues.map((issue) => ({
      ...issue,
      examples: issue.examples.map(({ part: _, ...example }) => example),
    }));
    const same = (r: Report, name: string) =>
      JSON.stringify({ summary: r.summary, issues: r.issues, crossFile: r.crossFile }).replaceAll(
        `"${name}"`,
        '"INPUT"',
      );
    expect(same({ ...folder.report, issues: withoutParts }, 'visits')).toBe(same(csv.report, 'visits.csv'));
    // 50 rows in each of the six (year, month) files, in path order: the row's file and its row there
    const files = [
      '2025/month=1',
      '2025/month=2',
      '2025/month=3',
      '2026/month=1',
      '2026/month=2',
      '2026/month=3',
    ];
    const examples = folder.report.issues.flatMap((i) => i.examples).filter((e) => e.row !== undefined);
    expect(examples.length).toBeGreaterThan(10);
    for (const example of examples) {
      const row = example.row as number;
      expect(example.part).toEqual({
        file: `year=${files[Math.floor((row - 1) / 50)]}/data_0.parquet`,
        row: ((row - 1) % 50) + 1,
      });
    }
    expect(new Set(examples.map((e) => e.part?.file)).size).toBeGreaterThan(2);
    // the partition columns are typed as the contract says: years and months found out of range
    const rules = folder.report.issues.map((i) => `${i.rule} ${i.location}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'contract.minimum year',
        'contract.maximum month',
        'contract.pattern patient_id',
        'contract.enum sex',
      ]),
    );
    expect(folder.report.issues.find((i) => i.location === 'year')?.count).toBe(150);
    expect(folder.report.inputs[0]?.notRead?.map((l) => [l.kind, l.name, l.where?.file])).toEqual([
      ['entry', '_SUCCESS', 'visits/_SUCCESS'],
      ['entry', 'year=2025/month=1/.data_0.parquet.crc', 'visits/year=2025/month=1/.data_0.parquet.crc'],
    ]);
    expect(loadReport(folder.report).ok).toBe(true);
  });

  it('stops at a folder whose files are not one table (exit 2), naming the file', async () => {
    const result = await runCli(['validate', 'mixed', '--schema', 'c.json'], dir);
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      'preflight validate: "mixed/year=2026/b.parquet" has other columns than "mixed/year=2026/a.parquet", so "mixed" cannot be read as one table. Write the table again with one schema.',
    );
  });
});
