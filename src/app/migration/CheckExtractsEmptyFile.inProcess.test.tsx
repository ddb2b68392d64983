/**
 * An empty file listed on the Check extracts screen beside a new drop of a saved extract: it is
 * never bound by its columns (it has none), the screen says why, and once validated it is not kept
 * as a check set of its own, while the other file is. Rendered with a project holding a saved
 * check set and the app's job registry; the validator worker's API runs in process.
 */
import { File } from 'node:buffer';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { applyChange, createProject } from '../../core/project/changes.ts';
import { fileChooser, renderCheckExtracts } from './testing/renderCheckExtracts.tsx';

const NOW = '2026-11-25T09:00:00.000Z';
const WHY =
  'Not matched to a saved check set: the file is empty, so it has no column names to match by. If it is a new drop of a saved extract, choose its check set below.';

/** A saved check set of visits, with no contract. */
const project = applyChange(
  createProject({ id: 'empty-file', name: 'Maple Street', now: NOW }),
  {
    type: 'dataset/put',
    dataset: {
      id: 'visits',
      name: 'visits.csv',
      kind: 'csv',
      bytes: 100,
      columns: ['visit_id', 'patient_id'],
      origin: { type: 'file' },
      key: 'visit_id',
    },
  },
  NOW,
);

describe('an empty file listed with a new drop', () => {
  it('is not bound by its columns, says why, and is not kept as a check set when validated', async () => {
    const user = userEvent.setup();
    const { changes, reports } = renderCheckExtracts(project);
    const chooser = fileChooser('listed');
    const files = [
      new File([], 'lab-results.csv'),
      new File(['visit_id,patient_id\nV1,P1\n'], 'visits-2.csv'),
    ];
    await user.upload(chooser, files as unknown as globalThis.File[]);
    const lab = await screen.findByRole('group', { name: /^lab-results\.csv/ }, { timeout: 20_000 });
    await screen.findByRole('group', { name: /^visits-2\.csv/ }, { timeout: 20_000 });
    await within(lab).findByText(WHY);
    expect(within(lab).queryByText(/Settings from the saved check set/)).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Validate the 2 files' }));
    await waitFor(() => expect(reports).toHaveLength(1), { timeout: 20_000 });
    // the drop of visits is kept under its saved check set; the empty file under none
    const kept = changes.flatMap((c) => (c.type === 'dataset/put' ? [c.dataset] : []));
    expect(kept.map((d) => d.id)).toEqual(['visits']);
    expect(kept.some((d) => d.name === 'lab-results.csv')).toBe(false);
  });
});
