/**
 * The list of failing rows under a validation result: it re-reads the rows from the files (nothing
 * of them is kept but their places), narrows with "Show" to one kind of row — errors, warnings,
 * each finding across records and files, found by reading the files again — or to one problem's
 * rows, goes from an example to its row, and says of each row whether a waiver accepts it. Runs
 * are the real engine's; the rows are read by the validator worker's API in-process
 * (testing/inProcessValidateClient.ts: jsdom has no Worker).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { demographicsOf } from '../../core/validation/index.ts';
import { runReport, type TestRun } from './testing/runReport.ts';
import { renderWalkInsReport } from './testing/walkInsReport.tsx';
import { ValidationReport } from './ValidationReport.tsx';

// a wait ends as soon as its condition holds; the bound only names a hang on a loaded machine
configure({ asyncUtilTimeout: 20_000 });

const SAMPLES = resolve(import.meta.dirname, '../../../samples');
const sample = (path: string) => readFileSync(join(SAMPLES, path));

/** Data rows (1 = first) of a demo extract, parsed whole here in the test. */
function rowsOf(file: string, encoding: string, delimiter: string): string[][] {
  const text = new TextDecoder(encoding).decode(sample(file));
  return (Papa.parse<string[]>(text, { delimiter, skipEmptyLines: true }).data as string[][]).slice(1);
}
const patientsHeader = sample('legacy/patients.csv').toString('utf8').split(/\r?\n/, 1)[0]?.split(',') ?? [];
const patients = rowsOf('legacy/patients.csv', 'utf-8', ',');
const encounters = rowsOf('legacy/encounters.csv', 'windows-1252', ';');
const patientIds = new Set(patients.map((r) => r[0]));
/** encounters whose patient_id is not in patients.csv, by data row */
const ORPHAN_ROWS = encounters.flatMap((r, i) => (r[1] !== '' && !patientIds.has(r[1]) ? [i + 1] : []));
const mrnCount = new Map<string, number>();
for (const r of patients) mrnCount.set(r[1] as string, (mrnCount.get(r[1] as string) ?? 0) + 1);
/** rows of patients.csv whose mrn repeats */
const REPEATED_ROWS = patients.flatMap((r, i) => ((mrnCount.get(r[1] as string) ?? 0) > 1 ? [i + 1] : []));

const show = () => screen.getByLabelText('Show', { exact: true }) as HTMLSelectElement;

/** Chooses the "Show" option whose text starts with `label`; resolves with its list once it has rows. */
async function choose(label: string): Promise<HTMLElement> {
  const option = [...show().options].find((o) => o.text.startsWith(label));
  if (!option) throw new Error(`no option ${label}`);
  await userEvent.selectOptions(show(), option);
  const list = await screen.findByRole('region', { name: `${label}, scrollable` });
  await waitFor(() => expect(list.querySelector('.failing-row .cell')).not.toBeNull());
  return list;
}

const listedRows = (list: HTMLElement) =>
  [...list.querySelectorAll('.failing-row')].map((el) => Number(el.getAttribute('data-row')));

