import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReport } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

const CONTRACT = path.resolve(import.meta.dirname, '../../../samples/contracts/patients.contract.json');
const DEMO = path.resolve(import.meta.dirname, '../../../samples/legacy/patients.csv');

let dir: string;
let demoHeader: string[];
let demoRows: string[];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-headers-'));
  const lines = (await readFile(DEMO, 'utf8')).split(/\r?\n/);
  demoHeader = (lines[0] ?? '').split(',');
  demoRows = lines.slice(1, 301);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, header: readonly string[]): Promise<string> {
  const at = path.join(dir, name);
  await writeFile(at, `${[header.join(','), ...demoRows].join('\r\n')}\r\n`);
  return at;
}

describe('preflight validate compares each header with its contract before any row', () => {
  const table: {
    description: string;
    header: () => string[];
    extra?: string[];
    code: number;
    /** the header message's start, or null for none */
    message: string | null;
    rules: string[];
    /** the contract's row checks ran */
    rowsChecked: boolean;
  }[] = [
    {
      description: 'the same header: no header message, rows checked',
      header: () => demoHeader,
      code: 1,
      message: null,
      rules: [],
      rowsChecked: true,
    },
    {
      description: 'a renamed and an extra column: one message, exit 1, no per-cell flood',
      header: () => ['Id', ...demoHeader.slice(1, -1), 'Last Visit'],
      code: 1,
      message:
        'The columns do not match the contract (3 problems): column 1 "Id" is not in the contract; column 18 "Last Visit" looks like "last_visit" renamed; "patient_id" is missing (every row needs it).',
      rules: ['extra-label', 'incorrect-label', 'missing-label'],
      rowsChecked: false,
    },
    {
      description: 'a blank and a repeated column',
      header: () => [...demoHeader.slice(0, 2), '', ...demoHeader.slice(3, -1), 'mrn'],
      code: 1,
      message: 'The columns do not match the contract (3 problems)',
      // the blank and repeated names are the structure's issues (csv.blank-label, csv.duplicate-label)
      rules: ['csv.blank-label', 'csv.duplicate-label', 'missing-label', 'missing-label'],
      rowsChecked: false,
    },
    {
      description: 'columns in another order only: a warning, rows checked',
      header: () => [demoHeader[1] ?? '', demoHeader[0] ?? '', ...demoHeader.slice(2)],
      code: 1,
      message: 'The columns differ from the contract, but every row can still be checked',
      rules: ['incorrect-label'],
      rowsChecked: true,
    },
    {
      description: '--continue-on-header-mismatch checks the rows anyway',
      header: () => ['Id', ...demoHeader.slice(1)],
      extra: ['--continue-on-header-mismatch'],
      code: 1,
      message: 'The columns do not match the contract (2 problems)',
      rules: ['extra-label', 'missing-label'],
      rowsChecked: true,
    },
  ];
  it.each(table)(
    '$description',
    async ({ description, header, extra = [], code, message, rules, rowsChecked }) => {
      const csv = await file(`${table.findIndex((t) => t.description === description)}.csv`, header());
      const reportFile = path.join(dir, `${path.basename(csv)}.report.json`);
      const run = await runCli(
        ['validate', csv, '--schema', CONTRACT, '--report', reportFile, ...extra],
        dir,
      );
      expect(run.code).toBe(code);
      const headerLines = run.out.split('\n').filter((l) => l.includes('The columns'));
      if (message === null) expect(headerLines).toEqual([]);
      else {
        expect(headerLines).toHaveLength(1);
        expect(headerLines[0]).toContain(`${path.basename(csv)}: ${message}`);
      }
      const loaded = loadReport(JSON.parse(await readFile(reportFile, 'utf8')));
      if (!loaded.ok) throw new Error('the report does not load');
      const issues = loaded.value.issues;
      expect(
        issues
          .filter((i) => i.rule.endsWith('-label'))
          .map((i) => i.rule)
          .sort(),
      ).toEqual(rules);
      // the demo's first 300 rows hold rows that break the contract: found only when rows are checked
      expect((loaded.value.inputs[0]?.invalid ?? 0) > 0).toBe(rowsChecked);
      // rows not checked are "not checked", never valid: in the report and on the terminal
      const { summary } = loaded.value;
      if (rowsChecked) expect(summary.unchecked).toBeUndefined();
      else {
        expect(summary).toMatchObject({ valid: 0, unchecked: summary.records - summary.invalid });
        expect(summary.unchecked).toBeGreaterThan(0);
        expect(run.out).toContain(
          `${summary.records} records: 0 valid, ${summary.invalid} invalid, ${summary.unchecked} not checked;`,
        );
        expect(run.out).toContain(
          `, ${summary.unchecked} not checked (its header does not match its contract)`,
        );
      }
      if (loaded.value.summary.errors > 0) expect(run.out).not.toMatch(/ 0 errors/);
    },
  );
});
