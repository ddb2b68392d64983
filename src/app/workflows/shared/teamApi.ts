/**
 * The team server's shared-workflow API as the app calls it: same-origin requests with the
 * session cookie, and the session's CSRF token on every change. The app is served by
 * `preflight serve` when these answer; served on its own (`npm start`), `signedIn` is null and
 * nothing here is offered.
 *
 * Constraint: no record content goes in a URL; ids are percent-encoded path segments.
 */
import type { SharedWorkflowTransport, SyncAnswer } from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { servedByTeamServer } from '../../team/teamClient.ts';

/** The header the server reads the CSRF token from. */
const CSRF_HEADER = 'x-csrf-token';

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

/** A refusal from the server: its status and what it said. */
export class TeamServerError extends Error {
  override name = 'TeamServerError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const enc = encodeURIComponent;

async function call<T>(method: string, path: string, csrf?: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(csrf === undefined ? {} : { [CSRF_HEADER]: csrf }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok)
    throw new TeamServerError(
      response.status,
      (parsed as { error?: string } | undefined)?.error ?? 'the team server did not answer as expected',
    );
  return parsed as T;
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
  await call('POST', `/api/projects/${enc(projectId)}/workflows`, user.csrfToken, { workflow });
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
    push: (after, changes) => call<SyncAnswer>('POST', path, user.csrfToken, { after, changes }),
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
    await call<{ version: NamedVersion }>('POST', versionsPath(projectId, workflowId), user.csrfToken, {
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
  await call('POST', `${versionsPath(projectId, workflowId)}/${enc(versionId)}/restore`, user.csrfToken, {});
}
