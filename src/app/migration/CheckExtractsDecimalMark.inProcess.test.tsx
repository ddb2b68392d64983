/**
 * The decimal mark among a file's settings on the Check extracts screen: a semicolon drop with
 * decimal commas, bound to its saved check set, is read as the check set says (a comma chosen
 * there), the report says the choice, and a mark chosen on the card is kept with the check set.
 * Rendered with the app's job registry; the validator worker's API runs in process.
 */
import { File } from 'node:buffer';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { applyChange, createProject } from '../../core/project/changes.ts';
import { fileChooser, renderCheckExtracts } from './testing/renderCheckExtracts.tsx';

const NOW = '2026-11-29T09:00:00.000Z';

/** A saved check set of vitals whose numbers are written with a decimal comma, and its contract. */
const project = applyChange(
  applyChange(
    createProject({ id: 'decimal-mark', name: 'Maple Street', now: NOW }),
    {
      type: 'schema/put',
      schema: {
        id: 'vitals-contract',
        name: 'vitals.contract.json',
        schema: {
          type: 'object',
          properties: { patient_id: { type: 'string' }, temp_c: { type: 'number' } },
        },
      },
    },
    NOW,
  ),
  {
    type: 'dataset/put',
    dataset: {
      id: 'vitals',
      name: 'vitals.csv',
      kind: 'csv',
      bytes: 100,
      columns: ['patient_id', 'temp_c'],
      delimiter: ';',
      origin: { type: 'file' },
      contract: 'vitals-contract',
      decimalMark: ',',
    },
  },
  NOW,
);

describe('the decimal mark of a file', () => {
  it('is read from the check set, said in the report, chosen on the card, and kept with the check set', async () => {
    const user = userEvent.setup();
    const { changes, reports } = renderCheckExtracts(project);
    // one row with a point: with the comma chosen, it is an error, not a guess
    const text = 'patient_id;temp_c\r\nP1;36,4\r\nP2;37.1\r\nP3;38,0\r\n';
    await user.upload(fileChooser('listed'), [
      new File([text], 'vitals-2.csv'),
    ] as unknown as globalThis.File[]);
    const card = await screen.findByRole('group', { name: /^vitals-2\.csv/ }, { timeout: 20_000 });
    const mark = within(card).getByRole('combobox', { name: 'Decimal mark' }) as HTMLSelectElement;
    expect(mark.value).toBe(',');
    await user.click(screen.getByRole('button', { name: 'Validate the file' }));
    await waitFor(() => expect(reports).toHaveLength(1), { timeout: 20_000 });
    const report = reports[0];
    expect(report?.summary.invalid).toBe(1);
    expect(report?.inputs[0]?.notRead?.[0]).toMatchObject({
      kind: 'type',
      name: 'decimal comma',
      handling: 'interpreted',
    });
    expect(report?.inputs[0]?.notRead?.[0]?.effect).toMatch(/as chosen for this file/);
    const kept = changes.flatMap((c) => (c.type === 'dataset/put' ? [c.dataset] : []));
    expect(kept.find((d) => d.id === 'vitals')?.decimalMark).toBe(',');

    // chosen on the card: a point reads no comma, and the choice is kept with the check set
    await user.selectOptions(mark, '.');
    await user.click(screen.getByRole('button', { name: 'Validate the file' }));
    await waitFor(() => expect(reports).toHaveLength(2), { timeout: 20_000 });
    expect(reports[1]?.summary.invalid).toBe(2);
    expect(reports[1]?.inputs[0]?.notRead).toBeUndefined();
    const again = changes.flatMap((c) => (c.type === 'dataset/put' ? [c.dataset] : []));
    expect(again.at(-1)).toMatchObject({ id: 'vitals', decimalMark: '.' });
  });
});
