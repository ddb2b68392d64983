/**
 * A listed file whose header does not match its column contract, on the Check extracts screen: the
 * differences are told once, in the file's card, before any row is checked. Validate waits for the
 * decision (nothing is checked, focus goes to the message); "Pick another contract" leads to the
 * contract choice; "Check the rows anyway" lets Validate check the rows, and the report keeps the
 * header's differences as issues of their own, as the command line's does. Rendered with a project
 * holding the contract and the app's job registry; the validator worker's API runs in process.
 */
import { File } from 'node:buffer';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { applyChange, createProject } from '../../core/project/changes.ts';
import type { Report } from '../../formats/report.ts';
import { fileChooser, renderCheckExtracts } from './testing/renderCheckExtracts.tsx';

const NOW = '2026-11-25T09:00:00.000Z';

/** A project with a patients contract (an identifier required, the sex optional) and no check set. */
const project = applyChange(
  createProject({ id: 'header-check', name: 'Maple Street', now: NOW }),
  {
    type: 'schema/put',
    schema: {
      id: 'contract:patients',
      name: 'Patients',
      schema: {
        $id: 'urn:test:patients',
        type: 'object',
        properties: { patient_id: { type: 'string' }, birth_date: {}, sex: {} },
        required: ['patient_id'],
      },
    },
  },
  NOW,
);

describe('a listed file whose header does not match its contract', () => {
  it('is told once, waits for a decision, leads to another contract, or is checked anyway', async () => {
    const user = userEvent.setup();
    const { reports } = renderCheckExtracts(project);
    const chooser = fileChooser('listed');
    // the identifier's column renamed, a column without a name, the optional sex missing
    const file = new File(['Patient ID,birth_date,\nP1,2000-01-01,x\nP2,2001-02-03,y\n'], 'renamed.csv');
    await user.upload(chooser, file as unknown as globalThis.File);
    const card = await screen.findByRole('group', { name: /^renamed\.csv/ }, { timeout: 20_000 });
    const contract = within(card).getByLabelText('Column contract');
    await user.selectOptions(contract, 'Patients');

    const message = await within(card).findByRole('region', {
      name: 'The columns of renamed.csv do not match “Patients” (2 problems)',
    });
    expect(
      within(message)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'column 1 "Patient ID" looks like "patient_id" renamed (incorrect-label)',
      'column 3 has no name (blank-label)',
      '"sex" is missing (optional) (missing-label)',
    ]);
    expect(document.querySelectorAll('.header-check')).toHaveLength(1);

    // Validate waits for the decision: nothing is checked, and focus goes to the message
    const validate = screen.getByRole('button', { name: 'Validate the file' });
    await user.click(validate);
    expect(screen.getByRole('alert').textContent).toBe(
      'Nothing was checked yet. Decide first for renamed.csv: check the rows anyway, or pick another contract.',
    );
    expect(document.activeElement).toBe(message);
    expect(reports).toEqual([]);
    expect(screen.queryByRole('region', { name: 'Validation result' })).toBeNull();

    // "Pick another contract" leads to the contract choice
    await user.click(within(message).getByRole('button', { name: 'Pick another contract' }));
    expect(document.activeElement).toBe(contract);

    // continuing anyway checks the rows against the contract
    await user.click(within(message).getByRole('button', { name: 'Check the rows anyway' }));
    within(message).getByRole('button', { name: 'Do not check anyway' });
    await user.click(validate);
    await waitFor(() => expect(reports).toHaveLength(1), { timeout: 20_000 });
    expect(screen.queryByText(/^Nothing was checked yet/)).toBeNull();
    const [report] = reports as [Report];
    // the rows were checked against the contract: the identifier is empty in both
    expect(report.summary.records).toBe(2);
    expect(report.issues.find((i) => i.rule === 'contract.required')).toMatchObject({
      location: 'patient_id',
      records: 2,
    });
    // the report keeps the header's differences as issues of their own
    expect(
      report.issues
        .filter((i) => i.rule === 'incorrect-label' || i.rule === 'missing-label')
        .map((i) => [i.rule, i.location, i.message]),
    ).toEqual([
      ['incorrect-label', 'patient_id', 'column 1 "Patient ID" looks like "patient_id" renamed'],
      ['missing-label', 'sex', '"sex" is missing (optional)'],
    ]);
  });
});
