/**
 * Column profiles on the validation result: each column's card, with its most frequent values. A
 * column with more different values than the profile keeps (1,000) has its top values counted only
 * up to the row where it passed them: each count then reads "at least", and a sentence says why,
 * so a partial count is never read as the column's; a column with few values keeps plain counts.
 * Values are hidden in a redacted report. Profiles are the real engine's (testing/runReport.ts).
 */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import { ColumnProfiles } from './ProfileCharts.tsx';
import { runReport } from './testing/runReport.ts';

const ROWS = 3000;

/** "clinic": "Main" in every other row, a different clinic in the others; "sex": F or M in pairs. */
function visits(): string {
  const lines = ['visit_id,clinic,sex'];
  for (let i = 1; i <= ROWS; i++)
    lines.push(`V${i},${i % 2 === 0 ? 'Main' : `Clinic ${i}`},${i % 4 < 2 ? 'F' : 'M'}`);
  return `${lines.join('\r\n')}\r\n`;
}

let report: Report;
beforeAll(async () => {
  ({ report } = await runReport([{ name: 'visits.csv', bytes: visits() }]));
});

/** The card of `column`, once the file's columns are opened. */
const card = (column: string) =>
  screen.getByRole('heading', { name: column, level: 5 }).closest('li.profile') as HTMLElement;
const topValues = (column: string) =>
  [...card(column).querySelectorAll('.top-values li')].map((li) =>
    (li.textContent ?? '').replace(/\s+/g, ' ').trim(),
  );

describe('Column profiles', () => {
  it('marks partial counts "at least" and says why; full counts stay plain', async () => {
    render(<ColumnProfiles profiles={report.profiles} redacted={false} />);
    await userEvent.click(screen.getByText('Columns of visits.csv (3)'));
    // "Main" holds 1,500 cells, but the profile keeps 1,000 values ("Main" and 999 clinics): only
    // the cells before the next clinic (row 1,999) are counted
    expect(topValues('clinic').find((t) => t.startsWith('Main'))).toBe('Main at least 999 (33 %)');
    expect(
      within(card('clinic')).getByText(
        'Counted only up to the row where the column passed 1,000 different values: each count is a minimum, and a value that first appears after that row is not listed.',
      ),
    ).toBeTruthy();
    expect(topValues('sex')).toEqual([
      expect.stringMatching(/^F\s*1,500 \(50 %\)$/),
      expect.stringMatching(/^M\s*1,500 \(50 %\)$/),
    ]);
    expect(card('sex').textContent).not.toContain('at least');
  });

  it('shows no value of a redacted report', async () => {
    render(<ColumnProfiles profiles={report.profiles} redacted />);
    await userEvent.click(screen.getByText('Columns of visits.csv (3)'));
    expect(topValues('sex')).toEqual([]);
    expect(card('clinic').textContent).not.toContain('Main');
  });
});
