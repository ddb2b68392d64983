/**
 * The team server's shared-workflow API as the app calls it, through the one team server request
 * (`src/storage/teamServer.ts`: the session cookie, the CSRF token on every change, refusals as
 * `TeamError`), with the app's one signed-in session (`useTeamServerState`): a 401 here ends the
 * session everywhere, as on any other screen. Served without a team server (`npm start`) nobody is
 * signed in and nothing here is offered.
 *
 * Constraint: no record content goes in a URL; ids are percent-encoded path segments.
 */
import type { SharedWorkflowTransport, SyncAnswer } from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { type TeamSession, teamRequest } from '../../../storage/teamServer.ts';

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

/** The team projects the person is a member of. */
export async function teamProjects(session: TeamSession): Promise<TeamProject[]> {
  return (await teamRequest<{ projects: TeamProject[] }>(session, 'GET', '/api/projects')).projects;
}

/** What the person's role may do in `projectId` (the server's action names). */
export async function projectActions(session: TeamSession, projectId: string): Promise<string[]> {
  return (await teamRequest<{ can: string[] }>(session, 'GET', `/api/projects/${enc(projectId)}`)).can;
}

/** The project's shared workflows. */
export async function sharedWorkflows(
  session: TeamSession,
  projectId: string,
): Promise<SharedWorkflowEntry[]> {
  const path = `/api/projects/${enc(projectId)}/workflows`;
  return (await teamRequest<{ workflows: SharedWorkflowEntry[] }>(session, 'GET', path)).workflows;
}

/** Shares one of the person's own workflows with the project. */
export async function shareWorkflow(
  session: TeamSession,
  projectId: string,
  workflow: Workflow,
): Promise<void> {
  await teamRequest(session, 'POST', `/api/projects/${enc(projectId)}/workflows`, { workflow });
}

/** The shared workflow as the server has it now, and its head. */
export function openSharedWorkflow(session: TeamSession, projectId: string, workflowId: string) {
  return teamRequest<{ workflow: Workflow; head: number }>(
    session,
    'GET',
    `/api/projects/${enc(projectId)}/workflows/${enc(workflowId)}`,
  );
}

/**
 * How a copy of a shared workflow reaches the server, over `session` (one object per sign-in, so a
 * token renewed by signing in again reaches the copy's next sync).
 */
export function sharedTransport(
  session: TeamSession,
  projectId: string,
  workflowId: string,
): SharedWorkflowTransport {
  const path = `/api/projects/${enc(projectId)}/workflows/${enc(workflowId)}/changes`;
  return {
    pull: (after) => teamRequest<SyncAnswer>(session, 'GET', `${path}?after=${after}`),
    push: (after, changes) => teamRequest<SyncAnswer>(session, 'POST', path, { after, changes }),
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
export async function namedVersions(
  session: TeamSession,
  projectId: string,
  workflowId: string,
): Promise<NamedVersion[]> {
  const path = versionsPath(projectId, workflowId);
  return (await teamRequest<{ versions: NamedVersion[] }>(session, 'GET', path)).versions;
}

/** Names the workflow as the server has it now. */
export async function nameVersion(
  session: TeamSession,
  projectId: string,
  workflowId: string,
  name: string,
): Promise<NamedVersion> {
  const path = versionsPath(projectId, workflowId);
  return (await teamRequest<{ version: NamedVersion }>(session, 'POST', path, { name })).version;
}

/** The workflow as it was at a named version. */
export async function versionWorkflow(
  session: TeamSession,
  projectId: string,
  workflowId: string,
  versionId: string,
): Promise<Workflow> {
  const path = `${versionsPath(projectId, workflowId)}/${enc(versionId)}`;
  return (await teamRequest<{ workflow: Workflow }>(session, 'GET', path)).workflow;
}

/** Restores a named version: one more change, which the copy hears at its next sync. */
export async function restoreVersion(
  session: TeamSession,
  projectId: string,
  workflowId: string,
  versionId: string,
): Promise<void> {
  await teamRequest(session, 'POST', `${versionsPath(projectId, workflowId)}/${enc(versionId)}/restore`, {});
}
