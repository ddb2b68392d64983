/**
 * The one hook over a shared project's change stream (teamChanges.ts): a screen that shows what it
 * read from the team server names the kinds of change it shows and how it reloads them, and its
 * reload runs when someone else makes such a change — no reload of the page, no waiting for the
 * next pull.
 */
import { useEffect, useRef } from 'react';
import type { TeamChangeKind } from '../../core/teamRecords/index.ts';
import type { TeamSession } from '../../storage/teamServer.ts';
import { listenToTeam } from './teamChanges.ts';

/**
 * Runs `reload` when a change of one of `kinds` is made in the team project `projectId` (by anyone,
 * this person's other tabs included) and when the stream opens again after a drop. Nothing while
 * `session` or `projectId` is undefined. `own`: whether a change (by the id its request gave it)
 * is one this screen made and shows already — its echo then does not run `reload`. `kinds`,
 * `reload` and `own` may change at every render.
 */
export function useTeamChanges(
  session: Pick<TeamSession, 'base'> | undefined,
  projectId: string | undefined,
  kinds: readonly TeamChangeKind[],
  reload: () => unknown,
  own?: (change: string) => boolean,
): void {
  const latest = useRef({ reload, own });
  latest.current = { reload, own };
  // the stream's listener: the kinds as last rendered, and the reload as last rendered, called bare
  const listener = useRef({
    kinds,
    reload: () => latest.current.reload(),
    own: (change: string) => latest.current.own?.(change) === true,
  });
  listener.current.kinds = kinds;
  const base = session?.base;
  useEffect(() => {
    if (base === undefined || projectId === undefined) return;
    return listenToTeam(base, projectId, listener.current);
  }, [base, projectId]);
}
