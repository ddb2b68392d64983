/**
 * The browser's one cache of what it read from the team server (TanStack Query): every read of a
 * shared project is a {@link TeamReadSpec} kept under the key `[server, project, kind, what, ...args]`,
 * so two screens that show the same thing share one copy and one request, and the project's change
 * stream (teamChanges.ts) marks stale exactly the keys of the kinds it tells of.
 *
 * Constraints:
 * - A read is asked once and never retried by itself: a failure is said where the screen shows it
 *   (a 401 ends the session, which the app hears and asks the person to sign in again).
 * - While the project's stream is open, a copy is kept until the stream says its kind changed (or
 *   that it dropped and missed something); while it is down, a screen that shows a copy reads it
 *   again as it opens, as the screens did before the cache.
 * - A read of the server rather than of one project (the person's list of projects) is kept under
 *   the project part {@link ALL_PROJECTS}: no stream tells of it alone, so it is read as a screen
 *   opens, and marked stale by a change of its kinds heard on any project's stream.
 * - The cache is of the person signed in: useTeamServer empties it when another person signs in
 *   or the person signs out ({@link forgetTeamReads}).
 */
import { type Query, QueryClient } from '@tanstack/react-query';
import { TEAM_CHANGE_KINDS, type TeamChangeKind } from '../../core/teamRecords/index.ts';
import type { TeamSession } from '../../storage/teamServer.ts';
import { type HeardChange, listenToTeam, teamChangesLive } from './teamChanges.ts';

/**
 * One read of a shared project the screens share, declared once as a module constant: the kind
 * of change its key lives under, what of that kind it reads, the other kinds that change its answer,
 * and the read itself over the member's session.
 */
export interface TeamReadSpec<T, A extends readonly string[] = []> {
  /** the kind of change that makes this read stale (its key's third part) */
  kind: TeamChangeKind;
  /** what of that kind it reads (its key's fourth part), unique within the kind */
  what: string;
  /** other kinds whose changes also change its answer */
  alsoOn?: readonly TeamChangeKind[];
  read(session: TeamSession, projectId: string, ...args: A): Promise<T>;
}

/**
 * One read of the server itself, not of a project (the person's list of team projects), declared
 * once as a module constant as {@link TeamReadSpec} is.
 */
export interface TeamServerReadSpec<T> {
  /** the kind of change heard on a project's stream that makes this read stale */
  kind: TeamChangeKind;
  /** what of the server it reads, unique within the kind */
  what: string;
  alsoOn?: readonly TeamChangeKind[];
  read(session: TeamSession): Promise<T>;
}

/** The project part of the key of a read of the server itself (no project's id is empty). */
export const ALL_PROJECTS = '';

/** A key of the cache: server origin ('' for the page's own), team project, kind, what, arguments. */
export type TeamReadKey = readonly [string, string, TeamChangeKind, string, ...string[]];

/** The key `spec` reads `args` of `projectId` on the server at `base` under. */
export function teamReadKey<A extends readonly string[]>(
  base: string,
  projectId: string,
  spec: Pick<TeamReadSpec<unknown, A>, 'kind' | 'what'>,
  args: A,
): TeamReadKey {
  return [base, projectId, spec.kind, spec.what, ...args];
}

/**
 * What a cached read keeps beside its key: the other kinds that make it stale, and whether a
 * change (by its id) is one the screen that shows it made and shows already (its echo then leaves
 * this read as it is; other reads of its kind are read again).
 */
interface TeamReadMeta extends Record<string, unknown> {
  alsoOn?: readonly TeamChangeKind[];
  own?: (change: string) => boolean;
}

/**
 * Whether the change `change` is the screen's own by `own`, asked once per burst however many
 * reads share `own` (a screen's `own` may forget a change once asked, as the outbox does).
 */
function ownOnce(
  own: (change: string) => boolean,
  change: string,
  asked: Map<(change: string) => boolean, Map<string, boolean>>,
): boolean {
  let answers = asked.get(own);
  if (answers === undefined) {
    answers = new Map();
    asked.set(own, answers);
  }
  let answer = answers.get(change);
  if (answer === undefined) {
    answer = own(change);
    answers.set(change, answer);
  }
  return answer;
}

/**
 * Whether `query` is a read of `projectId` on `base` that the burst `heard` (its `changes`) makes
 * stale: a change of its kinds that is not the echo of one its screen made.
 */
