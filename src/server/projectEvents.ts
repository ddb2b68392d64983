/**
 * A shared project's changes, told to its members' open browsers as they happen: the stream
 * `GET /api/projects/:projectId/events` (server-sent events) carries `{ kind, at }` for every
 * successful change under the project, published from one place — the `onResponse` hook below,
 * which names the change by the route's pattern (core `changeKindOfRoute`) — never by the routes.
 *
 * Constraints:
 * - An event carries no record content, names or ids; a browser reloads what it shows through the
 *   routes it already reads, where its role is checked again.
 * - Opening a stream is a project route like any other: a live session and `read-project`; a
 *   stranger gets the same 404 as for the project. Each heartbeat checks the session (without
 *   moving its idle clock, so an open tab does not keep an unattended browser signed in) and the
 *   membership; a roster change checks them at once. Either gone: the stream ends.
 * - Streams are bounded per member and in all (bounds.ts), under the connection cap, and a stop
 *   ends every stream first, so the bounded stop still holds.
 * - On the clinic's PostgreSQL a change is also sent with `NOTIFY`, so every server process behind
 *   the same proxy tells its own streams; each process tells its own streams directly and skips
 *   its own notifications, so a dropped listening connection never silences this process.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { projectEventsRoute } from '../core/teamApi/index.ts';
import { changeKindOfRoute, type TeamChange, type TeamChangeKind } from '../core/teamRecords/index.ts';
import { personOf, requireAction } from './access.ts';
import {
  type ConnectionLimits,
  EVENT_HEARTBEAT_MS,
  EVENT_STREAMS_PER_MEMBER,
  eventStreamLimit,
} from './bounds.ts';
import { serveRoute } from './contractRoute.ts';
import { notifyChange } from './data/changeNotices.ts';
import type { Database, Listening } from './database.ts';
import { membershipOf } from './projects.ts';
import { type Session, sessionStillLive } from './sessions.ts';

/** The PostgreSQL channel changes travel on between server processes. */
const CHANGE_CHANNEL = 'preflight_project_changes';

/** How long a browser waits before it reconnects a dropped stream (the `retry:` field). */
const RECONNECT_MS = 5_000;

/** Changes of projects, told to whoever listens in this process (and, on PostgreSQL, in others). */
interface ChangeBus {
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

/** What {@link registerChangeEvents} needs. */
interface ChangeEventsOptions {
  db: Database;
  clock: () => number;
  limits: ConnectionLimits;
  /** the session idle limit the server runs with */
  sessionIdleMs: number;
  /** default {@link EVENT_HEARTBEAT_MS} */
  heartbeatMs?: number;
}

/**
 * The event stream route, the hook that publishes every successful change under a project, and
 * the stop that ends every stream, on `app`.
 */
export async function registerChangeEvents(
  app: FastifyInstance,
  options: ChangeEventsOptions,
): Promise<void> {
  const { db, clock } = options;
  const bus = await createChangeBus(db, clock, (error) =>
    app.log.warn({ err: error }, 'a change could not be told to other server processes'),
  );
  const heartbeatMs = options.heartbeatMs ?? EVENT_HEARTBEAT_MS;
  const maxStreams = eventStreamLimit(options.limits);
  /** every open stream's end, by member (issuer and subject) */
  const open = new Map<string, Set<() => Promise<void>>>();
  let total = 0;

  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 200 || reply.statusCode >= 300 || request.session === undefined) return;
    const kind = changeKindOfRoute(request.method, request.routeOptions.url ?? '');
    const projectId = (request.params as { projectId?: unknown } | undefined)?.projectId;
    if (kind !== undefined && typeof projectId === 'string') bus.publish(projectId, kind);
  });

  // a stop ends the streams before the server waits for its requests: they never end on their own
  // (each end resolves once its response is finished: the connection is then idle, and the
  // server's close closes idle connections at once instead of waiting for their keep-alive)
  app.addHook('preClose', async () => {
    await Promise.all([...open.values()].flatMap((ends) => [...ends].map((end) => end())));
  });
  app.addHook('onClose', async () => bus.close());

  // the answer is a stream, not JSON: the handler sends it and returns the reply, which the
  // contract's runner then leaves alone
  serveRoute(app, projectEventsRoute, async (request, reply) => {
    const { projectId } = request.params;
    await requireAction(db, request, projectId, 'read-project', clock(), false);
    const person = personOf(request);
    const member = `${person.issuer}\n${person.subject}`;
    const mine = open.get(member) ?? new Set<() => Promise<void>>();
    if (mine.size >= EVENT_STREAMS_PER_MEMBER)
      throw tooMany(
        `you have ${EVENT_STREAMS_PER_MEMBER} live views of team projects open already: close some tabs of Preflight, then reload this one`,
      );
    if (total >= maxStreams)
      throw tooMany(
        'the team server holds as many live views as it can just now: changes reach this page when it reloads or syncs',
      );
    const { idHash } = request.session as Session;

    const stream = new PassThrough();
    const response = reply.raw;
    const finished = new Promise<void>((resolve) => {
      response.once('finish', resolve);
      response.once('close', resolve);
    });
    let ended = false;
    const end = (): Promise<void> => {
      if (ended) return finished;
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
      mine.delete(end);
      if (mine.size === 0 && open.get(member) === mine) open.delete(member);
      total -= 1;
      stream.end();
      return finished;
    };
    /** the session still live (its idle clock untouched) and the person still a member */
    const check = async (): Promise<boolean> => {
      try {
        const now = clock();
        const live =
          (await sessionStillLive(db, idHash, now, options.sessionIdleMs)) &&
          (await membershipOf(db, person, projectId, now)) !== undefined;
        if (!live) void end();
        return live;
      } catch {
        // the database could not be asked: the browser reconnects and is checked afresh
        void end();
        return false;
      }
    };
    const unsubscribe = bus.subscribe(projectId, (change) => {
      if (ended) return;
      stream.write(`data: ${JSON.stringify({ kind: change.kind, at: change.at })}\n\n`);
      if (change.kind === 'members') void check();
    });
    const heartbeat = setInterval(() => {
      void check().then((live) => {
        if (live && !ended) stream.write(': heartbeat\n\n');
      });
    }, heartbeatMs);
    mine.add(end);
    open.set(member, mine);
    total += 1;
    stream.on('close', () => void end());
    stream.write(`retry: ${RECONNECT_MS}\n: connected\n\n`);
    return (
      reply
        .type('text/event-stream; charset=utf-8')
        // nginx passes each event at once instead of buffering the stream
        .header('x-accel-buffering', 'no')
        .send(stream)
    );
  });
}

/** A refusal for a stream over its bound (429: try later). */
function tooMany(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 429 });
}
