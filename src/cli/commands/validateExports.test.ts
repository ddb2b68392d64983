import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsvRecordReader } from '../../core/csv/index.ts';
import { FAILING_ROWS_COLUMNS, restoreCsvCell } from '../../core/validation/index.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
const SAMPLES = path.join(REPO, 'samples');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-exports-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const DEMO = [
  'legacy/patients.csv',
  'legacy/encounters.csv',
  '--schema',
  'patients=contracts/patients.contract.json',
  '--schema',
  'encounters=contracts/encounters.contract.json',
];

function records(text: string, delimiter = ','): string[][] {
  const reader = createCsvRecordReader({ delimiter, quoteChar: '"', newline: '\r\n', noHeader: true });
  return [...reader.push(text), ...reader.finish()].map((r) => r.fields);
}

/** The records of a CSV file, read whole. */
async function rowsOf(file: string, encoding: string, delimiter: string): Promise<string[][]> {
  const text = new TextDecoder(encoding).decode(await readFile(file));
  // [0] is the header: data row n is at [n]
  return records(text, delimiter);
}

describe('preflight validate: reports a data lead can hand on', () => {
  it('cites each file’s SHA-256, the same as sha256sum', async () => {
    const out = path.join(dir, 'report.json');
    const { code } = await runCli(['validate', ...DEMO, '--report', out], SAMPLES);
    expect(code).toBe(1);
    const loaded = loadReport(JSON.parse(await readFile(out, 'utf8')));
    if (!loaded.ok) throw new Error('report');
    for (const input of loaded.value.inputs) {
      const sum = execFileSync('sha256sum', [input.name], { cwd: SAMPLES, encoding: 'utf8' }).split(' ')[0];
      expect(input.sha256, input.name).toBe(sum);
    }
  });

  it('exports every failing row to CSV: each line re-read matches its row in the file, formulas neutralised', async () => {
    const out = path.join(dir, 'failing.csv');
    const reportFile = path.join(dir, 'r.json');
    const { code } = await runCli(
      ['validate', ...DEMO, '--report', reportFile, '--failing-rows', out],
      SAMPLES,
    );
    expect(code).toBe(1);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    const [head, ...lines] = records(await readFile(out, 'utf8'));
    expect(head).toEqual([...FAILING_ROWS_COLUMNS]);
    // every error of every data row, one line each (a rule meets a column once per row)
    expect(lines).toHaveLength(report.issues.reduce((n, i) => n + (i.records ?? 0), 0));
    expect(lines.length).toBe(report.summary.errors);
    const failingRows = new Set(lines.map((l) => `${l[0]}#${l[1]}`));
    expect(failingRows.size).toBe(report.inputs.reduce((n, i) => n + (i.invalid ?? 0), 0));
    const files = new Map<string, string[][]>();
    for (const input of report.inputs)
      files.set(
        input.name,
        await rowsOf(path.join(SAMPLES, input.name), input.encoding as string, input.delimiter as string),
      );
    for (const [file, row, column, , , message, value] of lines) {
      const rows = files.get(file as string);
      if (!rows) throw new Error(`unknown file ${file}`);
      const header = rows[0] as string[];
      const cells = rows[Number(row)] as string[];
      const index = header.indexOf(column as string);
      if (index >= 0) expect(restoreCsvCell(value as string)).toBe(cells[index] ?? '');
      expect(message).not.toBe('');
      expect(value).not.toMatch(/^[=+\-@\t\r]/);
    }
    // the demo's planted formula (middle_name) and phone numbers starting with "+" are written as text
    expect(lines.some((l) => l[2] === 'middle_name' && (l[6] as string).startsWith("'=HYPERLINK("))).toBe(
      true,
    );
    expect(lines.some((l) => l[2] === 'phone' && (l[6] as string).startsWith("'+1"))).toBe(true);
  });

  it('exports the same lines as NDJSON, with no values under --redact', async () => {
    const csvOut = path.join(dir, 'same.csv');
    const ndjsonOut = path.join(dir, 'same.ndjson');
    const redactedOut = path.join(dir, 'redacted.ndjson');
    await runCli(['validate', ...DEMO, '--failing-rows', csvOut], SAMPLES);
    await runCli(['validate', ...DEMO, '--failing-rows', ndjsonOut], SAMPLES);
    await runCli(['validate', ...DEMO, '--redact', '--failing-rows', redactedOut], SAMPLES);
    const csv = records(await readFile(csvOut, 'utf8')).slice(1);
    const parse = async (file: string) =>
      (await readFile(file, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const ndjson = await parse(ndjsonOut);
    expect(ndjson).toHaveLength(csv.length);
    ndjson.forEach((line, i) => {
      const cells = csv[i] as string[];
      expect([line.file, String(line.row), line.column, line.rule, line.message]).toEqual([
        cells[0],
        cells[1],
        cells[2],
        cells[3],
        cells[5],
      ]);
      expect(line.value ?? '').toBe(restoreCsvCell(cells[6] as string));
    });
    const redacted = await parse(redactedOut);
    expect(redacted).toHaveLength(csv.length);
    expect(redacted.some((l) => 'value' in l)).toBe(false);
  });

  it('refuses a failing-rows file of another kind before reading anything', async () => {
    const { code, err } = await runCli(
      ['validate', ...DEMO, '--failing-rows', path.join(dir, 'x.xlsx')],
      SAMPLES,
    );
    expect(code).toBe(2);
    expect(err).toContain('--failing-rows takes a file ending in .csv or .ndjson');
  });

  it('tells shares of records, never above 100 %', async () => {
    const { out } = await runCli(['validate', ...DEMO], SAMPLES);
    for (const match of out.matchAll(/\(([\d.]+) %\)/g)) expect(Number(match[1])).toBeLessThanOrEqual(100);
    expect(out).toMatch(/of 5,000 records \(/);
  });
});
