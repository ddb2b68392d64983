/**
 * Column profiles and files that are not text, on both engines: each case runs both on the same
 * input and compares what they report.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { both, bothWithText, findings, parityFolder } from '../testing/duckdbParity.ts';
import { CSV_IN_MEMORY_LINE } from './validateDuckdb.ts';

const parity = parityFolder();

describe('column profiles, on both engines', () => {
  const ids = (n: number) =>
    Array.from({ length: n }, (_, i) => `P${String((i * 7919) % n).padStart(5, '0')}`);
  const table: { description: string; head: string; rows: () => string[]; extra?: string[] }[] = [
    {
      description: 'more values than are tracked: exact counts of the first values, top values partial',
      head: 'id,group',
      rows: () => ids(1500).map((id, i) => `${id},${i % 3 === 0 ? 'A' : id}`),
    },
    {
      description: 'numbers, mixed date layouts and empty cells, quoted or not',
      head: 'amount,seen,code',
      rows: () => ['12,2024-01-02,007', '-3.5,01/31/2024,', '1e3,20240105,""', ',3/4/2024,010', '12,,007'],
    },
    {
      description: 'blank rows are profiled as empty cells',
      head: 'a,b',
      rows: () => ['1,x', ',', '2,y', ',', '2,x'],
    },
    {
      description: '--redact leaves values out of profiles',
      head: 'a,b',
      rows: () => ['1,x', '2,y', '2,x'],
      extra: ['--redact'],
    },
  ];
  it.each(table)('$description', async ({ description, head, rows, extra = [] }) => {
    const csv = path.join(
      parity.dir,
      `profiles-${table.findIndex((t) => t.description === description)}.csv`,
    );
    await writeFile(csv, `${[head, ...rows()].join('\n')}\n`);
    const { js, duck } = await both(parity.dir, [path.basename(csv), ...extra]);
    expect(js.profiles.length).toBeGreaterThan(0);
    expect(duck.profiles).toEqual(js.profiles);
  });
});

describe('a file that is not text, on both engines', () => {
  const table: { description: string; args: string[]; rule: string | null }[] = [
    {
      description: 'a PDF among CSV files: one fatal problem on it, the others checked',
      args: ['clean.csv', 'scan.csv', 'visits.csv', '--key', 'patient_id'],
      rule: 'csv.not-text',
    },
    { description: 'a PDF alone', args: ['scan.csv'], rule: 'csv.not-text' },
    {
      description: 'a Latin-1 file read as UTF-8',
      args: ['clean.csv', 'latin1.csv', '--encoding', 'utf-8'],
      rule: 'csv.not-in-encoding',
    },
    {
      description: 'a byte Windows-1252 leaves undefined',
      args: ['undefined-byte.csv', 'clean.csv'],
      rule: 'csv.not-in-encoding',
    },
    {
      description: 'a zero byte past the part the layout is sniffed from',
      args: ['late-zero.csv', 'clean.csv', '--schema', 'contract.json'],
      rule: 'csv.not-text',
    },
    {
      description: 'references into a file that is not text are not checked; its header is compared',
      args: [
        'visits.csv',
        'scan.csv',
        '--references',
        'visits.patient_id=scan.patient_id',
        '--schema',
        'scan.csv=contract.json',
      ],
      rule: 'csv.not-text',
    },
    {
      description: 'a Windows-1252 file is read with its own letters, not as Latin-1',
      args: ['cp1252.csv'],
      rule: null,
    },
  ];
  it.each(table)('$description', async ({ args, rule }) => {
    const { js, duck, text, plain } = await bothWithText(parity.dir, args);
    expect(findings(duck)).toEqual(findings(js));
    if (rule === null) {
      expect(js.summary.errors).toBe(0);
      expect(JSON.stringify(js.profiles)).toContain('a – b');
      return;
    }
    // the case is what it says: one fatal problem, exit 1, and the other files' records there
    expect(js.issues.filter((i) => i.rule === rule)).toEqual([
      expect.objectContaining({ severity: 'fatal', count: 1 }),
    ]);
    expect(text.code).toBe(1);
    // the summary but its timing line
    // the summary but its timing line, and the line that says what the DuckDB engine is for
    const untimed = (out: string) =>
      out.split('\n').filter((l) => !/\d ms|\ds\b/.test(l) && l !== CSV_IN_MEMORY_LINE);
    expect(untimed(text.out)).toEqual(untimed(plain.out));
  });
});
