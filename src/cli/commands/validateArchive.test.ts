/**
 * `preflight validate archive.zip`: each CSV, TSV, NDJSON or Parquet entry is an input named
 * `archive.zip/<entry>` (archiveInputs.ts) with the findings, layout and fingerprint the same file
 * gets on its own; the other entries are the archive's reader account, on its first input in the
 * JSON (`inputs[].notRead`) and in the summary; a workbook is refused with what to do (exit 2),
 * never read as a windows-1252 CSV. Run on frictionless-py's own zip and workbook, and on an
 * archive of the shipped samples with a Parquet file, a PDF, a zip inside and Finder metadata.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

const PARQUET_CONTRACT = {
  type: 'object',
  required: ['patient_id'],
  properties: { patient_id: { type: 'string', pattern: '^P[0-9]+$' }, sex: { enum: ['F', 'M'] } },
};

/** The first `n` lines of a file, as its bytes (the samples are windows-1252 and UTF-8). */
function firstLines(bytes: Buffer, n: number): Buffer {
  let at = 0;
  for (let line = 0; line < n && at >= 0; line++) at = bytes.indexOf(0x0a, at) + 1;
  return bytes.subarray(0, at > 0 ? at : bytes.length);
}

let dir: string;
let patients: Buffer;
let encounters: Buffer;
let parquet: Uint8Array;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-archive-cli-'));
  await mkdir(path.join(dir, 'tmp'));
  await mkdir(path.join(dir, 'plain'));
  const data = (name: string) => externalFixture('frictionless-py', 'data', name);
  await copyFile(data('package.zip'), path.join(dir, 'package.zip'));
  await copyFile(data('table.xlsx'), path.join(dir, 'table.xlsx'));
  patients = firstLines(await readFile(path.resolve('samples/legacy/patients.csv')), 400);
  encounters = firstLines(await readFile(path.resolve('samples/legacy/encounters.csv')), 400);
  parquet = new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'patient_id', data: ['P1', 'X2', 'P3'], type: 'STRING' },
        { name: 'sex', data: ['F', 'Q', 'M'], type: 'STRING' },
      ],
    }),
  );
  await writeFile(path.join(dir, 'plain', 'patients.csv'), patients);
  await writeFile(path.join(dir, 'plain', 'encounters.csv'), encounters);
  await writeFile(path.join(dir, 'plain', 'labs.parquet'), parquet);
  await writeFile(path.join(dir, 'c.json'), JSON.stringify(PARQUET_CONTRACT));
  await writeFile(
    path.join(dir, 'drop.zip'),
    zipSync({
      'extract/patients.csv': patients,
      'extract/encounters.csv': encounters,
      // stored, as most tools store a file that is compressed already
      'extract/labs.parquet': [parquet, { level: 0 }],
      'extract/': new Uint8Array(0),
      'extract/Data dictionary.pdf': new TextEncoder().encode('%PDF-1.4\n'),
      '__MACOSX/extract/._patients.csv': new Uint8Array([0, 5, 22, 7]),
      'extract/older.zip': zipSync({ 'a.csv': new TextEncoder().encode('a\n1\n') }),
      'extract/Patient.ndjson': new TextEncoder().encode('{"resourceType":"Patient"}\n'),
    }),
  );
  await writeFile(
    path.join(dir, 'docs.zip'),
    zipSync({ 'manual.pdf': new TextEncoder().encode('%PDF-1.4\n') }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Contracts paired by file name, a key, and a reference across files. */
const CHECKS = [
  '--schema',
  `patients.csv=${path.resolve('samples/contracts/patients.contract.json')}`,
  '--schema',
  `encounters.csv=${path.resolve('samples/contracts/encounters.contract.json')}`,
  '--schema',
  'labs.parquet=c.json',
  '--key',
  'patients.mrn',
];

async function run(args: string[]) {
  const result = await runCli(['validate', ...args], dir);
  return result;
}

async function json(args: string[]) {
  const result = await run([...args, '--json']);
  return { ...result, report: JSON.parse(result.out) as Report };
}

/** What a run found, with the inputs' names replaced by their last segment. */
function findings(report: Report, rename: (name: string) => string) {
  const text = JSON.stringify({
    summary: report.summary,
    issues: report.issues,
    crossFile: report.crossFile,
  });
  return report.inputs.reduce((t, input) => t.replaceAll(`"${input.name}`, `"${rename(input.name)}`), text);
}

describe('preflight validate archive.zip', () => {
  it("frictionless-py's package.zip: its CSV files are inputs, its descriptor in the account", async () => {
    const { code, report, err } = await json(['package.zip']);
    expect(code).toBe(0);
    expect(loadReport(report).ok).toBe(true);
    expect(report.inputs.map((i) => [i.name, i.encoding, i.delimiter, i.lineEnding, i.records])).toEqual([
      ['package.zip/data.csv', 'utf-8', ',', 'LF', 2],
      ['package.zip/data2.csv', 'utf-8', ',', 'LF', 3],
    ]);
    // with no contract, every column is also listed as not checked: the entries are the archive's
    const entries = (i: number) => report.inputs[i]?.notRead?.filter((l) => l.kind === 'entry') ?? [];
    expect(entries(0)).toEqual([
      {
        kind: 'entry',
        name: 'datapackage.json',
        handling: 'not-used',
        count: 1,
        where: { file: 'package.zip/datapackage.json' },
        effect: 'not an extract (CSV, TSV, NDJSON or Parquet): not read, so nothing in it is in the figures',
      },
    ]);
    expect(entries(1)).toEqual([]);
    expect(err).toBe(
      'preflight validate: "package.zip" was unzipped: 2 extracts read, 1 entry not read (listed under package.zip/data.csv).',
    );
  });
});

describe('preflight validate drop.zip (samples, Parquet and entries that are not extracts)', () => {
  it('reads each extract as the same file read plainly, and lists the rest', async () => {
    const plain = await json(['plain/patients.csv', 'plain/encounters.csv', 'plain/labs.parquet', ...CHECKS]);
    const zipped = await json(['drop.zip', ...CHECKS]);
    expect(zipped.code).toBe(plain.code);
    expect(zipped.report.inputs.map((i) => i.name)).toEqual([
      'drop.zip/extract/patients.csv',
      'drop.zip/extract/encounters.csv',
      'drop.zip/extract/labs.parquet',
    ]);
    const base = (name: string) => name.split('/').pop() as string;
    expect(findings(zipped.report, base)).toBe(findings(plain.report, base));
    expect(zipped.report.summary.records).toBe(399 + 399 + 3);
    // the findings name the entry they are in: the Parquet file's bad id and code among them
    const inputsOf = new Set(zipped.report.issues.flatMap((i) => i.examples.map((e) => e.input)));
    expect(inputsOf).toContain('drop.zip/extract/labs.parquet');
    expect(inputsOf).toContain('drop.zip/extract/patients.csv');
    expect(zipped.report.summary.errors).toBeGreaterThan(2);
    // each entry's layout is its own, not the archive's bytes read as text
    expect(zipped.report.inputs.map((i) => [i.encoding, i.lineEnding])).toEqual(
      plain.report.inputs.map((i) => [i.encoding, i.lineEnding]),
    );
    // each entry's fingerprint is of its own bytes
    expect(zipped.report.inputs[0]?.sha256).toBe(createHash('sha256').update(patients).digest('hex'));
    expect(zipped.report.inputs[2]?.sha256).toBe(createHash('sha256').update(parquet).digest('hex'));
    expect(zipped.report.inputs[0]?.notRead?.map((l) => l.name)).toEqual([
      'extract/',
      'extract/Data dictionary.pdf',
      '__MACOSX/extract/._patients.csv',
      'extract/older.zip',
      'extract/Patient.ndjson',
    ]);
    // FHIR NDJSON is no table: not read as one, and the words say where it is checked
    expect(zipped.report.inputs[0]?.notRead?.at(-1)?.effect).toBe(
      'FHIR NDJSON, not a table: not checked here; check the archive with preflight validate --fhir',
    );
    expect(loadReport(zipped.report).ok).toBe(true);
  });

  it('says in the summary which entries were not read, under the first extract', async () => {
    const { out } = await run(['drop.zip']);
    const lines = out.split('\n');
    const first = lines.findIndex((l) => l.startsWith('  drop.zip/extract/patients.csv (utf-8'));
    expect(first).toBeGreaterThan(0);
    const below = lines.slice(first + 1, first + 12);
    expect(below).toContainEqual(
      expect.stringMatching(
        /^ {4}Not read: entry extract\/Data dictionary\.pdf \(first at drop\.zip\/extract\/Data dictionary\.pdf\): not an extract/,
      ),
    );
    expect(below).toContainEqual(
      expect.stringMatching(/^ {4}Not read: entry extract\/older\.zip .*an archive inside the archive/),
    );
  });

  it('stops at an archive with no extract (exit 2), saying what it holds, leaving nothing behind', async () => {
    const temp = path.join(dir, 'tmp');
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      const result = await run(['docs.zip', '--report', 'r.json']);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(
        /^preflight validate: "docs\.zip" holds no CSV, TSV, NDJSON or Parquet file, so nothing in it could be checked\. What it holds:\n {2}Not used: entry manual\.pdf/,
      );
      expect(existsSync(path.join(dir, 'r.json'))).toBe(false);
      expect(readdirSync(temp).filter((name) => name.startsWith('preflight-decompressed-'))).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  });
});

describe('preflight validate table.xlsx', () => {
  it("refuses frictionless-py's workbook with what to do, never as a windows-1252 CSV", async () => {
    const result = await run(['table.xlsx', 'plain/patients.csv']);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toBe(
      'preflight validate: "table.xlsx" is a spreadsheet workbook, not a CSV extract, so it was not read. Save each sheet as CSV UTF-8 from Excel: File › Save As…, choose "CSV UTF-8 (Comma delimited)", then choose the CSV files.',
    );
    expect(result.err).not.toContain('windows-1252');
  });
});
