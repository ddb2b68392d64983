/**
 * The team server's shared-workflow API as the app calls it, through the one team server request
 * (`src/storage/teamServer.ts`: the session cookie, the CSRF token on every change, refusals as
 * `TeamError`). The app is served by
 * `preflight serve` when these answer; served on its own (`npm start`), `signedIn` is null and
 * nothing here is offered.
 *
 * Constraint: no record content goes in a URL; ids are percent-encoded path segments.
 */
import type { SharedWorkflowTransport, SyncAnswer } from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { type TeamSession, teamRequest } from '../../../storage/teamServer.ts';
import { servedByTeamServer } from '../../team/teamClient.ts';

/** Who is signed in to the team server, and the token their changes carry. */
export interface TeamUser {
  name: string;
  csrfToken: string;
}

/** A team project the person is a member of. */
export interface TeamProject {
  id: string;
  name: string;
  role: string;
}

/** A shared workflow as the project lists it. */
export interface SharedWorkflowEntry {
  id: string;
  name: string;
  state: string;
  process: string | null;
  head: number;
}

const enc = encodeURIComponent;

/** The page's own session, for reading (a read carries no CSRF token). */
const READING: TeamSession = { base: '', csrfToken: '' };

function call<T>(method: 'GET' | 'POST', path: string, user?: TeamUser, body?: unknown): Promise<T> {
  return teamRequest<T>(
    user === undefined ? READING : { base: '', csrfToken: user.csrfToken },
    method,
    path,
    body,
  );
}

/** The person signed in to the team server, or null (not signed in, or no team server here). */
export async function signedIn(): Promise<TeamUser | null> {
  // a page no team server served asks nothing (no failed request in the console)
  if (!servedByTeamServer()) return null;
  try {
    const me = await call<{ name?: unknown; csrfToken?: unknown }>('GET', '/api/me');
    return typeof me?.name === 'string' && typeof me.csrfToken === 'string'
      ? { name: me.name, csrfToken: me.csrfToken }
      : null;
  } catch {
    return null;
  }
}

/** The team projects the person is a member of. */
export async function teamProjects(): Promise<TeamProject[]> {
  return (await call<{ projects: TeamProject[] }>('GET', '/api/projects')).projects;
}

/** What the person's role may do in `projectId` (the server's action names). */
export async function projectActions(projectId: string): Promise<string[]> {
  return (await call<{ can: string[] }>('GET', `/api/projects/${enc(projectId)}`)).can;
}

/** The project's shared workflows. */
export async function sharedWorkflows(projectId: string): Promise<SharedWorkflowEntry[]> {
  return (
    await call<{ workflows: SharedWorkflowEntry[] }>('GET', `/api/projects/${enc(projectId)}/workflows`)
  ).workflows;
}

/** Shares one of the person's own workflows with the project. */
export async function shareWorkflow(projectId: string, workflow: Workflow, user: TeamUser): Promise<void> {
  await call('POST', `/api/projects/${enc(projectId)}/workflows`, user, { workflow });
}

/** The shared workflow as the server has it now, and its head. */
export function openSharedWorkflow(projectId: string, workflowId: string) {
  return call<{ workflow: Workflow; head: number }>(
    'GET',
    `/api/projects/${enc(projectId)}/workflows/${enc(workflowId)}`,
  );
}

/** How a copy of a shared workflow reaches the server. */
export function sharedTransport(
  projectId: string,
  workflowId: string,
  user: TeamUser,
): SharedWorkflowTransport {
  const path = `/api/projects/${enc(projectId)}/workflows/${enc(workflowId)}/changes`;
  return {
    pull: (after) => call<SyncAnswer>('GET', `${path}?after=${after}`),
    push: (after, changes) => call<SyncAnswer>('POST', path, user, { after, changes }),
  };
}

/** A named version of a shared workflow. */
export interface NamedVersion {
  id: string;
  name: string;
  head: number;
  namedAt: string;
  namedBy: string;
}

const versionsPath = (projectId: string, workflowId: string) =>
  `/api/projects/${enc(projectId)}/workflows/${enc(workflowId)}/versions`;

/** The workflow's named versions, oldest first. */
export async function namedVersions(projectId: string, workflowId: string): Promise<NamedVersion[]> {
  return (await call<{ versions: NamedVersion[] }>('GET', versionsPath(projectId, workflowId))).versions;
}

/** Names the workflow as the server has it now. */
export async function nameVersion(
  projectId: string,
  workflowId: string,
  name: string,
  user: TeamUser,
): Promise<NamedVersion> {
  return (
    await call<{ version: NamedVersion }>('POST', versionsPath(projectId, workflowId), user, {
      name,
    })
  ).version;
}

/** The workflow as it was at a named version. */
export async function versionWorkflow(
  projectId: string,
  workflowId: string,
  versionId: string,
): Promise<Workflow> {
  return (
    await call<{ workflow: Workflow }>('GET', `${versionsPath(projectId, workflowId)}/${enc(versionId)}`)
  ).workflow;
}

/** Restores a named version: one more change, which the copy hears at its next sync. */
export async function restoreVersion(
  projectId: string,
  workflowId: string,
  versionId: string,
  user: TeamUser,
): Promise<void> {
  await call('POST', `${versionsPath(projectId, workflowId)}/${enc(versionId)}/restore`, user, {});
}
