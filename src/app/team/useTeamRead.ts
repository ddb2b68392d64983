/**
 * One read of a shared project on the team server, from the browser's one cache of them
 * (teamQuery.ts): read once a member is signed in, shared with every other screen that shows the
 * same read, read again when the project's change stream tells of a change of its kinds, or when
 * asked (`reread`, for every screen that shows it).
 *
 * Constraints: while a read runs, the last one stays shown; a read that fails says why and gives
 * none of it, never a part; nothing is read while `server` is undefined. `spec` is a module
 * constant (teamReads.ts).
 */
import { type QueryClient, QueryClientContext, skipToken, useQueries, useQuery } from '@tanstack/react-query';
import { useCallback, useContext, useEffect, useRef } from 'react';
import type { TeamSession } from '../../storage/teamServer.ts';
import {
  followTeamChanges,
  pageTeamReads,
  type TeamReadSpec,
  type TeamServerReadSpec,
  teamReadOptions,
  teamServerReadOptions,
} from './teamQuery.ts';

/** A read as last answered, or why it could not be (neither: being read). */
export interface TeamRead<T> {
  /** the team project it read (undefined: none is read) */
  projectId?: string;
  value?: T;
  unread?: string;
  /**
   * the answer before, when the last read failed (`unread`): for a screen that must keep its
   * place, and says why beside it
   */
  kept?: T;
  /** reads again now, for every screen that shows it */
  reread: () => void;
  /**
   * reads again now and gives the answer (every screen that shows it shows it too); rejects with
   * why it could not be read, or when nothing is to be read
   */
  readNow: () => Promise<T>;
}

/**
 * The member's session and the team project a screen reads (undefined: nothing is read).
 * `paused`: the session ended; what was read stays shown and nothing is asked until it is live again.
 * `own`: whether a change (by the id its request gave it) is one the screen made and shows
 * already; its echo does not read the screen's reads again (useDecisionOutbox's `sentHere`).
 */
export type TeamReadServer =
  | { session: TeamSession; projectId: string; paused?: boolean; own?: (change: string) => boolean }
  | undefined;

/** The cache the app's root provides, or the page's outside it. */
export function useTeamQueryClient(): QueryClient {
  return useContext(QueryClientContext) ?? pageTeamReads;
}

/** Follows `server`'s change stream into `client` while the screen shows it. */
function useFollowChanges(client: QueryClient, server: TeamReadServer): void {
  const base = server?.paused === true ? undefined : server?.session.base;
  const projectId = server?.projectId;
  useEffect(() => {
    if (base === undefined || projectId === undefined) return;
    return followTeamChanges(client, base, projectId);
  }, [client, base, projectId]);
}

/** What a finished read says, or why it is not known. */
function answerOf<T>(query: { data?: T; error: Error | null; isError: boolean }): {
  value?: T;
  unread?: string;
} {
  // a read that failed gives none of it, not even the answer before it
  if (query.isError) return { unread: query.error?.message ?? 'no answer' };
  return query.data === undefined ? {} : { value: query.data };
}

/** `spec`'s read of `server`'s project with `args` (see the file header). */
export function useTeamRead<T, A extends readonly string[]>(
  server: TeamReadServer,
  spec: TeamReadSpec<T, A>,
  ...args: A
): TeamRead<T> {
  const client = useTeamQueryClient();
  useFollowChanges(client, server);
  const options =
    server === undefined
      ? undefined
      : teamReadOptions(server.session, server.projectId, spec, args, server.own);
  const key = options?.queryKey;
  const query = useQuery<T, Error, T, readonly unknown[]>(
    options === undefined
      ? { queryKey: ['team-read-off'], queryFn: skipToken }
      : { ...options, enabled: server?.paused !== true },
    client,
  );
  const keyId = JSON.stringify(key);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key's text stands for the key
  const reread = useCallback(() => {
    if (key !== undefined) void client.invalidateQueries({ queryKey: key });
  }, [client, keyId]);
  const session = server?.session;
  const projectId = server?.projectId;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key's text stands for the spec and args
  const readNow = useCallback((): Promise<T> => {
    if (session === undefined || projectId === undefined)
      return Promise.reject(new Error('nobody is signed in to the team server'));
    return client.fetchQuery({ ...teamReadOptions(session, projectId, spec, args), staleTime: 0 });
  }, [client, session, projectId, keyId]);
  if (server === undefined) return { reread, readNow };
  const kept = query.isError && query.data !== undefined ? { kept: query.data } : {};
  return { projectId: server.projectId, ...answerOf(query), ...kept, reread, readNow };
}

/**
 * `spec`'s read of the server itself (the person's list of projects) over `session`, as `person`
 * (the signed-in person's subject), with the
 * promises of {@link useTeamRead}: shared by every screen that shows it, read as a screen opens it,
 * and read again when a project's stream that a screen follows tells of a change of its kinds.
 * Nothing is read while `session` is undefined; `paused`: the session ended, what was read stays.
 */
export function useTeamServerRead<T>(
  session: TeamSession | undefined,
  person: string,
  spec: TeamServerReadSpec<T>,
  paused = false,
): Omit<TeamRead<T>, 'projectId'> {
  const client = useTeamQueryClient();
  const options = session === undefined ? undefined : teamServerReadOptions(session, spec, person);
  const query = useQuery<T, Error, T, readonly unknown[]>(
    options === undefined
      ? { queryKey: ['team-read-off'], queryFn: skipToken }
      : { ...options, enabled: !paused },
    client,
  );
  const key = options?.queryKey;
  const keyId = JSON.stringify(key);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key's text stands for the key
  const reread = useCallback(() => {
    if (key !== undefined) void client.invalidateQueries({ queryKey: key });
  }, [client, keyId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key's text stands for the spec
  const readNow = useCallback((): Promise<T> => {
    if (session === undefined) return Promise.reject(new Error('nobody is signed in to the team server'));
    return client.fetchQuery({ ...teamServerReadOptions(session, spec, person), staleTime: 0 });
  }, [client, session, keyId]);
  if (session === undefined) return { reread, readNow };
  // the read that found the session ended is not said: the screen keeps what it showed until the
  // person signs in again (the header says the session ended)
  if (paused && query.data !== undefined) return { value: query.data, reread, readNow };
  return { ...answerOf(query), reread, readNow };
}

/**
 * `spec`'s read of each of `ids` in `server`'s project (a read per id, each its own key), as one
 * answer: all of them once each is read; why, if any failed; nothing while one is first read.
 */
export function useTeamReads<T>(
  server: TeamReadServer,
  spec: TeamReadSpec<T, [string]>,
  ids: readonly string[] | undefined,
): { values?: T[]; unread?: string } {
  const client = useTeamQueryClient();
  useFollowChanges(client, server);
  const queries = useQueries(
    {
      queries:
        server === undefined || ids === undefined
          ? []
          : ids.map((id) => teamReadOptions(server.session, server.projectId, spec, [id] as [string])),
    },
    client,
  );
  const failed = queries.find((q) => q.isError);
  const values = queries.map((q) => q.data);
  // one array per answer, so a screen that memoises on it renders again only when it changes
  const last = useRef<T[] | undefined>(undefined);
  if (failed !== undefined) return { unread: failed.error?.message ?? 'no answer' };
  if (ids === undefined || values.some((v) => v === undefined)) return {};
  const kept = last.current;
  const same = kept !== undefined && kept.length === values.length && kept.every((v, i) => v === values[i]);
  if (!same) last.current = values as T[];
  return { values: last.current };
}
