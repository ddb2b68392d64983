import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CountWithExamples, ReconcileExample, ReconcileResult } from '../../fhir/reconcile.ts';
import { loadReconcileList } from '../../formats/reconcileList.ts';
import { captureDownloads } from '../common/testing/downloads.ts';
import { RECONCILE_PAGE_SIZE, ReconcileList } from './ReconcileList.tsx';

const tally = (...examples: ReconcileExample[]): CountWithExamples => ({ count: examples.length, examples });

/** Patients the file has that the server lacks: enough for three pages. */
const MISSING = Array.from({ length: 2 * RECONCILE_PAGE_SIZE + 7 }, (_, i) => ({
  identifier: `M${String(i + 1).padStart(4, '0')}`,
  row: i + 2,
}));

const RESULT: ReconcileResult = {
  identifierSystem: 'urn:mrn',
  extract: { records: 400, withoutIdentifier: 0, duplicates: tally() },
  server: { records: 300, withoutIdentifier: 2, duplicates: tally() },
  matched: 290,
  missingOnServer: tally(...MISSING),
  extraOnServer: tally({ identifier: 'X1', id: 's1' }),
  mismatches: {
    name: tally(),
    birthDate: tally({
      identifier: 'B7',
      row: 9,
      id: 'p7',
      values: { file: '1980-01-02', server: '1980-01-03' },
    }),
    gender: tally({ identifier: 'G3', row: 4, id: 'p3', values: { file: 'female', server: 'male' } }),
  },
};
const ABOUT = {
  server: 'http://127.0.0.1:4891',
  file: 'patients.csv',
  generatedAt: '2026-11-25T09:00:00.000Z',
};

afterEach(() => {
  vi.restoreAllMocks();
});

const identifiers = () =>
  within(screen.getByRole('table', { name: /^Patients to look at/ }))
    .getAllByRole('rowheader')
    .map((cell) => cell.textContent);

/** Clicks through tables of 50 rows: slow on a loaded machine, never a wait on time. */
const CLICKS_MS = 60_000;

describe('ReconcileList', () => {
  it('counts each problem in a table headed by what was compared', () => {
    render(<ReconcileList result={RESULT} about={ABOUT} />);
    const counts = screen.getByRole('table', { name: /^Reconcile: 290 patients matched by identifier/ });
    const count = (name: string) =>
      within(counts).getByRole('rowheader', { name }).closest('tr')?.querySelector('td')?.textContent;
    expect(count('Missing on the server')).toBe(String(MISSING.length));
    expect(count('On the server but not in the file')).toBe('1');
    expect(count('Birth date differs')).toBe('1');
    expect(count('Patients on the server without that identifier (not compared)')).toBe('2');
  });

  it(
    'pages through the patients 50 at a time, each page new',
    async () => {
      render(<ReconcileList result={RESULT} about={ABOUT} />);
      const total = MISSING.length + 3;
      expect(screen.getByText(`Patients to look at: 1–50 of ${total}`)).toBeTruthy();
      const pages = screen.getByRole('navigation', { name: 'Pages of patients to look at' });
      expect(within(pages).getByText('Page 1 of 3')).toBeTruthy();
      expect(within(pages).getByRole('button', { name: 'Previous page' })).toHaveProperty('disabled', true);
      const first = identifiers();
      await userEvent.click(within(pages).getByRole('button', { name: 'Next page' }));
      expect(screen.getByText(`Patients to look at: 51–100 of ${total}`)).toBeTruthy();
      const second = identifiers();
      expect(second).toHaveLength(RECONCILE_PAGE_SIZE);
      expect(second.filter((id) => first.includes(id))).toEqual([]);
      await userEvent.click(within(pages).getByRole('button', { name: 'Next page' }));
      expect(within(pages).getByRole('button', { name: 'Next page' })).toHaveProperty('disabled', true);
    },
    CLICKS_MS,
  );

  it(
    'narrows the list by problem and by identifier, back to the first page',
    async () => {
      render(<ReconcileList result={RESULT} about={ABOUT} />);
      await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
      await userEvent.selectOptions(screen.getByLabelText('Show'), 'Birth date differs (1)');
      expect(identifiers()).toEqual(['B7']);
      const row = screen.getByRole('rowheader', { name: 'B7' }).closest('tr') as HTMLElement;
      expect(
        within(row)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ).toEqual(['Birth date differs', '9', 'Patient/p7', '1980-01-02', '1980-01-03']);
      await userEvent.selectOptions(screen.getByLabelText('Show'), `Every problem (${MISSING.length + 3})`);
      await userEvent.type(screen.getByLabelText('Identifier contains'), 'G3');
      expect(identifiers()).toEqual(['G3']);
      expect(screen.queryByRole('navigation', { name: 'Pages of patients to look at' })).toBeNull();
    },
    CLICKS_MS,
  );

  it(
    'exports every patient, whatever is shown, with or without the differing values',
    async () => {
      const saved = captureDownloads();
      render(<ReconcileList result={RESULT} about={ABOUT} />);
      await userEvent.type(screen.getByLabelText('Identifier contains'), 'G3');
      await userEvent.click(screen.getByRole('button', { name: 'Export the list (CSV)' }));
      const csv = await saved.get('reconcile-2026-11-25T09-00-00.csv')?.text();
      expect(csv?.trimEnd().split('\r\n')).toHaveLength(1 + MISSING.length + 3);
      expect(csv).toContain('1980-01-02');

      await userEvent.click(screen.getByRole('checkbox', { name: 'Hide the differing values in exports' }));
      await userEvent.click(screen.getByRole('button', { name: 'Export the list (CSV)' }));
      const hidden = (await saved.get('reconcile-2026-11-25T09-00-00.csv')?.text()) ?? '';
      expect(hidden).not.toContain('1980-01-02');
      expect(hidden).not.toContain('female');
      await userEvent.click(screen.getByRole('button', { name: 'Export the list (JSON)' }));
      const loaded = loadReconcileList(
        JSON.parse((await saved.get('reconcile-2026-11-25T09-00-00.json')?.text()) ?? ''),
      );
      if (!loaded.ok) expect.fail(JSON.stringify(loaded.problems));
      expect(loaded.value.server).toBe(ABOUT.server);
      expect(loaded.value.valuesHidden).toBe(true);
      expect(loaded.value.lines).toHaveLength(MISSING.length + 3);
    },
    CLICKS_MS,
  );

  it('says so when every patient matches, with nothing to page or export', () => {
    const same = {
      ...RESULT,
      missingOnServer: tally(),
      extraOnServer: tally(),
      mismatches: { name: tally(), birthDate: tally(), gender: tally() },
    };
    render(<ReconcileList result={same} about={ABOUT} />);
    expect(
      screen.getByText('Every patient in the file is on the server with the same name, birth date and sex.'),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Export the list/ })).toBeNull();
  });
});
