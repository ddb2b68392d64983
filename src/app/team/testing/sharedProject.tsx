/**
 * A project shared with a stand-in team server, for the component tests of the screens that read
 * one: the project's link in this browser's one store (taken out when the test ends), the server's
 * answers for a team project with nothing shared yet, and the app's team server state signed in as
 * a member or signed out. One set-up for every such screen, so what "an empty shared project" is
 * cannot drift between their tests.
 * Test-only: imported by *.test.tsx files.
 */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { onTestFinished } from 'vitest';
import { emptySyncState } from '../../../core/teamRecords/index.ts';
import { actionsOf, type Role } from '../../../core/teamRoles/index.ts';
import type { Project } from '../../../formats/project.ts';
import { TeamClient, type TeamUser } from '../teamClient.ts';
import { TeamServerContext } from '../teamContext.ts';
import { teamSyncStore } from '../useSharedRecords.ts';
import type { TeamServerState } from '../useTeamServer.ts';
import { type FakeAnswer, type FakeTeamServer, fakeTeamServer, teamMember } from './fakeTeamServer.ts';

/** The team project the tests share with. */
export const TEAM_PROJECT = { id: 'team-1', name: 'Ward 4 go-live' } as const;

/** The member signed in unless a test says otherwise. */
const ANA: TeamUser = {
  issuer: 'https://idp.example',
  subject: 'sub-ana',
  name: 'Ana Lyst',
  email: null,
};

/** When the team project was made. */
const CREATED_AT = '2026-11-20T09:00:00.000Z';

/**
 * Links `projectId` in this browser's one store to team project `team` (default
 * {@link TEAM_PROJECT}), as sharing it or joining it does; the link is taken out when the test ends.
 */
export async function linkToTeamProject(
  projectId: string,
  team: { id: string; name: string } = TEAM_PROJECT,
): Promise<void> {
  await teamSyncStore().put({
    project: projectId,
    teamProjectId: team.id,
    teamProjectName: team.name,
    state: emptySyncState(),
  });
  onTestFinished(() => teamSyncStore().remove(projectId));
}

/**
 * The server's answers for {@link TEAM_PROJECT} with nothing shared yet (no workflow, no record, no
 * steering signature), `user` its member as `role` with that role's actions from the role table.
 */
function emptyTeamProject(role: Role = 'analyst', user: TeamUser = ANA): Record<string, FakeAnswer> {
  const { id, name } = TEAM_PROJECT;
  return {
    'GET /api/projects': [200, { projects: [{ id, name, role, expiresOn: null }] }],
    [`GET /api/projects/${id}`]: [
      200,
      {
        id,
        name,
        role,
        expiresOn: null,
        createdAt: CREATED_AT,
        can: actionsOf(role),
        members: [teamMember(user.subject, user.name, role)],
      },
    ],
    [`GET /api/projects/${id}/workflows`]: [200, { workflows: [] }],
    [`GET /api/projects/${id}/records?after=0`]: [200, { head: 0, records: [] }],
    [`GET /api/projects/${id}/steering-signatures`]: [200, { decisions: [] }],
  };
}

/** The app's team server state: `user` signed in over `server`'s fetch, or nobody signed in. */
export function teamServerState(
  server: FakeTeamServer,
  user: TeamUser | 'signed-out' = ANA,
): TeamServerState {
  return user === 'signed-out'
    ? { phase: 'signed-out', signInAvailable: true }
    : {
        phase: 'signed-in',
        user,
        client: new TeamClient('csrf', () => undefined, server.fetchImpl),
        ended: false,
      };
}

/** How the project of {@link renderOnTeam} stands with the team server. */
export type Sharing =
  /** shared with {@link TEAM_PROJECT}, Ana signed in */
  | 'signed-in'
  /** shared with it, nobody signed in */
  | 'signed-out'
  /** this browser's own project, Ana signed in */
  | 'local';

/**
 * Renders `show(team)` under the app's team server state, `project` standing with the server as
 * `sharing` says, the server answering as {@link emptyTeamProject} for `role` with `routes` added
 * or in their place. Returns the server, whose `calls` the test may count.
 */
export async function renderOnTeam(
  project: Project,
  show: (team: TeamServerState) => ReactNode,
  {
    sharing = 'signed-in',
    routes = {},
    role = 'analyst',
  }: { sharing?: Sharing; routes?: Record<string, FakeAnswer>; role?: Role } = {},
): Promise<FakeTeamServer> {
  if (sharing !== 'local') await linkToTeamProject(project.meta.id);
  const server = fakeTeamServer({ ...emptyTeamProject(role), ...routes });
  const team = teamServerState(server, sharing === 'signed-out' ? 'signed-out' : ANA);
  render(<TeamServerContext.Provider value={team}>{show(team)}</TeamServerContext.Provider>);
  return server;
}
