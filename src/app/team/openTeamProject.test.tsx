/**
 * "Open on this computer" on a team project's page, against a stand-in server at the client's
 * fetch and this browser's real project storage and link store (fake-indexeddb): the team's
 * shared records come into a new project here, opened, linked to the team project with nothing
 * to send back; pressed again it opens that copy, never a second; a project no longer open to the
 * person makes nothing here and says why.
 */
import 'fake-indexeddb/auto';
import { render, screen, waitFor } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import { recordSha256 } from '../../core/teamRecords/index.ts';
import { PROJECT_WAIVERS_KEY, type Waiver } from '../../formats/waivers.ts';
import { openStorage } from '../../storage/storage.ts';
import { httpRecordTransport } from '../../storage/teamServer.ts';
import { createTeamSyncStore, type TeamSyncStore } from '../../storage/teamSyncStore.ts';
import { createProjectSession, type ProjectSession, type SessionState } from '../projects/projectSession.ts';
import { openTeamProjectHere } from './openTeamProject.ts';
import { TeamScreen } from './TeamScreen.tsx';
import { NOT_A_MEMBER, type TeamProject } from './teamClient.ts';
import { type FakeTeamServer, fakeTeamServer, sessionAnswer } from './testing/fakeTeamServer.ts';
import { useTeamServer } from './useTeamServer.ts';

const userEvent = userEventBase.setup({ delay: null });
const NOW = '2026-11-25T10:00:00.000Z';

const waiver: Waiver = {
  id: 'w1',
  rule: 'contract.required',
  column: 'dob',
  rationale: 'Walk-ins have no date of birth.',
  owner: 'Dora Data',
  expires: '2026-12-31',
};
const RECORDS = {
  head: 2,
  records: [
    {
      kind: 'waiver',
      id: 'w1',
      version: 2,
      body: waiver,
      sha256: recordSha256(waiver),
      by: 'Lena Lead',
      at: NOW,
    },
  ],
};
const PROJECT: TeamProject = {
  id: 'p1',
  name: 'Ward 4 go-live',
  role: 'analyst',
  expiresOn: null,
  can: ['read-project'],
  members: [],
};

let runs = 0;
let session: ProjectSession;
let store: TeamSyncStore;
let states: SessionState[];
let server: FakeTeamServer;
/** the local projects "Open on this computer" went to, in order */
let opened: string[];

beforeEach(async () => {
  runs += 1;
  states = [];
  opened = [];
  const factory = new IDBFactory();
  session = createProjectSession({
    openStorage: () => openStorage(`open-here-${runs}`, { factory }),
    createDemo: async (now) => createProject({ name: 'Demo clinic', now }),
    now: () => NOW,
    onState: (state) => states.push(state),
  });
  await waitFor(() => expect(session.getState().phase).toBe('ready'));
  store = createTeamSyncStore(`open-here-links-${runs}`);
  server = fakeTeamServer({
    'GET /api/session': sessionAnswer({ subject: 'ana', name: 'Ana Lyst' }),
    'GET /api/projects/p1': [200, PROJECT],
    'GET /api/projects/p1/records?after=0': [200, RECORDS],
  });
});
afterEach(() => {
  session.destroy();
  store.close();
});

function Screen() {
  const team = useTeamServer(server.fetchImpl);
  const state = team.state;
  const openHere =
    state.phase === 'signed-in'
      ? async (teamProject: { id: string; name: string }) => {
          const result = await openTeamProjectHere({
            teamProject,
            transport: httpRecordTransport(state.client.session, teamProject.id),
            store,
            session,
          });
          if (!result.ok) return result.reason;
          opened.push(result.projectId);
          return undefined;
        }
      : undefined;
  return <TeamScreen state={state} teamProject="p1" openHere={openHere} />;
}

describe('opening a team project on this computer', () => {
  it('brings the shared records into a new project here, opened and linked, and opens that copy again', async () => {
    const before = session.getState().projects.length;
    render(<Screen />);
    await userEvent.click(await screen.findByRole('button', { name: 'Open on this computer' }));
    await waitFor(() => expect(opened).toHaveLength(1));
    const id = opened[0] as string;

    const state = session.getState();
    expect(state.project?.meta.id).toBe(id);
    expect(state.project?.meta.name).toBe('Ward 4 go-live');
    expect(state.project?.meta.settings[PROJECT_WAIVERS_KEY]).toEqual([waiver]);
    expect(state.projects).toHaveLength(before + 1);
    expect(state.notice).toBe(
      '“Ward 4 go-live” is open in this browser with the team’s 1 shared record. What you change in it is sent to the team server.',
    );
    const link = await store.get(id);
    expect(link).toMatchObject({ teamProjectId: 'p1', teamProjectName: 'Ward 4 go-live' });
    // what came from the server is agreed with it: the first round here sends nothing back
    expect(link?.state).toEqual({
      head: 2,
      known: { 'waiver/w1': { version: 2, sha256: recordSha256(waiver) } },
      pending: [],
      conflicts: [],
      refused: [],
    });

    await userEvent.click(screen.getByRole('button', { name: 'Open on this computer' }));
    await waitFor(() => expect(opened).toHaveLength(2));
    expect(opened[1]).toBe(id);
    expect(session.getState().projects).toHaveLength(before + 1);
    expect(server.calls.filter((c) => c.path.startsWith('/api/projects/p1/records'))).toHaveLength(1);
  });

  it('makes a new copy when the one made before was deleted here', async () => {
    render(<Screen />);
    await userEvent.click(await screen.findByRole('button', { name: 'Open on this computer' }));
    await waitFor(() => expect(opened).toHaveLength(1));
    await session.remove(opened[0] as string);
    await userEvent.click(screen.getByRole('button', { name: 'Open on this computer' }));
    await waitFor(() => expect(opened).toHaveLength(2));
    expect(opened[1]).not.toBe(opened[0]);
    expect(await store.linkedTo('p1')).toEqual([expect.objectContaining({ project: opened[1] })]);
  });

  it('makes nothing here for a project no longer open to the person, and says why', async () => {
    const before = session.getState().projects.map((p) => p.id);
    server.routes['GET /api/projects/p1/records?after=0'] = [
      404,
      { error: 'no such project, or you are not a member of it', code: 'project-not-open' },
    ];
    render(<Screen />);
    await userEvent.click(await screen.findByRole('button', { name: 'Open on this computer' }));
    expect((await screen.findByRole('alert')).textContent).toBe(NOT_A_MEMBER);
    expect(opened).toEqual([]);
    expect(session.getState().projects.map((p) => p.id)).toEqual(before);
    expect(await store.linkedTo('p1')).toEqual([]);
  });
});
