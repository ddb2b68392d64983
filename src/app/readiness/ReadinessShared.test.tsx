/**
 * An empty shared project's Readiness is the team's, not a place to try the demo: once the team's
 * shared workflows and validation summaries are read, it says what the team has not shared yet
 * and who on the team can share it (read from the role table the server refuses by), and offers
 * no "Open the demo clinic". This browser's own empty project still offers the demo.
 */
import 'fake-indexeddb/auto';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import { renderOnTeam } from '../team/testing/sharedProject.tsx';
import { ReadinessWorkspace } from './ReadinessWorkspace.tsx';

const NOW = '2026-11-26T09:00:00Z';

/** An empty project, shared with team project "Ward 4 go-live" when `shared` (nothing shared yet), signed in as Ana. */
async function open(shared: boolean) {
  const project = createProject({ name: 'Ward 4', now: NOW });
  let demoOpened = 0;
  await renderOnTeam(
    project,
    () => (
      <ReadinessWorkspace
        project={project}
        tab="decision"
        onTab={() => {}}
        onOpenDemo={() => {
          demoOpened += 1;
        }}
      />
    ),
    { sharing: shared ? 'signed-in' : 'local' },
  );
  return { demoOpened: () => demoOpened };
}

describe('Readiness of an empty project', () => {
  it('shared: says what the team has not shared and who can, and never offers the demo clinic', async () => {
    await open(true);
    const missing = await screen.findByRole('list', { name: 'Not shared yet' });
    expect(
      within(missing)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'No workflow is shared yet. The lead or an analyst shares the current and planned workflows from the Workflows screen.',
      'No legacy extract is shared yet. The lead or the data team shares each extract’s check set by adding it on the Migration screen.',
      'No validation run is shared yet. The lead, an analyst or the data team shares a run’s summary (its counts and hashes, never the records) by checking the extracts on the Migration screen.',
      'No sign-off sample plan is shared yet. The lead draws and shares the clinicians’ sample on the Sign-off screen.',
    ]);
    expect(screen.getByTestId('not-shared-yet').textContent).toContain('“Ward 4 go-live”');
    expect(screen.queryByRole('button', { name: 'Open the demo clinic' })).toBeNull();
  });

  it('local: offers the demo clinic, as a brand-new project should', async () => {
    const { demoOpened } = await open(false);
    (await screen.findByRole('button', { name: 'Open the demo clinic' })).click();
    expect(demoOpened()).toBe(1);
    expect(screen.queryByRole('list', { name: 'Not shared yet' })).toBeNull();
  });
});
