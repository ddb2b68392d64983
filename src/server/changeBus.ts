/**
 * Every successful change under a shared project, told as it is made: the `onResponse` hook below
 * names the change by the route's pattern (core `changeKindOfRoute`) and publishes its kind on
 * the process's change bus, from this one place and never from the routes. The change stream
 * (projectEvents.ts) tells each member's open browsers what the bus carries.
 *
 * Constraints:
 * - A change carries its kind and when, never record content, names or ids below the project.
 * - On the clinic's PostgreSQL a change is also sent with `NOTIFY`, so every server process behind
 *   the same proxy tells its own streams; each process tells its own streams directly and skips
 *   its own notifications, so a dropped listening connection never silences this process.
 * - The hook is on the root of the server (not in a route plugin), so it hears every route.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { changeKindOfRoute, type TeamChange, type TeamChangeKind } from '../core/teamRecords/index.ts';
import { notifyChange } from './data/changeNotices.ts';
import type { Database, Listening } from './database.ts';

/** The PostgreSQL channel changes travel on between server processes. */
const CHANGE_CHANNEL = 'preflight_project_changes';

/** Changes of projects, told to whoever listens in this process (and, on PostgreSQL, in others). */
export interface ChangeBus {
  publish(projectId: string, kind: TeamChangeKind): void;
  /** hears `projectId`'s changes; returns the way to stop */
  subscribe(projectId: string, listener: (change: TeamChange) => void): () => void;
  close(): Promise<void>;
}

/** A change as it travels between processes. */
interface Notice extends TeamChange {
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
  const listeners = new Map<string, Set<(change: TeamChange) => void>>();
  const self = randomUUID();
  const tell = (projectId: string, change: TeamChange) => {
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
      const { from, project, kind, at } = notice;
      if (from === self || typeof project !== 'string' || kind === undefined || typeof at !== 'number')
        return;
      tell(project, { kind, at });
    });
  return {
    publish(projectId, kind) {
      const change: TeamChange = { kind, at: clock() };
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
    if (kind !== undefined && typeof projectId === 'string') bus.publish(projectId, kind);
  });
  app.addHook('onClose', async () => bus.close());
  return bus;
}
