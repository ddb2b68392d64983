/**
 * The open project's link to a team project and its records' sync, for the screens: the link is
 * read from this browser's store when the project opens; while someone is signed in, the sync
 * runs (a round at once, on every change of the project, when the server tells of others' changes
 * to records, every minute or so, when the browser is back online and when its window is looked at
 * again), and the screens read where it stands. Sharing links the open project to a team project; ending
 * the share forgets the link and its queue here, and changes nothing on the server.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ProjectChange } from '../../core/project/changes.ts';
import { emptySyncState } from '../../core/teamRecords/index.ts';
import type { Project } from '../../formats/project.ts';
import { createLogWitnessStore, type LogWitnessStore } from '../../storage/logWitnessStore.ts';
import { httpRecordTransport } from '../../storage/teamServer.ts';
import { createTeamSyncStore, type TeamLink, type TeamSyncStore } from '../../storage/teamSyncStore.ts';
import { announceLinkChange } from './linkEvents.ts';
import { witnessTeamLog } from './logWitness.ts';
import { createRecordSync, type RecordSync, type RecordSyncView, syncWhenBack } from './recordSync.ts';
import { useTeamChanges } from './useTeamChanges.ts';
import type { TeamServerState } from './useTeamServer.ts';

/** The open project's sharing, as the screens show it. */
export interface SharedRecords {
  /** undefined while the link is read; null: not shared */
  link: TeamLink | null | undefined;
  view: RecordSyncView | null;
  share(teamProject: { id: string; name: string }): Promise<void>;
  unshare(): Promise<void>;
  settle(key: string, choice: 'mine' | 'theirs'): Promise<void>;
}

let defaultStore: TeamSyncStore | undefined;
/** The browser's one store of links, made at first use. */
export function teamSyncStore(): TeamSyncStore {
  defaultStore ??= createTeamSyncStore();
  return defaultStore;
}

let defaultWitnessStore: LogWitnessStore | undefined;
/** The browser's one store of witnessed log heads, made at first use. */
export function logWitnessStore(): LogWitnessStore {
  defaultWitnessStore ??= createLogWitnessStore();
  return defaultWitnessStore;
}

/** The sharing of `project` through the signed-in `team` session. `store`: the tests' own. */
export function useSharedRecords(
  team: TeamServerState,
  project: Project | null,
  dispatch: ((change: ProjectChange) => void) | undefined,
  store: TeamSyncStore = teamSyncStore(),
  /** the project as it is this instant (the session's state); default: as last rendered */
  latest?: () => Project | null,
): SharedRecords {
  const projectId = project?.meta.id;
  const [link, setLink] = useState<TeamLink | null | undefined>(undefined);
  const [view, setView] = useState<RecordSyncView | null>(null);
  const syncRef = useRef<RecordSync | undefined>(undefined);
  const projectRef = useRef(project);
  projectRef.current = project;
  const dispatchRef = useRef(dispatch);
  dispatchRef.current = dispatch;
  const latestRef = useRef(latest);
  latestRef.current = latest;

  // served without a team server (`npm start`), nothing is read: no database is made for it
  const teamHere = team.phase !== 'none' && team.phase !== 'probing';
  useEffect(() => {
    setLink(undefined);
    setView(null);
    if (projectId === undefined || !teamHere) return;
    let alive = true;
    store.get(projectId).then(
      (found) => alive && setLink(found ?? null),
      () => alive && setLink(null),
    );
    return () => {
      alive = false;
    };
  }, [projectId, store, teamHere]);

  const client = team.phase === 'signed-in' && !team.ended ? team.client : undefined;
  const linked = link != null && link.project === projectId ? link : undefined;
  const teamProjectId = linked?.teamProjectId;
  // one sync per linked project and session: made when both are there, ended when either goes
  // biome-ignore lint/correctness/useExhaustiveDependencies: the link's id and the session start it; its state lives in the sync
  useEffect(() => {
    const current = projectRef.current;
    if (client === undefined || linked === undefined || current === null) return;
    const sync = createRecordSync({
      link: linked,
      project: current,
      store,
      transport: httpRecordTransport(client.session, linked.teamProjectId),
      dispatch: (change) => dispatchRef.current?.(change),
      latest: () => (latestRef.current ? latestRef.current() : projectRef.current),
      onView: setView,
      witness: () => witnessTeamLog(client.session, linked.teamProjectId, logWitnessStore()),
    });
    syncRef.current = sync;
    // back online, or back to this window: send what waits and hear what others changed
    const stopListening = syncWhenBack(sync.sync);
    return () => {
      stopListening();
      sync.destroy();
      if (syncRef.current === sync) syncRef.current = undefined;
    };
  }, [client, teamProjectId, store]);

  // what others wrote, heard as they write it: a round at once (the minute's pull stays, for
  // when the stream is down)
  useTeamChanges(client?.session, client === undefined ? undefined : teamProjectId, ['records'], () =>
    syncRef.current?.sync(),
  );

  useEffect(() => {
    if (project !== null) syncRef.current?.projectChanged(project);
  }, [project]);

  const share = useCallback(
    async (teamProject: { id: string; name: string }) => {
      if (projectId === undefined) return;
      const made: TeamLink = {
        project: projectId,
        teamProjectId: teamProject.id,
        teamProjectName: teamProject.name,
        state: emptySyncState(),
      };
      await store.put(made);
      setLink(made);
      announceLinkChange(projectId);
    },
    [projectId, store],
  );
  const unshare = useCallback(async () => {
    if (projectId === undefined) return;
    await store.remove(projectId);
    setLink(null);
    setView(null);
    announceLinkChange(projectId);
  }, [projectId, store]);
  const settle = useCallback(async (key: string, choice: 'mine' | 'theirs') => {
    await syncRef.current?.settle(key, choice);
  }, []);

  return useMemo(
    () => ({ link: linked ?? (link === undefined ? undefined : null), view, share, unshare, settle }),
    [linked, link, view, share, unshare, settle],
  );
}
