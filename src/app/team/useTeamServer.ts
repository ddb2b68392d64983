/**
 * Whether a team server serves this app, who is signed in to it, and a client for their session.
 * Asked once at start; a session that ends (a 401 to any request) is kept on screen as "ended"
 * (the person and what they typed stay) until they sign in again — in another tab, so this page
 * keeps its forms — which is noticed when this tab is looked at again. The page's cache of team
 * reads (teamQuery.ts) is emptied before another person's screens show, and at signing out.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { listenToSession } from '../../storage/teamServer.ts';
import { type Fetch, probeTeamServer, TeamClient, type TeamUser } from './teamClient.ts';
import { forgetTeamReads } from './teamQuery.ts';
import { useTeamQueryClient } from './useTeamRead.ts';

/** What the app knows about the team server. */
export type TeamServerState =
  | { phase: 'probing' }
  /** served without a team server (`npm start`): nothing of the team is shown */
  | { phase: 'none' }
  | { phase: 'signed-out'; signInAvailable: boolean }
  /** `ended`: the session ended under the person; their screens stay until they sign in again */
  | { phase: 'signed-in'; user: TeamUser; client: TeamClient; ended: boolean };

/** The team server's state and what the header does with it. */
export interface TeamServer {
  state: TeamServerState;
  /** signs out at the server; the person is then signed out here too */
  signOut(): Promise<void>;
  /** asks the server again who is signed in (after signing in again in another tab) */
  recheck(): Promise<void>;
}

/** The team server this app is served by, if any. `fetchImpl`: the tests' boundary. */
export function useTeamServer(fetchImpl?: Fetch): TeamServer {
  const [state, setState] = useState<TeamServerState>({ phase: 'probing' });
  const clientRef = useRef<TeamClient | undefined>(undefined);
  // the page's cache of team reads holds one person's reads: emptied before another's screens show
  const reads = useTeamQueryClient();
  const readsOf = useRef<string | undefined>(undefined);
  const readsBy = useCallback(
    (who: string | undefined) => {
      if (readsOf.current === who) return;
      readsOf.current = who;
      forgetTeamReads(reads);
    },
    [reads],
  );

  const recheck = useCallback(async () => {
    const probe = await probeTeamServer(fetchImpl);
    if (probe.kind === 'none') {
      setState((before) => (before.phase === 'probing' ? { phase: 'none' } : before));
      return;
    }
    if (probe.user === null || probe.csrfToken === null) {
      // a session that ended stays on screen as ended: the person may have typed something
      setState((before) =>
        before.phase === 'signed-in'
          ? { ...before, ended: true }
          : { phase: 'signed-out', signInAvailable: probe.signInAvailable },
      );
      return;
    }
    const { user, csrfToken } = probe;
    if (clientRef.current === undefined)
      clientRef.current = new TeamClient(
        csrfToken,
        () => setState((before) => (before.phase === 'signed-in' ? { ...before, ended: true } : before)),
        fetchImpl,
      );
    const client = clientRef.current;
    client.renew(csrfToken, `${user.issuer} ${user.subject}`);
    readsBy(`${user.issuer} ${user.subject}`);
    setState({ phase: 'signed-in', user, client, ended: false });
  }, [fetchImpl, readsBy]);

  useEffect(() => {
    void recheck();
  }, [recheck]);

  // back in this tab after signing in again in another: ask who is signed in now. Listened to
  // all along and asked of the state as it is, so a return right after the session ended (before
  // a listener added on that render would be there) is heard too
  const ended = useRef(false);
  ended.current = state.phase === 'signed-in' && state.ended;
  useEffect(() => {
    const onVisible = () => {
      if (ended.current && document.visibilityState === 'visible') void recheck();
    };
    window.addEventListener('focus', onVisible);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', onVisible);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [recheck]);

  // a screen that fetched the new session's token itself (the review's decisions, sent once she
  // signed in again in another tab) ends the "sign-in ended" notice without waiting for a focus
  const client = state.phase === 'signed-in' ? state.client : undefined;
  useEffect(() => {
    if (client === undefined) return;
    return listenToSession(client.session, (news) => {
      if (news === 'renewed' && ended.current) void recheck();
    });
  }, [client, recheck]);

  const signOut = useCallback(async () => {
    const client = clientRef.current;
    try {
      await client?.signOut();
    } catch {
      // an ended session is signed out already; anything else: the server forgets it at its idle limit
    }
    clientRef.current = undefined;
    readsBy(undefined);
    setState({ phase: 'signed-out', signInAvailable: true });
  }, [readsBy]);

  return useMemo(() => ({ state, signOut, recheck }), [state, signOut, recheck]);
}
