/**
 * Whether the open project is shared with the team server this app is served by, and who signs
 * for it: the one question every signing screen asks before it offers anything. A shared project
 * is signed on the server only, each person signed in as herself, so a screen shows the server's
 * ceremony to a signed-in member, says how to sign in to anyone else, and offers its own
 * typed-name form only where the project is this browser's alone.
 *
 * Constraints: the link is read from this browser's store whether or not anyone is signed in (a
 * signed-out person on a shared project must not be offered a local form); until it is read the
 * answer is `reading`, and a screen shows no form at all then.
 */
import { useEffect, useMemo, useState } from 'react';
import type { TeamSession } from '../../storage/teamServer.ts';
import type { TeamLink, TeamSyncStore } from '../../storage/teamSyncStore.ts';
import { onLinkChange } from './linkEvents.ts';
import type { TeamClient } from './teamClient.ts';
import { useTeamServerState } from './teamContext.ts';
import { teamSyncStore } from './useSharedRecords.ts';

/** The person signed in to the team server, who signs for a shared project. */
export interface TeamSigner {
  client: TeamClient;
  session: TeamSession;
  user: { name: string; subject: string };
}

/** The open project's sharing, as a signing screen needs it. */
export type ProjectSharing =
  /** whether it is shared is still being read: offer nothing yet */
  | { kind: 'reading' }
  /** this browser's project alone (or no team server serves the app): signed here, as today */
  | { kind: 'local' }
  /**
   * shared with team project `teamProjectId`: signed on the server by `signer`; no signer when
   * nobody is signed in (`signedOut`) or the session ended (`ended`)
   */
  | {
      kind: 'shared';
      teamProjectId: string;
      teamProjectName: string;
      signer: TeamSigner | undefined;
      /** why there is no signer */
      absent?: 'signed-out' | 'ended';
    };

/**
 * The sharing of the project `projectId` (undefined: none open) under the app's team server
 * state. `store`: the tests' own; the browser's one store of links by default.
 */
export function useProjectSharing(
  projectId: string | undefined,
  store: TeamSyncStore = teamSyncStore(),
): ProjectSharing {
  const team = useTeamServerState();
  const teamHere = team.phase === 'signed-in' || team.phase === 'signed-out';
  const [read, setRead] = useState<{ project: string; link: TeamLink | null } | undefined>();
  // read again when this browser links the project, or ends its link
  const [changes, setChanges] = useState(0);
  useEffect(() => onLinkChange((changed) => changed === projectId && setChanges((n) => n + 1)), [projectId]);
  useEffect(() => {
    if (projectId === undefined || !teamHere || changes < 0) return;
    let alive = true;
    store.get(projectId).then(
      (found) => alive && setRead({ project: projectId, link: found ?? null }),
      // a store the browser refuses holds no link this screen could honour
      () => alive && setRead({ project: projectId, link: null }),
    );
    return () => {
      alive = false;
    };
  }, [projectId, store, teamHere, changes]);

  // one object per state of the sharing: screens key their reads of the server on it
  return useMemo((): ProjectSharing => {
    if (team.phase === 'none' || projectId === undefined) return { kind: 'local' };
    if (team.phase === 'probing' || read?.project !== projectId) return { kind: 'reading' };
    const link = read.link;
    if (link === null) return { kind: 'local' };
    const shared = {
      kind: 'shared' as const,
      teamProjectId: link.teamProjectId,
      teamProjectName: link.teamProjectName,
    };
    if (team.phase === 'signed-out') return { ...shared, signer: undefined, absent: 'signed-out' };
    if (team.ended) return { ...shared, signer: undefined, absent: 'ended' };
    return {
      ...shared,
      signer: {
        client: team.client,
        session: team.client.session,
        user: { name: team.user.name, subject: team.user.subject },
      },
    };
  }, [team, read, projectId]);
}

/** A shared project as a screen reads the team server for it: the member's session, the team project, who. */
export interface SignedInTeamProject {
  session: TeamSession;
  projectId: string;
  user: TeamSigner['user'];
}

/**
 * The team project the screen reads from for `sharing`, once a member is signed in (undefined:
 * this browser's project alone, still being read, or nobody signed in). One object per sharing,
 * so a screen keys its reads of the server on it.
 */
export function useSignedInTeamProject(sharing: ProjectSharing): SignedInTeamProject | undefined {
  return useMemo(
    () =>
      sharing.kind === 'shared' && sharing.signer !== undefined
        ? { session: sharing.signer.session, projectId: sharing.teamProjectId, user: sharing.signer.user }
        : undefined,
    [sharing],
  );
}
