/**
 * The team server's shared-workflow API as the app calls it, through the one team server request
 * (`src/storage/teamServer.ts`: the session cookie, the CSRF token on every change, refusals as
 * `TeamError`), with the app's one signed-in session (`useTeamServerState`): a 401 here ends the
 * session everywhere, as on any other screen. Served without a team server (`npm start`) nobody is
 * signed in and nothing here is offered.
 *
 * The shared workflow routes are called through their contracts (src/core/teamApi), so the
 * requests and answers are typed by the schemas the server validates with; so are the project
 * list and a project's actions (the project routes' contracts).
 *
 * Constraint: no record content goes in a URL; ids are percent-encoded path segments.
 */
import {
  listVersionsRoute,
  listWorkflowsRoute,
  nameVersionRoute,
  openProjectRoute,
  openWorkflowRoute,
  pullChangesRoute,
  pushChangesRoute,
  readVersionRoute,
  restoreVersionRoute,
  type SharedVersion,
  type SharedWorkflowSummary,
  shareWorkflowRoute,
} from '../../../core/teamApi/index.ts';
import type { SharedWorkflowTransport } from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { type TeamSession, teamCall } from '../../../storage/teamServer.ts';

/** A shared workflow as the project lists it. */
export type SharedWorkflowEntry = SharedWorkflowSummary;

/** What the person's role may do in `projectId` (the server's action names). */
export async function projectActions(session: TeamSession, projectId: string): Promise<string[]> {
  return (await teamCall(session, openProjectRoute, { params: { projectId } })).can;
}

/** The project's shared workflows. */
export async function sharedWorkflows(
  session: TeamSession,
  projectId: string,
): Promise<SharedWorkflowEntry[]> {
  return (await teamCall(session, listWorkflowsRoute, { params: { projectId } })).workflows;
}

/** Shares one of the person's own workflows with the project. */
export async function shareWorkflow(
  session: TeamSession,
  projectId: string,
  workflow: Workflow,
): Promise<void> {
  await teamCall(session, shareWorkflowRoute, { params: { projectId }, body: { workflow } });
}

/** The shared workflow as the server has it now, and its head. */
export function openSharedWorkflow(session: TeamSession, projectId: string, workflowId: string) {
  return teamCall(session, openWorkflowRoute, { params: { projectId, workflowId } });
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
  const params = { projectId, workflowId };
  return {
    pull: (after) => teamCall(session, pullChangesRoute, { params, query: { after: String(after) } }),
    push: (after, changes) =>
      teamCall(session, pushChangesRoute, { params, body: { after, changes: [...changes] } }),
  };
}

/** A named version of a shared workflow. */
export type NamedVersion = SharedVersion;

/** The workflow's named versions, oldest first. */
export async function namedVersions(
  session: TeamSession,
  projectId: string,
  workflowId: string,
): Promise<NamedVersion[]> {
  return (await teamCall(session, listVersionsRoute, { params: { projectId, workflowId } })).versions;
}

/** Names the workflow as the server has it now. */
export async function nameVersion(
  session: TeamSession,
  projectId: string,
  workflowId: string,
  name: string,
): Promise<NamedVersion> {
  return (await teamCall(session, nameVersionRoute, { params: { projectId, workflowId }, body: { name } }))
    .version;
}

/** The workflow as it was at a named version. */
export async function versionWorkflow(
  session: TeamSession,
  projectId: string,
  workflowId: string,
  versionId: string,
): Promise<Workflow> {
  return (await teamCall(session, readVersionRoute, { params: { projectId, workflowId, versionId } }))
    .workflow;
}

/** Restores a named version: one more change, which the copy hears at its next sync. */
export async function restoreVersion(
  session: TeamSession,
  projectId: string,
  workflowId: string,
  versionId: string,
): Promise<void> {
  await teamCall(session, restoreVersionRoute, { params: { projectId, workflowId, versionId }, body: {} });
}
