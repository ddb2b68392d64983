/**
 * The empty Workflows, Migration and Sign-off screens of a shared project are the team's, not a
 * place to try the demo: signed in, each says what the team has not shared yet of its own kinds
 * and who on the team can share it (read from the role table the server refuses by), and offers
 * no "Open the demo clinic"; signed out, it asks the member to sign in. This browser's own empty
 * project still offers the demo on each. Each screen asks the team server once for what it shows:
 * Workflows the list of shared workflows (none opened), which "Shared with your team" lists too;
 * Migration the team's runs, which its rehearsals show too.
 */
import 'fake-indexeddb/auto';
import { screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import type { Project } from '../../formats/project.ts';
import { MigrationWorkspace } from '../migration/MigrationWorkspace.tsx';
import { SignoffWorkspace } from '../signoff/SignoffWorkspace.tsx';
import { WorkflowsWorkspace } from '../workflows/WorkflowsWorkspace.tsx';
import type { FakeAnswer, FakeTeamServer } from './testing/fakeTeamServer.ts';
import { renderOnTeam, type Sharing, TEAM_PROJECT } from './testing/sharedProject.tsx';
import type { TeamServerState } from './useTeamServer.ts';

const TEAM = TEAM_PROJECT.id;
const NOW = '2026-11-26T09:00:00Z';

/** Each screen as the app shows it, with what it says on an empty shared project. */
const SCREENS: {
  name: string;
  show: (project: Project, team: TeamServerState, onOpenDemo: () => void) => ReactNode;
  intro: string;
  missing: string[];
}[] = [
  {
    name: 'Workflows',
    show: (project, _team, onOpenDemo) => (
      <WorkflowsWorkspace project={project} place={{ page: 'list' }} onOpenDemo={onOpenDemo} />
    ),
    intro: 'The team has not shared a workflow in “Ward 4 go-live” yet.',
    missing: [
      'No workflow is shared yet. The lead or an analyst shares the current and planned workflows from the Workflows screen.',
    ],
  },
  {
    name: 'Migration',
    show: (project, _team, onOpenDemo) => <MigrationWorkspace project={project} onOpenDemo={onOpenDemo} />,
    intro: 'The team has not shared a legacy extract in “Ward 4 go-live” yet.',
    missing: [
      'No legacy extract is shared yet. The lead or the data team shares each extract’s check set by adding it on the Migration screen.',
      'No validation run is shared yet. The lead, an analyst or the data team shares a run’s summary (its counts and hashes, never the records) by checking the extracts on the Migration screen.',
    ],
  },
  {
    name: 'Sign-off',
    // the Sign-off screen is given the team server's state by the app, as here
    show: (project, team, onOpenDemo) => (
      <SignoffWorkspace project={project} team={team} onOpenDemo={onOpenDemo} />
    ),
    intro: 'The team has not shared a sample plan in “Ward 4 go-live” yet.',
    missing: [
      'No sign-off sample plan is shared yet. The lead draws and shares the clinicians’ sample on the Sign-off screen.',
    ],
  },
];

/**
 * An empty project on `screen`, shared with team project "Ward 4 go-live" (nothing shared yet,
 * Ana an analyst) unless `local`, Ana signed in or out; `routes`: the server's answers in place of
 * those of the empty team project.
 */
async function open(on: (typeof SCREENS)[number], sharing: Sharing, routes: Record<string, FakeAnswer> = {}) {
  const project = createProject({ name: 'Ward 4', now: NOW });
  let demoOpened = 0;
  const server = await renderOnTeam(
    project,
    (team) =>
      on.show(project, team, () => {
        demoOpened += 1;
      }),
    { sharing, routes },
  );
  return { demoOpened: () => demoOpened, server };
}

describe.each(SCREENS)('the $name screen of an empty project', (on) => {
  it('shared: says what the team has not shared and who can, and never offers the demo clinic', async () => {
    await open(on, 'signed-in');
    const missing = await screen.findByRole('list', { name: 'Not shared yet' });
    expect(
      within(missing)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(on.missing);
    expect(screen.getByTestId('not-shared-yet').textContent).toContain(on.intro);
    expect(screen.queryByRole('button', { name: 'Open the demo clinic' })).toBeNull();
  });

  it('shared, signed out: asks the member to sign in, and never offers the demo clinic', async () => {
    await open(on, 'signed-out');
    expect((await screen.findByTestId('shared-signed-out')).textContent).toContain(
      'sign in to see what the team has shared',
    );
    expect(screen.queryByRole('button', { name: 'Open the demo clinic' })).toBeNull();
    expect(screen.queryByRole('list', { name: 'Not shared yet' })).toBeNull();
  });

  it('local: offers the demo clinic, as a brand-new project should', async () => {
    const { demoOpened } = await open(on, 'local');
    (await screen.findByRole('button', { name: 'Open the demo clinic' })).click();
    expect(demoOpened()).toBe(1);
    expect(screen.queryByRole('list', { name: 'Not shared yet' })).toBeNull();
  });
});

describe('an empty shared screen asks the team server once', () => {
  const [workflows, migration] = SCREENS as [(typeof SCREENS)[number], (typeof SCREENS)[number]];
  const asked = (server: FakeTeamServer, path: string) => server.calls.filter((c) => c.path === path).length;
  const opened = (server: FakeTeamServer) =>
    server.calls.filter((c) => c.path.startsWith(`/api/projects/${TEAM}/workflows/`)).length;

  it('Workflows: one list for "not shared yet" and "Shared with your team", no workflow opened', async () => {
    const { server } = await open(workflows, 'signed-in');
    await screen.findByRole('list', { name: 'Not shared yet' });
    const listed = await screen.findByRole('region', { name: 'Shared with your team' });
    await within(listed).findByText('No workflow is shared in this project yet.');
    expect(asked(server, `/api/projects/${TEAM}/workflows`)).toBe(1);
    expect(asked(server, `/api/projects/${TEAM}/records?after=0`)).toBe(0);
    expect(opened(server)).toBe(0);
  });

  it('Workflows: a workflow the team shared is listed, and nothing is said missing, from that one list', async () => {
    const { server } = await open(workflows, 'signed-in', {
      [`GET /api/projects/${TEAM}/workflows`]: [
        200,
        { workflows: [{ id: 'intake', name: 'Intake', state: 'current', process: null, head: 3 }] },
      ],
    });
    await screen.findByRole('link', { name: 'Intake' });
    expect(screen.queryByTestId('not-shared-yet')).toBeNull();
    expect(asked(server, `/api/projects/${TEAM}/workflows`)).toBe(1);
    expect(opened(server)).toBe(0);
  });

  it('Migration: one read of the records for "not shared yet" and the rehearsals, no workflow asked', async () => {
    const { server } = await open(migration, 'signed-in');
    await screen.findByRole('list', { name: 'Not shared yet' });
    expect(asked(server, `/api/projects/${TEAM}/records?after=0`)).toBe(1);
    expect(asked(server, `/api/projects/${TEAM}/workflows`)).toBe(0);
  });
});
