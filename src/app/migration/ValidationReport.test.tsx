/**
 * The validation result as a data lead reads it, for reports the real engine wrote (the validator
 * worker's API, run in-process: testing/runReport.ts): the run's outcome in words, the scorecard,
 * the problems in the clinic's words (a pattern said in words, the regular expression in the
 * details), the checks across records and files, and a saved report's hint. No browser: what only
 * a browser proves (workers, downloads, layout) is in the data team's journey.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareHeader, withHeaderIssues } from '../../core/contract/index.ts';
import type { Report } from '../../formats/report.ts';
import { runReport } from './testing/runReport.ts';
import { ValidationReport } from './ValidationReport.tsx';

const SAMPLES = resolve(import.meta.dirname, '../../../samples');
const sample = (path: string) => readFileSync(join(SAMPLES, path));
const contract = (name: string) =>
  JSON.parse(sample(`contracts/${name}`).toString('utf8')) as Record<string, unknown>;

const result = () => screen.getByRole('region', { name: /^Validation result: / });

describe('ValidationReport: an empty extract beside another', () => {
  let report: Report;
  beforeAll(async () => {
    ({ report } = await runReport([
      { name: 'lab-results.csv', bytes: '' },
      {
        name: 'visits.csv',
        bytes: 'visit_id,patient_id\r\nV1,P1\r\nV2,P2\r\nV1,P3\r\n',
        keys: [{ column: 'visit_id' }],
      },
    ]));
  });

  it('warns of the empty file, keeps the other file’s results, and names the empty file in the outcome', () => {
    render(<ValidationReport report={report} />);
    expect(screen.getByTestId('score-records').textContent).toBe('3');
    expect(within(screen.getByTestId('file-visits.csv')).getAllByRole('cell')[0]?.textContent).toBe('3');
    expect(within(screen.getByTestId('file-lab-results.csv')).getAllByRole('cell')[0]?.textContent).toBe('0');
    expect(screen.getByTestId('duplicate-keys').textContent).toContain('visit_id');
    // one warning of the whole file, no error that stopped the run
    expect(screen.getByTestId('score-warnings').textContent).toBe('1');
    expect(result().textContent).toContain(
      'whole file in lab-results.csv: empty file: no header, no rows (an empty extract usually means the export failed) — 1 time',
    );
    expect(screen.queryByText(/has no header row: it is empty/)).toBeNull();
    expect(screen.getByTestId('run-outcome').textContent).toBe(
      '1 of 2 files failed: no record has an error of its own, but the checks across records and files found problems. lab-results.csv has no records (empty, or only a header): an empty extract usually means the export failed, so check it before relying on this result.',
    );
  });
});

describe('ValidationReport: a file that stops at a bad byte', () => {
  it('says how far it was read, not 0 records', async () => {
    // past the first 64 KB the layout is sniffed from, so the run itself meets the zero byte
    const rows = ['visit_id,patient_id', ...Array.from({ length: 8000 }, (_, i) => `V${i},P${i}`)];
    const bytes = new Uint8Array([...new TextEncoder().encode(`${rows.join('\n')}\nV99,`), 0, 0x41, 0x0a]);
    const { report } = await runReport([{ name: 'visits.csv', bytes }]);
    render(<ValidationReport report={report} />);
    const cell = within(screen.getByTestId('file-visits.csv')).getAllByRole('cell')[0];
    expect(cell?.textContent).toMatch(
      /^Stopped at line 8,002, byte \d[\d,]* \(a fatal problem\): 8,000 records read before it, none checked$/,
    );
  });
});

describe('ValidationReport: a file whose header did not match, its rows not checked (the CLI’s report)', () => {
  it('shows its records as not checked, never as valid', async () => {
    const { report: checked } = await runReport([
      { name: 'visits.csv', bytes: 'Visit,patient_id\r\nV1,P1\r\nV2,P2\r\nV3,P3,extra\r\n' },
    ]);
    const comparison = compareHeader({ columns: ['visit_id', 'patient_id'], required: ['visit_id'] }, [
      'Visit',
      'patient_id',
    ]);
    const report = withHeaderIssues(checked, [{ input: 'visits.csv', comparison, rowsChecked: false }]);
    render(<ValidationReport report={report} />);
    expect(screen.getByTestId('score-valid').textContent).toBe('0');
    expect(screen.getByTestId('score-invalid').textContent).toBe('1');
    expect(screen.getByTestId('score-unchecked').textContent).toBe('2');
    expect(within(screen.getByTestId('file-visits.csv')).getByTestId('file-invalid').textContent).toBe(
      '1 (2 not checked: the columns do not match the contract)',
    );
  });
});

describe('ValidationReport: the demo extracts', () => {
  let report: Report;
  beforeAll(async () => {
    ({ report } = await runReport(
      [
        {
          name: 'patients.csv',
          bytes: sample('legacy/patients.csv'),
          contract: contract('patients.contract.json'),
          keys: [{ column: 'mrn' }, { column: 'patient_id', referenced: true }],
        },
        {
          name: 'encounters.csv',
          bytes: sample('legacy/encounters.csv'),
          contract: contract('encounters.contract.json'),
          keys: [{ column: 'encounter_id' }],
        },
      ],
      [{ input: 'encounters.csv', column: 'patient_id', target: 'patients.csv', targetColumn: 'patient_id' }],
    ));
  }, 60_000);

  it('gives the documented counts (samples/README.md)', () => {
    render(<ValidationReport report={report} />);
    expect(screen.getByTestId('score-records').textContent).toBe('17,000');
    expect(screen.getByTestId('score-invalid').textContent).toBe('263');
    expect(within(screen.getByTestId('file-patients.csv')).getByTestId('file-invalid').textContent).toBe(
      '238',
    );
    expect(within(screen.getByTestId('file-encounters.csv')).getByTestId('file-invalid').textContent).toBe(
      '25',
    );
    const duplicates = screen.getAllByTestId('duplicate-keys');
    const countOf = (column: string) =>
      within(duplicates.find((d) => d.textContent?.includes(`column ${column}`)) as HTMLElement).getByTestId(
        'duplicate-key-count',
      ).textContent;
    expect(countOf('mrn')).toBe('12');
    expect(countOf('encounter_id')).toBe('3');
    expect(screen.getByTestId('orphan-count').textContent).toBe('37');
  });

  it('says a pattern problem in words; the pattern and the agreed layout are in its details', async () => {
    render(<ValidationReport report={report} />);
    const summaries = [...result().querySelectorAll('li.issue summary')].map((s) => s.textContent ?? '');
    expect(summaries.length).toBeGreaterThan(10);
    // no regular expression on any summary line
    for (const summary of summaries) expect(summary).not.toMatch(/pattern|\^\\d|\$ —/);
    // the column by the contract's title, its name in brackets
    const line = [...result().querySelectorAll<HTMLElement>('li.issue summary')].find((s) =>
      /^Error Date of birth \(birth_date\) in patients\.csv: is not written in the agreed layout/.test(
        s.textContent ?? '',
      ),
    ) as HTMLElement;
    expect(line).toBeDefined();
    await userEvent.click(line);
    const details = line.closest('details') as HTMLElement;
    expect(within(details).getByText(/^The agreed layout says: ISO 8601 calendar date/)).toBeTruthy();
    expect(within(details).getByText('^\\d{4}-\\d{2}-\\d{2}$', { selector: 'code' })).toBeTruthy();
  });

  it('shares of records are never above 100 %', () => {
    render(<ValidationReport report={report} />);
    const summaries = [...result().querySelectorAll('.issue summary')].map((s) => s.textContent ?? '');
    expect(summaries.some((s) => /of 5,000 records \(\d/.test(s))).toBe(true);
    for (const s of summaries)
      for (const m of s.matchAll(/\(([\d.]+) %\)/g)) expect(Number(m[1])).toBeLessThanOrEqual(100);
  });

  it('says a column holds dates in several formats', async () => {
    render(<ValidationReport report={report} />);
    await userEvent.click(screen.getByText('Columns of patients.csv (18)'));
    const birthDate = screen
      .getByRole('heading', { name: 'birth_date', level: 5 })
      .closest('li') as HTMLElement;
    expect(within(birthDate).getByText(/^Mixed: 3 date formats: ISO \d+ %/)).toBeTruthy();
  });

  it('a saved report says how to list every failing row again', () => {
    render(<ValidationReport report={report} saved />);
    expect(screen.getByText(/^A saved report keeps counts and the first examples/)).toBeTruthy();
    // its files are not at hand: no drill-down, no export of every failing row
    expect(screen.queryByRole('button', { name: /^Export every failing row/ })).toBeNull();
  });
});
