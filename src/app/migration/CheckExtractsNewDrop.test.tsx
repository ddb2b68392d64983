/**
 * "Choose a new drop to check…" on the Check extracts screen: it opens the file chooser for a new
 * drop, and its words say so — never "Check", which read as checking the files already listed.
 * With files listed, its description says Validate checks those. Rendered with a project holding
 * a saved check set (the button shows only then) and the app's job registry.
 */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { applyChange, createProject } from '../../core/project/changes.ts';
import { createJobRegistry } from '../jobs/jobRegistry.ts';
import { JobsContext } from '../jobs/jobsContext.ts';
import { CheckExtracts, NEW_DROP_BUTTON, newDropHint } from './CheckExtracts.tsx';

const NOW = '2026-11-25T09:00:00.000Z';

const project = applyChange(
  createProject({ id: 'new-drop', name: 'Maple Street', now: NOW }),
  {
    type: 'dataset/put',
    dataset: {
      id: 'patients',
      name: 'patients.csv',
      kind: 'csv',
      bytes: 100,
      columns: ['patient_id', 'birth_date'],
      origin: { type: 'file' },
    },
  },
  NOW,
);

describe('the new-drop button', () => {
  it('says it opens the file chooser for a new drop, not that it checks the files listed', () => {
    render(
      <JobsContext.Provider value={createJobRegistry()}>
        <CheckExtracts project={project} />
      </JobsContext.Provider>,
    );
    const button = screen.getByRole('button', { name: NEW_DROP_BUTTON });
    expect(button.textContent).toBe('Choose a new drop to check…');
    expect(screen.queryByRole('button', { name: /^Check the new extract/ })).toBeNull();
    expect(button.getAttribute('aria-describedby')).toBeTruthy();
    const hint = document.getElementById(button.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe(newDropHint(0));
    expect(hint?.textContent).toMatch(/^Opens the file chooser for the files of a new drop/);
  });

  it('with files listed, says Validate checks them', () => {
    expect(newDropHint(1)).toMatch(/; to check the file already listed, press Validate\.$/);
    expect(newDropHint(3)).toMatch(
      /They take the place of the 3 files listed below; to check the 3 files already listed, press Validate\.$/,
    );
  });
});
