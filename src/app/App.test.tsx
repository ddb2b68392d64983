/**
 * The workspaces of an open project as the app shows them, against this browser's real link store
 * (fake-indexeddb) and a stand-in team server at the client's fetch: every workspace knows whether
 * the project is shared with the team server and who is signed in to it, so a steering member of
 * a shared project signs the go/no-go on the server as herself, never with a typed name.
 */
import 'fake-indexeddb/auto';
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../core/project/changes.ts';
import { emptySyncState } from '../core/teamRecords/index.ts';
import { OpenWorkspace } from './App.tsx';
import type { ProjectSession } from './projects/projectSession.ts';
import { TeamClient } from './team/teamClient.ts';
import { teamSyncStore } from './team/useSharedRecords.ts';
import type { TeamServerState } from './team/useTeamServer.ts';

const NOW = '2026-11-25T10:00:00.000Z';
let runs = 0;

/** A project of this browser linked to team project `team-1`, under a fresh id. */
async function sharedProject() {
  runs += 1;
  const project = createProject({ id: `shared-${runs}`, name: 'Ward 4 go-live', now: NOW });
  await teamSyncStore().put({
    project: project.meta.id,
    teamProjectId: 'team-1',
    teamProjectName: 'Ward 4 go-live',
    state: emptySyncState(),
  });
  return project;
}

/** Sana Yusuf signed in, against a server that has no go/no-go signed yet. */
function signedInAsSana(): TeamServerState {
  const fetchImpl = async (input: string) =>
    input.endsWith('/steering-signatures')
      ? new Response(JSON.stringify({ decisions: [] }), { status: 200 })
      : new Response('{}', { status: 404 });
  return {
    phase: 'signed-in',
    user: { issuer: 'https://id.clinic.test', subject: 'sana', name: 'Sana Yusuf', email: null },
    client: new TeamClient('csrf', () => undefined, fetchImpl),
    ended: false,
  };
}

/** Only what the Readiness screen asks of the project's session. */
const session = {
  dispatch: () => undefined,
  commit: async () => undefined,
  auditLog: async () => [],
} as unknown as ProjectSession;

describe('the open workspace of a project shared with the team server', () => {
  afterEach(async () => {
    for (let i = 1; i <= runs; i += 1) await teamSyncStore().remove(`shared-${i}`);
  });

  it('offers a signed-in steering member the server’s ceremony on Readiness, never the typed-name form', async () => {
    const project = await sharedProject();
    render(
      <OpenWorkspace
        route={{ workspace: 'readiness', tab: 'steering' }}
        project={project}
        session={session}
        team={signedInAsSana()}
      />,
    );
    expect(await screen.findByTestId('steering-server')).toBeTruthy();
    expect(screen.getByText('Sana Yusuf', { selector: 'strong' })).toBeTruthy();
    expect(screen.queryByLabelText("Approver's full name")).toBeNull();
    expect(screen.queryByTestId('steering-status')).toBeNull();
  });
});
