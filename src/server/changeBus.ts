/**
 * Every successful change under a shared project, told as it is made: the `onResponse` hook below
 * names the change by the route's pattern (core `changeKindOfRoute`) and publishes its kind on
 * the process's change bus, from this one place and never from the routes. The change stream
 * (projectEvents.ts) tells each member's open browsers what the bus carries.
 *
 * Constraints:
 * - A change carries its kind and when, never record content, names or ids below the project; the
 *   id a page gave its change (core `CHANGE_ID_HEADER`) travels with who made it, so the stream
 *   tells it back to that person's browsers only.
 * - On the clinic's PostgreSQL a change is also sent with `NOTIFY`, so every server process behind
 *   the same proxy tells its own streams; each process tells its own streams directly and skips
 *   its own notifications, so a dropped listening connection never silences this process.
 * - The hook is on the root of the server (not in a route plugin), so it hears every route.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  CHANGE_ID_HEADER,
  changeKindOfRoute,
  isChangeId,
  type TeamChangeKind,
} from '../core/teamRecords/index.ts';
import { personOf } from './access.ts';
import { notifyChange } from './data/changeNotices.ts';
import type { Database, Listening } from './database.ts';

/** The PostgreSQL channel changes travel on between server processes. */
export const CHANGE_CHANNEL = 'preflight_project_changes';

/** Who made a change, and the id her page gave it. */
export interface ChangeOrigin {
  /** the person, as {@link memberKeyOf} names her */
  member: string;
  change: string;
}

/** A change as the bus carries it: its kind, when, and who made it when her page named it. */
export interface BusChange {
  kind: TeamChangeKind;
  at: number;
  by?: ChangeOrigin;
}

/** The one key of a person (her issuer and subject) the bus and the streams compare. */
export function memberKeyOf(person: { issuer: string; subject: string }): string {
  return `${person.issuer}\n${person.subject}`;
}

/** Changes of projects, told to whoever listens in this process (and, on PostgreSQL, in others). */
export interface ChangeBus {
  publish(projectId: string, kind: TeamChangeKind, by?: ChangeOrigin): void;
  /** hears `projectId`'s changes; returns the way to stop */
  subscribe(projectId: string, listener: (change: BusChange) => void): () => void;
  close(): Promise<void>;
}

/** A change as it travels between processes. */
interface Notice extends BusChange {
  from: string;
  project: string;
}

/**
 * The bus of `db`'s server process. `onError`: a notification that could not be sent (the change
 * itself is made; other processes' browsers hear it at their next pull).
 */
async function createChangeBus(
  db: Database,
  clock: () => number,
  onError: (error: unknown) => void = () => undefined,
): Promise<ChangeBus> {
  const listeners = new Map<string, Set<(change: BusChange) => void>>();
  const self = randomUUID();
  const tell = (projectId: string, change: BusChange) => {
    for (const listener of listeners.get(projectId) ?? []) listener(change);
  };
  let listening: Listening | undefined;
  if (db.listen !== undefined)
    listening = await db.listen(CHANGE_CHANNEL, (payload) => {
      let notice: Partial<Notice>;
      try {
        notice = JSON.parse(payload) as Partial<Notice>;
      } catch {
        return;
      }
      const { from, project, kind, at, by } = notice;
      if (from === self || typeof project !== 'string' || kind === undefined || typeof at !== 'number')
        return;
      const known = typeof by?.member === 'string' && isChangeId(by.change);
      tell(project, known ? { kind, at, by: { member: by.member, change: by.change } } : { kind, at });
    });
  return {
    publish(projectId, kind, by) {
      const change: BusChange = by === undefined ? { kind, at: clock() } : { kind, at: clock(), by };
      tell(projectId, change);
      if (listening !== undefined) {
        const notice: Notice = { from: self, project: projectId, ...change };
        notifyChange(db, CHANGE_CHANNEL, JSON.stringify(notice)).catch(onError);
      }
    },
    subscribe(projectId, listener) {
      const set = listeners.get(projectId) ?? new Set();
      listeners.set(projectId, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(projectId) === set) listeners.delete(projectId);
      };
    },
    async close() {
      listeners.clear();
      await listening?.close();
    },
  };
}

/**
 * Publishes every successful change under a project made through `app` on a bus of its own, closed
 * with the server; returns the bus, which the change stream listens to.
 */
export async function tellChanges(
  app: FastifyInstance,
  services: { db: Database; clock: () => number },
): Promise<ChangeBus> {
  const bus = await createChangeBus(services.db, services.clock, (error) =>
    app.log.warn({ err: error }, 'a change could not be told to other server processes'),
  );
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 200 || reply.statusCode >= 300 || request.session === undefined) return;
    const kind = changeKindOfRoute(request.method, request.routeOptions.url ?? '');
    const projectId = (request.params as { projectId?: unknown } | undefined)?.projectId;
    if (kind === undefined || typeof projectId !== 'string') return;
    // the page's name for its change, told back to this person's streams (one that is not an id: none)
    const change = request.headers[CHANGE_ID_HEADER];
    bus.publish(
      projectId,
      kind,
      isChangeId(change) ? { member: memberKeyOf(personOf(request)), change } : undefined,
    );
  });
  app.addHook('onClose', async () => bus.close());
  return bus;
}
