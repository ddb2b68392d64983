/**
 * Opening a team project in this browser: a member who sees a project in the team list brings its
 * shared records (check sets, contracts, mappings, accepted issues, sample plans, the sign-off
 * roster, readiness records, steering decisions) into a new project here, linked to the team
 * project, so the sync (useSharedRecords) keeps the two in step from then on. A team project this
 * browser holds already opens its copy: never a second one.
 *
 * Constraints: the link is stored before the project, so the project opens linked and its first
 * round sends nothing back (every pulled record is agreed); a project that cannot be stored takes
 * its link away again. Nothing of any patient record is read or sent: a pull carries the shared
 * records only.
 */
import { useCallback } from 'react';
import { createProject, newId } from '../../core/project/changes.ts';
import { pullIntoNewProject, RecordRefusal, type RecordTransport } from '../../core/teamRecords/index.ts';
import { explainRefusal, httpRecordTransport, TeamError } from '../../storage/teamServer.ts';
import type { TeamSyncStore } from '../../storage/teamSyncStore.ts';
import type { ProjectSession } from '../projects/projectSession.ts';
import { HOME } from '../route.ts';
import { navigateTo } from '../useWorkspaceRoute.ts';
import { teamSyncStore } from './useSharedRecords.ts';
import type { TeamServerState } from './useTeamServer.ts';

/** What opening a team project here needs. */
interface OpenHereParams {
  teamProject: { id: string; name: string };
  transport: RecordTransport;
  store: TeamSyncStore;
  session: Pick<ProjectSession, 'getState' | 'adopt'>;
  now?: () => string;
}

/** The local project that holds the team project here, or why there is none. */
type OpenedHere = { ok: true; projectId: string; copy: 'made' | 'kept' } | { ok: false; reason: string };

/** Opens `teamProject` in this browser: its copy here, made now from its shared records if none. */
export async function openTeamProjectHere({
  teamProject,
  transport,
  store,
  session,
  now = () => new Date().toISOString(),
}: OpenHereParams): Promise<OpenedHere> {
  let linkId: string | undefined;
  try {
    const held = new Set(session.getState().projects.map((p) => p.id));
    const links = await store.linkedTo(teamProject.id);
    const kept = links.find((link) => held.has(link.project));
    if (kept !== undefined) return { ok: true, projectId: kept.project, copy: 'kept' };
    // links whose project was deleted here since: nothing of them is left to keep in step
    for (const link of links) await store.remove(link.project);

    const at = now();
    const empty = createProject({ id: newId(), name: teamProject.name, now: at });
    const { project, state } = await pullIntoNewProject(empty, transport, at);
    linkId = project.meta.id;
    await store.put({
      project: linkId,
      teamProjectId: teamProject.id,
      teamProjectName: teamProject.name,
      state,
    });
    const count = Object.keys(state.known).length;
    const records = count === 1 ? '1 shared record' : `${count} shared records`;
    const opened = await session.adopt(
      project,
      `“${project.meta.name}” is open in this browser with the team’s ${records}. What you change in it is sent to the team server.`,
    );
    if (!opened) {
      await store.remove(linkId).catch(() => undefined);
      return {
        ok: false,
        reason: session.getState().error ?? 'The project could not be stored in this browser.',
      };
    }
    return { ok: true, projectId: linkId, copy: 'made' };
  } catch (error) {
    if (linkId !== undefined) await store.remove(linkId).catch(() => undefined);
    return { ok: false, reason: reasonOf(error) };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof RecordRefusal) return explainRefusal(error.status, error.message);
  if (error instanceof TeamError || error instanceof Error) return error.message;
  return 'The team project could not be opened here; nothing was changed. Try again.';
}

/**
 * The team screen's "Open on this computer": opens the team project here and goes to it; resolves
 * with the words of a failure, or undefined. Undefined itself where nobody is signed in or no
 * project storage is open.
 */
export function useOpenTeamProjectHere(
  team: TeamServerState,
  session: ProjectSession | null,
): ((teamProject: { id: string; name: string }) => Promise<string | undefined>) | undefined {
  const client = team.phase === 'signed-in' && !team.ended ? team.client : undefined;
  const open = useCallback(
    async (teamProject: { id: string; name: string }) => {
      if (client === undefined || session === null) return undefined;
      const opened = await openTeamProjectHere({
        teamProject,
        transport: httpRecordTransport(client.session, teamProject.id),
        store: teamSyncStore(),
        session,
      });
      if (!opened.ok) return opened.reason;
      navigateTo({ project: opened.projectId, route: HOME });
      return undefined;
    },
    [client, session],
  );
  return client === undefined || session === null ? undefined : open;
}
