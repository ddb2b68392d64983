/**
 * A `.zip` of extracts chosen on the Check extracts screen: each CSV in it is listed as
 * `archive.zip/<entry>` with its own layout, the entries not read are said where the person looks
 * (a note on choosing, a "Not read" list in the report) and carried on the kept report's first
 * input (`inputs[].notRead`); a workbook is refused with what to do, never listed as a CSV. Run
 * on frictionless-py's own zip and workbook; the validator worker's API runs in process.
 */

import { File } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { createProject } from '../../core/project/changes.ts';
import { loadReport } from '../../formats/report.ts';
import { fileChooser, renderCheckExtracts } from './testing/renderCheckExtracts.tsx';

const NOW = '2026-11-29T09:00:00.000Z';
const project = createProject({ id: 'archive', name: 'Maple Street', now: NOW });
const fixture = (name: string) =>
  new File([readFileSync(externalFixture('frictionless-py', 'data', name))], name);

describe('choosing a zip of extracts', () => {
  it('lists each CSV in it by its entry, says what was not read, and keeps that on the report', async () => {
    // a workbook is not in the chooser's list of types, but can be dropped or chosen as "All files"
    const user = userEvent.setup({ applyAccept: false });
    const { reports } = renderCheckExtracts(project);
    await user.upload(fileChooser('listed'), [
      fixture('package.zip'),
      fixture('table.xlsx'),
    ] as unknown as globalThis.File[]);
    const data = await screen.findByRole('group', { name: /^package\.zip\/data\.csv/ }, { timeout: 20_000 });
    await screen.findByRole('group', { name: /^package\.zip\/data2\.csv/ }, { timeout: 20_000 });
    // the entry's own layout, not the archive's bytes read as windows-1252 text
    expect(within(data).queryByText(/windows-1252/)).toBeNull();
    expect(screen.queryByRole('group', { name: /^package\.zip( |$)/ })).toBeNull();
    expect(screen.queryByRole('group', { name: /table\.xlsx/ })).toBeNull();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain(
      '"table.xlsx" is a spreadsheet workbook, not a CSV extract, so it was not read. Save each sheet as CSV UTF-8 from Excel: File › Save As…',
    );
    expect(alert.textContent).not.toContain('must be exported as CSV first');
    screen.getByText('package.zip was unzipped: 2 files read, 1 entry not read:');
    screen.getByText(
      /Not used: entry datapackage\.json \(seen once, first at package\.zip\/datapackage\.json\)/,
    );

    await user.click(screen.getByRole('button', { name: 'Validate the 2 files' }));
    await waitFor(() => expect(reports).toHaveLength(1), { timeout: 20_000 });
    const [report] = reports;
    expect(report?.inputs.map((i) => [i.name, i.encoding, i.lineEnding])).toEqual([
      ['package.zip/data.csv', 'utf-8', 'LF'],
      ['package.zip/data2.csv', 'utf-8', 'LF'],
    ]);
    const entries = report?.inputs[0]?.notRead?.filter((l) => l.kind === 'entry');
    expect(entries?.map((l) => [l.kind, l.name, l.handling])).toEqual([
      ['entry', 'datapackage.json', 'not-used'],
    ]);
    expect(loadReport(report).ok).toBe(true);
    const notRead = await screen.findByTestId('not-read');
    expect(notRead.textContent).toMatch(/^package\.zip\/data\.csv: Not read: entry datapackage\.json/);
  });
});