describe('Failing rows of the demo extracts and a third file', { timeout: 120_000 }, () => {
  let run: TestRun;
  beforeAll(async () => {
    run = await runReport(
      [
        {
          name: 'patients.csv',
          bytes: sample('legacy/patients.csv'),
          contract: JSON.parse(sample('contracts/patients.contract.json').toString('utf8')),
          // the demographics compared for a repeated key, found by name as the screen finds them
          keys: [
            { column: 'mrn', demographics: demographicsOf(patientsHeader, 'mrn') },
            { column: 'patient_id', referenced: true },
          ],
        },
        {
          name: 'encounters.csv',
          bytes: sample('legacy/encounters.csv'),
          keys: [{ column: 'encounter_id' }],
        },
        // CRLF throughout but one LF, read as text inside row 2: a warning on row 2
        { name: 'visits.csv', bytes: 'visit_id,room\r\nV1,A\r\nV2,B\nV3\r\nV4,D\r\n' },
      ],
      [{ input: 'encounters.csv', column: 'patient_id', target: 'patients.csv', targetColumn: 'patient_id' }],
    );
  }, 60_000);

  it('offers a choice per kind of row', () => {
    render(<ValidationReport report={run.report} failing={run.failing} request={run.request} />);
    expect([...show().options].map((o) => o.text)).toEqual(
      expect.arrayContaining([
        'Every failing row',
        'Rows with errors in patients.csv (238 rows)',
        'Repeated keys in patients.csv, column mrn (24 rows)',
        'One identifier, different details: patients.csv, column mrn (8 rows)',
        'References to missing records: encounters.csv, column patient_id, not found in patients.csv (37 rows)',
        'Rows with warnings in visits.csv (1 warning)',
      ]),
    );
    expect(ORPHAN_ROWS).toHaveLength(37);
    expect(REPEATED_ROWS).toHaveLength(24);
  });

  it('lists every orphan encounter (the report keeps 20 examples), read from the file as the list scrolls', async () => {
    render(<ValidationReport report={run.report} failing={run.failing} request={run.request} />);
    const label =
      'References to missing records: encounters.csv, column patient_id, not found in patients.csv';
    const list = await choose(label);
    expect(screen.getByRole('region', { name: /^Validation result: / }).textContent).toContain(
      `37 rows: ${label}`,
    );
    const first = listedRows(list);
    expect(first).toEqual(ORPHAN_ROWS.slice(0, first.length));
    // scrolled to its end (jsdom does no layout: the position is the list's own)
    Object.defineProperty(list, 'scrollTop', { configurable: true, value: 37 * 28 });
    fireEvent.scroll(list);
    const last = ORPHAN_ROWS.at(-1) as number;
    await waitFor(() => expect(list.querySelector(`.failing-row[data-row="${last}"] .cell`)).not.toBeNull());
    const cells = list.querySelectorAll(`.failing-row[data-row="${last}"] .cell`);
    expect(cells[1]?.textContent).toBe(encounters[last - 1]?.[1]);
  });

  it('lists the rows of the repeated keys, of the identifiers with different details, and of warnings', async () => {
    render(<ValidationReport report={run.report} failing={run.failing} request={run.request} />);
    const repeated = listedRows(await choose('Repeated keys in patients.csv, column mrn'));
    expect(repeated).toEqual(REPEATED_ROWS.slice(0, repeated.length));
    const conflicts = listedRows(await choose('One identifier, different details: patients.csv, column mrn'));
    expect(conflicts).toHaveLength(8);
    expect(conflicts.every((row) => REPEATED_ROWS.includes(row))).toBe(true);
    const warnings = await choose('Rows with warnings in visits.csv');
    expect(listedRows(warnings)).toEqual([2]);
    expect([...warnings.querySelectorAll('.cell')].map((c) => c.textContent)).toEqual(['V2', 'B\nV3']);
  });

  it('lists only one problem’s rows, goes from an example to its row, and back to every row', async () => {
    render(<ValidationReport report={run.report} failing={run.failing} request={run.request} />);
    const issue = document.querySelector('li.issue') as HTMLElement;
    await userEvent.click(issue.querySelector('summary') as HTMLElement);
    const count = Number(within(issue).getByTestId('issue-count').textContent?.replace(/\D/g, ''));
    const examples = within(issue).getByRole('table', { name: 'Examples' });
    const rowButtons = within(examples).getAllByRole('button', { name: /^Row / });
    const firstExample = Number(rowButtons[0]?.textContent?.replace(/\D/g, ''));
    await userEvent.click(
      within(issue).getByRole('button', { name: 'List only the rows with this problem' }),
    );
    const status = document.querySelector('.failing-filter') as HTMLElement;
    expect(status.textContent).toContain(`Showing only the ${count.toLocaleString('en-US')} rows with`);
    await waitFor(() =>
      expect(document.querySelector('.failing-list > li')?.getAttribute('data-row')).toBe(
        String(firstExample),
      ),
    );
    // from an example to its row: the list marks it
    const lastExample = rowButtons.at(-1) as HTMLElement;
    const row = Number(lastExample.textContent?.replace(/\D/g, ''));
    await userEvent.click(lastExample);
    await waitFor(() =>
      expect(document.querySelector(`.failing-row-target[data-row="${row}"] .cell`)).not.toBeNull(),
    );
    await userEvent.click(within(status).getByRole('button', { name: 'Show every failing row' }));
    expect(await screen.findByRole('heading', { name: 'Every failing row' })).toBeTruthy();
  });
});

describe('Failing rows under a waiver limited to rows', { timeout: 120_000 }, () => {
  it('says of each row whether it is accepted or still fails, and shows either side alone', async () => {
    await renderWalkInsReport();
    const marksOf = async (list: HTMLElement) => {
      await waitFor(() =>
        expect(list.querySelector('.failing-row [data-testid="row-waiver"]')).not.toBeNull(),
      );
      return [...list.querySelectorAll<HTMLElement>('.failing-row')].map((r) => [
        r.dataset.row,
        r.querySelector('[data-testid="row-waiver"]')?.textContent ?? '',
      ]);
    };
    const every = await marksOf(
      screen.getByRole('region', { name: 'Failing rows of walk-ins.csv, scrollable' }),
    );
    expect(every.slice(0, 3)).toEqual([
      ['1', 'Accepted (Dana Whitfield)'],
      ['2', 'Accepted (Dana Whitfield)'],
      ['3', 'Accepted (Dana Whitfield)'],
    ]);
    const still = await marksOf(await choose('Rows still failing in walk-ins.csv'));
    expect(still).toEqual(['26', '27', '28', '29', '30'].map((row) => [row, 'Still failing']));
    const accepted = await marksOf(await choose('Rows accepted by a waiver in walk-ins.csv'));
    expect(accepted[0]).toEqual(['1', 'Accepted (Dana Whitfield)']);
    expect(new Set(accepted.map(([, mark]) => mark))).toEqual(new Set(['Accepted (Dana Whitfield)']));
  });
});
