/**
 * One read of a shared project on the team server, kept fresh: read once a member is signed in,
 * read again when the project's change stream tells of a change of the given kinds, or when asked
 * (`reread`). The screens' narrow reads (the shared workflows' list, the team's runs) are this
 * hook with their own read.
 *
 * Constraints: while a read runs, the last one stays shown; a read that fails says why and gives
 * none of it, never a part; nothing is read while `server` is undefined. `read` and `kinds` are
 * taken as module constants: a new function or list each render would not read again.
 */
import { useCallback, useEffect, useState } from 'react';
import type { TeamChangeKind } from '../../core/teamRecords/index.ts';
import type { TeamSession } from '../../storage/teamServer.ts';
import { useTeamChanges } from './useTeamChanges.ts';

/** A read as last answered, or why it could not be (neither: being read). */
export interface TeamRead<T> {
  /** the team project it read (undefined: none is read) */
  projectId?: string;
  value?: T;
  unread?: string;
  /** reads again now */
  reread: () => void;
}

/** `read` of `server`'s project, read again on a change of `kinds` (see the file header). */
export function useTeamRead<T>(
  server: { session: TeamSession; projectId: string } | undefined,
  kinds: readonly TeamChangeKind[],
  read: (session: TeamSession, projectId: string) => Promise<T>,
): TeamRead<T> {
  const [answer, setAnswer] = useState<Omit<TeamRead<T>, 'reread'>>({});
  const [asked, setAsked] = useState(0);
  const reread = useCallback(() => setAsked((n) => n + 1), []);
  useTeamChanges(server?.session, server?.projectId, kinds, reread);
  useEffect(() => {
    if (server === undefined || asked < 0) {
      setAnswer({});
      return;
    }
    let live = true;
    const { session, projectId } = server;
    read(session, projectId).then(
      (value) => live && setAnswer({ projectId, value }),
      (error: Error) => live && setAnswer({ projectId, unread: error.message }),
    );
    return () => {
      live = false;
    };
  }, [server, asked, read]);
  return { ...answer, reread };
}