function staleAfter(
  query: Query,
  base: string,
  projectId: string,
  heard: ReadonlySet<TeamChangeKind | 'missed'>,
  changes: readonly HeardChange[],
  asked: Map<(change: string) => boolean, Map<string, boolean>>,
): boolean {
  const [server, project, kind] = query.queryKey;
  if (server !== base || (project !== projectId && project !== ALL_PROJECTS)) return false;
  if (heard.has('missed')) return true;
  const meta = query.meta as TeamReadMeta | undefined;
  const kinds = new Set<TeamChangeKind | 'missed'>([kind as TeamChangeKind, ...(meta?.alsoOn ?? [])]);
  const own = meta?.own;
  if (own === undefined) return [...heard].some((k) => kinds.has(k));
  return changes.some((c) => kinds.has(c.kind) && (c.change === undefined || !ownOnce(own, c.change, asked)));
}

/** A cache with the team reads' defaults (see the file header). */
export function createTeamQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        staleTime: (query) => {
          const [base, projectId] = query.queryKey;
          return typeof base === 'string' &&
            typeof projectId === 'string' &&
            projectId !== ALL_PROJECTS &&
            teamChangesLive(base, projectId)
            ? Number.POSITIVE_INFINITY
            : 0;
        },
      },
    },
  });
}

/** The caches listening to each project's stream, and how many screens read each. */
const following = new WeakMap<QueryClient, Map<string, { screens: number; stop: () => void }>>();

/**
 * Keeps `client`'s reads of `projectId` on `base` in step with the project's change stream: one
 * listener per cache and project however many screens read it, a burst of events of kind K marking
 * stale (and reading again where shown) only the keys of K. Returns the way to stop following.
 */
export function followTeamChanges(client: QueryClient, base: string, projectId: string): () => void {
  let projects = following.get(client);
  if (projects === undefined) {
    projects = new Map();
    following.set(client, projects);
  }
  const id = JSON.stringify([base, projectId]);
  let entry = projects.get(id);
  if (entry === undefined) {
    const stop = listenToTeam(base, projectId, {
      kinds: TEAM_CHANGE_KINDS,
      reload: (heard, changes) => {
        const asked = new Map<(change: string) => boolean, Map<string, boolean>>();
        return client.invalidateQueries({
          predicate: (query) => staleAfter(query, base, projectId, heard, changes, asked),
        });
      },
    });
    entry = { screens: 0, stop };
    projects.set(id, entry);
  }
  const held = entry;
  held.screens += 1;
  return () => {
    held.screens -= 1;
    if (held.screens > 0 || projects.get(id) !== held) return;
    projects.delete(id);
    held.stop();
  };
}

/**
 * The options of a cached read, for TanStack's hooks. `own`: whether a change (by its id) is one
 * the screen that shows the read made and shows already; its echo does not read it again.
 */
export function teamReadOptions<T, A extends readonly string[]>(
  session: TeamSession,
  projectId: string,
  spec: TeamReadSpec<T, A>,
  args: A,
  own?: (change: string) => boolean,
) {
  return {
    queryKey: teamReadKey(session.base, projectId, spec, args),
    queryFn: () => spec.read(session, projectId, ...args),
    meta: { alsoOn: spec.alsoOn, ...(own ? { own } : {}) } satisfies TeamReadMeta,
  };
}

/**
 * The options of a cached read of the server itself by `person` (the signed-in person's subject:
 * what one person read is never another's answer), for TanStack's hooks.
 */
export function teamServerReadOptions<T>(session: TeamSession, spec: TeamServerReadSpec<T>, person: string) {
  return {
    queryKey: [session.base, ALL_PROJECTS, spec.kind, spec.what, person] as TeamReadKey,
    queryFn: () => spec.read(session),
    meta: { alsoOn: spec.alsoOn } satisfies TeamReadMeta,
  };
}

/**
 * Empties `client`: what one person read is not shown to the next, nor kept once nobody is signed
 * in. Reads in flight are dropped with it.
 */
export function forgetTeamReads(client: QueryClient): void {
  client.cancelQueries().catch(() => undefined);
  client.clear();
}

/**
 * The page's one cache of team reads: provided at the app's root, and used as it is by a screen
 * rendered outside it (a component test's, whose set-up empties it after each test).
 */
export const pageTeamReads: QueryClient = createTeamQueryClient();
