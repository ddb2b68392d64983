/**
 * `preflight validate x.parquet`: the default engine takes a Parquet file's rows as the cells its
 * CSV text reads as (parquetInputs.ts), and reads rows back from the file by number, so the same
 * data as CSV and as Parquet give the same report and failing rows; a Parquet file
 * that cannot be read stops the run (exit 2) naming the file and where, and leaves no report and
 * no copy of its rows behind. `--engine duckdb` (the engine was removed) runs the default engine.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

const CONTRACT = {
  type: 'object',
  required: ['patient_id', 'sex'],
  properties: {
    patient_id: { type: 'string', pattern: '^P[0-9]+$' },
    sex: { enum: ['F', 'M'] },
    visits: { type: 'string', pattern: '^[0-9]+$' },
    note: { type: 'string', maxLength: 8 },
  },
};
/** The rows, as Parquet values: a bad id, a bad code, a missing required value, a duplicate key. */
const IDS = ['P1', 'P2', 'X3', 'P4', 'P2', 'P6'];
const SEX = ['F', 'M', 'F', 'Q', null, 'F'];
const VISITS = [3, 0, 12, null, 7, 1];
const NOTES = ['ok', 'a, "b"', 'far too long', null, 'x', ''];
/** The same rows as a CSV export writes them. */
const CSV = [
  'patient_id,sex,visits,note',
  'P1,F,3,ok',
  'P2,M,0,"a, ""b"""',
  'X3,F,12,far too long',
  'P4,Q,,',
  'P2,,7,x',
  'P6,F,1,',
].join('\r\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-parquet-cli-'));
  await mkdir(path.join(dir, 'tmp'));
  await writeFile(path.join(dir, 'c.json'), JSON.stringify(CONTRACT));
  await writeFile(path.join(dir, 'patients.csv'), `${CSV}\r\n`);
  const parquet = parquetWriteBuffer({
    columnData: [
      { name: 'patient_id', data: IDS, type: 'STRING' },
      { name: 'sex', data: SEX, type: 'STRING' },
      { name: 'visits', data: VISITS, type: 'INT32' },
      { name: 'note', data: NOTES, type: 'STRING' },
    ],
    rowGroupSize: 4,
  });
  await writeFile(path.join(dir, 'patients.parquet'), new Uint8Array(parquet));
  const mrns = parquetWriteBuffer({
    columnData: [{ name: 'mrn', data: ['A1', null, '', 'A4'], type: 'STRING' }],
  });
  await writeFile(path.join(dir, 'mrns.parquet'), new Uint8Array(mrns));
  await writeFile(path.join(dir, 'cut.parquet'), new Uint8Array(parquet).slice(0, parquet.byteLength - 20));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function report(file: string, extra: string[] = []) {
  const run = await runCli(
    ['validate', file, '--schema', 'c.json', '--key', 'patient_id', '--json', ...extra],
    dir,
  );
  return { ...run, report: JSON.parse(run.out) as Report };
}

/** The report but its file's name, size and fingerprint and when it ran. */
function findings(r: Report, name: string) {
  const text = JSON.stringify({
    summary: r.summary,
    issues: r.issues,
    profiles: r.profiles,
    crossFile: r.crossFile,
  });
  const [input] = r.inputs;
  return { text: text.replaceAll(name, 'FILE'), records: input?.records, invalid: input?.invalid };
}

describe('preflight validate on a Parquet file', () => {
  it('gives the same report as the same data as CSV, rows numbered alike', async () => {
    const csv = await report('patients.csv');
    const parquet = await report('patients.parquet');
    expect(parquet.code).toBe(1);
    expect(parquet.code).toBe(csv.code);
    expect(parquet.err).toBe(csv.err);
    expect(findings(parquet.report, 'patients.parquet')).toEqual(findings(csv.report, 'patients.csv'));
    // the checks did run: the bad id (row 3), the bad code (row 4), the duplicate key (rows 2, 5)
    expect(parquet.report.summary.invalid).toBeGreaterThanOrEqual(3);
    expect(parquet.report.crossFile?.duplicateKeys?.[0]?.rows).toEqual([2, 5]);
    expect(parquet.report.inputs[0]?.name).toBe('patients.parquet');
    // its size is the Parquet file's: no text of it is written
    expect(parquet.report.inputs[0]?.bytes).toBe((await readFile(path.join(dir, 'patients.parquet'))).length);
  });

  it('writes the failing rows the same data as CSV has, read back from the Parquet file', async () => {
    await report('patients.csv', ['--failing-rows', 'csv-failing.csv']);
    await report('patients.parquet', ['--failing-rows', 'parquet-failing.csv']);
    const csv = await readFile(path.join(dir, 'csv-failing.csv'), 'utf8');
    const parquet = await readFile(path.join(dir, 'parquet-failing.csv'), 'utf8');
    expect(parquet.replaceAll('patients.parquet', 'FILE')).toBe(csv.replaceAll('patients.csv', 'FILE'));
    // the values are the rows' cells read back: the bad id, the long note, the bad code
    expect(parquet).toContain('patients.parquet,3,patient_id,contract.pattern,error,');
    expect(parquet).toContain(',far too long,\r\n');
    expect(parquet).toContain('patients.parquet,4,sex,contract.enum,');
  });

  it("counts a one-column file's rows with no value as rows with an empty cell", async () => {
    const run = await runCli(['validate', 'mrns.parquet', '--key', 'mrn', '--json'], dir);
    const found = JSON.parse(run.out) as Report;
    expect(found.summary).toMatchObject({ records: 4, valid: 2, invalid: 2 });
    expect(found.issues.map((i) => [i.rule, i.examples.map((e) => e.row)])).toEqual([
      ['csv.blank-row', [2, 3]],
    ]);
  });

  it('accepts --engine duckdb and --memory-limit, says once the default engine read the file', async () => {
    const plain = await report('patients.parquet');
    const asked = await report('patients.parquet', ['--engine', 'duckdb', '--memory-limit', '1GB']);
    expect(asked.code).toBe(plain.code);
    expect(asked.err).toBe(
      'preflight validate: the DuckDB engine was removed; --engine duckdb and --memory-limit were ignored and the default engine read the files.',
    );
    expect(findings(asked.report, 'x')).toEqual(findings(plain.report, 'x'));
  });

  it('stops at a cut-short Parquet file (exit 2), naming it and where, leaving nothing behind', async () => {
    const temp = path.join(dir, 'tmp');
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      const run = await runCli(
        ['validate', 'patients.csv', 'cut.parquet', '--schema', 'c.json', '--report', 'r.json'],
        dir,
      );
      expect(run.code).toBe(2);
      const size = (await readFile(path.join(dir, 'cut.parquet'))).length;
      expect(run.err).toBe(
        `preflight validate: "cut.parquet" has no Parquet footer at its end (byte ${size}): the file is cut short or damaged.`,
      );
      expect(run.out).toBe('');
      expect(existsSync(path.join(dir, 'r.json'))).toBe(false);
      // the text of the rows read before the error is gone with the run's folder
      expect(readdirSync(temp).filter((name) => name.startsWith('preflight-parquet-'))).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  });
});
